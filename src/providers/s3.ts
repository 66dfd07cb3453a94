import {
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  type ListObjectVersionsCommand,
} from "@aws-sdk/client-s3";
import { retrying } from "./retry.js";
import { answerStart, retryingRead } from "./retry-read.js";
import { type AccountBlock, readAccountBlock } from "./s3-account.js";
import { createS3Clients, decodeS3Key } from "./s3-client.js";
import { s3Error, s3Facts } from "./s3-errors.js";
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
  /** Deadline of each request attempt (its answer, then each chunk of a body), in ms. Default 30,000. */
  requestTimeoutMs?: number;
  /** Attempts per request for failures that may pass (timeouts, resets, 5xx); throttling is retried for 2 min. Default 4. */
  maxAttempts?: number;
  /** Keys per listing page (max 1,000). Default 1,000. */
  pageSize?: number;
  /** STS and S3 Control endpoints, for private endpoints and tests; on AWS they are found by region. */
  accountEndpoints?: { sts: string; control: string };
}

export function createS3Provider(options: S3Options = {}): StorageProvider {
  const clients = createS3Clients(options);
  const { client, once, policy } = clients;
  let accountBlock: Promise<AccountBlock> | undefined;
  const bucketRef = (name: string): BucketRef => ({ provider: "s3", name, url: `s3://${name}` });
  /** One request under the retry layer, its last error wrapped with what failed and how many tries. */
  const retried = <T>(what: string, signal: AbortSignal | undefined, call: (s: AbortSignal) => Promise<T>) =>
    retrying(call, {
      policy,
      facts: s3Facts,
      signal,
      fail: (cause, attempts, deadline) => s3Error(cause, what, signal, attempts, deadline),
    });

  return {
    name: "s3",

    async *listBuckets(signal?: AbortSignal) {
      let token: string | undefined;
      do {
        // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListBuckets.html
        const command = new ListBucketsCommand({ ContinuationToken: token });
        const page = await retried("listing buckets failed", signal, (s) => once(command, { abortSignal: s }));
        for (const b of page.Buckets ?? []) {
          signal?.throwIfAborted();
          if (b.Name) yield bucketRef(b.Name);
        }
        token = page.ContinuationToken;
      } while (token);
    },

    async *listObjects(bucket: BucketRef, opts: ListOptions = {}): AsyncIterable<ObjectRef> {
      if (opts.versions) {
        const send = (what: string, command: ListObjectVersionsCommand) =>
          retried(what, opts.signal, (s) => once(command, { abortSignal: s }));
        yield* listVersions(send, bucket, opts, options.pageSize ?? 1000);
        return;
      }
      // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
      const fetchPage = (token?: string) => {
        // EncodingType=url: keys holding characters XML 1.0 cannot carry (`\r`, controls) come back intact.
        const command = new ListObjectsV2Command({
          Bucket: bucket.name,
          Prefix: opts.prefix || undefined,
          ContinuationToken: token,
          MaxKeys: options.pageSize ?? 1000,
          EncodingType: "url",
        });
        const page = retried(`listing bucket "${bucket.name}" failed`, opts.signal, (s) =>
          once(command, { abortSignal: s }),
        );
        page.catch(() => {}); // awaited below; a consumer that stops early must not leave it unhandled
        return page;
      };
      // One page ahead: the next page is on its way while this one is being scanned. At most two pages in memory.
      let next: ReturnType<typeof fetchPage> | undefined = fetchPage();
      while (next) {
        const page: Awaited<ReturnType<typeof fetchPage>> = await next;
        next = page.IsTruncated && page.NextContinuationToken ? fetchPage(page.NextContinuationToken) : undefined;
        const encoded = page.EncodingType === "url";
        for (const o of page.Contents ?? []) {
          opts.signal?.throwIfAborted();
          if (o.Key === undefined) continue;
          const key = encoded ? decodeS3Key(o.Key) : o.Key;
          yield {
            bucket,
            key,
            size: o.Size ?? 0,
            lastModified: o.LastModified,
            storageClass: o.StorageClass,
            ...(o.ETag ? { revision: o.ETag } : {}),
          };
        }
      }
    },

    readRange(ref: ObjectRef, opts: ReadOptions): AsyncIterable<Uint8Array> {
      const what = `reading "${ref.key}" failed`;
      // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html (Range: RFC 9110 bytes=first-last)
      const open = async (offset: number, length: number | undefined, signal: AbortSignal) => {
        if (length === 0) return undefined;
        const last = length === undefined ? "" : String(offset + length - 1);
        const command = new GetObjectCommand({
          Bucket: ref.bucket.name,
          Key: ref.key,
          VersionId: ref.versionId,
          Range: `bytes=${offset}-${last}`,
        });
        const res = await once(command, { abortSignal: signal });
        const body = res.Body as AsyncIterable<Uint8Array> | undefined;
        return body && { body, start: answerStart(res.ContentRange, res.$metadata.httpStatusCode, offset) };
      };
      return retryingRead(
        open,
        { ...opts, size: ref.size },
        {
          policy,
          facts: s3Facts,
          signal: opts.signal,
          fail: (cause, attempts, deadline) => s3Error(cause, what, opts.signal, attempts, deadline),
        },
      );
    },

    async describeBucket(bucket: BucketRef, signal?: AbortSignal) {
      // Once per scan: the account-level block applies to every bucket of the account.
      accountBlock ??= readAccountBlock(options, signal);
      return describeS3Posture(client, clients.anonymous(), bucket.name, await accountBlock, signal);
    },

    async close() {
      clients.destroy();
    },
  };
}
