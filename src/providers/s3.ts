import {
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { type AccountBlock, readAccountBlock } from "./s3-account.js";
import { s3Error } from "./s3-errors.js";
import { describeS3Posture } from "./s3-posture.js";
import { listVersions } from "./s3-versions.js";
import type { BucketRef, ListOptions, ObjectRef, ReadOptions, StorageProvider } from "./types.js";

/** S3 and S3-compatible hosts (OVHcloud, Scaleway, Outscale, MinIO, Ceph RGW). */
export interface S3Options {
  /** Custom endpoint for S3-compatible hosts, e.g. `https://s3.gra.io.cloud.ovh.net`. Default: AWS. */
  endpoint?: string;
  /** Region; default `AWS_REGION`, else `us-east-1`. */
  region?: string;
  /** Path-style URLs (`host/bucket/key`); required by most S3-compatible hosts. Default: true with an endpoint. */
  forcePathStyle?: boolean;
  /** Send unsigned requests, for public buckets. Default: false (default credential chain). */
  noSignRequest?: boolean;
  /** Static credentials; default: the SDK's default chain (env, profile, SSO, IMDS…). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Timeout for each HTTP request, in ms. Default 30,000. */
  requestTimeoutMs?: number;
  /** Attempts per request with the SDK's adaptive retry mode. Default 4. */
  maxAttempts?: number;
  /** Keys per listing page (max 1,000). Default 1,000. */
  pageSize?: number;
  /** STS and S3 Control endpoints, for private endpoints and tests; on AWS they are found by region. */
  accountEndpoints?: { sts: string; control: string };
}

export function createS3Provider(options: S3Options = {}): StorageProvider {
  const config: S3ClientConfig = {
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle ?? options.endpoint !== undefined,
    retryMode: "adaptive",
    maxAttempts: options.maxAttempts ?? 4,
    requestHandler: { requestTimeout: options.requestTimeoutMs ?? 30_000, connectionTimeout: 5_000 },
  };
  if (options.credentials) config.credentials = options.credentials;
  // Anonymous access: a signer that leaves the request untouched, like the CLI's --no-sign-request.
  const unsigned: S3ClientConfig = {
    ...config,
    credentials: { accessKeyId: "", secretAccessKey: "" },
    signer: { sign: async (request) => request },
    maxAttempts: 1,
  };
  const client = new S3Client(options.noSignRequest ? { ...unsigned, maxAttempts: config.maxAttempts } : config);
  let probeClient: S3Client | undefined;
  let accountBlock: Promise<AccountBlock> | undefined;
  const anonymous = () => {
    probeClient ??= new S3Client(unsigned);
    return probeClient;
  };
  const bucketRef = (name: string): BucketRef => ({ provider: "s3", name, url: `s3://${name}` });

  return {
    name: "s3",

    async *listBuckets(signal?: AbortSignal) {
      let token: string | undefined;
      do {
        // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
        const page = await client
          .send(new ListBucketsCommand({ ContinuationToken: token }), { abortSignal: signal })
          .catch((cause) => {
            throw s3Error(cause, "listing buckets failed", signal);
          });
        for (const b of page.Buckets ?? []) {
          signal?.throwIfAborted();
          if (b.Name) yield bucketRef(b.Name);
        }
        token = page.ContinuationToken;
      } while (token);
    },

    async *listObjects(bucket: BucketRef, opts: ListOptions = {}): AsyncIterable<ObjectRef> {
      if (opts.versions) {
        yield* listVersions(client, bucket, opts, options.pageSize ?? 1000);
        return;
      }
      // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
      const fetchPage = (token?: string) => {
        const command = new ListObjectsV2Command({
          Bucket: bucket.name,
          Prefix: opts.prefix || undefined,
          ContinuationToken: token,
          MaxKeys: options.pageSize ?? 1000,
        });
        const page = client.send(command, { abortSignal: opts.signal }).catch((cause) => {
          throw s3Error(cause, `listing bucket "${bucket.name}" failed`, opts.signal);
        });
        page.catch(() => {}); // awaited below; a consumer that stops early must not leave it unhandled
        return page;
      };
      // One page ahead: the next page is on its way while this one is being scanned. At most two pages in memory.
      let next: ReturnType<typeof fetchPage> | undefined = fetchPage();
      while (next) {
        const page: Awaited<ReturnType<typeof fetchPage>> = await next;
        next = page.IsTruncated && page.NextContinuationToken ? fetchPage(page.NextContinuationToken) : undefined;
        for (const o of page.Contents ?? []) {
          opts.signal?.throwIfAborted();
          if (o.Key === undefined) continue;
          yield { bucket, key: o.Key, size: o.Size ?? 0, lastModified: o.LastModified, storageClass: o.StorageClass };
        }
      }
    },

    async *readRange(ref: ObjectRef, opts: ReadOptions): AsyncIterable<Uint8Array> {
      if (opts.length === 0) return;
      const last = opts.length === undefined ? "" : String(opts.offset + opts.length - 1);
      // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (Range: RFC 9110 bytes=first-last)
      const res = await client
        .send(
          new GetObjectCommand({
            Bucket: ref.bucket.name,
            Key: ref.key,
            VersionId: ref.versionId,
            Range: `bytes=${opts.offset}-${last}`,
          }),
          {
            abortSignal: opts.signal,
          },
        )
        .catch((cause) => {
          throw s3Error(cause, `reading "${ref.key}" failed`, opts.signal);
        });
      const body = res.Body as AsyncIterable<Uint8Array> | undefined;
      if (!body) return;
      try {
        for await (const chunk of body) yield chunk;
      } catch (cause) {
        throw s3Error(cause, `reading "${ref.key}" was interrupted`, opts.signal);
      }
    },

    async describeBucket(bucket: BucketRef, signal?: AbortSignal) {
      // Once per scan: the account-level block applies to every bucket of the account.
      accountBlock ??= readAccountBlock(options, signal);
      return describeS3Posture(client, anonymous(), bucket.name, await accountBlock, signal);
    },

    async close() {
      client.destroy();
      probeClient?.destroy();
    },
  };
}
