import { describe, expect, inject, it } from "vitest";
import { createS3Provider } from "../../src/providers/s3.js";
import { cutProxy } from "../helpers/cut-proxy.js";
import { adminClient, bucketName, createBucketWith } from "../helpers/s3.js";
import { runConformance } from "./conformance.js";

const server = inject("servers").s3rver;
const admin = adminClient(server);
const settings = {
  endpoint: server.endpoint,
  credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  maxAttempts: 2,
};

runConformance("s3 over HTTP (s3rver)", {
  provider: () => createS3Provider(settings),
  async createBucket(objects) {
    const name = bucketName();
    await createBucketWith(admin, name, objects);
    return { provider: "s3", name, url: `s3://${name}` };
  },
  missingBucket: () => ({ provider: "s3", name: "no-such-bucket-here", url: "s3://no-such-bucket-here" }),
  endpoint: server.endpoint,
  providerVia: (endpoint) => createS3Provider({ ...settings, endpoint, pageSize: 100, maxAttempts: 1 }),
});

describe("s3 posture on s3rver", () => {
  it("the anonymous probe never downloads a whole object, even when the server ignores its range", async () => {
    const name = bucketName();
    await createBucketWith(admin, name, [{ key: "big.bin", body: Buffer.alloc(20 * 1024 * 1024, 1) }]);
    const proxy = await cutProxy(server.endpoint);
    const posture = await createS3Provider({ ...settings, endpoint: proxy.endpoint }).describeBucket({
      provider: "s3",
      name,
      url: `s3://${name}`,
    });
    // s3rver answers every posture call with 501 and lets anyone read: the probe says so.
    expect(posture.notes).toContain("anonymous probe: list allowed, read allowed");
    expect(proxy.bytesDown()).toBeLessThan(2 * 1024 * 1024);
    await proxy.cut();
  });
});
