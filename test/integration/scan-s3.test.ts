import { describe, expect, inject, it } from "vitest";
import { EXIT, exitCodeFor } from "../../src/cli/exit-codes.js";
import { startLocalS3 } from "../../src/demo/s3rver.js";
import { patientCsv, seededRandom } from "../../src/demo/synthetic.js";
import { adminClient, bucketName, createBucketWith } from "../helpers/s3.js";
import { s3Settings, scanTargets } from "../helpers/scan.js";
import { schemaErrors } from "../helpers/schema.js";

const server = inject("servers").s3rver;
const admin = adminClient(server);

describe("scan over S3 (s3rver)", () => {
  it("finds planted NIRs with ranged head reads and writes a report that matches the schema", async () => {
    const rng = seededRandom(7);
    const csv = patientCsv(rng, 50);
    const big = Buffer.concat([
      Buffer.from(csv.text),
      Buffer.alloc(3 * 1024 * 1024, 0x20),
      Buffer.from("185057800608491\n"),
    ]);
    const name = bucketName("scan");
    await createBucketWith(admin, name, [
      { key: "export/patients.csv", body: Buffer.from(csv.text, "latin1") },
      { key: "export/big.txt", body: big },
      { key: "empty.txt", body: Buffer.alloc(0) },
    ]);
    const report = await scanTargets([`s3://${name}`], { sampleBytes: 1024 * 1024 }, s3Settings(server));
    expect(schemaErrors(report)).toBe("");
    const [bucket] = report.buckets;
    expect(bucket?.coverage).toMatchObject({ listed: 3, scanned: 2, partial: 1, skipped: 0, complete: true });
    const patients = bucket?.objects.find((o) => o.key === "export/patients.csv");
    expect(patients?.findings.find((f) => f.ruleId === "fr-nir")).toMatchObject({ count: 50, distinct: 50 });
    const head = bucket?.objects.find((o) => o.key === "export/big.txt");
    // Only the first MiB was read: the NIR planted after 3 MiB is not seen, and the report says so.
    expect(head).toMatchObject({ coverage: "partial", reason: "head 1 MiB of 3.0 MiB", bytesRead: 1024 * 1024 });
    expect(head?.findings.find((f) => f.ruleId === "fr-nir")?.count).toBe(50);
    expect(bucket?.totals.distinctPersons).toBe(50);
  });

  it("reads every byte with exhaustive mode and finds what lies beyond the head", async () => {
    const name = bucketName("exh");
    const body = Buffer.concat([Buffer.alloc(3 * 1024 * 1024, 0x41), Buffer.from(" 185057800608491 ")]);
    await createBucketWith(admin, name, [{ key: "tail.txt", body }]);
    const report = await scanTargets([`s3://${name}`], { exhaustive: true }, s3Settings(server));
    expect(report.buckets[0]?.objects.at(0)).toMatchObject({ coverage: "scanned", bytesRead: body.length });
    expect(report.buckets[0]?.objects.at(0)?.findings.find((f) => f.ruleId === "fr-nir")?.count).toBe(1);
  });

  it("scans every bucket the credentials can list with s3://", async () => {
    const name = bucketName("all");
    await createBucketWith(admin, name, [{ key: "a.txt", body: Buffer.from("x") }]);
    const report = await scanTargets(["s3://"], {}, s3Settings(server));
    expect(report.buckets.map((b) => b.url)).toContain(`s3://${name}`);
  });

  it("reports a missing bucket as a target error and exits 3", async () => {
    const report = await scanTargets(["s3://reliquat-missing-bucket"], {}, s3Settings(server));
    expect(report.buckets).toEqual([]);
    expect(report.errors).toEqual([
      {
        target: "s3://reliquat-missing-bucket",
        message: expect.stringMatching(/reliquat-missing-bucket.*does not exist \(NoSuchBucket/),
      },
    ]);
    expect(exitCodeFor(report, "high", false)).toBe(EXIT.incomplete);
  });

  it("stops listing at --max-objects and says so", async () => {
    const name = bucketName("max");
    await createBucketWith(
      admin,
      name,
      Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, body: Buffer.from("x") })),
    );
    const report = await scanTargets([`s3://${name}`], { maxObjects: 5 }, s3Settings(server));
    expect(report.buckets[0]?.coverage).toMatchObject({
      listed: 5,
      scanned: 5,
      truncated: expect.stringMatching(/after 5 objects/),
    });
  });

  it("survives a server that dies mid-scan: coverage says why, exit code 3", async () => {
    const local = await startLocalS3();
    try {
      const client = adminClient({ endpoint: local.endpoint, ...local.credentials });
      const name = bucketName("dies");
      await createBucketWith(
        client,
        name,
        Array.from({ length: 400 }, (_, i) => ({
          key: `o${String(i).padStart(4, "0")}`,
          body: Buffer.from(`185057800608491 ${i}`),
        })),
      );
      client.destroy();
      let seen = 0;
      const report = await scanTargets(
        [`s3://${name}`],
        { concurrency: 2, failOn: "never" },
        { ...s3Settings({ endpoint: local.endpoint, ...local.credentials }), pageSize: 50, requestTimeoutMs: 2000 },
        { onObject: () => void (++seen === 20 && local.child.kill("SIGKILL")) },
      );
      const bucket = report.buckets[0];
      expect(bucket?.coverage.complete).toBe(false);
      expect(bucket?.coverage.errors.join()).toMatch(/listing bucket .* failed: server unreachable/);
      expect(bucket?.coverage.listed).toBeLessThan(400);
      expect(bucket?.coverage.listed).toBe(
        (bucket?.coverage.scanned ?? 0) + (bucket?.coverage.skipped ?? 0) + (bucket?.coverage.partial ?? 0),
      );
      expect(report.summary.complete).toBe(false);
      expect(exitCodeFor(report, "never", false)).toBe(EXIT.incomplete);
    } finally {
      await local.stop();
    }
  });
});
