import type { TokenCredential } from "@azure/core-auth";
import {
  AnonymousCredential,
  BlobServiceClient,
  type ContainerClient,
  StorageSharedKeyCredential,
} from "@azure/storage-blob";
import { type AccountSettings, readAccountSettings } from "./azure-account.js";
import { describeAzurePosture } from "./azure-posture.js";
import { restErrorFacts as facts, providerError } from "./errors.js";
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
  /** Timeout for each request, in ms. Default 30,000. */
  requestTimeoutMs?: number;
  /** Attempts per request, with exponential back-off. Default 4. */
  maxAttempts?: number;
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
  const settingsOf = (account: string) => {
    let found = accounts.get(account);
    if (!found) {
      found = readAccountSettings(account, management);
      accounts.set(account, found);
    }
    return found;
  };
  // The anonymous probe needs a URL even when the connection string holds it (Azurite, sovereign clouds).
  const fromConnection = /(?:^|;)BlobEndpoint=([^;]+)/i.exec(
    options.connectionString ?? env.AZURE_STORAGE_CONNECTION_STRING ?? "",
  )?.[1];
  const url = (account: string) => options.endpoint ?? fromConnection ?? `https://${account}.blob.core.windows.net`;
  const pipeline = {
    retryOptions: { maxTries: options.maxAttempts ?? 4, tryTimeoutInMs: options.requestTimeoutMs ?? 30_000 },
  };
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
  const fail = (cause: unknown, what: string, signal?: AbortSignal) =>
    providerError("azure", facts(cause), cause, what, signal);

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
      const pages = service(account).listContainers().byPage({ maxPageSize: 5000 });
      try {
        for await (const page of pages) {
          for (const c of page.containerItems ?? []) {
            signal?.throwIfAborted();
            yield { provider: "azure", name: `${account}/${c.name}`, url: `azure://${account}/${c.name}` };
          }
        }
      } catch (cause) {
        throw fail(cause, `listing containers of account "${account}" failed`, signal);
      }
    },

    async *listObjects(bucket: BucketRef, opts: ListOptions = {}): AsyncIterable<ObjectRef> {
      const pages = container(bucket)
        .listBlobsFlat({ prefix: opts.prefix || undefined, includeVersions: opts.versions, abortSignal: opts.signal })
        .byPage({ maxPageSize: options.pageSize ?? 5000 });
      try {
        for await (const page of pages) {
          for (const b of page.segment.blobItems) {
            opts.signal?.throwIfAborted();
            const p = b.properties;
            const ref: ObjectRef = { bucket, key: b.name, size: p.contentLength ?? 0, lastModified: p.lastModified };
            if (p.accessTier) ref.storageClass = p.accessTier;
            if (b.versionId && b.isCurrentVersion !== true) ref.versionId = b.versionId;
            yield ref;
          }
        }
      } catch (cause) {
        throw fail(cause, `listing container "${bucket.name}" failed`, opts.signal);
      }
    },

    async *readRange(ref: ObjectRef, opts: ReadOptions): AsyncIterable<Uint8Array> {
      if (opts.length === 0) return;
      const current = container(ref.bucket).getBlobClient(ref.key);
      const blob = ref.versionId ? current.withVersion(ref.versionId) : current;
      // https://learn.microsoft.com/rest/api/storageservices/get-blob (x-ms-range)
      const res = await blob.download(opts.offset, opts.length, { abortSignal: opts.signal }).catch((cause) => {
        throw fail(cause, `reading "${ref.key}" failed`, opts.signal);
      });
      const body = res.readableStreamBody as AsyncIterable<Uint8Array> | undefined;
      if (!body) return;
      try {
        for await (const chunk of body) yield chunk;
      } catch (cause) {
        throw fail(cause, `reading "${ref.key}" was interrupted`, opts.signal);
      }
    },

    describeBucket: async (bucket, signal) =>
      describeAzurePosture(
        container(bucket),
        container(bucket, true),
        await settingsOf(azureParts(bucket).account),
        signal,
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
