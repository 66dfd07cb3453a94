import { spawnSync } from "node:child_process";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { startLocalS3 } from "../src/demo/s3rver.js";
import { adminClient, createBucketWith } from "../test/helpers/s3.js";
const s3 = await startLocalS3();
try {
  const client = adminClient({ endpoint: s3.endpoint, ...s3.credentials });
  await createBucketWith(client, "big", []);
  const line = "DUPONT;Jean;01/02/1970;185057800608491;A+;Dr X;MGEN;grossesse 12 SA\n";
  const body = Buffer.from(line.repeat(Math.ceil(200e6 / line.length)));
  await client.send(new PutObjectCommand({ Bucket: "big", Key: "dump.csv", Body: body }));
  for (const env of [{}, { RELIQUAT_LOG: "off" }]) {
    const r = spawnSync("/usr/bin/time", ["-f", "%M KB %e s", process.execPath, "dist/cli/main.js", "scan", "s3://big", "--exhaustive", "--endpoint", s3.endpoint, "--format", "json", "-o", "/dev/null", "--fail-on", "never"], { env: { ...process.env, ...env, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1" }, encoding: "utf8" });
    console.log(JSON.stringify(env), r.stderr.split("\n").filter((l) => !l.startsWith("{")).join(" | "));
  }
} finally { await s3.stop(); }
