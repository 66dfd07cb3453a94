/**
 * FIXTURE test: Azurite has no management plane. A small HTTP server answers Azure Resource
 * Manager's Storage Accounts - List and Blob Services - Get Service Properties as the REST
 * reference documents them; Azurite serves the container (data plane) itself.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createAzureProvider } from "../../src/providers/azure.js";
import { readAccountSettings } from "../../src/providers/azure-account.js";

const SUB = "00000000-0000-0000-0000-000000000001";
const ACCOUNT_ID = `/subscriptions/${SUB}/resourceGroups/rg-labo/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`;
const seen: string[] = [];

function handle(req: IncomingMessage, res: ServerResponse) {
  seen.push(`${req.method} ${req.url?.split("?")[0]} ${req.headers.authorization ?? ""}`);
  res.setHeader("content-type", "application/json");
  const path = req.url?.split("?")[0] ?? "";
  if (path === `/subscriptions/${SUB}/providers/Microsoft.Storage/storageAccounts`) {
    res.end(
      JSON.stringify({
        value: [
          {
            id: ACCOUNT_ID,
            name: "devstoreaccount1",
            type: "Microsoft.Storage/storageAccounts",
            location: "francecentral",
            properties: { allowBlobPublicAccess: false },
          },
        ],
      }),
    );
  } else if (path === `${ACCOUNT_ID}/blobServices/default`) {
    res.end(
      JSON.stringify({
        id: `${ACCOUNT_ID}/blobServices/default`,
        name: "default",
        type: "Microsoft.Storage/storageAccounts/blobServices",
        properties: { isVersioningEnabled: true, deleteRetentionPolicy: { enabled: true, days: 14 } },
      }),
    );
  } else {
    res.statusCode = 404;
    res.end(JSON.stringify({ error: { code: "ResourceNotFound", message: "not found" } }));
  }
}

// Azure's pipeline sends bearer tokens over HTTPS only: the fixture serves a throwaway
// self-signed certificate, trusted by this test process alone.
const dir = mkdtempSync(path.join(tmpdir(), "reliquat-arm-"));
execFileSync(
  "openssl",
  ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"].concat([
    "-keyout",
    path.join(dir, "key.pem"),
    "-out",
    path.join(dir, "cert.pem"),
  ]),
  { stdio: "ignore" },
);
process.env.NODE_TLS_REJECT_UNAUTHORIZED = "0";
const server = createServer(
  { key: readFileSync(path.join(dir, "key.pem")), cert: readFileSync(path.join(dir, "cert.pem")) },
  handle,
);
let endpoint = "";
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  await new Promise<void>((r) => server.close(() => r()));
});
const credential = { getToken: async () => ({ token: "fixture-token", expiresOnTimestamp: Date.now() + 3_600_000 }) };

describe("Azure account settings from the management plane (fixture test of ARM)", () => {
  it("reads allowBlobPublicAccess, versioning and soft delete with a token credential", async () => {
    const settings = await readAccountSettings("devstoreaccount1", { subscriptionId: SUB, credential, endpoint });
    expect(settings).toEqual({ allowBlobPublicAccess: false, versioning: true, softDeleteDays: 14 });
    expect(seen.some((s) => s.endsWith("Bearer fixture-token"))).toBe(true);
  });

  it("says unknown, never safe, without management access or for an account it cannot find", async () => {
    expect(await readAccountSettings("devstoreaccount1")).toMatchObject({
      unknown: expect.stringMatching(/no management access/),
    });
    expect(await readAccountSettings("other", { subscriptionId: SUB, credential, endpoint })).toMatchObject({
      unknown: expect.stringMatching(/account "other" not found/),
    });
  });

  it("puts the account settings in the container's posture; the anonymous probe still has the last word", async () => {
    const azurite = inject("servers").azurite;
    const name = `c-${randomBytes(6).toString("hex")}`;
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(name);
    await container.create({ access: "container" });
    const provider = createAzureProvider({
      connectionString: azurite.connectionString,
      credential,
      subscriptionId: SUB,
      managementEndpoint: endpoint,
    });
    const p = await provider.describeBucket({ provider: "azure", name: `devstoreaccount1/${name}`, url: "" });
    expect(p.notes).toContain("account allowBlobPublicAccess: false, versioning on, soft delete 14 day(s)");
    expect(p.notes).toContain("the account disallows public access: the container's public level has no effect");
    expect(p.versioning).toBe("enabled");
    // Azurite ignores the account setting and lets anyone list: the probe says so, and wins.
    expect(p.notes).toContain("anonymous probe: list allowed, read not tried (no object)");
    expect(p.publicList).toBe(true);
  });
});
