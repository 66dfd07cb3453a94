import { ProviderError, type ProviderErrorCode } from "./types.js";

interface SdkErrorShape {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const NOT_FOUND = new Set(["NoSuchBucket", "NoSuchKey", "NotFound"]);
const DENIED = new Set([
  "AccessDenied",
  "AllAccessDisabled",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "Forbidden",
]);
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/** Maps an SDK or socket error to one of our codes. */
export function s3ErrorCode(cause: unknown): ProviderErrorCode {
  const e = (cause ?? {}) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  if (e.name === "AbortError") return "aborted";
  if (NOT_FOUND.has(e.name ?? "") || status === 404) return "not-found";
  if (DENIED.has(e.name ?? "") || status === 403 || status === 401) return "access-denied";
  if (e.name === "TimeoutError" || e.code === "ETIMEDOUT" || e.name === "RequestTimeout") return "timeout";
  if (NETWORK.has(e.code ?? "") || NETWORK.has(e.name ?? "") || (status !== undefined && status >= 500)) {
    return "unavailable";
  }
  return "unknown";
}

/** A short cause for messages: the SDK error name plus the HTTP status, never a response body. */
export function describeS3Error(cause: unknown): string {
  const e = (cause ?? {}) as SdkErrorShape;
  const status = e.$metadata?.httpStatusCode;
  const name = e.name && e.name !== "Error" ? e.name : (e.code ?? "error");
  const base = status ? `${name}, HTTP ${status}` : name;
  const code = s3ErrorCode(cause);
  return code === "unknown" || code === "aborted" ? `${base}: ${e.message ?? ""}`.trim() : base;
}

/** Wraps an SDK error with where it happened; rethrows the abort reason when the scan was cancelled. */
export function s3Error(cause: unknown, what: string, signal?: AbortSignal): Error {
  if (signal?.aborted) return signal.reason instanceof Error ? signal.reason : new Error("aborted", { cause });
  const code = s3ErrorCode(cause);
  const hint =
    code === "not-found"
      ? "does not exist"
      : code === "access-denied"
        ? "access denied"
        : code === "unavailable"
          ? "server unreachable or failing"
          : code === "timeout"
            ? "timed out"
            : "failed";
  return new ProviderError("s3", code, `${what}: ${hint} (${describeS3Error(cause)})`, { cause });
}
