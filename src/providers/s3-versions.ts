import { ListObjectVersionsCommand, type S3Client } from "@aws-sdk/client-s3";
import { decodeS3Key } from "./s3-client.js";
import { s3Error } from "./s3-errors.js";
import type { BucketRef, ListOptions, ObjectRef } from "./types.js";

/**
 * `--include-versions`: every version of every key (ListObjectVersions), current ones as plain
 * objects and noncurrent ones with their `versionId`, so that a "deleted" export that survives
 * as an old version is read too. Delete markers hold no data and are skipped (they are counted
 * in the posture's residue).
 */
export async function* listVersions(
  client: S3Client,
  bucket: BucketRef,
  opts: ListOptions,
  pageSize: number,
): AsyncIterable<ObjectRef> {
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  do {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
    const page = await client
      .send(
        new ListObjectVersionsCommand({
          Bucket: bucket.name,
          Prefix: opts.prefix || undefined,
          KeyMarker,
          VersionIdMarker,
          MaxKeys: pageSize,
          EncodingType: "url",
        }),
        { abortSignal: opts.signal },
      )
      .catch((cause) => {
        throw s3Error(cause, `listing versions of bucket "${bucket.name}" failed`, opts.signal);
      });
    for (const v of page.Versions ?? []) {
      opts.signal?.throwIfAborted();
      if (v.Key === undefined) continue;
      const ref: ObjectRef = {
        bucket,
        key: page.EncodingType === "url" ? decodeS3Key(v.Key) : v.Key,
        size: v.Size ?? 0,
        lastModified: v.LastModified,
        storageClass: v.StorageClass,
      };
      if (!v.IsLatest && v.VersionId) ref.versionId = v.VersionId;
      yield ref;
    }
    // The marker is encoded like the keys; the SDK encodes it again in the query: decode it first.
    const marker = page.IsTruncated ? page.NextKeyMarker : undefined;
    KeyMarker = marker !== undefined && page.EncodingType === "url" ? decodeS3Key(marker) : marker;
    VersionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (KeyMarker);
}
