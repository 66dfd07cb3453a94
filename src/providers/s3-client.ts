import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { posturePolicy, type RetryContext, type RetryPolicy, retrying, retryPolicy } from "./retry.js";
import type { S3Options } from "./s3.js";
import { s3Facts } from "./s3-errors.js";

/** What an S3 provider talks through. */
export interface S3Clients {
  /** Signed (or unsigned with `noSignRequest`); every `send` runs under the retry layer, with the posture policy. */
  client: S3Client;
  /** The same client's `send` with one attempt only, for callers that retry themselves (ranged reads, listing pages). */
  once: S3Client["send"];
  /** An unsigned client for the anonymous probe, created on first use; retried like the others. */
  anonymous(): S3Client;
  policy: RetryPolicy;
  destroy(): void;
}

export function createS3Clients(options: S3Options): S3Clients {
  const policy = retryPolicy(options);
  const config: S3ClientConfig = {
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    // `s3://` over an account with buckets in several regions: a bucket elsewhere answers 301
    // PermanentRedirect with its region (x-amz-bucket-region), and the request is signed again for it.
    followRegionRedirects: true,
    // One retry layer (retry.ts): the SDK's own would multiply the attempts and slow down alone.
    maxAttempts: 1,
    // The same deadline as ours, thrown rather than logged: a backstop for paths that ignore the signal.
    requestHandler: { requestTimeout: policy.timeoutMs, connectionTimeout: 5_000, throwOnRequestTimeout: true },
  };
  if (options.credentials) config.credentials = options.credentials;
  // Anonymous access: a signer that leaves the request untouched, like the CLI's --no-sign-request.
  const unsigned: S3ClientConfig = {
    ...config,
    credentials: { accessKeyId: "", secretAccessKey: "" },
    signer: { sign: async (request) => request },
  };
  const client = new S3Client(options.noSignRequest ? unsigned : config);
  const once = client.send.bind(client) as S3Client["send"];
  withRetries(client, posturePolicy(policy));
  let probe: S3Client | undefined;
  return {
    client,
    once,
    policy,
    anonymous() {
      probe ??= withRetries(new S3Client(unsigned), posturePolicy(policy));
      return probe;
    },
    destroy() {
      client.destroy();
      probe?.destroy();
    },
  };
}

/**
 * Puts every `send` of `client` under the retry layer. Callers keep seeing the SDK's own errors
 * (posture code reads their names: `NoSuchBucketPolicy` is a fact, not a failure).
 */
function withRetries(client: S3Client, policy: RetryPolicy): S3Client {
  const send = client.send.bind(client) as (
    command: unknown,
    options?: { abortSignal?: AbortSignal },
  ) => Promise<unknown>;
  const retried = (command: unknown, options?: { abortSignal?: AbortSignal }) => {
    const ctx: RetryContext = {
      policy,
      facts: s3Facts,
      fail: (cause) => cause as Error,
      signal: options?.abortSignal as AbortSignal | undefined,
    };
    return retrying((signal) => send(command, { ...options, abortSignal: signal }), ctx);
  };
  client.send = retried as S3Client["send"];
  return client;
}

/**
 * Keys listed with `EncodingType=url` are form-encoded: `+` is a space and a literal plus
 * comes as `%2B` (measured on AWS; see the README's S3 notes).
 */
export function decodeS3Key(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, " "));
  } catch {
    return key;
  }
}
