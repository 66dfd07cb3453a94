import { residueNote } from "../providers/residue.js";
import type { BucketReport } from "./types.js";

/** "38 noncurrent version(s), 1 delete marker(s), 2 unfinished upload(s) (1.2 GiB)", or "" when none or unknown. */
export function residueLine(b: BucketReport): string {
  const r = b.posture.residue;
  const total = r
    ? r.noncurrentVersions + (r.deleteMarkers ?? 0) + (r.unfinishedUploads ?? 0) + (r.softDeleted ?? 0)
    : 0;
  if (!r || total === 0) return "";
  return residueNote(r, false);
}
