import { formatBytes } from "../sample/plan.js";
import type { BucketResidue } from "./types.js";

/** Pages of a version listing counted per bucket; beyond, the counts are lower bounds ("≥"). */
export const MAX_RESIDUE_PAGES = 50;

/** One listed item, as Azure and GCS version listings describe it. */
export interface ResidueItem {
  /** A version that is no longer the current one. */
  noncurrent: boolean;
  /** Soft-deleted: recoverable, invisible to a plain listing. */
  softDeleted: boolean;
  size: number;
}

/** Counts residue over pages of items; `more` says the count stopped at the page limit. */
export async function tallyResidue(
  pages: AsyncIterable<ResidueItem[]>,
): Promise<{ residue: BucketResidue; more: boolean }> {
  const residue: BucketResidue = { noncurrentVersions: 0, softDeleted: 0, bytes: 0 };
  let n = 0;
  for await (const page of pages) {
    if (n++ >= MAX_RESIDUE_PAGES) return { residue, more: true };
    for (const item of page) {
      if (item.noncurrent) residue.noncurrentVersions++;
      else if (item.softDeleted) residue.softDeleted = (residue.softDeleted ?? 0) + 1;
      else continue;
      residue.bytes += item.size;
    }
  }
  return { residue, more: false };
}

/**
 * "38 noncurrent version(s), 2 soft-deleted, 1 unfinished upload(s) (1.2 GiB)" for the posture
 * notes: each count the provider gave, none it does not have.
 */
export function residueNote(r: BucketResidue, more: boolean): string {
  const ge = more ? "≥ " : "";
  const parts = [`${ge}${r.noncurrentVersions} noncurrent version(s)`];
  if (r.deleteMarkers !== undefined) parts.push(`${ge}${r.deleteMarkers} delete marker(s)`);
  if (r.softDeleted !== undefined) parts.push(`${ge}${r.softDeleted} soft-deleted`);
  if (r.unfinishedUploads !== undefined) parts.push(`${r.unfinishedUploads} unfinished upload(s)`);
  return `${parts.join(", ")} (${formatBytes(r.bytes)})`;
}
