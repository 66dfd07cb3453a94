import { inject } from "vitest";
import { createS3Provider } from "../../src/providers/s3.js";
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
