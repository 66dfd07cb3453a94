/**
 * The posture is read beside the listing: a posture call that hangs until its deadline must not
 * hold back the objects (on a rerun that reads nothing, the whole run would wait on it). Through
 * the fault proxy in front of the real s3rver, which hangs GetBucketTagging.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type FaultProxy, startFaultProxy } from "../helpers/fault-proxy.js";
import { adminClient, bucketName, createBucketWith } from "../helpers/s3.js";
import { s3Settings, scanTargets } from "../helpers/scan.js";

const { s3rver } = inject("servers");
const DEADLINE_MS = 1500;

describe("posture beside the listing", () => {
  let proxy: FaultProxy;
  const name = bucketName("overlap");
  beforeAll(async () => {
    const admin = adminClient(s3rver);
    const objects = Array.from({ length: 30 }, (_, i) => ({ key: `e/${i}.csv`, body: Buffer.from(`ligne ${i}\n`) }));
    await createBucketWith(admin, name, objects);
    admin.destroy();
    proxy = await startFaultProxy(s3rver.endpoint, "s3");
  });
  afterAll(() => proxy.close());

  it("reads objects while a hung posture call waits for its deadline, and reports that call as unknown", async () => {
    const at: { tagging?: number; firstRead?: number } = {};
    proxy.set({
      hang: (req) => {
        if (req.kind === "read" && req.method === "GET") at.firstRead ??= performance.now();
        const tagging = req.method === "GET" && new URL(req.url, "http://x").searchParams.has("tagging");
        if (tagging) at.tagging ??= performance.now();
        return tagging;
      },
    });
    const settings = s3Settings(
      { ...s3rver, endpoint: proxy.endpoint },
      { requestTimeoutMs: DEADLINE_MS, maxAttempts: 1 },
    );
    const report = await scanTargets([`s3://${name}`], { failOn: "never", concurrency: 4 }, settings);
    const bucket = report.buckets[0];
    expect(proxy.stats().faults.hang).toBe(1);
    expect(bucket?.coverage).toMatchObject({ listed: 30, scanned: 30, complete: true });
    expect(bucket?.posture.ownerTag).toBe("unknown");
    // Before the fix, the first object was read only after the tagging call's deadline had passed.
    expect((at.firstRead ?? Number.POSITIVE_INFINITY) - (at.tagging ?? 0)).toBeLessThan(DEADLINE_MS);
  });
});
