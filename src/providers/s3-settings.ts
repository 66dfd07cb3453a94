import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { Ask } from "./s3-posture.js";
import type { BucketPosture } from "./types.js";

const OWNER_TAGS = /^(owner|team|project|contact|responsable|proprietaire|service|costcenter)$/i;

/**
 * Object Ownership, default encryption, versioning, lifecycle, tags (an owner?), access logging
 * and region, into `p`. Each refused call leaves its fact "unknown". Returns whether the bucket
 * was never versioned: GetBucketVersioning answered, with no status at all (S3 keeps
 * `Suspended` once versioning was ever enabled), so no noncurrent version can exist.
 */
export async function readSettings(
  client: S3Client,
  Bucket: string,
  p: BucketPosture,
  ask: Ask,
  signal?: AbortSignal,
): Promise<{ neverVersioned: boolean }> {
  const o = { abortSignal: signal };
  const own = await ask("Object Ownership", () => client.send(new GetBucketOwnershipControlsCommand({ Bucket }), o));
  if ("value" in own)
    p.notes.push(`Object Ownership: ${own.value.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? "?"}`);

  const enc = await ask("default encryption", () => client.send(new GetBucketEncryptionCommand({ Bucket }), o));
  if ("unknown" in enc) p.encryption = "unknown";
  else {
    const rule = "value" in enc ? enc.value.ServerSideEncryptionConfiguration?.Rules?.[0] : undefined;
    const algo = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
    p.encryption = algo === "AES256" ? "SSE-S3" : algo?.startsWith("aws:kms") ? "SSE-KMS" : (algo ?? "none");
  }

  const ver = await ask("versioning", () => client.send(new GetBucketVersioningCommand({ Bucket }), o));
  const status = "value" in ver ? ver.value.Status : undefined;
  p.versioning =
    "unknown" in ver ? "unknown" : status === "Enabled" ? "enabled" : status === "Suspended" ? "suspended" : "off";

  const life = await ask("lifecycle", () => client.send(new GetBucketLifecycleConfigurationCommand({ Bucket }), o));
  p.lifecycle = "value" in life ? (life.value.Rules?.length ?? 0) > 0 : "notSet" in life ? false : "unknown";

  const tags = await ask("tags", () => client.send(new GetBucketTaggingCommand({ Bucket }), o));
  const keys = "value" in tags ? (tags.value.TagSet ?? []).map((t) => t.Key ?? "") : [];
  p.ownerTag = "unknown" in tags ? "unknown" : keys.some((k) => OWNER_TAGS.test(k));

  const log = await ask("access logging", () => client.send(new GetBucketLoggingCommand({ Bucket }), o));
  const region = await ask("region", () => client.send(new GetBucketLocationCommand({ Bucket }), o));
  const logging =
    "value" in log ? (log.value.LoggingEnabled ? `to ${log.value.LoggingEnabled.TargetBucket}` : "off") : "unknown";
  const where = "value" in region ? region.value.LocationConstraint || "us-east-1" : "unknown";
  const lifecycle = p.lifecycle === true ? "on" : p.lifecycle === false ? "off" : "unknown";
  p.notes.push(
    `encryption ${p.encryption}, versioning ${p.versioning}, lifecycle ${lifecycle}, tags: ${keys.join(", ") || "none"}`,
    `access logging ${logging}, region ${where}`,
  );
  return { neverVersioned: "value" in ver && ver.value.Status === undefined };
}
