/**
 * Incremental runs on a state file, against s3rver behind the counting proxy: a rerun of an
 * unchanged bucket reads nothing and reports the same; a change, a deletion and an addition
 * are read (only they), and told as changes; persons count once across carried-forward and
 * fresh objects; other result parameters read everything again.
 */
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { parseConfig } from "../../src/config/load.js";
import { seededRandom, syntheticNir } from "../../src/demo/synthetic.js";
import { parseTarget } from "../../src/providers/index.js";
import { BUILTIN_RULES_DIR, loadRules } from "../../src/rules/load.js";
import { scan } from "../../src/scan.js";
import { type FaultProxy, startFaultProxy } from "../helpers/fault-proxy.js";
import { adminClient, bucketName, createBucketWith } from "../helpers/s3.js";
import { comparable, scanWithState, stateFile } from "../helpers/state.js";

const server = inject("servers").s3rver;
const rng = seededRandom(13);
const nirs = Array.from({ length: 12 }, () => syntheticNir(rng));
const OBJECTS = 24;
const body = (i: number) => Buffer.from(`nom;nir;bilan\nPATIENT ${i};${nirs[i % 12]};glycémie à jeun\n`);

describe("incremental runs on a state file (s3rver)", () => {
  let client: S3Client;
  let proxy: FaultProxy;
  const bucket = bucketName("state");
  const settings = () => ({
    s3: {
      endpoint: proxy.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    },
  });
  beforeAll(async () => {
    client = adminClient(server);
    const objects = Array.from({ length: OBJECTS }, (_, i) => ({
      key: `export/${String(i).padStart(3, "0")}.csv`,
      body: body(i),
    }));
    await createBucketWith(client, bucket, objects);
    proxy = await startFaultProxy(server.endpoint, "s3");
  });
  afterAll(async () => {
    client.destroy();
    await proxy.close();
  });

  it("reads nothing again on an unchanged bucket and reports the same, each object carried forward", async () => {
    const file = await stateFile();
    proxy.set({});
    const first = await scanWithState(`s3://${bucket}`, file, settings());
    expect(proxy.stats().signedReads).toBe(OBJECTS);
    proxy.set({});
    const second = await scanWithState(`s3://${bucket}`, file, settings());
    expect(proxy.stats().signedReads).toBe(0);
    const b = second.buckets[0];
    expect(b?.coverage.carriedForward).toBe(OBJECTS);
    expect([...(b?.objects ?? [])].every((o) => o.carriedForward === true && typeof o.readAt === "string")).toBe(true);
    expect(first.buckets[0]?.totals.distinctPersons).toBe(12);
    expect(comparable(second)).toEqual(comparable(first));
    expect(second.changes?.counts).toEqual({ newFindings: 0, resolvedFindings: 0, removedObjects: 0 });
    expect(second.changes?.since).toBe(first.startedAt);
    // The first run on a state: every finding (a rule in an object) is new.
    const findings = [...(first.buckets[0]?.objects ?? [])].reduce((n, o) => n + o.findings.length, 0);
    expect(findings).toBeGreaterThanOrEqual(2 * OBJECTS);
    expect(first.changes?.counts.newFindings).toBe(findings);
    expect(first.changes?.since).toBeUndefined();
  });

  it("reads only what changed, and tells what changed; persons count once across old and new objects", async () => {
    const file = await stateFile();
    const name = bucketName("state-ch");
    await createBucketWith(
      client,
      name,
      Array.from({ length: 6 }, (_, i) => ({ key: `o${i}.csv`, body: body(i) })),
    );
    await scanWithState(`s3://${name}`, file, settings());
    // o0 now holds nothing, o1 is gone, o6 repeats o5's person and o7 brings a new one.
    await client.send(new PutObjectCommand({ Bucket: name, Key: "o0.csv", Body: "rien\n" }));
    await client.send(new DeleteObjectCommand({ Bucket: name, Key: "o1.csv" }));
    await client.send(new PutObjectCommand({ Bucket: name, Key: "o6.csv", Body: body(5) }));
    await client.send(new PutObjectCommand({ Bucket: name, Key: "o7.csv", Body: body(7) }));
    proxy.set({});
    const after = await scanWithState(`s3://${name}`, file, settings());
    expect(proxy.stats().signedReads).toBe(3);
    const b = after.buckets[0];
    expect(b?.coverage).toMatchObject({ listed: 7, carriedForward: 4, complete: true });
    // o2..o5 carried forward (4 persons), o6 repeats o5, o7 adds one: 5, as a fresh scan counts.
    const fresh = await scanWithState(`s3://${name}`, undefined, settings());
    expect(b?.totals.distinctPersons).toBe(5);
    expect(fresh.buckets[0]?.totals.distinctPersons).toBe(5);
    const c = after.changes;
    // Each object holds the same rules' findings (the NIR, the health term): as many per object.
    const perObject = [...(b?.objects ?? [])].find((o) => o.key === "o6.csv")?.findings.length ?? 0;
    expect(perObject).toBeGreaterThanOrEqual(2);
    expect(c?.counts).toEqual({ newFindings: 2 * perObject, resolvedFindings: 2 * perObject, removedObjects: 1 });
    const urls = (list: { url: string }[] = []) => [...new Set(list.map((f) => f.url))].sort();
    expect(urls(c?.newFindings)).toEqual([`s3://${name}/o6.csv`, `s3://${name}/o7.csv`]);
    expect(urls(c?.resolvedFindings)).toEqual([`s3://${name}/o0.csv`, `s3://${name}/o1.csv`]);
    expect(c?.removedObjects).toEqual([`s3://${name}/o1.csv`]);
  });

  it("reads everything again when a result-changing parameter changed (sampling)", async () => {
    const file = await stateFile();
    await scanWithState(`s3://${bucket}`, file, settings());
    proxy.set({});
    const resampled = await scanWithState(`s3://${bucket}`, file, settings(), { sampleBytes: 4096 });
    expect(proxy.stats().signedReads).toBe(OBJECTS);
    expect(resampled.buckets[0]?.coverage.carriedForward).toBe(0);
    proxy.set({});
    await scanWithState(`s3://${bucket}`, file, settings(), { sampleBytes: 4096, concurrency: 3 });
    // Concurrency does not change a result: nothing read.
    expect(proxy.stats().signedReads).toBe(0);
  });

  it("does not record a failed read: the object is read again next time", async () => {
    const file = await stateFile();
    const name = bucketName("state-err");
    await createBucketWith(client, name, [
      { key: "a.csv", body: body(1) },
      { key: "b.csv", body: body(2) },
    ]);
    // b.csv's reads hang; one attempt with a short deadline makes it an error at once.
    proxy.set({ hang: (req) => req.kind === "read" && req.url.includes("b.csv") });
    const failed = await scanWithState(`s3://${name}`, file, {
      s3: { ...settings().s3, requestTimeoutMs: 300, maxAttempts: 1 },
    });
    const objects = [...(failed.buckets[0]?.objects ?? [])];
    expect(objects.map((o) => [o.key, o.error === true])).toEqual([
      ["a.csv", false],
      ["b.csv", true],
    ]);
    proxy.set({});
    const again = await scanWithState(`s3://${name}`, file, settings());
    expect(proxy.stats().signedReads).toBe(1);
    expect(again.buckets[0]?.coverage).toMatchObject({ carriedForward: 1, scanned: 2, complete: true });
  });

  it("a prefix target neither removes the rest of the bucket nor resolves its findings, alone or before its bucket", async () => {
    const name = bucketName("scope");
    await createBucketWith(client, name, [
      { key: "export/a.csv", body: body(1) },
      { key: "other/b.csv", body: body(2) },
      { key: "other/c.csv", body: body(3) },
    ]);
    const file = await stateFile();
    const all = await scanWithState(`s3://${name}`, file, settings());
    const objects = [...(all.buckets[0]?.objects ?? [])];
    expect(objects.map((o) => [o.key, o.findings.some((f) => f.ruleId === "fr-nir")])).toEqual([
      ["export/a.csv", true],
      ["other/b.csv", true],
      ["other/c.csv", true],
    ]);
    const gone = objects.find((o) => o.key === "other/c.csv")?.findings.map((f) => f.id);

    const part = await scanWithState(`s3://${name}/export/`, file, settings());
    expect(part.changes?.counts).toEqual({ newFindings: 0, resolvedFindings: 0, removedObjects: 0 });
    const both = await scanWithState([`s3://${name}/export/`, `s3://${name}`], file, settings());
    expect(both.changes?.counts).toEqual({ newFindings: 0, resolvedFindings: 0, removedObjects: 0 });
    // Nothing was read again: the prefix run left the other objects in the state.
    proxy.set({});
    const again = await scanWithState(`s3://${name}`, file, settings());
    expect([proxy.stats().signedReads, again.buckets[0]?.coverage.carriedForward]).toEqual([0, 3]);

    // And a whole listing still tells what went.
    await client.send(new DeleteObjectCommand({ Bucket: name, Key: "other/c.csv" }));
    const after = await scanWithState(`s3://${name}`, file, settings());
    expect(after.changes?.counts.removedObjects).toBe(1);
    expect(after.changes?.removedObjects).toEqual([`s3://${name}/other/c.csv`]);
    expect(after.changes?.resolvedFindings.map((f) => f.id).sort()).toEqual(gone?.sort());
    expect(after.changes?.counts.resolvedFindings).toBe(gone?.length);
  });

  it("scans each object once when targets overlap (a prefix, its bucket, every bucket)", async () => {
    const name = bucketName("overlap");
    await createBucketWith(client, name, [
      { key: "export/a.csv", body: body(1) },
      { key: "export/b.csv", body: body(2) },
      { key: "other/c.csv", body: body(3) },
    ]);
    const rules = await loadRules();
    proxy.set({});
    const report = await scan({
      targets: [`s3://${name}/export/`, `s3://${name}`, `s3://${name}/other/`].map(parseTarget),
      config: { ...parseConfig({}, "overlap"), failOn: "never" },
      rules,
      ruleDirs: [BUILTIN_RULES_DIR],
      settings: settings(),
    });
    const keys = report.buckets.flatMap((b) => [...b.objects].map((o) => o.key)).sort();
    expect(keys).toEqual(["export/a.csv", "export/b.csv", "other/c.csv"]);
    expect(proxy.stats().signedReads).toBe(3);
  });
});
