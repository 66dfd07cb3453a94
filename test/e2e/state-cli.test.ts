/**
 * `reliquat scan --state` as a night shift runs it, in real child processes: the refusals
 * (no key, another key, a damaged, foreign or newer file, a file in use), `--state-reset`,
 * and the canary: no form of a NIR planted in contents, keys and folder names reaches the
 * state file.
 */
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { spacedNir } from "../../src/demo/synthetic.js";
import { StateKeys } from "../../src/state/keys.js";
import { StateMemory } from "../../src/state/memory.js";
import { cli, folderTree } from "../helpers/cli.js";
import { KEY, stateFile } from "../helpers/state.js";

const C = "253072B07300470";
const NIR = "185057800608491";
const env = { RELIQUAT_FINGERPRINT_KEY: KEY };
const content = `nom;nir;commentaire\nDUPONT;${NIR};diabète\nCANARY;${spacedNir(C)};VIH\n`;

async function tree() {
  return folderTree({ "a.csv": content, [`patients_${NIR}/export_${C}.csv`]: content, "b.txt": "rien" });
}

describe("reliquat scan --state", () => {
  it("refuses to start without a fingerprint key, saying how to set one", async () => {
    const run = await cli(["scan", await tree(), "--state", await stateFile()], { RELIQUAT_FINGERPRINT_KEY: "" });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--state needs a fingerprint key .*RELIQUAT_FINGERPRINT_KEY/);
    expect(run.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses another key, a damaged, a foreign and a newer file, naming the file; --state-reset starts over", async () => {
    const dir = await tree();
    const file = await stateFile();
    expect((await cli(["scan", dir, "--state", file, "--fail-on", "never"], env)).code).toBe(0);
    const other = await cli(["scan", dir, "--state", file], { RELIQUAT_FINGERPRINT_KEY: "another key" });
    expect(other.code).toBe(2);
    expect(other.stderr).toContain(`${file} was written with another fingerprint key`);

    const newer = new Database(file);
    newer.pragma("user_version = 99");
    newer.close();
    const fromFuture = await cli(["scan", dir, "--state", file], env);
    expect(fromFuture.code).toBe(2);
    expect(fromFuture.stderr).toContain(`${file} was written by a newer Reliquat (state schema 99`);

    const foreign = await stateFile();
    const db = new Database(foreign);
    db.exec("CREATE TABLE patients (nom TEXT)");
    db.close();
    const notOurs = await cli(["scan", dir, "--state", foreign], env);
    expect(notOurs.code).toBe(2);
    expect(notOurs.stderr).toContain(`${foreign} is an SQLite file but not a Reliquat state`);

    const bytes = await readFile(file);
    await writeFile(file, bytes.subarray(0, Math.floor(bytes.length / 3)));
    const truncated = await cli(["scan", dir, "--state", file], env);
    expect(truncated.code).toBe(2);
    expect(truncated.stderr).toMatch(new RegExp(`${file.replace(/[.]/g, "\\.")}: .*(damaged|not an SQLite)`));
    expect(truncated.stderr).toContain("--state-reset");

    const reset = await cli(["scan", dir, "--state", file, "--state-reset", "-f", "json", "--fail-on", "never"], env);
    expect(reset.code).toBe(0);
    const report = JSON.parse(reset.stdout);
    expect(report.buckets[0].coverage.carriedForward).toBe(0);
    expect(report.changes.since).toBeUndefined();
  });

  it("fails at once on a state file another scan holds, and leaves it whole", async () => {
    const dir = await tree();
    const file = await stateFile();
    expect((await cli(["scan", dir, "--state", file, "--fail-on", "never"], env)).code).toBe(0);
    const holder = new StateMemory(file, new StateKeys(KEY));
    try {
      const started = performance.now();
      const second = await cli(["scan", dir, "--state", file], env);
      expect(second.code).toBe(2);
      expect(second.stderr).toContain(`${file} is in use by another scan`);
      // At once: a start-up, not a wait on the lock.
      expect(performance.now() - started).toBeLessThan(15_000);
    } finally {
      holder.close();
    }
    const after = await cli(["scan", dir, "--state", file, "-f", "json", "--fail-on", "never"], env);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout).buckets[0].coverage.carriedForward).toBe(3);
  });

  it("runs a cron line from the config alone: targets, outputs, state and --fail-on new", async () => {
    const dir = await tree();
    const file = await stateFile();
    const out = path.dirname(file);
    const config = path.join(out, "nightly.yaml");
    await writeFile(
      config,
      [
        `targets: ["${dir}"]`,
        "format: json",
        `output: ${out}/report.json`,
        "reports:",
        `  - { format: sarif, path: ${out}/report.sarif }`,
        `  - { format: markdown, path: ${out}/report.md }`,
        `state: ${file}`,
        "failOn: new",
        "sampleBytes: 1MiB",
        "fingerprintKey: ${RELIQUAT_FINGERPRINT_KEY}",
        "",
      ].join("\n"),
    );
    const first = await cli(["scan", "-c", config], env);
    // The first night: every finding is new.
    expect(first.code).toBe(1);
    const report = JSON.parse(await readFile(`${out}/report.json`, "utf8"));
    expect(report.changes.counts.newFindings).toBeGreaterThanOrEqual(4);
    // Every finding (a rule in an object) of the first night is new, no more, no fewer.
    const findings = report.buckets[0].objects.reduce(
      (n: number, o: { findings: unknown[] }) => n + o.findings.length,
      0,
    );
    expect(report.changes.counts.newFindings).toBe(findings);
    expect(JSON.parse(await readFile(`${out}/report.sarif`, "utf8")).version).toBe("2.1.0");
    const second = await cli(["scan", "-c", config], env);
    expect(second.code).toBe(0);
    const md = await readFile(`${out}/report.md`, "utf8");
    expect(md).toMatch(/Changes since \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC: 0 new finding/);
    // A new object with a NIR: the third night fails.
    await writeFile(path.join(dir, "c.csv"), `nom;nir\nMARTIN;${NIR}\n`);
    const third = await cli(["scan", "-c", config], env);
    expect(third.code).toBe(1);
    expect(JSON.parse(await readFile(`${out}/report.json`, "utf8")).changes.newFindings[0].url).toMatch(/c\.csv$/);
  });

  it("keeps no form of a NIR from contents, keys or folder names in the state file", async () => {
    const dir = await tree();
    const file = await stateFile();
    const run = await cli(["scan", dir, "--state", file, "-f", "json", "--fail-on", "never"], env);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).summary.findings).toBeGreaterThanOrEqual(4);
    // Two files, each with two valid NIRs (one mainland, one Corsican and spaced).
    expect(JSON.parse(run.stdout).summary.findings).toBe(4);
    const files = [file, `${file}-wal`, `${file}-shm`];
    // Everything SQLite holds, pages and all, as bytes and as the text a dump gives.
    const bytes = (await Promise.all(files.map((f) => readFile(f).catch(() => Buffer.alloc(0))))).map((b) =>
      b.toString("latin1"),
    );
    const dump = execFileSync("python3", ["-c", DUMP, file]).toString();
    for (const text of [...bytes, dump])
      for (const form of [NIR, NIR.slice(0, 13), C, C.slice(0, 13), spacedNir(C), spacedNir(NIR)])
        expect(text.includes(form), `the state holds "${form}"`).toBe(false);
    expect(dump).toContain("a.csv");
    expect(path.basename(file)).toBe("state.db");
  });
});

/** Every row of every table as text (Python's sqlite3 module, another reader than ours). */
const DUMP = `
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for line in db.iterdump():
    print(line)
`;
