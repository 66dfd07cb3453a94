/**
 * The targets of bench/faults.ts: one bucket of 500 small CSV objects, every 20th a patient
 * export with 2 synthetic NIRs (50 NIRs, 50 persons), written straight to each server (not
 * through a proxy), and how the CLI reaches each of them through a proxy.
 */
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { BlobServiceClient } from "@azure/storage-blob";
import { Storage } from "@google-cloud/storage";
import pLimit from "p-limit";
import { seededRandom, syntheticNir } from "../src/demo/synthetic.js";
import type { Protocol } from "../test/helpers/fault-proxy.js";
import { adminClient } from "../test/helpers/s3.js";

export const FAULT_BUCKET = "faults-bench";
const OBJECTS = 500;

/** The 500 objects: every 20th a patient export with 2 NIRs, the others lab lines without any. */
export function faultCorpus(): { key: string; body: Buffer }[] {
  let nir = 0;
  return Array.from({ length: OBJECTS }, (_, i) => {
    const key = `exports/${String(i).padStart(4, "0")}.csv`;
    if (i % 20 !== 0)
      return { key, body: Buffer.from(`analyse;valeur\nglycemie;5,${i % 10} mmol/l\nferritine;${40 + i} ug/l\n`) };
    const rows = [1, 2].map(() => `Martin;Lea;${syntheticNir(seededRandom(++nir))};bilan`);
    return { key, body: Buffer.from(`nom;prenom;num_secu;examen\n${rows.join("\n")}\n`) };
  });
}

/** Writes the corpus into one S3 bucket, one Azure container and one GCS bucket named {@link FAULT_BUCKET}. */
export async function seedAll(azureConnection: string, s3Endpoint: string, gcsEndpoint: string) {
  const corpus = faultCorpus();
  const limit = pLimit(8);
  const s3 = adminClient({ endpoint: s3Endpoint, accessKeyId: "S3RVER", secretAccessKey: "S3RVER" });
  await s3.send(new CreateBucketCommand({ Bucket: FAULT_BUCKET }));
  const container = BlobServiceClient.fromConnectionString(azureConnection).getContainerClient(FAULT_BUCKET);
  await container.create();
  const gcs = new Storage({ apiEndpoint: gcsEndpoint, projectId: "reliquat-demo" }).bucket(FAULT_BUCKET);
  await Promise.all(
    corpus.flatMap((o) => [
      limit(() => s3.send(new PutObjectCommand({ Bucket: FAULT_BUCKET, Key: o.key, Body: o.body }))),
      limit(() => container.getBlockBlobClient(o.key).uploadData(o.body)),
      limit(() => gcs.file(o.key).save(o.body, { resumable: false })),
    ]),
  );
}

/** One provider's target, CLI flags and env through the proxy at `endpoint`. */
export function invocation(
  provider: Protocol,
  endpoint: string,
  azureConnection: string,
): { target: string; flags: string[]; env: Record<string, string> } {
  if (provider === "s3")
    return {
      target: `s3://${FAULT_BUCKET}`,
      flags: ["--endpoint", endpoint],
      env: { AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1" },
    };
  if (provider === "azure")
    return {
      target: `azure://devstoreaccount1/${FAULT_BUCKET}`,
      flags: ["--azure-endpoint", endpoint],
      env: {
        AZURE_STORAGE_CONNECTION_STRING: azureConnection.replace(/BlobEndpoint=[^;]+/, `BlobEndpoint=${endpoint}`),
      },
    };
  return {
    target: `gs://${FAULT_BUCKET}`,
    flags: ["--gcs-endpoint", endpoint],
    env: { GOOGLE_CLOUD_PROJECT: "reliquat-demo" },
  };
}
