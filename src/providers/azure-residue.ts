import type { ContainerClient } from "@azure/storage-blob";
import { describeFacts, restErrorFacts } from "./errors.js";
import { type ResidueItem, residueNote, tallyResidue } from "./residue.js";
import type { BucketResidue } from "./types.js";

/**
 * Residue a plain listing hides on Azure: previous blob versions and soft-deleted blobs, from
 * one List Blobs with `include=versions,deleted`. Uncommitted blocks are not counted: the
 * listing does not tell them apart reliably. Returns undefined, with a note, when refused.
 */
export async function countAzureResidue(
  container: ContainerClient,
  notes: string[],
  signal?: AbortSignal,
): Promise<BucketResidue | undefined> {
  const listing = container
    .listBlobsFlat({ includeVersions: true, includeDeleted: true, abortSignal: signal })
    .byPage({ maxPageSize: 5000 });
  async function* items(): AsyncIterable<ResidueItem[]> {
    for await (const page of listing)
      yield page.segment.blobItems.map((b) => ({
        noncurrent: b.versionId !== undefined && b.isCurrentVersion !== true && b.deleted !== true,
        softDeleted: b.deleted === true,
        size: b.properties.contentLength ?? 0,
      }));
  }
  try {
    const { residue, more } = await tallyResidue(items());
    notes.push(residueNote(residue, more, false));
    return residue;
  } catch (cause) {
    signal?.throwIfAborted();
    notes.push(`hidden residue unknown (${describeFacts(restErrorFacts(cause))})`);
    return undefined;
  }
}
