import { get as httpGet } from "node:http";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type FaultPolicy, type FaultProxy, nth, once, plannedFault, startFaultProxy } from "../helpers/fault-proxy.js";
import { adminClient, bucketName, createBucketWith } from "../helpers/s3.js";

const server = inject("servers").s3rver;
const BODY = Buffer.alloc(1000, "a");
const KEYS = ["k1", "k2", "k3", "k4", "k5"];
const nextPageOnce = () => once((r) => r.kind === "list" && r.nextPage);

/** What a plain HTTP client saw: status (if headers came), body bytes, and the error code if any. */
interface Outcome {
  status?: number;
  bytes: number;
  error?: string;
  ms: number;
}
function get(url: string, signal?: AbortSignal): Promise<Outcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    let status: number | undefined;
    let bytes = 0;
    const done = (error?: Error) =>
      resolve({
        status,
        bytes,
        // An abort after the headers surfaces on the response as ECONNRESET "aborted": name it.
        error: error && (signal?.aborted ? "ABORT_ERR" : ((error as NodeJS.ErrnoException).code ?? error.name)),
        ms: performance.now() - started,
      });
    httpGet(url, { agent: false, signal }, (res) => {
      status = res.statusCode;
      res.on("data", (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on("end", () => done());
      res.on("error", done);
    }).on("error", done);
  });
}
const outcome = (o: Outcome) =>
  o.error ? o.error : o.status === 200 && o.bytes === BODY.length ? "ok" : `${o.status}`;

describe("fault proxy in front of s3rver", () => {
  const bucket = bucketName("fault");
  let proxy: FaultProxy;
  let client: S3Client;
  const object = (key = "k1") => `${proxy.endpoint}/${bucket}/${key}`;
  beforeAll(async () => {
    await createBucketWith(
      adminClient(server),
      bucket,
      KEYS.map((key) => ({ key, body: BODY })),
    );
    proxy = await startFaultProxy(server.endpoint, "s3");
    client = new S3Client({
      endpoint: proxy.endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      maxAttempts: 1,
    });
  });
  afterAll(() => proxy.close());

  it("forwards signed SDK requests unchanged under an empty policy, and classifies them", async () => {
    proxy.set({});
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual(KEYS);
    const read = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "k2" }));
    expect(
      Buffer.from(await (read.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray()),
    ).toEqual(BODY);
    expect(proxy.stats()).toMatchObject({
      requests: 2,
      byKind: { list: 1, read: 1, other: 0 },
      upstreamErrors: 0,
      log: [],
    });
  });

  it("answers 503 SlowDown, or 429, in S3's XML: the SDK names the error after its code", async () => {
    proxy.set({ throttle: 1 });
    const slow = await client.send(new GetObjectCommand({ Bucket: bucket, Key: "k1" })).catch((e) => e);
    expect([slow.name, slow.$metadata.httpStatusCode, slow.message]).toEqual([
      "SlowDown",
      503,
      "Please reduce your request rate.",
    ]);
    proxy.set({ throttle: 1, throttleStatus: 429 });
    const many = await client.send(new ListObjectsV2Command({ Bucket: bucket })).catch((e) => e);
    expect([many.name, many.$metadata.httpStatusCode]).toEqual(["TooManyRequests", 429]);
    expect(proxy.stats().faults.throttle).toBe(1);
  });

  it("resets a connection before the headers, or after half the body", async () => {
    proxy.set({ reset: 1, resetAt: "headers" });
    expect(await get(object())).toMatchObject({ status: undefined, bytes: 0, error: "ECONNRESET" });
    proxy.set({ reset: 1, resetAt: "body" });
    expect(await get(object())).toMatchObject({ status: 200, bytes: 500, error: "ECONNRESET" });
    expect(proxy.stats().faults).toMatchObject({ "reset-mid-body": 1, "reset-before-headers": 0 });
  });

  it("adds latency to the chosen fraction of requests", async () => {
    proxy.set({ latencyMs: 400 });
    const slow = await get(object());
    expect([outcome(slow), slow.ms >= 400]).toEqual(["ok", true]);
    expect(proxy.stats().faults.latency).toBe(1);
    proxy.set({ latencyMs: 400, latencyRate: 0 });
    expect(outcome(await get(object()))).toBe("ok");
    expect(proxy.stats().faults.latency).toBe(0);
  });

  it("hangs the 2nd read (no header ever) until the client's 500 ms deadline aborts it", async () => {
    proxy.set({ hang: nth("read", 2) });
    expect(outcome(await get(object()))).toBe("ok");
    const hung = await get(object(), AbortSignal.timeout(500));
    expect([hung.status, hung.error, hung.ms >= 500 && hung.ms < 2000]).toEqual([undefined, "ABORT_ERR", true]);
    expect(outcome(await get(object()))).toBe("ok");
    expect(proxy.stats()).toMatchObject({ requests: 3, faults: { hang: 1 } });
  });

  it("hangs a body: headers and half the bytes, then nothing", async () => {
    proxy.set({ hangBody: nth("read", 1) });
    const hung = await get(object(), AbortSignal.timeout(500));
    expect(hung).toMatchObject({ status: 200, bytes: 500, error: "ABORT_ERR" });
    expect(proxy.stats().faults["hang-body"]).toBe(1);
  });

  it("hangs exactly one listing page, the 2nd of ListObjectsV2, and serves its retry", async () => {
    proxy.set({ hang: nextPageOnce() });
    const first = await client.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 2 }));
    const page2 = new ListObjectsV2Command({
      Bucket: bucket,
      MaxKeys: 2,
      ContinuationToken: first.NextContinuationToken,
    });
    const hung = await client.send(page2, { abortSignal: AbortSignal.timeout(500) }).catch((e) => e);
    expect(hung.name).toBe("AbortError");
    const retried = await client.send(page2);
    expect(retried.Contents?.map((o) => o.Key)).toEqual(["k3", "k4"]);
    const stats = proxy.stats();
    expect([stats.byKind.list, stats.faults.hang, stats.log[0]?.url]).toMatchObject([
      3,
      1,
      expect.stringContaining("continuation-token="),
    ]);
  });

  it("kill destroys hung requests and refuses connections; revive serves on the same endpoint", async () => {
    proxy.set({ hang: () => true });
    const hung = get(object());
    await new Promise((r) => setTimeout(r, 100));
    await proxy.kill();
    expect(await hung).toMatchObject({ status: undefined, error: "ECONNRESET" });
    expect((await get(object())).error).toBe("ECONNREFUSED");
    await proxy.revive();
    proxy.set({ kill: nth("read", 2) });
    const seen = [];
    for (let i = 0; i < 3; i++) seen.push(outcome(await get(object())));
    expect(seen).toEqual(["ok", "ECONNRESET", "ECONNREFUSED"]);
    expect(proxy.stats().faults.kill).toBe(1);
    await proxy.revive();
  });

  it("a seeded policy replays the same fault sequence, the one plannedFault predicts", async () => {
    const run = async (policy: FaultPolicy) => {
      proxy.set(policy);
      const seen: string[] = [];
      for (let i = 0; i < 40; i++) seen.push(outcome(await get(object())));
      return seen;
    };
    const policy = { seed: 42, throttle: 0.3, reset: 0.2 };
    const first = await run(policy);
    const faults = proxy.stats().faults;
    const expected = Array.from({ length: 40 }, (_, i) => plannedFault(policy, i + 1).fault ?? "ok").map((f) =>
      f === "throttle" ? "503" : f === "ok" ? "ok" : "ECONNRESET",
    );
    expect(first).toEqual(expected);
    expect(await run(policy)).toEqual(first);
    expect(await run({ ...policy, seed: 43 })).not.toEqual(first);
    // The proxy's counters agree with the plan, and the plan injects both kinds at about their rates.
    const planned = (kind: string) => expected.filter((e) => e === kind).length;
    expect([faults.throttle, faults["reset-before-headers"] + faults["reset-mid-body"]]).toEqual([
      planned("503"),
      planned("ECONNRESET"),
    ]);
    expect(planned("503")).toBeGreaterThan(5);
    expect(planned("ECONNRESET")).toBeGreaterThan(1);
  });
});
