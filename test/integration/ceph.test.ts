/**
 * Access control against a real S3 server that enforces it: Ceph RGW (s3rver does not).
 * Skipped, with the install command in the test name, when Ceph is not installed.
 */
import { PutBucketAclCommand, PutBucketPolicyCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { describe, expect, inject, it } from "vitest";
import { EXIT, exitCodeFor } from "../../src/cli/exit-codes.js";
import { createS3Provider } from "../../src/providers/s3.js";
import { SETUP_HINT } from "../global-setup.js";
import { adminClient, bucketName, createBucketWith } from "../helpers/s3.js";
import { s3Settings, scanTargets } from "../helpers/scan.js";
import { runConformance } from "./conformance.js";

const { ceph } = inject("servers");
const suffix = ceph ? "" : ` [SKIPPED: Ceph RGW missing; install with: ${SETUP_HINT}]`;

describe.skipIf(!ceph)(`Ceph RGW${suffix}`, () => {
  if (!ceph) return;
  const admin = adminClient(ceph);
  const ref = (name: string) => ({ provider: "s3", name, url: `s3://${name}` });

  runConformance("s3 over HTTP (Ceph RGW)", {
    provider: () => createS3Provider(s3Settings(ceph)),
    async createBucket(objects) {
      const name = bucketName("conf");
      await createBucketWith(admin, name, objects);
      return ref(name);
    },
    missingBucket: () => ref("no-such-bucket-here"),
    endpoint: ceph.endpoint,
    providerVia: (endpoint) => createS3Provider(s3Settings(ceph, { endpoint, pageSize: 100, maxAttempts: 1 })),
  });

  it("reads posture: a public-read bucket ACL means anyone can list", async () => {
    const open = bucketName("open");
    const closed = bucketName("closed");
    await createBucketWith(admin, open, []);
    await createBucketWith(admin, closed, []);
    await admin.send(new PutBucketAclCommand({ Bucket: open, ACL: "public-read" }));
    const provider = createS3Provider(s3Settings(ceph));
    expect(await provider.describeBucket(ref(open))).toMatchObject({ publicList: true });
    expect(await provider.describeBucket(ref(closed))).toMatchObject({ publicList: false, publicRead: "unknown" });
  });

  it("reads posture: a bucket policy granting * makes objects public", async () => {
    const name = bucketName("policy");
    await createBucketWith(admin, name, []);
    const policy = {
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${name}/*` }],
    };
    await admin.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify(policy) }));
    const posture = await createS3Provider(s3Settings(ceph)).describeBucket(ref(name));
    expect(posture.publicRead).toBe(true);
    expect(posture.notes).toContain("bucket policy is public");
  });

  it("scans anonymously (--no-sign-request): reads public objects, records private ones as access denied", async () => {
    const name = bucketName("anon");
    await createBucketWith(admin, name, [{ key: "private/secret.csv", body: Buffer.from("nir;185057800608491\n") }]);
    await admin.send(new PutBucketAclCommand({ Bucket: name, ACL: "public-read" }));
    await admin.send(
      new PutObjectCommand({
        Bucket: name,
        Key: "public/export.csv",
        Body: "nir;269054958815780\n",
        ACL: "public-read",
      }),
    );
    const report = await scanTargets(
      [`s3://${name}`],
      { failOn: "never" },
      { endpoint: ceph.endpoint, noSignRequest: true, maxAttempts: 1 },
    );
    const objects = report.buckets[0]?.objects ?? [];
    expect(objects.find((o) => o.key === "public/export.csv")).toMatchObject({ coverage: "scanned" });
    expect(objects.find((o) => o.key === "public/export.csv")?.findings[0]?.count).toBe(1);
    expect(objects.find((o) => o.key === "private/secret.csv")).toMatchObject({
      coverage: "skipped",
      error: true,
      reason: expect.stringMatching(/access denied \(AccessDenied, HTTP 403\)/),
    });
    expect(exitCodeFor(report, "never", false)).toBe(EXIT.incomplete);
  });

  it("reports a private bucket refused to anonymous listing as a target error", async () => {
    const name = bucketName("priv");
    await createBucketWith(admin, name, [{ key: "a.txt", body: Buffer.from("x") }]);
    const report = await scanTargets(
      [`s3://${name}`],
      {},
      { endpoint: ceph.endpoint, noSignRequest: true, maxAttempts: 1 },
    );
    expect(report.errors).toEqual([{ target: `s3://${name}`, message: expect.stringMatching(/access denied/) }]);
    expect(exitCodeFor(report, "high", false)).toBe(EXIT.incomplete);
  });

  it("lists keys holding a carriage return, a plus, spaces and a percent intact (EncodingType=url)", async () => {
    const name = bucketName("keys");
    const keys = ["a\rb.csv", "a+b c.csv", "100% sure.csv", "é/ü\u0001.csv"];
    await createBucketWith(
      admin,
      name,
      keys.map((key) => ({ key, body: Buffer.from("nir;185057800608491\n") })),
    );
    const report = await scanTargets([`s3://${name}`], { failOn: "never" }, s3Settings(ceph));
    const objects = [...(report.buckets[0]?.objects ?? [])];
    expect(objects.map((o) => o.key).sort()).toEqual([...keys].sort());
    // Read back under the same key: a key altered by the XML listing would end NoSuchKey.
    expect(objects.map((o) => [o.coverage, o.distinctPersons])).toEqual(keys.map(() => ["scanned", 1]));
  });

  it("refuses wrong credentials with a clear access-denied error", async () => {
    const report = await scanTargets(
      ["s3://"],
      {},
      { endpoint: ceph.endpoint, credentials: { accessKeyId: "nobody", secretAccessKey: "wrong" }, maxAttempts: 1 },
    );
    expect(report.errors[0]?.message).toMatch(/listing buckets failed: access denied \(InvalidAccessKeyId/);
  });
});
