/**
 * Interruption and resume, with real child processes and real signals on s3rver behind the
 * proxy: SIGINT and SIGTERM stop a scan within 5 s, write every requested output marked
 * interrupted, exit 3, and a rerun on the state resumes; a second signal exits at once; a
 * `kill -9` at half of a 2,000-object bucket loses at most a batch, and the resumed report
 * equals an uninterrupted run's.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Report } from "../../src/report/types.js";
import { type FaultProxy, startFaultProxy } from "../helpers/fault-proxy.js";
import { adminClient, bucketName, createBucketWith } from "../helpers/s3.js";
import { comparable, KEY, stateFile } from "../helpers/state.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const server = inject("servers").s3rver;
const CONCURRENCY = 16;

interface Child {
  process: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; at: number }>;
}

function start(args: string[], proxy: FaultProxy): Child {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", path.join(ROOT, "src/cli/main.ts"), "scan", ...args, "--endpoint", proxy.endpoint],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        NO_COLOR: "1",
        AWS_ACCESS_KEY_ID: server.accessKeyId,
        AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
        AWS_REGION: "us-east-1",
        RELIQUAT_FINGERPRINT_KEY: KEY,
      },
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += String(d);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; at: number }>(
    (resolve) => child.on("exit", (code, signal) => resolve({ code, signal, stderr, at: performance.now() })),
  );
  return { process: child, exited };
}

async function until(check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 20));
  }
}

const readReport = async (file: string) => JSON.parse(await readFile(file, "utf8")) as Report;

describe("interruption and resume (s3rver, real signals)", () => {
  let proxy: FaultProxy;
  const small = bucketName("intr");
  const large = bucketName("kill");
  const body = (i: number) => Buffer.from(`nom;nir\nPATIENT ${i};${i % 10 === 0 ? "185057800608491" : ""}\n`);
  beforeAll(async () => {
    const client = adminClient(server);
    await createBucketWith(
      client,
      small,
      Array.from({ length: 120 }, (_, i) => ({ key: `o${String(i).padStart(4, "0")}.csv`, body: body(i) })),
    );
    await createBucketWith(
      client,
      large,
      Array.from({ length: 2000 }, (_, i) => ({ key: `o${String(i).padStart(5, "0")}.csv`, body: body(i) })),
    );
    client.destroy();
    proxy = await startFaultProxy(server.endpoint, "s3");
  }, 180_000);
  afterAll(() => proxy.close());

  it.each(["SIGINT", "SIGTERM"] as const)(
    "%s: stops within 5 s, writes every output marked interrupted, exits 3; the rerun resumes",
    async (signal) => {
      const file = await stateFile();
      const dir = path.dirname(file);
      const json = path.join(dir, "r.json");
      const outputs = [
        "-f",
        "json",
        "-o",
        json,
        "--report",
        `sarif=${dir}/r.sarif`,
        "--report",
        `markdown=${dir}/r.md`,
      ];
      // Slow reads: the scan takes about 120 × 0.4 s / 4 = 12 s, so the signal lands midway.
      proxy.set({ latencyMs: 400, latencyRate: 1 });
      const child = start([`s3://${small}`, "--state", file, "--concurrency", "4", ...outputs], proxy);
      await until(() => proxy.stats().signedReads >= 20);
      const sent = performance.now();
      child.process.kill(signal);
      const end = await child.exited;
      expect(end.code).toBe(3);
      expect(end.at - sent).toBeLessThan(5000);
      expect(end.stderr).toContain(`reliquat: ${signal}: stopping`);
      const report = await readReport(json);
      expect(report.interrupted).toBe(true);
      expect(report.summary.complete).toBe(false);
      const b = report.buckets[0];
      const reported = [...(b?.objects ?? [])];
      expect(reported.length).toBeGreaterThan(0);
      expect(reported.length).toBeLessThan(120);
      expect(reported.every((o) => o.coverage === "scanned")).toBe(true);
      expect(b?.coverage.errors.join(" ")).toMatch(/interrupted: \d+ listed object\(s\) not finished/);
      expect(await readFile(`${dir}/r.md`, "utf8")).toContain("INTERRUPTED");
      expect(JSON.parse(await readFile(`${dir}/r.sarif`, "utf8")).runs[0].invocations[0].executionSuccessful).toBe(
        false,
      );

      proxy.set({});
      const rerun = start([`s3://${small}`, "--state", file, "-f", "json", "-o", json, "--fail-on", "never"], proxy);
      expect((await rerun.exited).code).toBe(0);
      const resumed = await readReport(json);
      expect(resumed.interrupted).toBeUndefined();
      expect(resumed.buckets[0]?.coverage).toMatchObject({ listed: 120, scanned: 120, complete: true });
      expect(resumed.buckets[0]?.coverage.carriedForward).toBe(reported.length);
      expect(proxy.stats().signedReads).toBe(120 - reported.length);
    },
    120_000,
  );

  it("--checkpoint without a state: a stopped run resumes, and the file is gone once the run completes", async () => {
    const file = path.join(path.dirname(await stateFile()), "run.checkpoint");
    const json = `${file}.json`;
    proxy.set({ latencyMs: 400, latencyRate: 1 });
    const child = start([`s3://${small}`, "--checkpoint", file, "--concurrency", "4", "-f", "json", "-o", json], proxy);
    await until(() => proxy.stats().signedReads >= 20);
    child.process.kill("SIGTERM");
    expect((await child.exited).code).toBe(3);
    const stopped = [...((await readReport(json)).buckets[0]?.objects ?? [])].length;
    expect((await stat(file)).isFile()).toBe(true);
    proxy.set({});
    const rerun = start([`s3://${small}`, "--checkpoint", file, "-f", "json", "-o", json, "--fail-on", "never"], proxy);
    expect((await rerun.exited).code).toBe(0);
    const resumed = await readReport(json);
    expect(resumed.buckets[0]?.coverage).toMatchObject({ listed: 120, scanned: 120, carriedForward: stopped });
    expect(proxy.stats().signedReads).toBe(120 - stopped);
    expect(resumed.changes).toBeUndefined();
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  }, 120_000);

  it("a second signal ends the process at once, when the first one's clean stop cannot end", async () => {
    const file = await stateFile();
    // The report goes to a FIFO nobody reads (an output on a hung mount): the clean stop blocks on it.
    const fifo = path.join(path.dirname(file), "report.fifo");
    execFileSync("mkfifo", [fifo]);
    proxy.set({ latencyMs: 400, latencyRate: 1 });
    const child = start([`s3://${small}`, "--state", file, "-f", "json", "-o", fifo, "--concurrency", "4"], proxy);
    await until(() => proxy.stats().signedReads >= 4, 20_000).catch(async (e) => {
      child.process.kill("SIGKILL");
      throw new Error(`${e}: ${(await child.exited).stderr} ${JSON.stringify(proxy.stats().byKind)}`);
    });
    child.process.kill("SIGINT");
    let gone = false;
    void child.exited.then(() => {
      gone = true;
    });
    await new Promise((r) => setTimeout(r, 3000));
    expect(gone).toBe(false);
    const sent = performance.now();
    child.process.kill("SIGINT");
    const end = await child.exited;
    // Killed by the signal itself (130 in a shell), not a clean exit.
    expect(end.signal).toBe("SIGINT");
    expect(end.at - sent).toBeLessThan(1000);
  }, 60_000);

  it("kill -9 at half of 2,000 objects: the rerun reads at most 2 × concurrency again and reports as an uninterrupted run", async () => {
    const file = await stateFile();
    const json = path.join(path.dirname(file), "resumed.json");
    const args = [`s3://${large}`, "--concurrency", String(CONCURRENCY), "-f", "json", "--fail-on", "never"];
    proxy.set({});
    const doomed = start([...args, "--state", file], proxy);
    await until(() => proxy.stats().signedReads >= 1000);
    doomed.process.kill("SIGKILL");
    const killed = await doomed.exited;
    expect(killed.signal).toBe("SIGKILL");
    const before = proxy.stats().signedReads;

    proxy.set({});
    const rerun = start([...args, "--state", file, "-o", json], proxy);
    expect((await rerun.exited).code).toBe(0);
    const again = proxy.stats().signedReads;
    const readTwice = before + again - 2000;
    expect(readTwice).toBeGreaterThanOrEqual(0);
    expect(readTwice).toBeLessThanOrEqual(2 * CONCURRENCY);
    const resumed = await readReport(json);
    expect(resumed.buckets[0]?.coverage.carriedForward).toBe(2000 - again);

    const whole = path.join(path.dirname(file), "whole.json");
    const straight = start([...args, "-o", whole], proxy);
    expect((await straight.exited).code).toBe(0);
    expect(comparable(resumed)).toEqual(comparable(await readReport(whole)));
  }, 240_000);
});
