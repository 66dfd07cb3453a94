import { ProviderError, type ProviderErrorCode } from "./types.js";

/** What every cloud SDK error tells us, once extracted: an HTTP status, an error name, a code. */
export interface ErrorFacts {
  status?: number;
  name?: string;
  code?: string;
  message?: string;
}

const NOT_FOUND = new Set(["NoSuchBucket", "NoSuchKey", "NotFound", "ContainerNotFound", "BlobNotFound"]);
const DENIED = new Set([
  "AccessDenied",
  "AllAccessDisabled",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "Forbidden",
  "AuthorizationFailure",
  "AuthenticationFailed",
  "NoAuthenticationInformation",
  "PublicAccessNotPermitted",
]);
const NETWORK = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "EHOSTUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

/** Maps SDK or socket error facts to one of our codes. */
export function errorCode(e: ErrorFacts): ProviderErrorCode {
  if (e.name === "AbortError") return "aborted";
  if (NOT_FOUND.has(e.name ?? "") || NOT_FOUND.has(e.code ?? "") || e.status === 404) return "not-found";
  if (DENIED.has(e.name ?? "") || DENIED.has(e.code ?? "") || e.status === 403 || e.status === 401)
    return "access-denied";
  if (e.name === "TimeoutError" || e.code === "ETIMEDOUT" || e.name === "RequestTimeout") return "timeout";
  if (NETWORK.has(e.code ?? "") || NETWORK.has(e.name ?? "") || (e.status !== undefined && e.status >= 500))
    return "unavailable";
  return "unknown";
}

/** A short cause for messages: the error name or code plus the HTTP status, never a response body. */
export function describeFacts(e: ErrorFacts): string {
  const name = e.name && e.name !== "Error" && e.name !== "RestError" ? e.name : (e.code ?? e.name ?? "error");
  const base = e.status ? `${name}, HTTP ${e.status}` : name;
  const code = errorCode(e);
  return code === "unknown" || code === "aborted" ? `${base}: ${e.message ?? ""}`.trim() : base;
}

const HINT: Record<ProviderErrorCode, string> = {
  "not-found": "does not exist",
  "access-denied": "access denied",
  unavailable: "server unreachable or failing",
  timeout: "timed out",
  "invalid-target": "invalid target",
  aborted: "aborted",
  unknown: "failed",
};

/** Wraps an SDK error with where it happened; returns the abort reason when the scan was cancelled. */
export function providerError(provider: string, e: ErrorFacts, cause: unknown, what: string, signal?: AbortSignal) {
  if (signal?.aborted) return signal.reason instanceof Error ? signal.reason : new Error("aborted", { cause });
  const code = errorCode(e);
  return new ProviderError(provider, code, `${what}: ${HINT[code]} (${describeFacts(e)})`, { cause });
}

/** Errors with `statusCode` or a numeric `code` (Azure's RestError, Google's ApiError) and socket errors. */
export function restErrorFacts(cause: unknown): ErrorFacts {
  const e = (cause ?? {}) as { statusCode?: number; code?: string | number; name?: string; message?: string };
  const status = e.statusCode ?? (typeof e.code === "number" ? e.code : undefined);
  return {
    status,
    name: e.name,
    code: typeof e.code === "string" ? e.code : undefined,
    message: e.message?.split("\n")[0],
  };
}
