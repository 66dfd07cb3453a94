/**
 * The storage seam. Every cloud or local backend implements {@link StorageProvider};
 * the scanner never talks to an SDK directly.
 */

/** A bucket (S3), container (Azure), bucket (GCS) or folder (fs) that holds objects. */
export interface BucketRef {
  /** Provider name as registered in `providers/index.ts` (`s3`, `fs`, …). */
  provider: string;
  /** Bucket name; for `fs`, the absolute folder path. */
  name: string;
  /** Canonical URL, e.g. `s3://name` or `file:///abs/path`. */
  url: string;
}

/** One object as listed. Carries only metadata: contents are read through `readRange`. */
export interface ObjectRef {
  bucket: BucketRef;
  /** Key relative to the bucket root (for `fs`, the relative path with `/` separators). */
  key: string;
  /** Size in bytes as reported by the listing. */
  size: number;
  /** Last write time, when the backend reports one. */
  lastModified?: Date;
  /** Storage class / access tier, when known (e.g. `GLACIER`, which cannot be read directly). */
  storageClass?: string;
  /**
   * What changes when the contents change, as the storage says it: the S3 or Azure ETag, the GCS
   * generation, a file's size and modification time in nanoseconds. Incremental runs compare it.
   */
  revision?: string;
  /** Set on a noncurrent version (listed with `versions: true`); reads then fetch that version. */
  versionId?: string;
  /**
   * Set by a provider when the entry was listed but cannot or must not be read (a FIFO, a link
   * leaving the folder, an unreadable folder): the object ends `skipped` with `reason` and is
   * never read; `error` marks a failure (coverage incomplete) rather than a policy.
   */
  skip?: { reason: string; error: boolean };
}

/** A verdict that may not be known: unknown is never read as "safe". */
export type Tri = boolean | "unknown";

/**
 * Security posture of a bucket. A field is `"unknown"` when it could not be read: unknown is
 * never "safe". Optional fields are absent when the provider does not read them at all.
 */
export interface BucketPosture {
  /** Whether anonymous users can read objects. */
  publicRead: Tri;
  /** Whether anonymous users can list objects. */
  publicList: Tri;
  /** Whether any authenticated account of the cloud can read or list (S3 AuthenticatedUsers, GCS allAuthenticatedUsers). */
  authenticatedUsers?: Tri;
  /** Whether a policy grants principals of other accounts. */
  crossAccount?: Tri;
  /** Default encryption at rest: `none`, a kind (`SSE-S3`, `SSE-KMS`, `provider-managed`) or `unknown`. */
  encryption?: string;
  /** Object versioning: deleted objects survive as noncurrent versions when enabled. */
  versioning?: "enabled" | "suspended" | "off" | "unknown";
  /** Whether a lifecycle rule expires or moves objects. */
  lifecycle?: Tri;
  /** Whether an owner, team or project tag (label) names who is responsible. */
  ownerTag?: Tri;
  /** Residue hidden from a plain listing: noncurrent versions, delete markers, unfinished uploads. */
  residue?: BucketResidue;
  /** Human-readable facts behind the verdicts, one line each. */
  notes: string[];
}

/** Hidden residue counts; `bytes` is the size of the noncurrent versions, soft-deleted objects and uploaded parts. */
export interface BucketResidue {
  noncurrentVersions: number;
  /** Delete markers (S3); absent where the provider has none (Azure, GCS). */
  deleteMarkers?: number;
  /** Unfinished multipart uploads (S3); absent where they are not counted (Azure, GCS). */
  unfinishedUploads?: number;
  /** Soft-deleted objects (Azure soft delete, GCS soft-delete policy); absent for S3. */
  softDeleted?: number;
  bytes: number;
}

export interface ListOptions {
  /** Only keys starting with this prefix. */
  prefix?: string;
  /**
   * Also list noncurrent versions (`--include-versions`), each with its `versionId`. Providers
   * without version listing ignore it (their posture says so).
   */
  versions?: boolean;
  /** Aborting stops the listing; the iterator then throws an `AbortError`. */
  signal?: AbortSignal;
}

export interface ReadOptions {
  /** First byte to read. */
  offset: number;
  /** Number of bytes to read; `undefined` reads to the end of the object. */
  length?: number;
  /** Aborting cancels the request and the stream; the iterator then throws an `AbortError`. */
  signal?: AbortSignal;
  /**
   * Preferred bytes per chunk, where the provider chooses (files); network streams give what
   * their sockets give. A hint: chunks may be of any size.
   */
  chunkSize?: number;
}

export interface StorageProvider {
  /** Provider name, used in URLs and error prefixes. */
  readonly name: string;

  /**
   * Every bucket the credentials can see, lazily. `scope` narrows where to look when the
   * provider needs it: the storage account for Azure (`azure://ACCOUNT`), the project for GCS.
   * @throws {ProviderError} when the account listing itself is refused or the server is unreachable.
   * Cancellation: throws the abort reason before the next bucket when `signal` aborts.
   */
  listBuckets(signal?: AbortSignal, scope?: string): AsyncIterable<BucketRef>;

  /**
   * Every object of `bucket`, page by page; never holds the whole key list in memory. An entry
   * that is listed but cannot or must not be read (for `fs`: an unreadable sub-folder, a
   * symlink, a named pipe) is yielded with `skip` set instead of failing the listing.
   * @throws {ProviderError} with code `not-found` for a missing bucket, `access-denied` when
   * refused (for `fs`: the root folder itself unreadable), or `unavailable` when the server
   * fails mid-listing. Objects already yielded stay valid.
   * Cancellation: throws the abort reason before the next object, and aborts the in-flight request.
   */
  listObjects(bucket: BucketRef, options?: ListOptions): AsyncIterable<ObjectRef>;

  /**
   * Streams the bytes `[offset, offset + length)` of `ref` as chunks. Reads only that range
   * (a ranged GET on clouds); chunks are never accumulated.
   * @throws {ProviderError} with code `access-denied`, `not-found`, `unavailable` or `timeout`.
   * Cancellation: aborts the request; the iterator then throws the abort reason (or an `AbortError`).
   */
  readRange(ref: ObjectRef, options: ReadOptions): AsyncIterable<Uint8Array>;

  /**
   * Reads the bucket's security posture. Never throws for a refused posture call: that field
   * becomes "unknown" with a note. Throws only on cancellation.
   */
  describeBucket(bucket: BucketRef, signal?: AbortSignal): Promise<BucketPosture>;

  /** Releases sockets and handles. Safe to call twice. */
  close?(): Promise<void>;
}

/** Why a provider call failed, normalised across backends. */
export type ProviderErrorCode =
  | "not-found"
  | "access-denied"
  | "unavailable"
  | "timeout"
  | "throttled"
  | "invalid-target"
  | "aborted"
  | "unknown";

/** An error from a provider: says where (`[reliquat:s3] …`) and keeps the SDK error as `cause`. */
export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly code: ProviderErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`[reliquat:${provider}] ${message}`, options);
    this.name = "ProviderError";
  }
}
