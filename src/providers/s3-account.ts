import { GetPublicAccessBlockCommand, S3ControlClient } from "@aws-sdk/client-s3-control";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { retrying, retryPolicy } from "./retry.js";
import type { S3Options } from "./s3.js";
import { describeS3Error, s3Facts } from "./s3-errors.js";

/** The account-level Block Public Access settings, or why they are not known. */
export type AccountBlock = { settings: Record<string, boolean>; account: string } | { unknown: string };

/**
 * Reads the account-level Block Public Access (S3 Control), which overrides every bucket's
 * ACLs and policies: the account id from STS GetCallerIdentity, then GetPublicAccessBlock.
 * Only on AWS itself (S3-compatible hosts have no S3 Control), or with `accountEndpoints`.
 * Read-only; never throws: a refusal becomes `unknown`.
 */
export async function readAccountBlock(options: S3Options, signal?: AbortSignal): Promise<AccountBlock> {
  const endpoints = options.accountEndpoints;
  if (options.endpoint && !endpoints) return { unknown: "not read: S3-compatible host (no S3 Control API)" };
  if (options.noSignRequest) return { unknown: "not read: anonymous requests" };
  const policy = retryPolicy(options);
  const base = {
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
    // Under our retry layer, like the data path: an STS endpoint that never answers must not hold the scan.
    maxAttempts: 1,
    requestHandler: { requestTimeout: policy.timeoutMs, connectionTimeout: 5_000, throwOnRequestTimeout: true },
    ...(options.credentials ? { credentials: options.credentials } : {}),
  };
  const retried = <T>(call: (s: AbortSignal) => Promise<T>) =>
    retrying(call, { policy, facts: s3Facts, signal, fail: (cause) => cause as Error });
  const sts = new STSClient({ ...base, ...(endpoints ? { endpoint: endpoints.sts } : {}) });
  // S3 Control prefixes the endpoint's host with the account id, on AWS and on a given endpoint alike.
  const control = new S3ControlClient({ ...base, ...(endpoints ? { endpoint: endpoints.control } : {}) });
  try {
    const who = await retried((s) => sts.send(new GetCallerIdentityCommand({}), { abortSignal: s }));
    const account = who.Account;
    if (!account) return { unknown: "not read: no account id" };
    try {
      const command = new GetPublicAccessBlockCommand({ AccountId: account });
      const res = await retried((s) => control.send(command, { abortSignal: s }));
      return { account, settings: { ...(res.PublicAccessBlockConfiguration as Record<string, boolean>) } };
    } catch (cause) {
      if ((cause as Error).name === "NoSuchPublicAccessBlockConfiguration") return { account, settings: {} };
      throw cause;
    }
  } catch (cause) {
    signal?.throwIfAborted();
    return { unknown: `unknown (${describeS3Error(cause)})` };
  } finally {
    sts.destroy();
    control.destroy();
  }
}
