import { residueNote } from "../providers/residue.js";
import type { BucketReport } from "./types.js";

/** "38 noncurrent version(s), 1 delete marker(s), 2 unfinished upload(s) (1.2 GiB)", or "" when none or unknown. */
export function residueLine(b: BucketReport): string {
  const r = b.posture.residue;
  if (!r || r.noncurrentVersions + r.deleteMarkers + r.unfinishedUploads + (r.softDeleted ?? 0) === 0) return "";
  // Unfinished uploads and delete markers exist on S3 only.
  return residueNote(r, false, b.provider === "s3");
}
