/**
 * Figure 9: peak RSS of a whole `reliquat scan` of a folder of N small objects (lab result
 * files in folders of 1,000), with the default outputs (the terminal table) and with the JSON
 * report written to a file, next to the same scan of 1,000 objects (the fixed cost) in the
 * same run. Goal: ≤ 512 MB at a million objects. The trees are written once and kept in the
 * temporary folder (a million files take about 2 minutes and 4 GB of inodes to write).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pLimit from "p-limit";
import { peakRssOf } from "./peak-rss.js";

export interface ObjectsRss {
  objects: number;
  output: string;
  peakMB: number;
  seconds: number;
  code: number;
}

/** A folder of `n` small CSV files, made once. */
export async function objectsTree(n: number): Promise<string> {
  const root = path.join(tmpdir(), `reliquat-bench-objects-${n}`);
  const done = path.join(root, ".complete");
  if (existsSync(done)) return root;
  const limit = pLimit(64);
  const writes: Promise<void>[] = [];
  for (let i = 0; i < n; i += 1000) {
    const dir = path.join(root, "exports", `lab-${String(i / 1000).padStart(4, "0")}`);
    await mkdir(dir, { recursive: true });
    for (let j = i; j < Math.min(n, i + 1000); j++)
      writes.push(
        limit(() =>
          writeFile(path.join(dir, `resultats-${String(j).padStart(7, "0")}.csv`), "nom;date\nX;2021-01-01\n"),
        ),
      );
    if (writes.length > 10_000) await Promise.all(writes.splice(0));
  }
  await Promise.all(writes);
  await writeFile(done, "");
  return root;
}

/** Runs the built CLI on `dir` and polls its VmHWM (the kernel's peak RSS) until it exits. */
export async function scanRss(cli: string[], dir: string, objects: number, json: boolean): Promise<ObjectsRss> {
  const args = ["scan", dir, "--fail-on", "never", ...(json ? ["-f", "json", "-o", "/dev/null"] : [])];
  const started = performance.now();
  const child = spawn(process.execPath, [...cli, ...args], {
    env: { ...process.env, RELIQUAT_LOG: "off" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const { peakMB, code } = await peakRssOf(child, 100);
  const seconds = (performance.now() - started) / 1000;
  return { objects, output: json ? "json" : "terminal", peakMB, seconds, code };
}

/** The figure for each size of `BENCH_OBJECTS` (default 200,000 and 1,000,000), after the 1,000-object baseline. */
export async function benchObjectsRss(cli: string[]): Promise<ObjectsRss[]> {
  const sizes = (process.env.BENCH_OBJECTS ?? "200000,1000000").split(",").map(Number);
  const rows: ObjectsRss[] = [];
  for (const n of [1000, ...sizes]) {
    const dir = await objectsTree(n);
    rows.push(await scanRss(cli, dir, n, false), await scanRss(cli, dir, n, true));
  }
  return rows;
}
