import { type Bucket, Storage, type StorageOptions } from "@google-cloud/storage";
import { OAuth2Client } from "google-auth-library";
import { restErrorFacts as facts, providerError } from "./errors.js";
import { describeGcsPosture } from "./gcs-posture.js";
import type { BucketRef, ListOptions, ObjectRef, ReadOptions, StorageProvider } from "./types.js";

/** Google Cloud Storage; targets `gs://BUCKET[/prefix]` (or `gcs://`), and `gs://` for a project. */
export interface GcsOptions {
  /** API endpoint for emulators and private endpoints. Default Google's. */
  apiEndpoint?: string;
  /** Project whose buckets `gs://` lists; default `GOOGLE_CLOUD_PROJECT` or the credentials'. */
  projectId?: string;
  /** A service-account key file; default Application Default Credentials. */
  keyFilename?: string;
  /** An OAuth access token (e.g. `gcloud auth print-access-token`); default `GOOGLE_OAUTH_ACCESS_TOKEN`. */
  accessToken?: string;
  /** Anonymous requests, for public buckets. */
  anonymous?: boolean;
  /** Objects per listing page (max 1,000). Default 1,000. */
  pageSize?: number;
  /** Timeout for each request, in ms. Default 30,000. */
  requestTimeoutMs?: number;
  /** Attempts per request, with exponential back-off. Default 4. */
  maxAttempts?: number;
}

const GOOGLE = "https://storage.googleapis.com";

export function createGcsProvider(options: GcsOptions = {}): StorageProvider {
  const base: StorageOptions = {
    projectId: options.projectId ?? process.env.GOOGLE_CLOUD_PROJECT,
    retryOptions: { maxRetries: (options.maxAttempts ?? 4) - 1, autoRetry: (options.maxAttempts ?? 4) > 1 },
    timeout: options.requestTimeoutMs ?? 30_000,
  };
  const token = options.accessToken ?? process.env.GOOGLE_OAUTH_ACCESS_TOKEN;
  const signed = new Storage(
    options.anonymous
      ? { ...base, apiEndpoint: options.apiEndpoint ?? GOOGLE, useAuthWithCustomEndpoint: false }
      : token
        ? { ...base, apiEndpoint: options.apiEndpoint, authClient: tokenClient(token), useAuthWithCustomEndpoint: true }
        : { ...base, apiEndpoint: options.apiEndpoint, keyFilename: options.keyFilename },
  );
  // With a custom endpoint and no auth, the client sends unsigned requests: the anonymous probe.
  const anonymous = new Storage({
    ...base,
    apiEndpoint: options.apiEndpoint ?? GOOGLE,
    useAuthWithCustomEndpoint: false,
  });
  const bucketOf = (b: BucketRef): Bucket => signed.bucket(b.name);
  const fail = (cause: unknown, what: string, signal?: AbortSignal) =>
    providerError("gcs", facts(cause), cause, what, signal);

  return {
    name: "gcs",

    async *listBuckets(signal?: AbortSignal, project?: string) {
      let pageToken: string | undefined;
      do {
        const [buckets, next] = await signed
          .getBuckets({ autoPaginate: false, maxResults: 1000, pageToken, ...(project ? { project } : {}) })
          .catch((cause) => {
            throw fail(cause, "listing buckets failed", signal);
          });
        for (const b of buckets) {
          signal?.throwIfAborted();
          yield { provider: "gcs", name: b.name, url: `gs://${b.name}` };
        }
        pageToken = (next as { pageToken?: string } | null)?.pageToken;
      } while (pageToken);
    },

    async *listObjects(bucket: BucketRef, opts: ListOptions = {}): AsyncIterable<ObjectRef> {
      let pageToken: string | undefined;
      do {
        opts.signal?.throwIfAborted();
        const query = {
          autoPaginate: false,
          maxResults: options.pageSize ?? 1000,
          prefix: opts.prefix || undefined,
          pageToken,
        };
        const [files, next] = await bucketOf(bucket)
          .getFiles(query)
          .catch((cause) => {
            throw fail(cause, `listing bucket "${bucket.name}" failed`, opts.signal);
          });
        for (const f of files) {
          opts.signal?.throwIfAborted();
          const m = f.metadata;
          const updated = m.updated ? new Date(m.updated) : undefined;
          const ref: ObjectRef = { bucket, key: f.name, size: Number(m.size ?? 0), lastModified: updated };
          if (m.storageClass) ref.storageClass = m.storageClass;
          // A noncurrent generation: readable by its generation number until it expires.
          if (m.timeDeleted && m.generation) ref.versionId = String(m.generation);
          yield ref;
        }
        pageToken = (next as { pageToken?: string } | null)?.pageToken;
      } while (pageToken);
    },

    async *readRange(ref: ObjectRef, opts: ReadOptions): AsyncIterable<Uint8Array> {
      if (opts.length === 0) return;
      const end = opts.length === undefined ? undefined : opts.offset + opts.length - 1;
      // Checksums cover whole objects only: a ranged read cannot be validated.
      const generation = ref.versionId ? Number(ref.versionId) : undefined;
      const stream = bucketOf(ref.bucket)
        .file(ref.key, generation ? { generation } : {})
        .createReadStream({ start: opts.offset, end, validation: false });
      const onAbort = () => stream.destroy(opts.signal?.reason ?? new Error("aborted"));
      opts.signal?.addEventListener("abort", onAbort, { once: true });
      try {
        for await (const chunk of stream) yield chunk as Uint8Array;
      } catch (cause) {
        throw fail(cause, `reading "${ref.key}" failed`, opts.signal);
      } finally {
        opts.signal?.removeEventListener("abort", onAbort);
        stream.destroy();
      }
    },

    describeBucket: (bucket, signal) => describeGcsPosture(bucketOf(bucket), anonymous.bucket(bucket.name), signal),
  };
}

/** A client that sends a given bearer token and never refreshes it. */
function tokenClient(token: string): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return client;
}
