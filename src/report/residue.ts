import { formatBytes } from "../sample/plan.js";
import type { BucketReport } from "./types.js";

/** "38 noncurrent version(s), 1 delete marker(s), 2 unfinished upload(s) (1.2 GiB)", or "" when none or unknown. */
export function residueLine(b: BucketReport): string {
  const r = b.posture.residue;
  if (!r || r.noncurrentVersions + r.deleteMarkers + r.unfinishedUploads === 0) return "";
  return `${r.noncurrentVersions} noncurrent version(s), ${r.deleteMarkers} delete marker(s), ${r.unfinishedUploads} unfinished upload(s) (${formatBytes(r.bytes)})`;
}
