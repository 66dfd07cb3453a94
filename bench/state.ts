/**
 * State figures, on s3rver behind the counting proxy of test/helpers/fault-proxy.ts, with the
 * built code (dist/):
 * 11. a rerun of an unchanged 10,000-object bucket: wall time against the first run's, and the
 *     object reads (GETs signed by the scanner) the proxy saw; the state file's size. On s3rver,
 *     and on Ceph RGW when it is installed: s3rver's listing walks its folder from the start for
 *     every page (quadratic), which alone takes more than 5% of the first run; RGW lists as a
 *     real server does, in time linear in the keys.
 * 12. the CLI killed (SIGKILL) at half of a 2,000-object bucket, then rerun: objects read twice.
 * 13. figure 1's scan rate (2,000 × 4 KiB, concurrency 16) with a fresh state file against none.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import type { LocalS3 } from "../src/demo/s3rver.js";
import { type FaultProxy, startFaultProxy } from "../test/helpers/fault-proxy.js";
import { adminClient, createBucketWith } from "../test/helpers/s3.js";

const dist = (file: string) => new URL(`../dist/${file}`, import.meta.url).href;
const { parseConfig } = (await import(dist("config/load.js"))) as typeof import("../src/config/load.js");
const { parseTarget } = (await import(dist("providers/index.js"))) as typeof import("../src/providers/index.js");
const { loadRules, BUILTIN_RULES_DIR } = (await import(dist("rules/load.js"))) as typeof import("../src/rules/load.js");
const { scan } = (await import(dist("scan.js"))) as typeof import("../src/scan.js");
const { StateMemory } = (await import(dist("state/memory.js"))) as typeof import("../src/state/memory.js");
const { StateKeys } = (await import(dist("state/keys.js"))) as typeof import("../src/state/keys.js");

const KEY = "bench-fingerprint-key";
const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));
const row = (n: number) => `PATIENT ${n};${n % 20 === 0 ? "185057800608491" : ""};glycémie 5,4 mmol/l\n`;
const objects = (n: number, size: number) =>
  Array.from({ length: n }, (_, i) => {
    let text = "";
    for (let r = 0; text.length < size; r++) text += row(i * 100 + r);
    return { key: `o/${String(i).padStart(6, "0")}.csv`, body: Buffer.from(text).subarray(0, size) };
  });

/** An S3 server to measure figure 11 on. */
export interface S3Target {
  name: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface RerunFigure {
  server: string;
  objects: number;
  firstS: number;
  rerunS: number;
  listS: number;
  reads: number;
  stateMB: number;
}

export interface StateFigures {
  rerun: RerunFigure[];
  resume: { objects: number; concurrency: number; readTwice: number; killedAt: number };
  overhead: { withState: number; without: number; ratio: number };
}

export async function benchState(s3: LocalS3, others: S3Target[] = []): Promise<StateFigures> {
  const servers: S3Target[] = [{ name: "s3rver", endpoint: s3.endpoint, credentials: s3.credentials }, ...others];
  const rerun: RerunFigure[] = [];
  for (const server of servers) rerun.push(await benchRerun(server));
  const client = adminClient({ endpoint: s3.endpoint, ...s3.credentials });
  const proxy = await startFaultProxy(s3.endpoint, "s3");
  const dir = await mkdtemp(path.join(tmpdir(), "reliquat-bench-state-"));
  try {
    await createBucketWith(client, "bench-resume", objects(2000, 512));
    await createBucketWith(client, "bench-overhead", objects(2000, 4096));
    const run = await runner(proxy, s3.credentials);
    const resume = await killAndResume(proxy, s3, path.join(dir, "resume.db"));

    // Interleaved rounds, the median of each: a fresh state file per round (every object read and written).
    const rates: { on: number[]; off: number[] } = { on: [], off: [] };
    await run("bench-overhead", undefined);
    for (let i = 0; i < 7; i++) {
      rates.off.push(2000 / (await run("bench-overhead", undefined)));
      rates.on.push(2000 / (await run("bench-overhead", path.join(dir, `overhead-${i}.db`))));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
    const overhead = {
      withState: median(rates.on),
      without: median(rates.off),
      ratio: median(rates.on) / median(rates.off),
    };
    return { rerun, resume, overhead };
  } finally {
    client.destroy();
    await proxy.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Figure 11 on one server, behind the counting proxy. */
async function benchRerun(server: S3Target): Promise<RerunFigure> {
  const client = adminClient({ endpoint: server.endpoint, ...server.credentials });
  const proxy = await startFaultProxy(server.endpoint, "s3");
  const dir = await mkdtemp(path.join(tmpdir(), "reliquat-bench-rerun-"));
  try {
    await createBucketWith(client, "bench-state", objects(10_000, 512));
    const run = await runner(proxy, server.credentials);
    const file = path.join(dir, "rerun.db");
    proxy.set({});
    const firstS = await run("bench-state", file);
    proxy.set({});
    const rerunS = await run("bench-state", file);
    const reads = proxy.stats().signedReads;
    // The floor of any rerun: listing the bucket.
    const listS = await bareListing(client, "bench-state");
    const stateMB = (await stat(file)).size / 2 ** 20;
    return { server: server.name, objects: 10_000, firstS, rerunS, listS, reads, stateMB };
  } finally {
    client.destroy();
    await proxy.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** One in-process scan of a bucket through `proxy`, with a state file or none; its wall time in seconds. */
async function runner(proxy: FaultProxy, credentials: S3Target["credentials"]) {
  const rules = await loadRules();
  const settings = { s3: { endpoint: proxy.endpoint, forcePathStyle: true, credentials } };
  return async (bucket: string, file: string | undefined) => {
    const memory = file ? new StateMemory(file, new StateKeys(KEY)) : undefined;
    const started = performance.now();
    try {
      await scan({
        targets: [parseTarget(`s3://${bucket}`)],
        config: { ...parseConfig({}, "bench"), failOn: "never", concurrency: 16, fingerprintKey: KEY },
        rules,
        ruleDirs: [BUILTIN_RULES_DIR],
        settings,
        memory,
      });
    } finally {
      memory?.close();
    }
    return (performance.now() - started) / 1000;
  };
}

async function bareListing(client: S3Client, bucket: string): Promise<number> {
  const started = performance.now();
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    token = page.NextContinuationToken;
  } while (token);
  return (performance.now() - started) / 1000;
}

async function killAndResume(proxy: FaultProxy, s3: LocalS3, file: string) {
  const concurrency = 16;
  const args = [
    "scan",
    "s3://bench-resume",
    "--endpoint",
    proxy.endpoint,
    "--state",
    file,
    "--concurrency",
    String(concurrency),
    "-f",
    "json",
    "-o",
    `${file}.json`,
    "--fail-on",
    "never",
  ];
  const env = {
    ...process.env,
    AWS_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    AWS_REGION: "us-east-1",
    RELIQUAT_FINGERPRINT_KEY: KEY,
  };
  const exited = (child: ChildProcess) => new Promise<void>((resolve) => child.on("exit", () => resolve()));
  proxy.set({});
  const doomed = spawn(process.execPath, [CLI, ...args], { env, stdio: "ignore" });
  while (proxy.stats().signedReads < 1000) await new Promise((r) => setTimeout(r, 10));
  doomed.kill("SIGKILL");
  await exited(doomed);
  const killedAt = proxy.stats().signedReads;
  proxy.set({});
  await exited(spawn(process.execPath, [CLI, ...args], { env, stdio: "ignore" }));
  return { objects: 2000, concurrency, killedAt, readTwice: killedAt + proxy.stats().signedReads - 2000 };
}
