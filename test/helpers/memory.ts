import { DEFAULT_EXPAND_LIMITS } from "../../src/extract/limits.js";
import type { ObjectRef, StorageProvider } from "../../src/providers/types.js";
import type { Hashers } from "../../src/rules/finding.js";
import { createDistinctHasher, createFingerprinter } from "../../src/rules/fingerprint.js";
import type { Rule } from "../../src/rules/types.js";
import { ByteBudget } from "../../src/sample/plan.js";
import { type ObjectOutcome, scanObject } from "../../src/scan-object.js";
import { Suppressor } from "../../src/suppress/suppressor.js";

/** An in-memory provider: one object, served in small chunks (unit tests only). */
export function memory(bytes: Uint8Array, key = "fuzz.bin"): { provider: StorageProvider; ref: ObjectRef } {
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
  return { provider, ref: { bucket, key, size: bytes.length } };
}

/**
 * Scans one in-memory object through the real object pipeline, exhaustively, with the given
 * rules. `key` names the object (its extension is the last hint for text formats: `.sql`, `.hpr`).
 */
export function scanInMemory(
  bytes: Uint8Array,
  rules: Rule[],
  options: { hashers?: Hashers; objectTimeoutMs?: number; key?: string } = {},
): Promise<ObjectOutcome> {
  const { provider, ref } = memory(bytes, options.key);
  return scanObject(ref, {
    provider,
    rules,
    hashers: options.hashers ?? { fingerprint: createFingerprinter("k"), distinct: createDistinctHasher(1) },
    suppressor: new Suppressor((s) => s),
    budget: new ByteBudget(0),
    plan: { exhaustive: true, sampleBytes: 1 << 20 },
    objectTimeoutMs: options.objectTimeoutMs ?? 60_000,
    expandLimits: DEFAULT_EXPAND_LIMITS,
    signal: new AbortController().signal,
  });
}
