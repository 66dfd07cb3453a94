import { randomBytes } from "node:crypto";
import { Storage } from "@google-cloud/storage";
import { describe, expect, inject, it } from "vitest";
import { createGcsProvider } from "../../src/providers/gcs.js";
import { parseTarget } from "../../src/providers/index.js";
import type { BucketRef } from "../../src/providers/types.js";
import { putAll, runConformance } from "./conformance.js";

const server = inject("servers").gcs;
// The emulator creates a bucket on its first upload and accepts unsigned requests.
const admin = new Storage({ apiEndpoint: server.endpoint, projectId: "reliquat-demo" });
const ref = (name: string): BucketRef => ({ provider: "gcs", name, url: `gs://${name}` });

async function bucketWith(objects: { key: string; body: Buffer }[]): Promise<BucketRef> {
  const name = `b-${randomBytes(6).toString("hex")}`;
  const bucket = admin.bucket(name);
  // An empty bucket does not exist for the emulator until something was written: write and delete one object.
  if (objects.length === 0) {
    await bucket.file(".keep").save("");
    await bucket.file(".keep").delete();
  }
  await putAll(objects, (o) => bucket.file(o.key).save(o.body, { resumable: false }));
  return ref(name);
}

runConformance("gcs over HTTP (Firebase Storage emulator)", {
  provider: () => createGcsProvider({ apiEndpoint: server.endpoint, projectId: "reliquat-demo" }),
  createBucket: bucketWith,
  missingBucket: () => ref("no-such-bucket-here"),
  missingBucketListsEmpty: "the emulator lists a missing bucket as empty; gcs-fixture.test.ts checks Google's 404",
  endpoint: server.endpoint,
  providerVia: (apiEndpoint) =>
    createGcsProvider({ apiEndpoint, projectId: "reliquat-demo", pageSize: 100, maxAttempts: 1 }),
});

describe("gcs targets", () => {
  it("parses gs:// and the gcs:// alias, with prefixes", () => {
    expect(parseTarget("gs://labo-export/2021/")).toMatchObject({
      provider: "gcs",
      bucket: { name: "labo-export", url: "gs://labo-export" },
      prefix: "2021/",
    });
    expect(parseTarget("gcs://labo-export").bucket?.url).toBe("gs://labo-export");
    expect(parseTarget("gs://").bucket).toBeUndefined();
  });

  it("reads objects anonymously (--no-sign-request) from the emulator", async () => {
    const bucket = await bucketWith([{ key: "public/brochure.txt", body: Buffer.from("diabète") }]);
    const provider = createGcsProvider({ apiEndpoint: server.endpoint, anonymous: true });
    const keys: string[] = [];
    for await (const o of provider.listObjects(bucket)) keys.push(o.key);
    expect(keys).toEqual(["public/brochure.txt"]);
  });
});
