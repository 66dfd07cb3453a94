import { randomUUID } from "node:crypto";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import type { S3Server } from "../global-setup.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

/** A raw SDK client for seeding test buckets (the code under test has its own). */
export function adminClient(server: S3Server): S3Client {
  return new S3Client({
    endpoint: server.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
  });
}

/** A unique, valid bucket name (3–63 lower-case characters). */
export function bucketName(prefix = "t"): string {
  return `${prefix}-${randomUUID().slice(0, 13)}`;
}

export async function createBucketWith(client: S3Client, name: string, objects: { key: string; body: Buffer }[]) {
  await client.send(new CreateBucketCommand({ Bucket: name }));
  const limit = pLimit(16);
  await Promise.all(
    objects.map((o) => limit(() => client.send(new PutObjectCommand({ Bucket: name, Key: o.key, Body: o.body })))),
  );
}
