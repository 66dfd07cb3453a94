import { describeFacts, type ErrorFacts, errorCode, providerError } from "./errors.js";
import type { ProviderErrorCode } from "./types.js";

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** The facts of an AWS SDK or socket error. */
export function s3Facts(cause: unknown): ErrorFacts {
  const e = (cause ?? {}) as SdkErrorShape;
  return { status: e.$metadata?.httpStatusCode, name: e.name, code: e.code, message: e.message };
}

/** Maps an AWS SDK or socket error to one of our codes. */
export function s3ErrorCode(cause: unknown): ProviderErrorCode {
  return errorCode(s3Facts(cause));
}

/** A short cause for messages: the SDK error name plus the HTTP status, never a response body. */
export function describeS3Error(cause: unknown): string {
  return describeFacts(s3Facts(cause));
}

/**
 * Wraps an SDK error with where it happened; rethrows the abort reason when the scan was
 * cancelled. `attempts` and `deadline` come from the retry layer.
 */
export function s3Error(
  cause: unknown,
  what: string,
  signal?: AbortSignal,
  attempts?: number,
  deadline?: string,
): Error {
  return providerError("s3", s3Facts(cause), cause, what, signal, { attempts, deadline });
}
