import { startDemoClouds } from "../demo/clouds.js";
import { startLocalS3 } from "../demo/s3rver.js";
import { demoBuckets, seedDemo } from "../demo/scenario.js";
import { type Io, runScan, type ScanFlags } from "./scan-command.js";

/**
 * `reliquat demo`: no cloud account needed. Starts three local servers on free loopback ports:
 * s3rver (S3), Azurite (Azure Blob) and the Firebase Storage emulator (GCS); seeds a forgotten
 * "lab migration" bucket, a public transfer container, a backup bucket and harmless ones with
 * synthetic data; scans all three clouds, prints one ranked report and stops the servers.
 * Exits 0 when the demo ran, whatever it found: finding the planted data is the point.
 */
export async function runDemo(flags: Pick<ScanFlags, "format" | "output">, io: Io): Promise<number> {
  io.stderr.write("reliquat demo: starting local S3 (s3rver), Azure (Azurite) and GCS (emulator) servers…\n");
  const [s3, clouds] = await Promise.all([startLocalS3(), startDemoClouds()]);
  try {
    const buckets = demoBuckets();
    await seedDemo(s3, buckets);
    const objects = buckets.reduce((n, b) => n + b.objects.length, 0);
    io.stderr.write(
      `reliquat demo: seeded ${buckets.length} S3 buckets (${objects} objects), 2 Azure containers and 1 GCS bucket with synthetic data; scanning s3:// ${clouds.targets.join(" ")}\n\n`,
    );
    const code = await runScan(["s3://", ...clouds.targets], { ...flags, failOn: "never" }, io, {
      s3: { endpoint: s3.endpoint, forcePathStyle: true, ...s3.credentials, maxAttempts: 2 },
      azure: { endpoint: clouds.azure.endpoint, connectionString: clouds.azure.connectionString },
      gcs: { apiEndpoint: clouds.gcs.endpoint, projectId: "reliquat-demo" },
    });
    io.stderr.write("\nreliquat demo: every value above is synthetic; the servers and their data are removed now.\n");
    return code;
  } finally {
    await Promise.all([s3.stop(), clouds.stop()]);
  }
}
