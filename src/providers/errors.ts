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
/** Socket errors, by Node's code, with the words a user reads. */
const NETWORK: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  EPIPE: "connection reset",
  ECONNABORTED: "connection aborted",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "DNS lookup failed",
  UND_ERR_SOCKET: "connection reset",
  ERR_STREAM_PREMATURE_CLOSE: "connection closed mid-answer",
};
/** What servers answer when a client goes too fast: S3, Azure, GCS and their S3-compatible peers. */
const THROTTLED = new Set([
  "SlowDown",
  "ServerBusy",
  "Throttling",
  "ThrottlingException",
  "ThrottledException",
  "TooManyRequests",
  "TooManyRequestsException",
  "RequestLimitExceeded",
  "RequestThrottled",
  "rateLimitExceeded",
  "userRateLimitExceeded",
]);
/** Errors with no status that asking again cannot mend. */
const FATAL_NAMES = new Set([
  "TypeError",
  "ReferenceError",
  "CredentialsProviderError",
  "CredentialUnavailableError",
  "AuthenticationRequiredError",
  "ERR_INVALID_URL",
  "ERR_INVALID_ARG_TYPE",
]);
const TIMEOUTS = new Set(["TimeoutError", "RequestTimeout", "RequestTimeoutException", "ETIMEDOUT", "ESOCKETTIMEDOUT"]);

function networkCode(e: ErrorFacts): string | undefined {
  if (e.code && e.code in NETWORK) return e.code;
  if (e.name && e.name in NETWORK) return e.name;
  // Some clients only say it in words ("socket hang up" is Node's reset before an answer).
  if (/socket hang up/i.test(e.message ?? "")) return "ECONNRESET";
  return undefined;
}

/** Maps SDK or socket error facts to one of our codes. */
export function errorCode(e: ErrorFacts): ProviderErrorCode {
  if (e.name === "AbortError") return "aborted";
  if (NOT_FOUND.has(e.name ?? "") || NOT_FOUND.has(e.code ?? "") || e.status === 404) return "not-found";
  if (DENIED.has(e.name ?? "") || DENIED.has(e.code ?? "") || e.status === 403 || e.status === 401)
    return "access-denied";
  if (e.status === 429 || THROTTLED.has(e.name ?? "") || THROTTLED.has(e.code ?? "")) return "throttled";
  if (TIMEOUTS.has(e.name ?? "") || TIMEOUTS.has(e.code ?? "") || e.status === 408) return "timeout";
  if (networkCode(e) || (e.status !== undefined && e.status >= 500)) return "unavailable";
  return "unknown";
}

/**
 * Whether a failed request may pass if tried again: `throttled` (429, 503: retried for a time budget),
 * `retry` (timeouts, resets, refused connections, 5xx, answers cut mid-body), or `fatal`
 * (refused, missing, bad request: trying again gives the same answer).
 */
export function requestVerdict(e: ErrorFacts): "throttled" | "retry" | "fatal" {
  const code = errorCode(e);
  // 503 is "come back later" on every cloud (S3 SlowDown or ServiceUnavailable, GCS backendError,
  // Azure ServerBusy): retried for the throttling budget, not a count of attempts.
  if (code === "throttled" || e.status === 503) return "throttled";
  // 501: the server does not implement the call (s3rver and Ceph for some posture calls): asking again changes nothing.
  if (e.status === 501 || e.status === 505 || e.name === "NotImplemented") return "fatal";
  if (code === "timeout" || code === "unavailable") return "retry";
  if (code !== "unknown") return "fatal";
  if (e.status !== undefined && e.status < 500) return "fatal";
  // No status: a defect or a setting, not the network (a bad certificate, missing credentials, our own bug).
  // (Node's fetch reports a network failure as a TypeError "fetch failed": that one may pass.)
  const named =
    (FATAL_NAMES.has(e.name ?? "") && !/fetch failed/i.test(e.message ?? "")) || FATAL_NAMES.has(e.code ?? "");
  if (named || /CERT|SELF_SIGNED|TLS/.test(e.code ?? "")) return "fatal";
  return "retry";
}

/** A short cause for messages: the error name or code plus the HTTP status, never a response body. */
export function describeFacts(e: ErrorFacts): string {
  const socket = networkCode(e);
  if (socket && e.status === undefined) return `${NETWORK[socket]}, ${socket}`;
  const name = e.name && e.name !== "Error" && e.name !== "RestError" ? e.name : (e.code ?? e.name ?? "error");
  const base = e.status ? `${name}, HTTP ${e.status}` : name;
  const code = errorCode(e);
  if (code === "timeout" && e.message?.startsWith("no answer within")) return e.message;
  return code === "unknown" || code === "aborted" ? `${base}: ${e.message ?? ""}`.trim() : base;
}

const HINT: Record<ProviderErrorCode, string> = {
  "not-found": "does not exist",
  "access-denied": "access denied",
  throttled: "throttled by the server",
  unavailable: "server unreachable or failing",
  timeout: "timed out",
  "invalid-target": "invalid target",
  aborted: "aborted",
  unknown: "failed",
};

/**
 * Wraps an SDK error with where it happened; returns the abort reason when the scan was
 * cancelled. `attempts` (when more than one) and `deadline` (what ended the retries) are said.
 */
export function providerError(
  provider: string,
  e: ErrorFacts,
  cause: unknown,
  what: string,
  signal?: AbortSignal,
  retries: { attempts?: number; deadline?: string } = {},
) {
  if (signal?.aborted && retries.deadline === undefined)
    return signal.reason instanceof Error ? signal.reason : new Error("aborted", { cause });
  const code = errorCode(e);
  const tries = (retries.attempts ?? 1) > 1 ? `, ${retries.attempts} attempts` : "";
  const end = retries.deadline ? `; gave up: ${retries.deadline}` : "";
  return new ProviderError(provider, code, `${what}: ${HINT[code]} (${describeFacts(e)}${tries})${end}`, { cause });
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
