import { randomBytes } from "node:crypto";
import { BlobServiceClient } from "@azure/storage-blob";
import { Storage } from "@google-cloud/storage";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type FaultProxy, once, requestKind, startFaultProxy } from "../helpers/fault-proxy.js";

// The fault proxy speaks each protocol: Azure's and GCS's error shapes and request kinds
// (fault-proxy.test.ts proves the fault mechanics themselves on s3rver).
const servers = inject("servers");
const BODY = Buffer.alloc(1000, "a");
const KEYS = ["k1", "k2", "k3", "k4", "k5"];
const nextPageOnce = () => once((r) => r.kind === "list" && r.nextPage);

describe("requestKind", () => {
  it("tells listings, object reads and everything else apart in each protocol", () => {
    const cases: [string, string, "s3" | "azure" | "gcs", string][] = [
      ["GET", "/b?list-type=2&continuation-token=x", "s3", "list"],
      ["GET", "/b/k?x-id=GetObject", "s3", "read"],
      ["GET", "/b/dir/k", "s3", "read"],
      ["HEAD", "/b/k", "s3", "other"],
      ["GET", "/b?acl", "s3", "other"],
      ["GET", "/b?versions&key-marker=k", "s3", "list"],
      ["GET", "/devstoreaccount1/c?restype=container&comp=list&marker=m", "azure", "list"],
      ["GET", "/devstoreaccount1/c/dir/blob.csv", "azure", "read"],
      ["GET", "/devstoreaccount1/c?restype=container&comp=acl", "azure", "other"],
      ["GET", "/storage/v1/b/bkt/o?pageToken=t", "gcs", "list"],
      ["GET", "/storage/v1/b/bkt/o/dir%2Fk?alt=media", "gcs", "read"],
      ["GET", "/storage/v1/b/bkt/o/dir%2Fk", "gcs", "other"],
      ["GET", "/storage/v1/b/bkt/iam", "gcs", "other"],
    ];
    expect(cases.map(([method, url, protocol]) => requestKind({ method, url }, protocol))).toEqual(
      cases.map((c) => c[3]),
    );
  });
});
describe("fault proxy in front of Azurite", () => {
  const container = `fault-${randomBytes(5).toString("hex")}`;
  let proxy: FaultProxy;
  let client: BlobServiceClient;
  beforeAll(async () => {
    const c = BlobServiceClient.fromConnectionString(servers.azurite.connectionString).getContainerClient(container);
    await c.create();
    for (const key of KEYS) await c.getBlockBlobClient(key).uploadData(BODY);
    proxy = await startFaultProxy(servers.azurite.endpoint, "azure");
    const viaProxy = servers.azurite.connectionString.replace(/BlobEndpoint=[^;]+/, `BlobEndpoint=${proxy.endpoint}`);
    client = BlobServiceClient.fromConnectionString(viaProxy, { retryOptions: { maxTries: 1 } });
  });
  afterAll(() => proxy.close());

  it("keeps the account path in its endpoint and classifies list, read and other", async () => {
    expect(new URL(proxy.endpoint).pathname).toBe("/devstoreaccount1");
    proxy.set({});
    const c = client.getContainerClient(container);
    const pages: number[] = [];
    for await (const page of c.listBlobsFlat().byPage({ maxPageSize: 2 })) pages.push(page.segment.blobItems.length);
    expect(pages).toEqual([2, 2, 1]);
    expect((await c.getBlobClient("k1").downloadToBuffer(0, 1000)).equals(BODY)).toBe(true);
    expect(proxy.stats().byKind).toEqual({ list: 3, read: 1, other: 0 });
    await c.getBlobClient("k1").getProperties();
    expect(proxy.stats().byKind.other).toBe(1);
  });

  it("answers 503 ServerBusy: the SDK sees the x-ms-error-code", async () => {
    proxy.set({ throttle: 1 });
    const busy = await client
      .getContainerClient(container)
      .getBlobClient("k1")
      .download()
      .catch((e) => e);
    expect([busy.code, busy.statusCode]).toEqual(["ServerBusy", 503]);
  });

  it("hangs one listing page (comp=list with a marker) until the SDK's abort signal fires", async () => {
    proxy.set({ hang: nextPageOnce() });
    const pages = client
      .getContainerClient(container)
      .listBlobsFlat({ abortSignal: AbortSignal.timeout(1000) })
      .byPage({ maxPageSize: 2 });
    const seen: number[] = [];
    const error = await (async () => {
      for await (const page of pages) seen.push(page.segment.blobItems.length);
    })().catch((e) => e);
    expect([seen, error?.name]).toEqual([[2], "AbortError"]);
    expect(proxy.stats().log.map((l) => [l.fault, /comp=list/.test(l.url) && /marker=/.test(l.url)])).toEqual([
      ["hang", true],
    ]);
  });
});

describe("fault proxy in front of the GCS emulator", () => {
  const name = `fault-${randomBytes(5).toString("hex")}`;
  let proxy: FaultProxy;
  let storage: Storage;
  beforeAll(async () => {
    const admin = new Storage({ apiEndpoint: servers.gcs.endpoint, projectId: "reliquat-demo" }).bucket(name);
    for (const key of KEYS) await admin.file(key).save(BODY, { resumable: false });
    proxy = await startFaultProxy(servers.gcs.endpoint, "gcs");
    storage = new Storage({
      apiEndpoint: proxy.endpoint,
      projectId: "reliquat-demo",
      retryOptions: { autoRetry: false },
      timeout: 1000,
    });
  });
  afterAll(() => proxy.close());

  it("classifies listing pages, media reads and metadata", async () => {
    proxy.set({});
    const [files, next] = await storage.bucket(name).getFiles({ autoPaginate: false, maxResults: 2 });
    await storage
      .bucket(name)
      .getFiles({ autoPaginate: false, maxResults: 2, pageToken: (next as { pageToken: string }).pageToken });
    const [body] = await storage.bucket(name).file("k1").download();
    await files[0]?.getMetadata();
    expect([files.length, body.equals(BODY)]).toEqual([2, true]);
    expect(proxy.stats().byKind).toEqual({ list: 2, read: 1, other: 1 });
  });

  it("answers 429 rateLimitExceeded (default) and 503 backendError in the JSON API's error shape", async () => {
    proxy.set({ throttle: 1 });
    const limited = await storage
      .bucket(name)
      .getFiles({ autoPaginate: false })
      .catch((e) => e);
    expect([limited.code, limited.errors?.[0]?.reason]).toEqual([429, "rateLimitExceeded"]);
    proxy.set({ throttle: 1, throttleStatus: 503 });
    const backend = await storage
      .bucket(name)
      .file("k1")
      .getMetadata()
      .catch((e) => e);
    expect([backend.code, backend.errors?.[0]?.reason]).toEqual([503, "backendError"]);
  });

  it("hangs one listing page (pageToken) until the client's 1 s timeout", async () => {
    proxy.set({ hang: nextPageOnce() });
    const [, next] = await storage.bucket(name).getFiles({ autoPaginate: false, maxResults: 2 });
    const pageToken = (next as { pageToken: string }).pageToken;
    const hung = await storage
      .bucket(name)
      .getFiles({ autoPaginate: false, maxResults: 2, pageToken })
      .catch((e) => e);
    expect([hung.name, hung.message]).toEqual([
      "FetchError",
      expect.stringMatching(/^network timeout at: .*pageToken=/),
    ]);
    expect(proxy.stats()).toMatchObject({ byKind: { list: 2 }, faults: { hang: 1 } });
    expect(proxy.stats().log[0]?.url).toContain("pageToken=");
  });
});
