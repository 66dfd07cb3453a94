import {
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  ListPartsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { MAX_RESIDUE_PAGES as MAX_VERSION_PAGES, residueNote } from "./residue.js";
import { describeS3Error } from "./s3-errors.js";
import type { BucketResidue } from "./types.js";

/** Unfinished uploads whose parts are sized. */
const MAX_SIZED_UPLOADS = 20;

/**
 * Counts what a plain listing hides: noncurrent versions and delete markers
 * (ListObjectVersions), and unfinished multipart uploads with the size of their parts
 * (ListMultipartUploads, ListParts). Returns undefined, with a note, when the server refuses.
 * `neverVersioned`: GetBucketVersioning gave no status, so versioning was never enabled and no
 * noncurrent version or delete marker can exist; the version listing (a second listing of the
 * whole bucket, up to 50 pages) is skipped.
 */
export async function countResidue(
  client: S3Client,
  Bucket: string,
  notes: string[],
  signal?: AbortSignal,
  neverVersioned = false,
): Promise<BucketResidue | undefined> {
  const r = { noncurrentVersions: 0, deleteMarkers: 0, unfinishedUploads: 0, bytes: 0 } satisfies BucketResidue;
  let more = false;
  try {
    let KeyMarker: string | undefined;
    let VersionIdMarker: string | undefined;
    for (let page = 0; page < (neverVersioned ? 0 : MAX_VERSION_PAGES); page++) {
      const res = await client.send(new ListObjectVersionsCommand({ Bucket, KeyMarker, VersionIdMarker }), {
        abortSignal: signal,
      });
      for (const v of res.Versions ?? []) {
        if (v.IsLatest) continue;
        r.noncurrentVersions++;
        r.bytes += v.Size ?? 0;
      }
      r.deleteMarkers += res.DeleteMarkers?.length ?? 0;
      more = res.IsTruncated === true;
      if (!more) break;
      KeyMarker = res.NextKeyMarker;
      VersionIdMarker = res.NextVersionIdMarker;
    }
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket }), { abortSignal: signal });
    r.unfinishedUploads = uploads.Uploads?.length ?? 0;
    for (const u of (uploads.Uploads ?? []).slice(0, MAX_SIZED_UPLOADS)) {
      const parts = await client.send(new ListPartsCommand({ Bucket, Key: u.Key, UploadId: u.UploadId }), {
        abortSignal: signal,
      });
      r.bytes += (parts.Parts ?? []).reduce((n, p) => n + (p.Size ?? 0), 0);
    }
  } catch (cause) {
    signal?.throwIfAborted();
    notes.push(`hidden residue unknown (${describeS3Error(cause)})`);
    return undefined;
  }
  notes.push(residueNote(r, more) + (neverVersioned ? "; versions not listed: never versioned" : ""));
  return r;
}
