import { type Bucket, Storage, type StorageOptions } from "@google-cloud/storage";
import { OAuth2Client } from "google-auth-library";
import { restErrorFacts as facts, providerError } from "./errors.js";
import { describeGcsPosture } from "./gcs-posture.js";
import { posturePolicy, type RetryContext, retrying, retryPolicy } from "./retry.js";
import { retryingRead } from "./retry-read.js";
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
  /** Deadline of each request attempt (its answer, then each chunk of a body), in ms. Default 30,000. */
  requestTimeoutMs?: number;
  /** Attempts per request for failures that may pass (timeouts, resets, 5xx); throttling is retried for 2 min. Default 4. */
  maxAttempts?: number;
}

function gcsError(cause: unknown, what: string, signal?: AbortSignal, attempts?: number, deadline?: string) {
  return providerError("gcs", facts(cause), cause, what, signal, { attempts, deadline });
}

const GOOGLE = "https://storage.googleapis.com";

export function createGcsProvider(options: GcsOptions = {}): StorageProvider {
  const policy = retryPolicy(options);
  const base: StorageOptions = {
    projectId: options.projectId ?? process.env.GOOGLE_CLOUD_PROJECT,
    // One retry layer, ours (retry.ts): the client's own took 95 s to give up on a refused port.
    retryOptions: { autoRetry: false, maxRetries: 0 },
    // The client's calls take no signal: an abandoned attempt still ends at this timeout.
    timeout: policy.timeoutMs,
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
  /** The retry layer's context for one request: its last error says what failed, and after how many tries. */
  const context = (what: string, signal?: AbortSignal): RetryContext => ({
    policy,
    facts,
    signal,
    fail: (cause, attempts, deadline) => gcsError(cause, what, signal, attempts, deadline),
  });
  const retried = <T>(what: string, signal: AbortSignal | undefined, call: (s: AbortSignal) => Promise<T>) =>
    retrying(call, context(what, signal));

  return {
    name: "gcs",

    async *listBuckets(signal?: AbortSignal, project?: string) {
      let pageToken: string | undefined;
      do {
        const query = { autoPaginate: false, maxResults: 1000, pageToken, ...(project ? { project } : {}) };
        const [buckets, next] = await retried("listing buckets failed", signal, () => signed.getBuckets(query));
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
        // https://cloud.google.com/storage/docs/json_api/v1/objects/list
        const [files, next] = await retried(`listing bucket "${bucket.name}" failed`, opts.signal, () =>
          bucketOf(bucket).getFiles(query),
        );
        for (const f of files) {
          opts.signal?.throwIfAborted();
          const m = f.metadata;
          const updated = m.updated ? new Date(m.updated) : undefined;
          const ref: ObjectRef = { bucket, key: f.name, size: Number(m.size ?? 0), lastModified: updated };
          if (m.storageClass) ref.storageClass = m.storageClass;
          if (m.generation) ref.revision = String(m.generation);
          // A noncurrent generation: readable by its generation number until it expires.
          if (m.timeDeleted && m.generation) ref.versionId = String(m.generation);
          yield ref;
        }
        pageToken = (next as { pageToken?: string } | null)?.pageToken;
      } while (pageToken);
    },

    readRange(ref: ObjectRef, opts: ReadOptions): AsyncIterable<Uint8Array> {
      const generation = ref.versionId ? Number(ref.versionId) : undefined;
      const file = bucketOf(ref.bucket).file(ref.key, generation ? { generation } : {});
      const what = `reading "${ref.key}" failed`;
      // https://cloud.google.com/storage/docs/json_api/v1/objects/get (alt=media, Range)
      const open = async (offset: number, length: number | undefined) => {
        if (length === 0) return undefined;
        const end = length === undefined ? undefined : offset + length - 1;
        // Checksums cover whole objects only: a ranged read cannot be validated. The stream is
        // destroyed by the retry layer on a deadline or a cancellation.
        // The stream does not show the answer's headers: the range is taken as honoured.
        return { body: file.createReadStream({ start: offset, end, validation: false }), start: offset };
      };
      return retryingRead(open, { ...opts, size: ref.size }, context(what, opts.signal));
    },

    describeBucket: (bucket, signal) =>
      describeGcsPosture(bucketOf(bucket), anonymous.bucket(bucket.name), signal, (call) =>
        retrying(call, { policy: posturePolicy(policy), facts, signal, fail: (cause) => cause as Error }),
      ),
  };
}

/** A client that sends a given bearer token and never refreshes it. */
function tokenClient(token: string): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: token, expiry_date: Date.now() + 3_600_000 });
  return client;
}
