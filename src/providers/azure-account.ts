import type { TokenCredential } from "@azure/core-auth";
import { describeFacts, restErrorFacts } from "./errors.js";
import { withDeadline } from "./retry.js";

/** What the management plane says about a storage account, or why it is not known. */
export type AccountSettings =
  | { allowBlobPublicAccess?: boolean; versioning?: boolean; softDeleteDays?: number }
  | { unknown: string };

/** Management-plane access: a subscription and a token credential (Reader on the account). */
export interface ManagementAccess {
  subscriptionId: string;
  credential: TokenCredential;
  /** ARM endpoint for sovereign clouds and tests. Default `https://management.azure.com`. */
  endpoint?: string;
}

/**
 * Reads the account's `allowBlobPublicAccess`, blob versioning and soft delete from Azure
 * Resource Manager (read-only: Storage Accounts - List, Blob Services - Get Service
 * Properties). Without management access the answer is "unknown", never "safe".
 */
export async function readAccountSettings(
  account: string,
  access?: ManagementAccess,
  deadline: { ms: number; signal?: AbortSignal } = { ms: 120_000 },
): Promise<AccountSettings> {
  if (!access) return { unknown: "unknown: no management access (set azure.subscriptionId with a token credential)" };
  try {
    // The whole read has one deadline (it lists accounts page by page): a management endpoint
    // that never answers must not hold the bucket's listing back.
    return await withDeadline((signal) => readSettings(account, access, signal), deadline.ms, deadline.signal);
  } catch (cause) {
    deadline.signal?.throwIfAborted();
    return { unknown: `unknown (${describeFacts(restErrorFacts(cause))})` };
  }
}

async function readSettings(
  account: string,
  access: ManagementAccess,
  abortSignal: AbortSignal,
): Promise<AccountSettings> {
  const { StorageManagementClient } = await import("@azure/arm-storage");
  const client = new StorageManagementClient(access.credential, access.subscriptionId, {
    ...(access.endpoint ? { endpoint: access.endpoint } : {}),
    retryOptions: { maxRetries: 2 },
  });
  for await (const a of client.storageAccounts.list({ abortSignal })) {
    if (a.name !== account || !a.id) continue;
    const group = /\/resourceGroups\/([^/]+)\//i.exec(a.id)?.[1] ?? "";
    const blob = await client.blobServices.getServiceProperties(group, account, { abortSignal });
    return {
      allowBlobPublicAccess: a.allowBlobPublicAccess,
      versioning: blob.isVersioningEnabled === true,
      softDeleteDays: blob.deleteRetentionPolicy?.enabled ? (blob.deleteRetentionPolicy.days ?? 0) : 0,
    };
  }
  return { unknown: `unknown: account "${account}" not found in subscription ${access.subscriptionId}` };
}
