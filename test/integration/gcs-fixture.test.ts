/**
 * FIXTURE tests: the Firebase emulator has no bucket metadata, IAM or ACL API, so these code
 * paths run against a small HTTP server answering exactly as Google's JSON API reference
 * documents (buckets.get, buckets.getIamPolicy, defaultObjectAccessControls.list, objects.list,
 * objects.get alt=media, and the error body of a 404 / 401). Signed requests carry a bearer
 * token; the anonymous probe sends none, and the fixture answers it as the bucket's IAM says.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGcsProvider } from "../../src/providers/gcs.js";
import { ProviderError } from "../../src/providers/types.js";

interface FixtureBucket {
  metadata: Record<string, unknown>;
  bindings: { role: string; members: string[] }[];
  defaultAcl?: { entity: string; role: string }[];
}

const TOKEN = "fixture-token";
const buckets: Record<string, FixtureBucket> = {
  "public-export": {
    metadata: {
      iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: "inherited" },
      versioning: { enabled: true },
      labels: {},
      location: "EUROPE-WEST9",
      softDeletePolicy: { retentionDurationSeconds: "604800" },
    },
    bindings: [
      { role: "roles/storage.legacyBucketOwner", members: ["projectOwner:labo"] },
      { role: "roles/storage.objectViewer", members: ["allUsers"] },
    ],
  },
  "private-sil": {
    metadata: {
      iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: "enforced" },
      versioning: { enabled: false },
      lifecycle: { rule: [{ action: { type: "Delete" }, condition: { age: 30 } }] },
      labels: { owner: "dsi-hopital" },
      encryption: { defaultKmsKeyName: "projects/p/locations/eu/keyRings/r/cryptoKeys/k" },
      location: "EU",
    },
    bindings: [{ role: "roles/storage.objectViewer", members: ["allUsers"] }],
  },
  "fine-grained": {
    metadata: { iamConfiguration: { uniformBucketLevelAccess: { enabled: false } }, location: "EU" },
    bindings: [{ role: "roles/storage.objectViewer", members: ["allAuthenticatedUsers"] }],
    defaultAcl: [{ entity: "allUsers", role: "READER" }],
  },
};

const isPublic = (b: FixtureBucket, what: RegExp) =>
  b.metadata.iamConfiguration &&
  (b.metadata.iamConfiguration as { publicAccessPrevention?: string }).publicAccessPrevention !== "enforced" &&
  (b.bindings.some((x) => x.members.includes("allUsers") && what.test(x.role)) ||
    (b.defaultAcl ?? []).some((a) => a.entity === "allUsers"));

function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", "http://fixture");
  const signed = req.headers.authorization === `Bearer ${TOKEN}`;
  const json = (status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };
  const error = (code: number, message: string, reason: string) =>
    json(code, { error: { code, message, errors: [{ message, domain: "global", reason }] } });
  const m = /^\/(download\/)?storage\/v1\/b\/([^/]+)(\/iam|\/defaultObjectAcl|\/o)?(?:\/(.+))?$/.exec(url.pathname);
  const bucket = m ? buckets[m[2] ?? ""] : undefined;
  if (!m || !bucket) return error(404, "The specified bucket does not exist.", "notFound");
  const [, download, , sub, object] = m;
  if (sub === "/o" && !object) {
    if (!signed && !isPublic(bucket, /objectViewer/))
      return error(401, "Anonymous caller does not have storage.objects.list access.", "required");
    return json(200, {
      kind: "storage#objects",
      items: [
        {
          kind: "storage#object",
          name: "export.csv",
          bucket: m[2],
          size: "15",
          updated: "2021-06-01T00:00:00.000Z",
          storageClass: "STANDARD",
        },
      ],
    });
  }
  if (object) {
    if (!signed && !isPublic(bucket, /objectViewer/))
      return error(401, "Anonymous caller does not have storage.objects.get access.", "required");
    if (!download && url.searchParams.get("alt") !== "media")
      return json(200, { kind: "storage#object", name: object, bucket: m[2], size: "15" });
    res.writeHead(200, { "content-type": "application/octet-stream" });
    return res.end("n");
  }
  if (!signed) return error(401, "Anonymous caller does not have storage.buckets.get access.", "required");
  if (sub === "/iam")
    return json(200, {
      kind: "storage#policy",
      resourceId: `projects/_/buckets/${m[2]}`,
      version: 1,
      etag: "CAE=",
      bindings: bucket.bindings,
    });
  if (sub === "/defaultObjectAcl")
    return json(200, { kind: "storage#objectAccessControls", items: bucket.defaultAcl ?? [] });
  return json(200, { kind: "storage#bucket", id: m[2], name: m[2], ...bucket.metadata });
}

let endpoint = "";
const server = createServer(handle);
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const provider = () => createGcsProvider({ apiEndpoint: endpoint, accessToken: TOKEN, projectId: "labo" });
const ref = (name: string) => ({ provider: "gcs", name, url: `gs://${name}` });

describe("gcs posture against a recorded-HTTP fixture of Google's JSON API (fixture test)", () => {
  it("a public bucket: allUsers objectViewer, versioned, no lifecycle, no owner label; the probe agrees", async () => {
    const p = await provider().describeBucket(ref("public-export"));
    expect(p).toMatchObject({
      publicRead: true,
      publicList: true,
      authenticatedUsers: false,
      versioning: "enabled",
      lifecycle: false,
      ownerTag: false,
      encryption: "provider-managed",
    });
    expect(p.notes).toContain("IAM grants roles/storage.objectViewer to allUsers");
    expect(p.notes).toContain("soft delete keeps deleted objects 7 day(s)");
    expect(p.notes, JSON.stringify(p.notes)).toContain("anonymous probe: list allowed, read allowed");
  });

  it("public access prevention enforced wins over an allUsers grant; the probe is refused", async () => {
    const p = await provider().describeBucket(ref("private-sil"));
    expect(p).toMatchObject({
      publicRead: false,
      publicList: false,
      lifecycle: true,
      ownerTag: true,
      encryption: "CMEK",
    });
    expect(p.notes).toContain("public access prevention is enforced: no public grant takes effect");
    expect(p.notes).toContain("anonymous probe: list refused, read refused");
  });

  it("fine-grained access: reads the default object ACL and allAuthenticatedUsers", async () => {
    const p = await provider().describeBucket(ref("fine-grained"));
    expect(p).toMatchObject({ publicRead: true, authenticatedUsers: true });
    expect(p.notes).toContain("default object ACL grants allUsers");
  });

  it("maps Google's 404 for a missing bucket to not-found, naming the bucket", async () => {
    const error = await (async () => {
      for await (const _ of provider().listObjects(ref("gone-bucket"))) break;
    })().catch((e) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.code).toBe("not-found");
    expect(error.message).toMatch(/listing bucket "gone-bucket" failed: does not exist \(.*HTTP 404\)/);
  });

  it("says unknown, never private, when posture calls are refused", async () => {
    const anonymous = createGcsProvider({ apiEndpoint: endpoint, anonymous: true });
    const p = await anonymous.describeBucket(ref("private-sil"));
    expect(p.notes.some((n) => /bucket metadata unknown \(.*HTTP 401\)/.test(n))).toBe(true);
    expect(p.authenticatedUsers).toBe("unknown");
  });
});
