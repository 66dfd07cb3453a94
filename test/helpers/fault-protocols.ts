/**
 * What the fault proxy needs to know of each storage protocol: which requests list and which
 * read, and how each service says "slow down". Path-style URLs only (loopback endpoints).
 */
import { randomBytes } from "node:crypto";

export type Protocol = "s3" | "azure" | "gcs";
export type RequestKind = "list" | "read" | "other";

// ListObjects(V2) and ListObjectVersions parameters: a bucket GET with only these is a listing.
const S3_LIST = new Set([
  "list-type",
  "prefix",
  "delimiter",
  "continuation-token",
  "start-after",
  "max-keys",
  "encoding-type",
  "fetch-owner",
  "marker",
  "versions",
  "key-marker",
  "version-id-marker",
]);
const S3_READ = (key: string) => key === "versionId" || key === "partNumber" || key.startsWith("response-");

/**
 * Classifies a request: `list` (ListBuckets, ListObjects(V2), ListObjectVersions; Azure
 * `comp=list`; GCS `GET /storage/v1/b[/B/o]`), `read` (S3 GetObject, Azure Get Blob, GCS
 * `alt=media`), `other` (HEAD, metadata, posture subresources, writes). Never throws.
 */
export function requestKind(req: { method?: string; url?: string }, protocol: Protocol): RequestKind {
  if ((req.method ?? "GET").toUpperCase() !== "GET") return "other";
  const url = new URL(req.url ?? "/", "http://proxy.invalid");
  const keys = [...url.searchParams.keys()];
  const segments = url.pathname.split("/").filter(Boolean);
  if (protocol === "azure") {
    const comp = url.searchParams.get("comp");
    if (comp === "list") return "list";
    return comp === null && !url.searchParams.has("restype") ? "read" : "other";
  }
  if (protocol === "gcs") {
    const at = segments.indexOf("b");
    const api = segments.slice(0, at).join("/");
    if (at < 0 || (api !== "storage/v1" && api !== "download/storage/v1")) return "other";
    const rest = segments.slice(at + 1);
    if (rest.length === 0 || (rest.length === 2 && rest[1] === "o")) return "list";
    return rest.length >= 3 && url.searchParams.get("alt") === "media" ? "read" : "other";
  }
  // The AWS SDK names the operation in `x-id` for many calls: trust it when present.
  const id = url.searchParams.get("x-id");
  if (id) return id.startsWith("List") ? "list" : id === "GetObject" ? "read" : "other";
  if (segments.length <= 1) return keys.every((k) => S3_LIST.has(k)) ? "list" : "other";
  return keys.every(S3_READ) ? "read" : "other";
}

/** A listing request for page 2 onwards: it carries a continuation token, marker or page token. */
export function isNextPage(url: string): boolean {
  const q = new URL(url, "http://proxy.invalid").searchParams;
  return ["continuation-token", "marker", "pageToken", "key-marker"].some((k) => !!q.get(k));
}

/** A throttling answer as each service documents it (status, headers, body). */
export function throttleResponse(
  protocol: Protocol,
  status: 503 | 429,
): { status: number; headers: Record<string, string>; body: string } {
  const id = randomBytes(8).toString("hex").toUpperCase();
  if (protocol === "s3") {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html (503 SlowDown); 429 is
    // what some S3-compatible hosts send instead, with their own code.
    const code = status === 503 ? "SlowDown" : "TooManyRequests";
    const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>Please reduce your request rate.</Message><RequestId>${id}</RequestId><HostId>${randomBytes(24).toString("base64")}</HostId></Error>`;
    return { status, headers: { "content-type": "application/xml", "x-amz-request-id": id }, body };
  }
  if (protocol === "azure") {
    // https://learn.microsoft.com/rest/api/storageservices/common-rest-api-error-codes (ServerBusy)
    const message = `The server is currently unable to receive requests. Please retry your request.\nRequestId:${id}\nTime:${new Date().toISOString()}`;
    return {
      status,
      headers: {
        "content-type": "application/xml",
        "x-ms-error-code": "ServerBusy",
        "x-ms-request-id": id,
        "x-ms-version": "2021-10-04",
      },
      body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>${message}</Message></Error>`,
    };
  }
  // https://cloud.google.com/storage/docs/json_api/v1/status-codes (error.errors[].reason)
  const [domain, reason, message] =
    status === 429
      ? ["usageLimits", "rateLimitExceeded", "rateLimitExceeded: the request rate is too high, please reduce it."]
      : ["global", "backendError", "Backend Error"];
  return {
    status,
    headers: { "content-type": "application/json; charset=UTF-8" },
    body: JSON.stringify({ error: { code: status, message, errors: [{ domain, reason, message }] } }),
  };
}
