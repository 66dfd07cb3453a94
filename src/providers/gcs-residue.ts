import type { Bucket } from "@google-cloud/storage";
import { describeFacts, restErrorFacts } from "./errors.js";
import { type ResidueItem, residueNote, tallyResidue } from "./residue.js";
import { once, type Retried } from "./retry.js";
import type { BucketResidue } from "./types.js";

/**
 * Residue a plain listing hides on GCS: noncurrent generations (`objects.list versions=true`,
 * those with `timeDeleted`) and soft-deleted objects (`softDeleted=true`, kept by the bucket's
 * soft-delete policy). Returns undefined, with a note, when refused.
 */
export async function countGcsResidue(
  bucket: Bucket,
  notes: string[],
  signal?: AbortSignal,
  retried: Retried = once(signal),
): Promise<BucketResidue | undefined> {
  async function* pages(query: Record<string, unknown>, as: (m: Record<string, unknown>) => ResidueItem) {
    let pageToken: string | undefined;
    do {
      signal?.throwIfAborted();
      const [files, next] = await retried(() =>
        bucket.getFiles({ ...query, autoPaginate: false, maxResults: 1000, pageToken }),
      );
      yield files.map((f) => as(f.metadata as Record<string, unknown>));
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
    } while (pageToken);
  }
  const item = (noncurrent: boolean, softDeleted: boolean, m: Record<string, unknown>): ResidueItem => ({
    noncurrent,
    softDeleted,
    size: Number(m.size ?? 0),
  });
  try {
    const versions = await tallyResidue(pages({ versions: true }, (m) => item(m.timeDeleted !== undefined, false, m)));
    const soft = await tallyResidue(pages({ softDeleted: true }, (m) => item(false, true, m)));
    const residue: BucketResidue = {
      ...versions.residue,
      softDeleted: soft.residue.softDeleted ?? 0,
      bytes: versions.residue.bytes + soft.residue.bytes,
    };
    notes.push(residueNote(residue, versions.more || soft.more));
    return residue;
  } catch (cause) {
    signal?.throwIfAborted();
    notes.push(`hidden residue unknown (${describeFacts(restErrorFacts(cause))})`);
    return undefined;
  }
}
