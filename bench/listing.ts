/**
 * Figure 6: listing throughput (keys/s) of each provider against a bare SDK listing loop with
 * the same page size on the same server, in the same run (goal ≥ 90%), and the listing's peak
 * RSS as the key count grows tenfold on Azurite (goal: constant memory).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { BlobServiceClient } from "@azure/storage-blob";
import { Storage } from "@google-cloud/storage";
import pLimit from "p-limit";
import type { LocalEmulator } from "../src/demo/emulators.js";
import type { LocalS3 } from "../src/demo/s3rver.js";
import type { StorageProvider } from "../src/providers/types.js";

const run = promisify(execFile);
const dist = (file: string) => new URL(`../dist/${file}`, import.meta.url).href;
const ROUNDS = 3;

export interface ListingFigure {
  provider: string;
  keys: number;
  reliquat: number;
  bare: number;
  ratio: number;
}

async function best(fn: () => Promise<number>): Promise<number> {
  let top = 0;
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    const n = await fn();
    top = Math.max(top, n / ((performance.now() - started) / 1000));
  }
  return top;
}

async function count(provider: StorageProvider, bucket: { provider: string; name: string; url: string }) {
  let n = 0;
  for await (const _ of provider.listObjects(bucket)) n++;
  return n;
}

async function seed(n: number, put: (key: string) => Promise<unknown>, concurrency = 32) {
  const limit = pLimit(concurrency);
  await Promise.all(Array.from({ length: n }, (_, i) => limit(() => put(`k/${String(i).padStart(7, "0")}`))));
}

export async function benchListingS3(s3: LocalS3, keys: number): Promise<ListingFigure> {
  const { createS3Provider } = (await import(dist("providers/s3.js"))) as typeof import("../src/providers/s3.js");
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: s3.credentials,
  });
  await client.send(new (await import("@aws-sdk/client-s3")).CreateBucketCommand({ Bucket: "bench-list" }));
  const { PutObjectCommand } = await import("@aws-sdk/client-s3");
  await seed(keys, (Key) => client.send(new PutObjectCommand({ Bucket: "bench-list", Key, Body: "x" })));
  const provider = createS3Provider({ endpoint: s3.endpoint, credentials: s3.credentials });
  const bucket = { provider: "s3", name: "bench-list", url: "s3://bench-list" };
  const bare = async () => {
    let n = 0;
    let token: string | undefined;
    do {
      const page = await client.send(
        new ListObjectsV2Command({ Bucket: "bench-list", ContinuationToken: token, MaxKeys: 1000 }),
      );
      n += page.Contents?.length ?? 0;
      token = page.NextContinuationToken;
    } while (token);
    return n;
  };
  return figure("s3 (s3rver)", keys, await best(() => count(provider, bucket)), await best(bare));
}

export async function seedAzure(azure: LocalEmulator & { connectionString: string }, container: string, keys: number) {
  const c = BlobServiceClient.fromConnectionString(azure.connectionString).getContainerClient(container);
  await c.create();
  // Azurite's in-memory store slows down with concurrency and count (measured: 370 blobs/s at 8, falling).
  await seed(keys, (key) => c.getBlockBlobClient(key).upload("x", 1), 8);
}

export async function benchListingAzure(
  azure: LocalEmulator & { connectionString: string },
  keys: number,
): Promise<ListingFigure> {
  const { createAzureProvider } = (await import(
    dist("providers/azure.js")
  )) as typeof import("../src/providers/azure.js");
  await seedAzure(azure, "bench-list", keys);
  const c = BlobServiceClient.fromConnectionString(azure.connectionString).getContainerClient("bench-list");
  const provider = createAzureProvider({ connectionString: azure.connectionString });
  const bucket = { provider: "azure", name: "devstoreaccount1/bench-list", url: "azure://devstoreaccount1/bench-list" };
  const bare = async () => {
    let n = 0;
    for await (const page of c.listBlobsFlat().byPage({ maxPageSize: 5000 })) n += page.segment.blobItems.length;
    return n;
  };
  return figure("azure (Azurite)", keys, await best(() => count(provider, bucket)), await best(bare));
}

export async function benchListingGcs(gcs: LocalEmulator, keys: number): Promise<ListingFigure> {
  const { createGcsProvider } = (await import(dist("providers/gcs.js"))) as typeof import("../src/providers/gcs.js");
  const b = new Storage({ apiEndpoint: gcs.endpoint, projectId: "bench" }).bucket("bench-list");
  await seed(keys, (key) => b.file(key).save("x", { resumable: false }));
  const provider = createGcsProvider({ apiEndpoint: gcs.endpoint, projectId: "bench" });
  const bucket = { provider: "gcs", name: "bench-list", url: "gs://bench-list" };
  const bare = async () => {
    let n = 0;
    let pageToken: string | undefined;
    do {
      const [files, next] = await b.getFiles({ autoPaginate: false, maxResults: 1000, pageToken });
      n += files.length;
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
    } while (pageToken);
    return n;
  };
  return figure("gcs (emulator)", keys, await best(() => count(provider, bucket)), await best(bare));
}

function figure(provider: string, keys: number, reliquat: number, bare: number): ListingFigure {
  return { provider, keys, reliquat, bare, ratio: reliquat / bare };
}

/**
 * Memory of a fresh process listing `container` on Azurite through the built provider, with
 * small pages so that both sizes span many pages: the largest live heap after a forced GC
 * (sampled every 500 keys: what the listing keeps) and the peak RSS (which also shows how lazily
 * V8 collects garbage, so it grows with the run's length even when nothing is kept).
 */
export async function listingMemory(
  azure: LocalEmulator & { connectionString: string },
  container: string,
): Promise<{ keys: number; liveMB: number; rssMB: number }> {
  const code = `
    const { createAzureProvider } = await import(${JSON.stringify(dist("providers/azure.js"))});
    const p = createAzureProvider({ connectionString: ${JSON.stringify(azure.connectionString)}, pageSize: 100 });
    let n = 0;
    let live = 0;
    for await (const _ of p.listObjects({ provider: "azure", name: "devstoreaccount1/${container}", url: "" })) {
      if (++n % 500 === 0) {
        globalThis.gc();
        live = Math.max(live, process.memoryUsage().heapUsed);
      }
    }
    console.log(JSON.stringify({ keys: n, liveMB: live / 1e6, rssMB: process.resourceUsage().maxRSS / 1024 }));`;
  const { stdout } = await run(process.execPath, ["--expose-gc", "--input-type=module", "-e", code], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim());
}
