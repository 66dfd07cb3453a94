import type { ContainerClient } from "@azure/storage-blob";
import type { AccountSettings } from "./azure-account.js";
import { countAzureResidue } from "./azure-residue.js";
import { describeFacts, errorCode, restErrorFacts as facts } from "./errors.js";
import { applyProbe, probeOutcome } from "./probe.js";
import { once, type Retried } from "./retry.js";
import type { BucketPosture, Tri } from "./types.js";

const OWNER_KEYS = /^(owner|team|project|contact|responsable|proprietaire|service)$/i;

/**
 * Reads a container's posture with read-only calls: its public access level and stored access
 * policies (Get Container ACL), its metadata (an owner?), the account's soft-delete setting, and
 * an anonymous probe (can an unsigned client list, or read one blob?). A refused call makes its
 * fact "unknown". Account settings that only the management plane shows (allowBlobPublicAccess,
 * versioning) stay "unknown": a data-plane reader cannot see them, and unknown is not safe.
 */
export async function describeAzurePosture(
  signed: ContainerClient,
  anonymous: ContainerClient,
  account: AccountSettings,
  signal?: AbortSignal,
  retried: Retried = once(signal),
): Promise<BucketPosture> {
  const posture: BucketPosture = {
    publicRead: "unknown",
    publicList: "unknown",
    authenticatedUsers: false,
    encryption: "provider-managed",
    versioning: "unknown",
    notes: [],
  };
  const unknown = (what: string, cause: unknown) => {
    signal?.throwIfAborted();
    posture.notes.push(`${what} unknown (${describeFacts(facts(cause))})`);
  };
  try {
    // https://learn.microsoft.com/rest/api/storageservices/get-container-acl
    const acl = await retried((s) => signed.getAccessPolicy({ abortSignal: s }));
    const level = acl.blobPublicAccess;
    posture.publicRead = level === "blob" || level === "container";
    posture.publicList = level === "container";
    posture.notes.push(`public access level: ${level ?? "none (private)"}`);
    const policies = acl.signedIdentifiers ?? [];
    if (policies.length > 0) {
      const expiries = policies.map((p) => p.accessPolicy?.expiresOn?.toISOString().slice(0, 10) ?? "no expiry");
      posture.notes.push(
        `${policies.length} stored access policy(ies) for SAS tokens (expiry: ${expiries.join(", ")})`,
      );
    }
  } catch (cause) {
    unknown("container ACL", cause);
  }
  try {
    const props = await retried((s) => signed.getProperties({ abortSignal: s }));
    const keys = Object.keys(props.metadata ?? {});
    posture.ownerTag = keys.some((k) => OWNER_KEYS.test(k));
    posture.notes.push(keys.length > 0 ? `metadata keys: ${keys.join(", ")}` : "no container metadata");
  } catch (cause) {
    posture.ownerTag = "unknown";
    unknown("container metadata", cause);
  }
  try {
    // Blob service properties need the account key or an account SAS; a container-scoped reader gets 403.
    const service = await retried((s) => signed.getBlobClient("_").getAccountInfo({ abortSignal: s }));
    posture.notes.push(`account kind ${service.accountKind ?? "?"}, SKU ${service.skuName ?? "?"}`);
  } catch {
    signal?.throwIfAborted();
  }
  applyAccount(posture, account);
  posture.residue = await countAzureResidue(signed, posture.notes, signal, retried);
  // Last: what an anonymous client actually gets wins over every setting.
  await probe(signed, anonymous, posture, retried, signal);
  return posture;
}

/** Unsigned list and read; overrides the declared level when they disagree (the probe is what attackers see). */
async function probe(
  signed: ContainerClient,
  anonymous: ContainerClient,
  posture: BucketPosture,
  retried: Retried,
  signal?: AbortSignal,
) {
  // Azure answers an anonymous request on a private container with 404 (ResourceNotFound) or 403.
  const outcome = (call: () => Promise<unknown>) =>
    probeOutcome(call, (c) => errorCode(facts(c)), ["access-denied", "not-found"], signal);
  const list: Tri = await outcome(() =>
    retried((s) => anonymous.listBlobsFlat({ abortSignal: s }).byPage({ maxPageSize: 1 }).next()),
  );
  let first: string | undefined;
  try {
    const page = await retried((s) => signed.listBlobsFlat({ abortSignal: s }).byPage({ maxPageSize: 1 }).next());
    first = page.value?.segment.blobItems[0]?.name;
  } catch {
    signal?.throwIfAborted();
  }
  // The status is the answer. Never read the body: a server may ignore the range.
  const read: Tri = first
    ? await outcome(() =>
        retried((s) =>
          anonymous
            .getBlobClient(first)
            .download(0, 1, { abortSignal: s, maxRetryRequests: 0 })
            .then((r) => (r.readableStreamBody as { destroy?: () => void } | undefined)?.destroy?.()),
        ),
      )
    : "unknown";
  applyProbe(posture, list, read, first !== undefined);
}

/** The account's settings (management plane) over the container's: a disallowed public access wins. */
function applyAccount(posture: BucketPosture, account: AccountSettings): void {
  if ("unknown" in account) {
    posture.notes.push(`account allowBlobPublicAccess, versioning and soft delete: ${account.unknown}`);
    return;
  }
  posture.notes.push(
    `account allowBlobPublicAccess: ${account.allowBlobPublicAccess ?? "not set"}, versioning ${account.versioning ? "on" : "off"}, soft delete ${account.softDeleteDays ? `${account.softDeleteDays} day(s)` : "off"}`,
  );
  if (account.allowBlobPublicAccess === false && posture.publicRead === true) {
    posture.notes.push("the account disallows public access: the container's public level has no effect");
    Object.assign(posture, { publicRead: false, publicList: false });
  }
  posture.versioning = account.versioning ? "enabled" : "off";
}
