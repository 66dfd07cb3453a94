/**
 * The full S3 posture against Ceph RGW, which implements the posture APIs (s3rver does not):
 * Block Public Access, ACLs, policies, versioning, lifecycle, tags, residue, the anonymous probe.
 * Skipped, with the install command in the test name, when Ceph is not installed.
 */
import {
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  PutBucketAclCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutPublicAccessBlockCommand,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { describe, expect, inject, it } from "vitest";
import { seededRandom, syntheticNir } from "../../src/demo/synthetic.js";
import { createS3Provider } from "../../src/providers/s3.js";
import { SETUP_HINT } from "../global-setup.js";
import { startFaultProxy } from "../helpers/fault-proxy.js";
import { adminClient, bucketName, createBucketWith } from "../helpers/s3.js";
import { s3Settings, scanTargets } from "../helpers/scan.js";

const { ceph } = inject("servers");
const suffix = ceph ? "" : ` [SKIPPED: Ceph RGW missing; install with: ${SETUP_HINT}]`;

describe.skipIf(!ceph)(`S3 posture on Ceph RGW${suffix}`, () => {
  if (!ceph) return;
  const admin = adminClient(ceph);
  const ref = (name: string) => ({ provider: "s3", name, url: `s3://${name}` });
  const describeBucket = (name: string) => createS3Provider(s3Settings(ceph)).describeBucket(ref(name));

  it("a private bucket: the anonymous probe is refused and agrees with the ACL", async () => {
    const name = bucketName("private");
    await createBucketWith(admin, name, [{ key: "export.csv", body: Buffer.from("nom;nir\n") }]);
    const p = await describeBucket(name);
    expect(p).toMatchObject({ publicRead: false, publicList: false, authenticatedUsers: false, crossAccount: false });
    expect(p.notes).toContain("anonymous probe: list refused, read refused");
    expect(p).toMatchObject({ versioning: "off", lifecycle: false, ownerTag: false });
  });

  it("a public-read bucket and object: ACL, posture and probe agree", async () => {
    const name = bucketName("public");
    await createBucketWith(admin, name, []);
    await admin.send(new PutBucketAclCommand({ Bucket: name, ACL: "public-read" }));
    await admin.send(new PutObjectCommand({ Bucket: name, Key: "a.csv", Body: "x", ACL: "public-read" }));
    const p = await describeBucket(name);
    expect(p).toMatchObject({ publicRead: true, publicList: true });
    expect(p.notes).toContain("bucket ACL grants AllUsers READ (anyone can list)");
    expect(p.notes).toContain("anonymous probe: list allowed, read allowed");
  });

  it("an authenticated-read bucket grants any account", async () => {
    const name = bucketName("authread");
    await createBucketWith(admin, name, []);
    await admin.send(new PutBucketAclCommand({ Bucket: name, ACL: "authenticated-read" }));
    const p = await describeBucket(name);
    expect(p.authenticatedUsers).toBe(true);
  });

  it("reads a policy's public statements and the accounts it names", async () => {
    const name = bucketName("policy");
    await createBucketWith(admin, name, []);
    const policy = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Principal: "*", Action: ["s3:ListBucket"], Resource: `arn:aws:s3:::${name}` },
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::123456789012:root" },
          Action: "s3:GetObject",
          Resource: `arn:aws:s3:::${name}/*`,
        },
      ],
    };
    await admin.send(new PutBucketPolicyCommand({ Bucket: name, Policy: JSON.stringify(policy) }));
    const p = await describeBucket(name);
    expect(p).toMatchObject({ publicList: true, crossAccount: true });
    expect(p.notes).toContain("bucket policy names AWS account(s) 123456789012 (cross-account unless yours)");
  });

  it("Block Public Access makes a public ACL ineffective, and says so", async () => {
    const name = bucketName("blocked");
    await createBucketWith(admin, name, []);
    await admin.send(new PutBucketAclCommand({ Bucket: name, ACL: "public-read" }));
    await admin.send(
      new PutPublicAccessBlockCommand({
        Bucket: name,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    const p = await describeBucket(name);
    expect(p.notes).toContain("Block Public Access ignores these public ACL grants");
    expect(p.notes.find((n) => n.startsWith("Block Public Access (bucket)"))).toMatch(/IgnorePublicAcls/);
  });

  it("versioning, lifecycle, owner tags and hidden residue: noncurrent versions, delete markers, unfinished uploads", async () => {
    const name = bucketName("residue");
    await createBucketWith(admin, name, []);
    await admin.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Enabled" } }));
    await admin.send(
      new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [{ Key: "owner", Value: "dsi" }] } }),
    );
    await admin.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: name,
        LifecycleConfiguration: {
          Rules: [{ ID: "expire", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 30 } }],
        },
      }),
    );
    for (const body of ["v1 patients", "v2 patients!"])
      await admin.send(new PutObjectCommand({ Bucket: name, Key: "export.csv", Body: body }));
    await admin.send(new DeleteObjectCommand({ Bucket: name, Key: "export.csv" }));
    const upload = await admin.send(new CreateMultipartUploadCommand({ Bucket: name, Key: "dump.sql" }));
    await admin.send(
      new UploadPartCommand({
        Bucket: name,
        Key: "dump.sql",
        UploadId: upload.UploadId,
        PartNumber: 1,
        Body: Buffer.alloc(1000, 1),
      }),
    );
    const p = await describeBucket(name);
    expect(p).toMatchObject({ versioning: "enabled", lifecycle: true, ownerTag: true });
    expect(p.residue).toEqual({ noncurrentVersions: 2, deleteMarkers: 1, unfinishedUploads: 1, bytes: 11 + 12 + 1000 });
  });

  it("a bucket never versioned is not listed again for versions; a suspended one is, and its noncurrent version counted", async () => {
    const proxy = await startFaultProxy(ceph.endpoint, "s3");
    try {
      const versionListings: string[] = [];
      proxy.set({
        hang: (req) => {
          if (new URL(req.url, "http://x").searchParams.has("versions")) versionListings.push(req.url);
          return false;
        },
      });
      const viaProxy = createS3Provider(s3Settings({ ...ceph, endpoint: proxy.endpoint }));
      const plain = bucketName("neverver");
      await createBucketWith(admin, plain, [{ key: "a.csv", body: Buffer.from("x") }]);
      const never = await viaProxy.describeBucket(ref(plain));
      expect([never.versioning, never.residue?.noncurrentVersions, versionListings.length]).toEqual(["off", 0, 0]);
      expect(never.notes.some((n) => n.endsWith("versions not listed: never versioned"))).toBe(true);

      const suspended = bucketName("suspended");
      await createBucketWith(admin, suspended, []);
      const status = (Status: "Enabled" | "Suspended") =>
        admin.send(new PutBucketVersioningCommand({ Bucket: suspended, VersioningConfiguration: { Status } }));
      await status("Enabled");
      for (const body of ["v1", "v2"])
        await admin.send(new PutObjectCommand({ Bucket: suspended, Key: "a.csv", Body: body }));
      await status("Suspended");
      const p = await viaProxy.describeBucket(ref(suspended));
      expect([p.versioning, p.residue?.noncurrentVersions]).toEqual(["suspended", 1]);
      expect(versionListings).toHaveLength(1);
      await viaProxy.close?.();
    } finally {
      await proxy.close();
    }
  });

  it("--include-versions finds a NIR that survives only in a noncurrent version", async () => {
    const name = bucketName("versions");
    await createBucketWith(admin, name, []);
    await admin.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: "Enabled" } }));
    const nir = syntheticNir(seededRandom(77));
    await admin.send(new PutObjectCommand({ Bucket: name, Key: "export.csv", Body: `nom;nir\nDUPONT;${nir}\n` }));
    await admin.send(new PutObjectCommand({ Bucket: name, Key: "export.csv", Body: "nom;nir\n(vidé)\n" }));
    const s3 = s3Settings(ceph);
    const plain = await scanTargets([`s3://${name}`], {}, s3);
    expect(plain.buckets[0]?.totals.findings).toBe(0);
    expect(plain.buckets[0]?.posture.residue?.noncurrentVersions).toBe(1);
    const deep = await scanTargets([`s3://${name}`], { includeVersions: true }, s3);
    const old = deep.buckets[0]?.objects.find((o) => o.versionId);
    expect(deep.buckets[0]?.coverage.listed).toBe(2);
    expect(old?.url).toMatch(new RegExp(`^s3://${name}/export\\.csv\\?versionId=`));
    expect(old?.findings.find((f) => f.ruleId === "fr-nir")?.count).toBe(1);
  });
});
