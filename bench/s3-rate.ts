/**
 * Figure 1: end-to-end scan rate (objects/s) on 2,000 objects of 4 KiB on a local S3 server,
 * against a bare SDK GetObject loop at the same concurrency on the same server. Goal ≥ 70%.
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import type { LocalS3 } from "../src/demo/s3rver.js";
import { seededRandom, syntheticNir } from "../src/demo/synthetic.js";
import { adminClient, createBucketWith } from "../test/helpers/s3.js";

const OBJECTS = 2000;
const SIZE = 4096;
const CONCURRENCY = 16;
const ROUNDS = 5;

// The shipped code: dist/, built by `npm run bench`, not the TypeScript sources through tsx.
const dist = (file: string) => new URL(`../dist/${file}`, import.meta.url).href;
const { parseConfig } = (await import(dist("config/load.js"))) as typeof import("../src/config/load.js");
const { parseTarget } = (await import(dist("providers/index.js"))) as typeof import("../src/providers/index.js");
const { loadRules, BUILTIN_RULES_DIR } = (await import(dist("rules/load.js"))) as typeof import("../src/rules/load.js");
const { scan } = (await import(dist("scan.js"))) as typeof import("../src/scan.js");

export async function benchScanRate(s3: LocalS3): Promise<{ reliquat: number; bare: number; ratio: number }> {
  const server = { endpoint: s3.endpoint, ...s3.credentials };
  const client = adminClient(server);
  const rng = seededRandom(1);
  // Realistic rows: one in 20 carries a NIR, the rest are lab-result lines.
  const row = (n: number) =>
    n % 20 === 0
      ? `PATIENT ${n};${syntheticNir(rng)};bilan\n`
      : `PATIENT ${n};;prélèvement à jeun, glycémie 5,4 mmol/l\n`;
  const objects = Array.from({ length: OBJECTS }, (_, i) => {
    let text = "";
    for (let n = 0; text.length < SIZE; n++) text += row(i * 100 + n);
    return { key: `rate/${String(i).padStart(5, "0")}.csv`, body: Buffer.from(text).subarray(0, SIZE) };
  });
  await createBucketWith(client, "bench-rate", objects);
  const rules = await loadRules();
  const config = { ...parseConfig({}, "bench"), concurrency: CONCURRENCY, failOn: "never" as const };

  const bare = async () => {
    const limit = pLimit(CONCURRENCY);
    await Promise.all(
      objects.map((o) =>
        limit(async () => {
          const res = await client.send(new GetObjectCommand({ Bucket: "bench-rate", Key: o.key }));
          for await (const _ of res.Body as AsyncIterable<Uint8Array>);
        }),
      ),
    );
  };
  const reliquat = async () => {
    const report = await scan({
      targets: [parseTarget("s3://bench-rate")],
      config,
      rules,
      ruleDirs: [BUILTIN_RULES_DIR],
      settings: { s3: { endpoint: s3.endpoint, credentials: s3.credentials } },
    });
    if (report.summary.scanned !== OBJECTS) throw new Error(`scanned ${report.summary.scanned} of ${OBJECTS}`);
  };
  const rate = async (run: () => Promise<void>) => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    await run();
    const used = process.cpuUsage(cpu);
    const wall = performance.now() - t;
    if (process.env.BENCH_DEBUG)
      console.log(`  wall ${wall.toFixed(0)} ms, cpu ${((used.user + used.system) / 1000).toFixed(0)} ms`);
    return OBJECTS / (wall / 1000);
  };
  await bare(); // warm-up: connections, s3rver's md5 side files, JIT
  await reliquat();
  const bareRates: number[] = [];
  const ourRates: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    bareRates.push(await rate(bare));
    ourRates.push(await rate(reliquat));
  }
  client.destroy();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  const result = { reliquat: median(ourRates), bare: median(bareRates) };
  return { ...result, ratio: result.reliquat / result.bare };
}
