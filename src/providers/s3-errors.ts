import { describeFacts, type ErrorFacts, errorCode, providerError } from "./errors.js";
import type { ProviderErrorCode } from "./types.js";

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

function facts(cause: unknown): ErrorFacts {
  const e = (cause ?? {}) as SdkErrorShape;
  return { status: e.$metadata?.httpStatusCode, name: e.name, code: e.code, message: e.message };
}

/** Maps an AWS SDK or socket error to one of our codes. */
export function s3ErrorCode(cause: unknown): ProviderErrorCode {
  return errorCode(facts(cause));
}

/** A short cause for messages: the SDK error name plus the HTTP status, never a response body. */
export function describeS3Error(cause: unknown): string {
  return describeFacts(facts(cause));
}

/** Wraps an SDK error with where it happened; rethrows the abort reason when the scan was cancelled. */
export function s3Error(cause: unknown, what: string, signal?: AbortSignal): Error {
  return providerError("s3", facts(cause), cause, what, signal);
}
