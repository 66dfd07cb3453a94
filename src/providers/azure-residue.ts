import type { ContainerClient, ContainerListBlobFlatSegmentResponse } from "@azure/storage-blob";
import { describeFacts, restErrorFacts } from "./errors.js";
import { type ResidueItem, residueNote, tallyResidue } from "./residue.js";
import { once, type Retried } from "./retry.js";
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
  retried: Retried = once(signal),
): Promise<BucketResidue | undefined> {
  async function* items(): AsyncIterable<ResidueItem[]> {
    let continuationToken: string | undefined;
    do {
      const page: ContainerListBlobFlatSegmentResponse | undefined = await retried(
        async (s) =>
          (
            await container
              .listBlobsFlat({ includeVersions: true, includeDeleted: true, abortSignal: s })
              .byPage({ maxPageSize: 5000, continuationToken })
              .next()
          ).value,
      );
      continuationToken = page?.continuationToken || undefined;
      yield (page?.segment.blobItems ?? []).map((b) => ({
        noncurrent: b.versionId !== undefined && b.isCurrentVersion !== true && b.deleted !== true,
        softDeleted: b.deleted === true,
        size: b.properties.contentLength ?? 0,
      }));
    } while (continuationToken);
  }
  try {
    const { residue, more } = await tallyResidue(items());
    notes.push(residueNote(residue, more));
    return residue;
  } catch (cause) {
    signal?.throwIfAborted();
    notes.push(`hidden residue unknown (${describeFacts(restErrorFacts(cause))})`);
    return undefined;
  }
}
