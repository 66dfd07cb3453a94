import type { TokenCredential } from "@azure/core-auth";
import {
  AnonymousCredential,
  BlobServiceClient,
  type ContainerClient,
  type ContainerListBlobFlatSegmentResponse,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { type AccountSettings, readAccountSettings } from "./azure-account.js";
import { describeAzurePosture } from "./azure-posture.js";
import { restErrorFacts as facts, providerError } from "./errors.js";
import { posturePolicy, type RetryContext, retrying, retryPolicy } from "./retry.js";
import { answerStart, retryingRead } from "./retry-read.js";
import type { BucketRef, ListOptions, ObjectRef, ReadOptions, StorageProvider } from "./types.js";

/** Azure Blob Storage; targets `azure://ACCOUNT/CONTAINER[/prefix]` or `azure://ACCOUNT`. */
export interface AzureOptions {
  /** Subscription for management-plane reads (account settings); default `AZURE_SUBSCRIPTION_ID`. */
  subscriptionId?: string;
  /** Azure Resource Manager endpoint (sovereign clouds, tests). */
  managementEndpoint?: string;
  /** A token credential for programmatic use; default DefaultAzureCredential when no key, SAS or connection string. */
  credential?: TokenCredential;
  /** Blob service URL used for every account (Azurite, sovereign clouds). Default `https://ACCOUNT.blob.core.windows.net`. */
  endpoint?: string;
  /** A connection string; default `AZURE_STORAGE_CONNECTION_STRING`. */
  connectionString?: string;
  /** Shared key; default `AZURE_STORAGE_KEY`. */
  accountKey?: string;
  /** A SAS token (with or without the leading `?`); default `AZURE_STORAGE_SAS_TOKEN`. */
  sasToken?: string;
  /** Anonymous requests, for public containers. */
  anonymous?: boolean;
  /** Blobs per listing page (max 5,000). Default 5,000. */
  pageSize?: number;
  /** Deadline of each request attempt (its answer, then each chunk of a body), in ms. Default 30,000. */
  requestTimeoutMs?: number;
  /** Attempts per request for failures that may pass (timeouts, resets, 5xx); throttling is retried for 2 min. Default 4. */
  maxAttempts?: number;
}

function azureError(cause: unknown, what: string, signal?: AbortSignal, attempts?: number, deadline?: string) {
  return providerError("azure", facts(cause), cause, what, signal, { attempts, deadline });
}

/** Splits `account/container` as stored in {@link BucketRef.name}. */
export const azureParts = (b: BucketRef) => {
  const slash = b.name.indexOf("/");
  return { account: b.name.slice(0, slash), container: b.name.slice(slash + 1) };
};

export function createAzureProvider(options: AzureOptions = {}): StorageProvider {
  const env = process.env;
  const clients = new Map<string, BlobServiceClient>();
  const tokenCredential = options.credential ?? defaultCredential();
  const subscriptionId = options.subscriptionId ?? env.AZURE_SUBSCRIPTION_ID;
  // Management reads need a token: keys, SAS and connection strings only open the data plane.
  const keyed = !!(
    options.connectionString ??
    env.AZURE_STORAGE_CONNECTION_STRING ??
    options.sasToken ??
    env.AZURE_STORAGE_SAS_TOKEN ??
    options.accountKey ??
    env.AZURE_STORAGE_KEY
  );
  const management =
    subscriptionId && !options.anonymous && (options.credential || !keyed)
      ? { subscriptionId, credential: tokenCredential, endpoint: options.managementEndpoint }
      : undefined;
  const accounts = new Map<string, Promise<AccountSettings>>();
  const settingsOf = (account: string, signal?: AbortSignal) => {
    let found = accounts.get(account);
    if (!found) {
      found = readAccountSettings(account, management, { ms: 4 * policy.timeoutMs, signal });
      accounts.set(account, found);
    }
    return found;
  };
  // The anonymous probe needs a URL even when the connection string holds it (Azurite, sovereign clouds).
  const fromConnection = /(?:^|;)BlobEndpoint=([^;]+)/i.exec(
    options.connectionString ?? env.AZURE_STORAGE_CONNECTION_STRING ?? "",
  )?.[1];
  const url = (account: string) => options.endpoint ?? fromConnection ?? `https://${account}.blob.core.windows.net`;
  // One retry layer, ours (retry.ts): the SDK's would multiply attempts, and its tryTimeoutInMs is only a server-side hint.
  const policy = retryPolicy(options);
  const pipeline = { retryOptions: { maxTries: 1 } };
  const service = (account: string, anonymous = false): BlobServiceClient => {
    const key = `${anonymous}:${account}`;
    let client = clients.get(key);
    if (client) return client;
    const connection = options.connectionString ?? env.AZURE_STORAGE_CONNECTION_STRING;
    const sas = options.sasToken ?? env.AZURE_STORAGE_SAS_TOKEN;
    const accountKey = options.accountKey ?? env.AZURE_STORAGE_KEY;
    if (anonymous || options.anonymous)
      client = new BlobServiceClient(url(account), new AnonymousCredential(), pipeline);
    else if (connection) client = BlobServiceClient.fromConnectionString(connection, pipeline);
    else if (sas)
      client = new BlobServiceClient(`${url(account)}?${sas.replace(/^\?/, "")}`, new AnonymousCredential(), pipeline);
    else if (accountKey)
      client = new BlobServiceClient(url(account), new StorageSharedKeyCredential(account, accountKey), pipeline);
    else client = new BlobServiceClient(url(account), tokenCredential, pipeline);
    clients.set(key, client);
    return client;
  };
  const container = (b: BucketRef, anonymous = false): ContainerClient => {
    const { account, container } = azureParts(b);
    return service(account, anonymous).getContainerClient(container);
  };
  /** The retry layer's context for one request: its last error says what failed, and after how many tries. */
  const context = (what: string, signal?: AbortSignal): RetryContext => ({
    policy,
    facts,
    signal,
    fail: (cause, attempts, deadline) => azureError(cause, what, signal, attempts, deadline),
  });
  const retried = <T>(what: string, signal: AbortSignal | undefined, call: (s: AbortSignal) => Promise<T>) =>
    retrying(call, context(what, signal));

  return {
    name: "azure",

    async *listBuckets(signal?: AbortSignal, account?: string) {
      if (!account)
        throw providerError(
          "azure",
          { code: "InvalidTarget" },
          undefined,
          "azure:// needs an account: azure://ACCOUNT",
        );
      // https://learn.microsoft.com/rest/api/storageservices/list-containers2
      let token: string | undefined;
      do {
        const page = await retried(`listing containers of account "${account}" failed`, signal, async (s) => {
          const pages = service(account)
            .listContainers({ abortSignal: s })
            .byPage({ maxPageSize: 5000, continuationToken: token });
          return (await pages.next()).value;
        });
        for (const c of page?.containerItems ?? []) {
          signal?.throwIfAborted();
          yield { provider: "azure", name: `${account}/${c.name}`, url: `azure://${account}/${c.name}` };
        }
        token = page?.continuationToken || undefined;
      } while (token);
    },

    async *listObjects(bucket: BucketRef, opts: ListOptions = {}): AsyncIterable<ObjectRef> {
      // https://learn.microsoft.com/rest/api/storageservices/list-blobs: one page per request, each retried alone.
      const fetchPage = (continuationToken?: string) => {
        const page = retried(`listing container "${bucket.name}" failed`, opts.signal, async (s) => {
          const pages = container(bucket)
            .listBlobsFlat({ prefix: opts.prefix || undefined, includeVersions: opts.versions, abortSignal: s })
            .byPage({ maxPageSize: options.pageSize ?? 5000, continuationToken });
          return (await pages.next()).value;
        });
        page.catch(() => {}); // awaited below; a consumer that stops early must not leave it unhandled
        return page;
      };
      // One page ahead, as on S3: the next page is on its way while this one is scanned.
      let next: ReturnType<typeof fetchPage> | undefined = fetchPage();
      while (next) {
        const page: ContainerListBlobFlatSegmentResponse | undefined = await next;
        next = page?.continuationToken ? fetchPage(page.continuationToken) : undefined;
        for (const b of page?.segment.blobItems ?? []) {
          opts.signal?.throwIfAborted();
          const p = b.properties;
          const ref: ObjectRef = { bucket, key: b.name, size: p.contentLength ?? 0, lastModified: p.lastModified };
          if (p.accessTier) ref.storageClass = p.accessTier;
          if (p.etag) ref.revision = p.etag;
          if (b.versionId && b.isCurrentVersion !== true) ref.versionId = b.versionId;
          yield ref;
        }
      }
    },

    readRange(ref: ObjectRef, opts: ReadOptions): AsyncIterable<Uint8Array> {
      const current = container(ref.bucket).getBlobClient(ref.key);
      const blob = ref.versionId ? current.withVersion(ref.versionId) : current;
      const what = `reading "${ref.key}" failed`;
      // https://learn.microsoft.com/rest/api/storageservices/get-blob (x-ms-range)
      const open = async (offset: number, length: number | undefined, signal: AbortSignal) => {
        if (length === 0) return undefined;
        // maxRetryRequests 0: the SDK's own body retries would hide a stalled body from our deadline.
        const res = await blob.download(offset, length, { abortSignal: signal, maxRetryRequests: 0 });
        const body = res.readableStreamBody as AsyncIterable<Uint8Array> | undefined;
        return body && { body, start: answerStart(res.contentRange, res._response.status, offset) };
      };
      return retryingRead(open, { ...opts, size: ref.size }, context(what, opts.signal));
    },

    describeBucket: async (bucket, signal) =>
      describeAzurePosture(
        container(bucket),
        container(bucket, true),
        await settingsOf(azureParts(bucket).account, signal),
        signal,
        (call) => retrying(call, { policy: posturePolicy(policy), facts, signal, fail: (cause) => cause as Error }),
      ),

    async close() {
      clients.clear();
    },
  };
}

/** DefaultAzureCredential, loaded only when needed: @azure/identity is heavy to import. */
function defaultCredential(): TokenCredential {
  // The credential is created lazily on the first token request, so a synchronous factory is enough.
  let credential: Promise<import("@azure/identity").DefaultAzureCredential> | undefined;
  return {
    async getToken(scopes: string | string[], options?: object) {
      credential ??= import("@azure/identity").then((m) => new m.DefaultAzureCredential());
      return (await credential).getToken(scopes, options);
    },
  };
}
