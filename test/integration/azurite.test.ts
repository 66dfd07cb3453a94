import { randomBytes } from "node:crypto";
import { BlobServiceClient } from "@azure/storage-blob";
import { describe, expect, inject, it } from "vitest";
import { AZURITE_ACCOUNT } from "../../src/demo/emulators.js";
import { createAzureProvider } from "../../src/providers/azure.js";
import { parseTarget } from "../../src/providers/index.js";
import type { BucketRef } from "../../src/providers/types.js";
import { putAll, runConformance } from "./conformance.js";

const server = inject("servers").azurite;
const admin = BlobServiceClient.fromConnectionString(server.connectionString);
const settings = { connectionString: server.connectionString, endpoint: server.endpoint };
const account = "devstoreaccount1";
const ref = (container: string): BucketRef => ({
  provider: "azure",
  name: `${account}/${container}`,
  url: `azure://${account}/${container}`,
});

async function containerWith(
  objects: { key: string; body: Buffer }[],
  access?: "blob" | "container",
): Promise<BucketRef> {
  const name = `c-${randomBytes(6).toString("hex")}`;
  const container = admin.getContainerClient(name);
  await container.create(access ? { access } : {});
  await putAll(objects, (o) => container.getBlockBlobClient(o.key).uploadData(o.body));
  return ref(name);
}

runConformance("azure over HTTP (Azurite)", {
  provider: () => createAzureProvider(settings),
  createBucket: (objects) => containerWith(objects),
  missingBucket: () => ref("no-such-container"),
  endpoint: server.endpoint,
  providerVia: (endpoint) =>
    createAzureProvider({ endpoint, accountKey: AZURITE_ACCOUNT.key, pageSize: 100, maxAttempts: 1 }),
});

describe("azure posture on Azurite: declared access level and the anonymous probe agree", () => {
  const provider = createAzureProvider(settings);
  const cases = [
    { access: undefined, read: false, list: false, level: "none (private)" },
    { access: "blob" as const, read: true, list: false, level: "blob" },
    { access: "container" as const, read: true, list: true, level: "container" },
  ];
  for (const c of cases) {
    it(`a ${c.access ?? "private"} container: read ${c.read}, list ${c.list}`, async () => {
      const bucket = await containerWith([{ key: "export.csv", body: Buffer.from("nom;nir\n") }], c.access);
      const posture = await provider.describeBucket(bucket);
      expect(posture).toMatchObject({ publicRead: c.read, publicList: c.list, encryption: "provider-managed" });
      expect(posture.notes).toContain(`public access level: ${c.level}`);
      const probe = `anonymous probe: list ${c.list ? "allowed" : "refused"}, read ${c.read ? "allowed" : "refused"}`;
      expect(posture.notes).toContain(probe);
    });
  }

  it("reads stored access policies and owner metadata", async () => {
    const bucket = await containerWith([]);
    const container = admin.getContainerClient(bucket.name.split("/")[1] as string);
    await container.setMetadata({ owner: "equipe-sil" });
    await container.setAccessPolicy(undefined, [
      { id: "export-sas", accessPolicy: { permissions: "rl", expiresOn: new Date("2027-01-01T00:00:00Z") } },
    ]);
    const posture = await provider.describeBucket(bucket);
    expect(posture.ownerTag).toBe(true);
    expect(posture.notes).toContain("1 stored access policy(ies) for SAS tokens (expiry: 2027-01-01)");
  });

  it("lists every container of an account with azure://ACCOUNT", async () => {
    const bucket = await containerWith([{ key: "a.txt", body: Buffer.from("a") }]);
    const target = parseTarget(`azure://${account}`);
    expect(target).toMatchObject({ provider: "azure", scope: account });
    expect(target.bucket).toBeUndefined();
    const names: string[] = [];
    for await (const b of provider.listBuckets(undefined, target.scope)) names.push(b.url);
    expect(names).toContain(bucket.url);
  });

  it("scans anonymously a public container (--no-sign-request)", async () => {
    const bucket = await containerWith([{ key: "open.txt", body: Buffer.from("ouvert") }], "container");
    const anonymous = createAzureProvider({ endpoint: server.endpoint, anonymous: true });
    const keys: string[] = [];
    for await (const o of anonymous.listObjects(bucket)) keys.push(o.key);
    expect(keys).toEqual(["open.txt"]);
  });
});
