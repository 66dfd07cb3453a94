import { startLocalS3 } from "../demo/s3rver.js";
import { demoBuckets, seedDemo } from "../demo/scenario.js";
import { type Io, runScan, type ScanFlags } from "./scan-command.js";

/**
 * `reliquat demo`: no cloud account needed. Starts a local S3 server on a free loopback
 * port, seeds a forgotten "lab migration" bucket and two harmless ones with synthetic data,
 * scans every bucket, prints the ranked report and stops the server.
 * Exits 0 when the demo ran, whatever it found: finding the planted data is the point.
 */
export async function runDemo(flags: Pick<ScanFlags, "format" | "output">, io: Io): Promise<number> {
  io.stderr.write("reliquat demo: starting a local S3 server (s3rver) with synthetic data…\n");
  const s3 = await startLocalS3();
  try {
    const buckets = demoBuckets();
    await seedDemo(s3, buckets);
    const objects = buckets.reduce((n, b) => n + b.objects.length, 0);
    io.stderr.write(
      `reliquat demo: seeded ${buckets.length} buckets, ${objects} objects at ${s3.endpoint}; scanning s3://\n\n`,
    );
    const code = await runScan(["s3://"], { ...flags, failOn: "never", endpoint: s3.endpoint }, io, {
      s3: { endpoint: s3.endpoint, forcePathStyle: true, ...s3.credentials, maxAttempts: 2 },
    });
    io.stderr.write("\nreliquat demo: every value above is synthetic; the server and its data are removed now.\n");
    return code;
  } finally {
    await s3.stop();
  }
}
