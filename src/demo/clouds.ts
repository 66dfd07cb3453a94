import { gzipSync } from "node:zlib";
import { BlobServiceClient } from "@azure/storage-blob";
import { Storage } from "@google-cloud/storage";
import { AZURITE_ACCOUNT, type LocalEmulator, startAzurite, startGcsEmulator } from "./emulators.js";
import { patientCsv, SYNTHETIC_MARK, seededRandom } from "./synthetic.js";

/** The Azure and GCS half of the demo: what the servers are, and what to scan on them. */
export interface DemoClouds {
  azure: LocalEmulator & { connectionString: string };
  gcs: LocalEmulator;
  /** Targets to scan: every container of the Azurite account, and the GCS bucket. */
  targets: string[];
  stop(): Promise<void>;
}

export const DEMO_GCS_BUCKET = "hds-sauvegarde-2020";

/**
 * Starts Azurite and the GCS emulator and seeds them (deterministic, seed 2022): a lab-transfer
 * container left with public "container" access on Azure, a harmless private one, and a backup
 * bucket on GCS holding a gzipped patient export. Emulators cannot backdate objects, so these
 * look recent: exposure comes from access and content here, staleness from the S3 half.
 */
export async function startDemoClouds(): Promise<DemoClouds> {
  const [azure, gcs] = await Promise.all([startAzurite(), startGcsEmulator()]);
  try {
    const rng = seededRandom(2022);
    const blob = BlobServiceClient.fromConnectionString(azure.connectionString);
    const transfer = blob.getContainerClient("sil-transfert-2022");
    await transfer.create({ access: "container" });
    const csv = patientCsv(rng, 150);
    await transfer.getBlockBlobClient("export/patients.csv").uploadData(Buffer.from(csv.text, "latin1"));
    await transfer.getBlockBlobClient("LISEZMOI_SYNTHETIQUE.txt").uploadData(Buffer.from(`${SYNTHETIC_MARK}\n`));
    const logs = blob.getContainerClient("app-logs");
    await logs.create();
    await logs.getBlockBlobClient("2026/11/app.log").uploadData(Buffer.from(`# ${SYNTHETIC_MARK}\nGET /health 200\n`));

    const bucket = new Storage({ apiEndpoint: gcs.endpoint, projectId: "reliquat-demo" }).bucket(DEMO_GCS_BUCKET);
    const backup = patientCsv(rng, 80);
    await bucket
      .file("backup/patients_2020.csv.gz")
      .save(gzipSync(Buffer.from(backup.text, "latin1")), { resumable: false });
    await bucket.file("LISEZMOI_SYNTHETIQUE.txt").save(`${SYNTHETIC_MARK}\n`, { resumable: false });
  } catch (error) {
    await Promise.all([azure.stop(), gcs.stop()]);
    throw error;
  }
  return {
    azure,
    gcs,
    targets: [`azure://${AZURITE_ACCOUNT.name}`, `gs://${DEMO_GCS_BUCKET}`],
    stop: async () => {
      await Promise.all([azure.stop(), gcs.stop()]);
    },
  };
}
