/**
 * The shared conformance suite: every StorageProvider runs these same tests against a
 * real backend (a folder, s3rver, Ceph RGW…). Adding a provider adds one `runConformance` call.
 */
import pLimit from "p-limit";
import { describe, expect, it } from "vitest";
import { type BucketRef, ProviderError, type StorageProvider } from "../../src/providers/types.js";
import { cutProxy } from "../helpers/cut-proxy.js";

export interface ConformanceBackend {
  provider: () => StorageProvider;
  /** Creates a fresh bucket holding `objects`; names are unique per call. */
  createBucket(objects: { key: string; body: Buffer }[]): Promise<BucketRef>;
  /** A bucket reference that does not exist. */
  missingBucket(): BucketRef;
  /**
   * Set when the server cannot tell a missing bucket from an empty one (the Firebase emulator
   * lists nothing instead of answering 404): says where the not-found path is tested instead.
   */
  missingBucketListsEmpty?: string;
  /** The provider through another endpoint (a cuttable proxy), with few retries. */
  providerVia?: (endpoint: string) => StorageProvider;
  /** The server's endpoint, for `providerVia`. */
  endpoint?: string;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function readAll(provider: StorageProvider, ...args: Parameters<StorageProvider["readRange"]>) {
  return Buffer.concat(await collect(provider.readRange(...args)));
}

export function runConformance(name: string, backend: ConformanceBackend): void {
  describe(`${name}: StorageProvider conformance`, () => {
    it("lists 2,500 objects across pages, each once, with sizes", async () => {
      const objects = Array.from({ length: 2500 }, (_, i) => ({
        key: `p/${String(i).padStart(5, "0")}.txt`,
        body: Buffer.from(`n${i}`),
      }));
      const bucket = await backend.createBucket(objects);
      const listed = await collect(backend.provider().listObjects(bucket));
      expect(listed).toHaveLength(2500);
      expect(new Set(listed.map((o) => o.key)).size).toBe(2500);
      const byKey = new Map(listed.map((o) => [o.key, o]));
      expect(byKey.get("p/01234.txt")?.size).toBe(Buffer.byteLength("n1234"));
      expect(byKey.get("p/00000.txt")?.lastModified).toBeInstanceOf(Date);
    });

    it("keeps keys with unicode and spaces intact, for listing and reading", async () => {
      const keys = ["dossier é/rapport final.txt", "ñandú/日本 語.csv", "a+b=c&d.txt"];
      const bucket = await backend.createBucket(keys.map((key) => ({ key, body: Buffer.from(`contenu de ${key}`) })));
      const provider = backend.provider();
      const listed = await collect(provider.listObjects(bucket));
      expect(listed.map((o) => o.key).sort()).toEqual([...keys].sort());
      for (const o of listed)
        expect((await readAll(provider, o, { offset: 0 })).toString()).toBe(`contenu de ${o.key}`);
    });

    it("filters by prefix", async () => {
      const bucket = await backend.createBucket([
        { key: "exports/a.csv", body: Buffer.from("a") },
        { key: "exports/sub/b.csv", body: Buffer.from("b") },
        { key: "other/c.csv", body: Buffer.from("c") },
      ]);
      const listed = await collect(backend.provider().listObjects(bucket, { prefix: "exports/" }));
      expect(listed.map((o) => o.key).sort()).toEqual(["exports/a.csv", "exports/sub/b.csv"]);
    });

    it("reads exactly the requested byte range", async () => {
      const body = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));
      const bucket = await backend.createBucket([{ key: "bytes.bin", body }]);
      const provider = backend.provider();
      const [ref] = await collect(provider.listObjects(bucket));
      if (!ref) throw new Error("not listed");
      expect(await readAll(provider, ref, { offset: 0, length: 100 })).toEqual(body.subarray(0, 100));
      expect(await readAll(provider, ref, { offset: 9_000, length: 500 })).toEqual(body.subarray(9_000, 9_500));
      expect(await readAll(provider, ref, { offset: 9_990, length: 100 })).toEqual(body.subarray(9_990));
      expect(await readAll(provider, ref, { offset: 0 })).toEqual(body);
    });

    it("lists nothing in an empty bucket", async () => {
      const bucket = await backend.createBucket([]);
      expect(await collect(backend.provider().listObjects(bucket))).toEqual([]);
    });

    it.skipIf(!!backend.missingBucketListsEmpty)(
      `reports a missing bucket as not-found, naming it${backend.missingBucketListsEmpty ? ` (SKIPPED: ${backend.missingBucketListsEmpty})` : ""}`,
      async () => {
        const missing = backend.missingBucket();
        const error = await collect(backend.provider().listObjects(missing)).catch((e) => e);
        expect(error).toBeInstanceOf(ProviderError);
        expect(error.code).toBe("not-found");
        expect(error.message).toContain(missing.name);
      },
    );

    it.skipIf(!backend.providerVia)(
      "reports a server that dies mid-listing as unavailable, after the objects already listed",
      async () => {
        const bucket = await backend.createBucket(
          Array.from({ length: 500 }, (_, i) => ({ key: `d/${String(i).padStart(5, "0")}`, body: Buffer.from("x") })),
        );
        const proxy = await cutProxy(backend.endpoint as string);
        const provider = backend.providerVia?.(proxy.endpoint) as StorageProvider;
        const seen: string[] = [];
        const error = await (async () => {
          for await (const o of provider.listObjects(bucket)) {
            seen.push(o.key);
            if (seen.length === 10) await proxy.cut();
          }
        })().catch((e) => e);
        expect(error).toBeInstanceOf(ProviderError);
        expect(["unavailable", "timeout"]).toContain(error.code);
        expect(error.message).toContain(bucket.name.split("/").pop());
        expect(seen.length).toBeGreaterThanOrEqual(10);
        expect(seen.length).toBeLessThan(2500);
        expect(seen.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `d/${String(i).padStart(5, "0")}`));
      },
    );

    it("stops listing when cancelled", async () => {
      const bucket = await backend.createBucket(
        Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, body: Buffer.from("x") })),
      );
      const controller = new AbortController();
      const seen: string[] = [];
      const run = (async () => {
        for await (const o of backend.provider().listObjects(bucket, { signal: controller.signal })) {
          seen.push(o.key);
          controller.abort(new Error("stop now"));
        }
      })();
      await expect(run).rejects.toThrow();
      expect(seen.length).toBeLessThan(30);
    });

    it("aborts a read in flight", async () => {
      const bucket = await backend.createBucket([{ key: "big.bin", body: Buffer.alloc(4 * 1024 * 1024, 7) }]);
      const provider = backend.provider();
      const [ref] = await collect(provider.listObjects(bucket));
      if (!ref) throw new Error("not listed");
      const controller = new AbortController();
      let received = 0;
      const run = (async () => {
        for await (const chunk of provider.readRange(ref, { offset: 0, signal: controller.signal })) {
          received += chunk.byteLength;
          controller.abort(new Error("stop now"));
        }
      })();
      await expect(run).rejects.toThrow();
      expect(received).toBeLessThan(4 * 1024 * 1024);
    });
  });
}

/** Puts objects with bounded concurrency (test seeding helper). */
export async function putAll(
  objects: { key: string; body: Buffer }[],
  put: (o: { key: string; body: Buffer }) => Promise<unknown>,
) {
  const limit = pLimit(16);
  await Promise.all(objects.map((o) => limit(() => put(o))));
}
