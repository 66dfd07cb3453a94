import type { ObjectRef, StorageProvider } from "../../src/providers/types.js";

/** An in-memory provider: one object, served in small chunks (unit tests only). */
export function memory(bytes: Uint8Array): { provider: StorageProvider; ref: ObjectRef } {
  const bucket = { provider: "mem", name: "mem", url: "mem://mem" };
  const provider: StorageProvider = {
    name: "mem",
    async *listBuckets() {},
    async *listObjects() {},
    async *readRange(_ref, { offset, length }) {
      const end = length === undefined ? bytes.length : Math.min(bytes.length, offset + length);
      for (let at = offset; at < end; at += 777) yield bytes.subarray(at, Math.min(end, at + 777));
    },
    describeBucket: async () => ({ publicRead: false, publicList: false, notes: [] }),
  };
  return { provider, ref: { bucket, key: "fuzz.bin", size: bytes.length } };
}
