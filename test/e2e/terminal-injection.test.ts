import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SaxesParser } from "saxes";
import { afterAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/report/types.js";
import { type CliResult, cli, folderTree } from "../helpers/cli.js";

/** Sets the window title to PWNED, clears the screen, then writes in red: what the name did before. */
const ATTACK = "x\x1b]0;PWNED\x07\x1b[2J\x1b[31mRED";
/** What a terminal must show instead. */
const SHOWN = "x\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[31mRED";
const RAW = /[\x07\x1b]/;
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NOBODY = 65534;

/**
 * `reliquat ARGS` as an unprivileged user when the tests run as root: root reads any folder,
 * so only another user meets a folder it may not list.
 */
function cliUnprivileged(args: string[]): Promise<CliResult> {
  if (process.getuid?.() !== 0) return cli(args);
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "src/cli/main.ts"), ...args],
      { cwd: ROOT, uid: NOBODY, gid: NOBODY, env: { ...process.env, NO_COLOR: "1", HOME: tmpdir() }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }),
    );
  });
}

const parent = await mkdtemp(path.join(tmpdir(), "reliquat-injection-"));
// The unprivileged user must reach the folder to be refused its listing.
await chmod(parent, 0o755);
const locked = path.join(parent, ATTACK);
await mkdir(locked);
await writeFile(path.join(locked, "a.txt"), "rien ici\n");
// Traversable, not listable: stat and realpath succeed, opendir fails with EACCES.
await chmod(locked, 0o311);
const readable = await folderTree({ [`${ATTACK}/${ATTACK}.txt`]: "rien ici\n" });

afterAll(async () => {
  await chmod(locked, 0o755);
  await rm(parent, { recursive: true, force: true });
  await rm(readable, { recursive: true, force: true });
});

describe("a folder named with terminal escape sequences", () => {
  it("cannot be listed: the coverage-error lines on stderr and in the terminal report show it escaped", async () => {
    const r = await cliUnprivileged(["scan", locked]);
    expect(r.code).toBe(3);
    const shown = path.join(parent, SHOWN);
    // `TARGET: … listing folder "PATH" failed: EACCES`, whatever the words between.
    const lines = (text: string, start: string) =>
      text
        .split("\n")
        .filter((l) => l.startsWith(`${start}${shown}: `) && l.endsWith(`listing folder "${shown}" failed: EACCES`));
    expect(lines(r.stderr, "reliquat: ")).toHaveLength(1);
    expect(lines(r.stdout, "! ")).toHaveLength(1);
    expect(r.stderr).not.toMatch(RAW);
    expect(r.stdout).not.toMatch(RAW);
  });

  it("does not exist: the usage error shows it escaped, exit 2", async () => {
    const missing = path.join(parent, `${ATTACK}-missing`);
    const r = await cli(["scan", missing]);
    expect(r.code).toBe(2);
    const shown = path.join(parent, `${SHOWN}-missing`);
    expect(r.stderr).toBe(`reliquat: target ${shown}: folder "${shown}" does not exist\n`);
    expect(r.stderr).not.toMatch(RAW);
    expect(r.stdout).toBe("");
  });

  it("is scanned: Markdown, JUnit and HTML hold no ESC or BEL, JUnit parses, JSON keeps the exact name", async () => {
    const out = (name: string) => path.join(parent, name);
    const r = await cli([
      "scan",
      path.join(readable, ATTACK),
      "--format",
      "json",
      "--report",
      `markdown=${out("r.md")}`,
      "--report",
      `junit=${out("r.xml")}`,
      "--report",
      `html=${out("r.html")}`,
      "--report",
      `terminal=${out("r.txt")}`,
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(RAW);
    const report = JSON.parse(r.stdout) as Report;
    expect(report.buckets[0]?.objects.map((o) => o.key)).toEqual([`${ATTACK}.txt`]);
    for (const file of ["r.md", "r.xml", "r.html", "r.txt"]) expect(await readFile(out(file), "utf8")).not.toMatch(RAW);
    expect(await readFile(out("r.html"), "utf8")).toContain(`<td class="mono">${SHOWN}.txt</td>`);
    const xml = await readFile(out("r.xml"), "utf8");
    const parser = new SaxesParser();
    parser.on("error", (e) => {
      throw e;
    });
    parser.write(xml).close();
  });
});
