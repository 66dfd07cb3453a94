import {
  GetBucketAclCommand,
  GetBucketPolicyCommand,
  GetBucketPolicyStatusCommand,
  GetPublicAccessBlockCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { AccountBlock } from "./s3-account.js";
import { describeS3Error, s3ErrorCode } from "./s3-errors.js";
import { grantsOf, policyFacts } from "./s3-policy.js";
import { probeS3 } from "./s3-probe.js";
import { countResidue } from "./s3-residue.js";
import { readSettings } from "./s3-settings.js";
import type { BucketPosture } from "./types.js";

/** Error names meaning "this bucket has no such configuration": a fact, not a failure. */
const NOT_SET = new Set([
  "NoSuchBucketPolicy",
  "NoSuchLifecycleConfiguration",
  "NoSuchTagSet",
  "NoSuchPublicAccessBlockConfiguration",
  "OwnershipControlsNotFoundError",
  "ServerSideEncryptionConfigurationNotFoundError",
  "NoSuchBucketEncryption",
]);

/** A posture call's outcome: a value, "not set" (a 404 NoSuch… answer), or unknown (refused, failed). */
export type Answer<T> = { value: T } | { notSet: true } | { unknown: string };
export type Ask = <T>(what: string, call: () => Promise<T>) => Promise<Answer<T>>;

/**
 * The S3 posture, read-only: Block Public Access (bucket and account level), ACL grants (AllUsers,
 * AuthenticatedUsers), policy status and the policy's principals, then the settings
 * (s3-settings.ts), hidden residue (s3-residue.ts) and an anonymous probe (s3-probe.ts).
 * "Not set" answers are facts; refused calls make their fact "unknown", never "private".
 */
export async function describeS3Posture(
  client: S3Client,
  anonymous: S3Client,
  Bucket: string,
  account: AccountBlock,
  signal?: AbortSignal,
): Promise<BucketPosture> {
  const p: BucketPosture = { publicRead: "unknown", publicList: "unknown", authenticatedUsers: "unknown", notes: [] };
  const o = { abortSignal: signal };
  const ask: Ask = async (what, call) => {
    try {
      return { value: await call() };
    } catch (cause) {
      signal?.throwIfAborted();
      if (NOT_SET.has((cause as Error).name)) return { notSet: true };
      const why = describeS3Error(cause);
      // Some servers answer a missing configuration with a bare 404.
      if (s3ErrorCode(cause) === "not-found" && what !== "bucket ACL") return { notSet: true };
      p.notes.push(`${what} unknown (${why})`);
      return { unknown: why };
    }
  };

  const block = await ask("Block Public Access", () => client.send(new GetPublicAccessBlockCommand({ Bucket }), o));
  const bucketLevel: Record<string, unknown> =
    "value" in block ? { ...block.value.PublicAccessBlockConfiguration } : {};
  const on = (settings: Record<string, unknown>) => Object.keys(settings).filter((k) => settings[k] === true);
  if (!("unknown" in block))
    p.notes.push(
      `Block Public Access (bucket): ${"value" in block ? on(bucketLevel).join(", ") || "all off" : "not set"}`,
    );
  // The account-level settings override the bucket's: either one set is enough.
  const accountLevel: Record<string, unknown> = "settings" in account ? account.settings : {};
  p.notes.push(
    "settings" in account
      ? `Block Public Access (account ${account.account}): ${on(accountLevel).join(", ") || "all off"}`
      : `Block Public Access (account): ${account.unknown}`,
  );
  const bpa = {
    IgnorePublicAcls: bucketLevel.IgnorePublicAcls === true || accountLevel.IgnorePublicAcls === true,
    RestrictPublicBuckets: bucketLevel.RestrictPublicBuckets === true || accountLevel.RestrictPublicBuckets === true,
  };

  const acl = await ask("bucket ACL", () => client.send(new GetBucketAclCommand({ Bucket }), o));
  if ("value" in acl) {
    const g = grantsOf(acl.value, bpa.IgnorePublicAcls === true);
    Object.assign(p, { publicList: g.allUsersList, authenticatedUsers: g.authenticated });
    p.notes.push(...g.notes);
  }
  const restricted = bpa.RestrictPublicBuckets === true;
  const status = await ask("bucket policy status", () => client.send(new GetBucketPolicyStatusCommand({ Bucket }), o));
  if ("value" in status) {
    const isPublic = status.value.PolicyStatus?.IsPublic === true;
    if (isPublic && !restricted) p.publicRead = true;
    p.notes.push(isPublic ? "bucket policy is public" : "bucket policy is not public");
  }
  const policy = await ask("bucket policy", () => client.send(new GetBucketPolicyCommand({ Bucket }), o));
  if ("value" in policy) {
    const f = policyFacts(policy.value.Policy ?? "{}", restricted);
    if (f.publicRead) p.publicRead = true;
    if (f.publicList) p.publicList = true;
    p.crossAccount = f.accounts.length > 0;
    p.notes.push(...f.notes);
  } else if ("notSet" in policy) {
    p.crossAccount = false;
    p.notes.push("no bucket policy");
  }

  const { neverVersioned } = await readSettings(client, Bucket, p, ask, signal);
  p.residue = await countResidue(client, Bucket, p.notes, signal, neverVersioned);
  await probeS3(client, anonymous, Bucket, p, signal);
  return p;
}
