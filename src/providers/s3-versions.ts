import { ListObjectVersionsCommand, type ListObjectVersionsCommandOutput } from "@aws-sdk/client-s3";
import { decodeS3Key } from "./s3-client.js";
import type { BucketRef, ListOptions, ObjectRef } from "./types.js";

/**
 * `--include-versions`: every version of every key (ListObjectVersions), current ones as plain
 * objects and noncurrent ones with their `versionId`, so that a "deleted" export that survives
 * as an old version is read too. Delete markers hold no data and are skipped (they are counted
 * in the posture's residue).
 */
export async function* listVersions(
  /** Sends one page request under the provider's retry layer, its error wrapped with `what`. */
  send: (what: string, command: ListObjectVersionsCommand) => Promise<ListObjectVersionsCommandOutput>,
  bucket: BucketRef,
  opts: ListOptions,
  pageSize: number,
): AsyncIterable<ObjectRef> {
  let KeyMarker: string | undefined;
  let VersionIdMarker: string | undefined;
  do {
    // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
    const command = new ListObjectVersionsCommand({
      Bucket: bucket.name,
      Prefix: opts.prefix || undefined,
      KeyMarker,
      VersionIdMarker,
      MaxKeys: pageSize,
      EncodingType: "url",
    });
    const page = await send(`listing versions of bucket "${bucket.name}" failed`, command);
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
      if (v.ETag) ref.revision = v.ETag;
      if (!v.IsLatest && v.VersionId) ref.versionId = v.VersionId;
      yield ref;
    }
    // The marker is encoded like the keys; the SDK encodes it again in the query: decode it first.
    const marker = page.IsTruncated ? page.NextKeyMarker : undefined;
    KeyMarker = marker !== undefined && page.EncodingType === "url" ? decodeS3Key(marker) : marker;
    VersionIdMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
  } while (KeyMarker);
}
