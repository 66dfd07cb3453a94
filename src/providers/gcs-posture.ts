import type { Bucket } from "@google-cloud/storage";
import { describeFacts, errorCode, restErrorFacts as facts } from "./errors.js";
import { countGcsResidue } from "./gcs-residue.js";
import { applyProbe, probeOutcome } from "./probe.js";
import { once, type Retried } from "./retry.js";
import type { BucketPosture, Tri } from "./types.js";

const OWNER_LABELS = /^(owner|team|project|contact|responsable|proprietaire|service)$/i;
const PUBLIC = new Set(["allUsers", "allAuthenticatedUsers"]);
const LISTS = /objectViewer|objectAdmin|legacyBucket(Reader|Writer|Owner)|roles\/storage\.admin$/;
const READS = /objectViewer|objectAdmin|legacyObject(Reader|Owner)|roles\/storage\.admin$/;

/**
 * Reads a bucket's posture with read-only calls: bucket metadata (public access prevention,
 * uniform bucket-level access, versioning, lifecycle, labels, retention, soft delete, default
 * KMS key), the IAM policy's grants to allUsers / allAuthenticatedUsers, the default object ACL
 * when uniform access is off, and an anonymous probe. A refused call makes its fact "unknown".
 */
export async function describeGcsPosture(
  signed: Bucket,
  anonymous: Bucket,
  signal?: AbortSignal,
  retried: Retried = once(signal),
): Promise<BucketPosture> {
  const p: BucketPosture = { publicRead: "unknown", publicList: "unknown", authenticatedUsers: "unknown", notes: [] };
  const unknown = (what: string, cause: unknown) => {
    signal?.throwIfAborted();
    p.notes.push(`${what} unknown (${describeFacts(facts(cause))})`);
  };
  let prevention: string | undefined;
  let uniform: boolean | undefined;
  try {
    // https://cloud.google.com/storage/docs/json_api/v1/buckets/get
    const [m] = await retried(() => signed.getMetadata());
    prevention = m.iamConfiguration?.publicAccessPrevention;
    uniform = m.iamConfiguration?.uniformBucketLevelAccess?.enabled;
    p.versioning = m.versioning?.enabled ? "enabled" : "off";
    p.lifecycle = (m.lifecycle?.rule?.length ?? 0) > 0;
    p.ownerTag = Object.keys(m.labels ?? {}).some((k) => OWNER_LABELS.test(k));
    p.encryption = m.encryption?.defaultKmsKeyName ? "CMEK" : "provider-managed";
    const soft = Number(m.softDeletePolicy?.retentionDurationSeconds ?? 0);
    p.notes.push(
      `public access prevention: ${prevention ?? "unspecified"}`,
      `uniform bucket-level access: ${uniform ? "on" : "off"}`,
      `location ${m.location ?? "?"}, labels: ${Object.keys(m.labels ?? {}).join(", ") || "none"}`,
      soft > 0 ? `soft delete keeps deleted objects ${Math.round(soft / 86_400)} day(s)` : "soft delete off",
    );
    if (m.retentionPolicy) p.notes.push(`retention policy: ${m.retentionPolicy.retentionPeriod ?? "?"} s`);
  } catch (cause) {
    unknown("bucket metadata", cause);
  }
  const grants = { read: false as Tri, list: false as Tri, authenticated: false as Tri };
  try {
    // https://cloud.google.com/storage/docs/json_api/v1/buckets/getIamPolicy
    const [policy] = await retried(() => signed.iam.getPolicy({ requestedPolicyVersion: 3 }));
    for (const b of policy.bindings ?? []) {
      const members = (b.members ?? []).filter((m: string) => PUBLIC.has(m));
      if (members.length === 0) continue;
      p.notes.push(`IAM grants ${b.role} to ${members.join(", ")}`);
      if (members.includes("allAuthenticatedUsers")) grants.authenticated = true;
      if (members.includes("allUsers")) {
        if (LISTS.test(b.role ?? "")) grants.list = true;
        if (READS.test(b.role ?? "")) grants.read = true;
      }
    }
  } catch (cause) {
    Object.assign(grants, { read: "unknown", list: "unknown", authenticated: "unknown" });
    unknown("IAM policy", cause);
  }
  if (uniform === false) await defaultAcl(signed, grants, p, unknown, retried);
  if (prevention === "enforced") {
    p.notes.push("public access prevention is enforced: no public grant takes effect");
    Object.assign(grants, { read: false, list: false, authenticated: false });
  }
  Object.assign(p, { publicRead: grants.read, publicList: grants.list, authenticatedUsers: grants.authenticated });
  p.residue = await countGcsResidue(signed, p.notes, signal, retried);
  await probe(signed, anonymous, p, retried, signal);
  return p;
}

async function defaultAcl(
  signed: Bucket,
  grants: { read: Tri },
  p: BucketPosture,
  unknown: (w: string, c: unknown) => void,
  retried: Retried,
) {
  try {
    // Fine-grained access: new objects get the default ACL; allUsers there makes them public.
    const [entries] = await retried(() => signed.acl.default.get());
    const list = Array.isArray(entries) ? entries : [entries];
    if (list.some((e: { entity?: string }) => e.entity === "allUsers")) {
      grants.read = true;
      p.notes.push("default object ACL grants allUsers");
    }
  } catch (cause) {
    if (grants.read === false) grants.read = "unknown";
    unknown("default object ACL", cause);
  }
}

/** Unsigned list and read of one object; what they show wins over what the configuration says. */
async function probe(signed: Bucket, anonymous: Bucket, p: BucketPosture, retried: Retried, signal?: AbortSignal) {
  const outcome = (call: () => Promise<unknown>) =>
    probeOutcome(call, (c) => errorCode(facts(c)), ["access-denied"], signal);
  const list = await outcome(() => retried(() => anonymous.getFiles({ maxResults: 1, autoPaginate: false })));
  const [files] = await retried(() => signed.getFiles({ maxResults: 1, autoPaginate: false })).catch(() => [[]]);
  const first = (files as { name: string }[])[0]?.name;
  // objects.get of the metadata needs the same permission as the data (storage.objects.get), and reads no bytes.
  const read = first ? await outcome(() => retried(() => anonymous.file(first).getMetadata())) : "unknown";
  applyProbe(p, list, read, first !== undefined);
}
