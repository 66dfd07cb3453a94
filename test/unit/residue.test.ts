/**
 * Residue counting on Azure and GCS with in-memory fakes of the SDK page shapes: Azurite and the
 * Firebase emulator ignore `include=versions,deleted` and `versions` / `softDeleted`, so the
 * listing code runs over HTTP in the conformance suites and the counting runs here.
 */

import type { ContainerClient } from "@azure/storage-blob";
import type { Bucket } from "@google-cloud/storage";
import { describe, expect, it } from "vitest";
import { countAzureResidue } from "../../src/providers/azure-residue.js";
import { countGcsResidue } from "../../src/providers/gcs-residue.js";
import { MAX_RESIDUE_PAGES, tallyResidue } from "../../src/providers/residue.js";

function fakeContainer(items: object[], fail?: Error): ContainerClient {
  return {
    listBlobsFlat: (options: { includeVersions?: boolean; includeDeleted?: boolean }) => ({
      byPage: () =>
        (async function* () {
          if (fail) throw fail;
          expect(options).toMatchObject({ includeVersions: true, includeDeleted: true });
          yield { segment: { blobItems: items } };
        })(),
    }),
  } as unknown as ContainerClient;
}

describe("hidden residue (in-memory fakes of the SDK pages)", () => {
  it("Azure: previous versions and soft-deleted blobs, with their bytes", async () => {
    const notes: string[] = [];
    const residue = await countAzureResidue(
      fakeContainer([
        { name: "export.csv", versionId: "v3", isCurrentVersion: true, properties: { contentLength: 10 } },
        { name: "export.csv", versionId: "v2", isCurrentVersion: false, properties: { contentLength: 200 } },
        { name: "export.csv", versionId: "v1", properties: { contentLength: 300 } },
        { name: "dump.sql", deleted: true, properties: { contentLength: 4000 } },
        { name: "plain.txt", properties: { contentLength: 5 } },
      ]),
      notes,
    );
    expect(residue).toEqual({
      noncurrentVersions: 2,
      softDeleted: 1,
      bytes: 4500,
    });
    expect(notes).toEqual(["2 noncurrent version(s), 1 soft-deleted (4.4 KiB)"]);
  });

  it("Azure: a refused listing is unknown, never zero", async () => {
    const notes: string[] = [];
    const denied = Object.assign(new Error("denied"), { statusCode: 403, code: "AuthorizationPermissionMismatch" });
    expect(await countAzureResidue(fakeContainer([], denied), notes)).toBeUndefined();
    expect(notes[0]).toMatch(/^hidden residue unknown \(.*HTTP 403\)/);
  });

  it("GCS: noncurrent generations (timeDeleted) and soft-deleted objects", async () => {
    const queries: object[] = [];
    const bucket = {
      getFiles: async (query: { versions?: boolean; softDeleted?: boolean }) => {
        queries.push(query);
        const metadata = query.softDeleted
          ? [{ size: "70" }]
          : [
              { size: "5" },
              { size: "11", timeDeleted: "2024-01-01T00:00:00Z" },
              { size: "13", timeDeleted: "2024-02-01T00:00:00Z" },
            ];
        return [metadata.map((m) => ({ metadata: m })), null];
      },
    } as unknown as Bucket;
    const notes: string[] = [];
    expect(await countGcsResidue(bucket, notes)).toEqual({
      noncurrentVersions: 2,
      softDeleted: 1,
      bytes: 94,
    });
    expect(queries).toMatchObject([{ versions: true }, { softDeleted: true }]);
  });

  it("stops counting at the page limit and says the counts are lower bounds", async () => {
    const many = (async function* () {
      for (let i = 0; i < MAX_RESIDUE_PAGES + 5; i++) yield [{ noncurrent: true, softDeleted: false, size: 1 }];
    })();
    const { residue, more } = await tallyResidue(many);
    expect(more).toBe(true);
    expect(residue.noncurrentVersions).toBe(MAX_RESIDUE_PAGES);
  });
});
