/**
 * Figure 2: peak RSS of the whole `reliquat scan --exhaustive` process while it streams a
 * 1 GiB object from the local S3 server. Goal ≤ 200 MB. The peak is the kernel's VmHWM,
 * polled until the process exits.
 */

import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { LocalS3 } from "../src/demo/s3rver.js";
import { writeSpeedCorpus } from "../test/corpus/speed-corpus.js";
import { adminClient, createBucketWith } from "../test/helpers/s3.js";
import { peakRssOf } from "./peak-rss.js";

const GiB = 1024 * 1024 * 1024;

export async function benchExhaustiveRss(
  s3: LocalS3,
  cli: string[],
): Promise<{ peakMB: number; seconds: number; code: number; mbPerS: number }> {
  const client = adminClient({ endpoint: s3.endpoint, ...s3.credentials });
  await createBucketWith(client, "bench-big", []);
  // One row in 20 carries a NIR, as in a lab export; the rest are result lines.
  const rows = Array.from({ length: 20_000 }, (_, i) =>
    i % 20 === 0 ? "DUPONT;185057800608491;bilan\n" : `PATIENT ${i};;prélèvement à jeun, glycémie 5,4 mmol/l\n`,
  );
  const block = Buffer.from(rows.join(""));
  let sent = 0;
  const body = Readable.from(
    (function* () {
      while (sent < GiB) {
        const piece = block.subarray(0, Math.min(block.length, GiB - sent));
        sent += piece.length;
        yield piece;
      }
    })(),
  );
  await client.send(new PutObjectCommand({ Bucket: "bench-big", Key: "dump.csv", Body: body, ContentLength: GiB }));
  client.destroy();

  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      ...cli,
      "scan",
      "s3://bench-big",
      "--exhaustive",
      "--format",
      "json",
      "--output",
      "/dev/null",
      "--fail-on",
      "never",
      "--endpoint",
      s3.endpoint,
    ],
    {
      env: {
        ...process.env,
        AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
        AWS_REGION: "us-east-1",
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const { peakMB, code } = await peakRssOf(child);
  const seconds = (performance.now() - started) / 1000;
  return { peakMB, seconds, code, mbPerS: GiB / 1024 / 1024 / seconds };
}

/**
 * Figure 2, second case: peak RSS of `reliquat scan --exhaustive` on a folder of 30 lab exports
 * of 3.7 MB each (about 110 MB of CP1252 text, a NIR in 1% of rows, a birth date on every row),
 * read 16 at a time (the default concurrency). Goal ≤ 200 MB.
 */
export async function benchFolderRss(cli: string[]): Promise<{ peakMB: number; seconds: number; code: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), "reliquat-bench-lab30-"));
  try {
    for (let i = 0; i < 30; i++)
      await writeSpeedCorpus(path.join(dir, `export_${i}.csv`), Math.round(3.7 * 1024 * 1024), 1000 + i);
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [...cli, "scan", dir, "--exhaustive", "--format", "json", "--output", "/dev/null", "--fail-on", "never"],
      { stdio: ["ignore", "ignore", "inherit"] },
    );
    const { peakMB, code } = await peakRssOf(child);
    return { peakMB, code, seconds: (performance.now() - started) / 1000 };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
