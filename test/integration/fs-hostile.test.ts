/**
 * Local folders that fight back: locked sub-folders, symlink loops and escapes, named pipes,
 * sockets, entries that vanish mid-walk, and empty targets. Real trees in a temp folder, the
 * real CLI in a child process. Root reads a chmod 000 folder anyway, so the permission cases
 * run the CLI as `nobody` through util-linux `setpriv`.
 */
import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, rm, symlink, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createFsProvider, fsBucket } from "../../src/providers/fs.js";
import { type ObjectRef, ProviderError } from "../../src/providers/types.js";
import type { Report } from "../../src/report/types.js";
import { type CliResult, cli } from "../helpers/cli.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const asRoot = process.getuid?.() === 0;
const trees: string[] = [];

/** Builds a tree: a string is a file, `{ link }` a symlink, `"fifo"`/`"socket"` special files. */
async function tree(entries: [string, string | { link: string } | "fifo" | "socket"][]): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "reliquat-hostile-"));
  trees.push(dir);
  await chmod(dir, 0o755); // readable by nobody
  for (const [key, what] of entries) {
    const file = path.join(dir, ...key.split("/"));
    await mkdir(path.dirname(file), { recursive: true });
    if (what === "fifo") await run("mkfifo", [file]);
    else if (what === "socket")
      await run("python3", ["-c", "import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])", file]);
    else if (typeof what === "string") await writeFile(file, what);
    else await symlink(what.link, file);
  }
  return dir;
}

/** The CLI as an unprivileged user (as itself when not root). Killed after 30 s: a blocked FIFO shows as -1. */
function cliUnprivileged(args: string[]): Promise<CliResult> {
  const node = [process.execPath, "--import", "tsx", path.join(ROOT, "src/cli/main.ts"), ...args];
  const [cmd, ...rest] = asRoot ? ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", ...node] : node;
  return new Promise((resolve) => {
    execFile(
      cmd as string,
      rest,
      { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" }, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout, stderr });
      },
    );
  });
}

/** key → `coverage: reason` (`!` marks an error) for every object of the one bucket. */
function statuses(r: CliResult): Record<string, string> {
  const report = JSON.parse(r.stdout) as Report;
  const objects = report.buckets[0]?.objects ?? [];
  return Object.fromEntries(
    objects.map((o) => [o.key, `${o.coverage}${o.error ? "!" : ""}${o.reason ? `: ${o.reason}` : ""}`]),
  );
}

function bucketOf(r: CliResult) {
  const bucket = (JSON.parse(r.stdout) as Report).buckets[0];
  if (!bucket) throw new Error(`no bucket in the report: ${r.stderr}`);
  return bucket;
}

afterAll(async () => {
  // Unlock first: a non-root runner cannot remove what it cannot list.
  for (const dir of trees) {
    await run("chmod", ["-R", "u+rwx", dir]);
    await rm(dir, { recursive: true, force: true });
  }
});

const readable: [string, string][] = [
  ...["a/1", "a/2", "a/b/3", "a/b/c/4", "a/b/c/5", "d/6", "e/7", "e/8", "f/9", "g/10", "g/11"],
  ...["h/12", "i/13", "i/14", "j/15", "k/16", "k/17", "l/18", "l/19", "l/20"],
].map((name) => [`${name}.txt`, `note ${name}\n`]);

describe("fs provider: unreadable folders", () => {
  it("lists the 20 readable files of 12 folders around a locked sub-folder, which alone is skipped", async () => {
    const dir = await tree([...readable, ["locked/secret.txt", "secret\n"], ["locked/deeper/x.txt", "x\n"]]);
    await chmod(path.join(dir, "locked"), 0o000);
    const r = await cliUnprivileged(["scan", dir, "--format", "json"]);
    expect(r.code).toBe(3);
    expect(statuses(r)).toEqual({
      ...Object.fromEntries(readable.map(([key]) => [key, "scanned"])),
      "locked/": "skipped!: folder not readable: access denied (EACCES)",
    });
    const bucket = bucketOf(r);
    expect(bucket.coverage).toEqual({ listed: 21, scanned: 20, partial: 0, skipped: 1, complete: false, errors: [] });
    expect(bucket.totals.bytesRead).toBe(readable.reduce((n, [, body]) => n + body.length, 0));
    const allowed = await cliUnprivileged(["scan", dir, "--format", "json", "--allow-partial"]);
    expect(allowed.code).toBe(0);
  });

  it("skips files it cannot stat or open as errors, and reads a link into a traverse-only folder once, under the link's key", async () => {
    const dir = await tree([
      ["readable.txt", "lisible\n"],
      ["private.txt", "privé\n"],
      ["noexec/a.txt", "a\n"],
      ["noexec/b.txt", "b\n"],
      ["hidden/in.txt", "caché mais lisible\n"],
      ["via-link.txt", { link: "hidden/in.txt" }],
      ["locked/x.txt", "x\n"],
      ["to-locked.txt", { link: "locked/x.txt" }],
    ]);
    await chmod(path.join(dir, "private.txt"), 0o000);
    await chmod(path.join(dir, "noexec"), 0o444); // listable, but its entries cannot be stat'ed
    await chmod(path.join(dir, "hidden"), 0o111); // not listable, but a known path opens
    await chmod(path.join(dir, "locked"), 0o000);
    const r = await cliUnprivileged(["scan", dir, "--format", "json"]);
    expect(r.code).toBe(3);
    expect(statuses(r)).toEqual({
      "readable.txt": "scanned",
      "private.txt": 'skipped!: read-error: reading "private.txt" failed: EACCES',
      "noexec/a.txt": "skipped!: not readable: access denied (EACCES)",
      "noexec/b.txt": "skipped!: not readable: access denied (EACCES)",
      "hidden/": "skipped!: folder not readable: access denied (EACCES)",
      "via-link.txt": "scanned",
      "locked/": "skipped!: folder not readable: access denied (EACCES)",
      "to-locked.txt": "skipped!: symlink not resolved: access denied (EACCES)",
    });
    const linked = bucketOf(r).objects.find((o) => o.key === "via-link.txt");
    expect([linked?.size, linked?.bytesRead]).toEqual([Buffer.byteLength("caché mais lisible\n"), 20]);
  });
});

describe("fs provider: links, pipes and sockets", () => {
  it("gives every link, pipe and socket its policy status, follows nothing out of the folder, and never blocks", async () => {
    const dir = await tree([
      ["exports/a.csv", "nom;ville\nDupont;Lyon\n"],
      ["loop1", { link: "loop2" }],
      ["loop2", { link: "loop1" }],
      ["inside.csv", { link: "exports/a.csv" }],
      ["passwd", { link: "/etc/passwd" }],
      ["zero", { link: "/dev/zero" }],
      ["up", { link: ".." }],
      ["dangling.txt", { link: "nowhere.txt" }],
      ["exports-link", { link: "exports" }],
      ["here", { link: "." }],
      ["pipe", "fifo"],
      ["pipe-link", { link: "pipe" }],
      ["sock", "socket"],
    ]);
    // As root on purpose: root could read /etc/passwd, so only the policy keeps it out.
    const started = Date.now();
    const r = await cli(["scan", dir, "--format", "json"]);
    expect(r.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(statuses(r)).toEqual({
      "exports/a.csv": "scanned",
      loop1: "skipped: symlink loop (ELOOP)",
      loop2: "skipped: symlink loop (ELOOP)",
      "inside.csv": "skipped: symlink to exports/a.csv (scanned under its own key)",
      passwd: "skipped: symlink out of the scanned folder (not followed)",
      zero: "skipped: symlink out of the scanned folder (not followed)",
      up: "skipped: symlink out of the scanned folder (not followed)",
      "dangling.txt": "skipped: broken symlink",
      "exports-link": "skipped: symlink to a folder (not followed)",
      here: "skipped: symlink to a folder (not followed)",
      pipe: "skipped: not a regular file (named pipe)",
      "pipe-link": "skipped: symlink to a non-regular file (named pipe)",
      sock: "skipped: not a regular file (socket)",
    });
    const bucket = bucketOf(r);
    expect(bucket.coverage).toEqual({ listed: 13, scanned: 1, partial: 0, skipped: 12, complete: true, errors: [] });
    expect(bucket.totals.bytesRead).toBe(Buffer.byteLength("nom;ville\nDupont;Lyon\n"));
  });

  it("reads a link whose target lies outside the listed prefix once, under the link's key", async () => {
    const dir = await tree([
      ["exports/a.csv", "a;b\n"],
      ["in/link.csv", { link: "../exports/a.csv" }],
    ]);
    const provider = createFsProvider();
    const listed = await collect(provider.listObjects(fsBucket(dir), { prefix: "in/" }));
    expect(listed.map((o) => [o.key, o.size, o.skip])).toEqual([["in/link.csv", 4, undefined]]);
    expect(Buffer.concat(await collect(provider.readRange(listed[0] as ObjectRef, { offset: 0 }))).toString()).toBe(
      "a;b\n",
    );
  });

  it("refuses at read time a listed file that became a named pipe or a link out of the folder", async () => {
    const dir = await tree([
      ["f.txt", "f\n"],
      ["g.txt", "g\n"],
    ]);
    const provider = createFsProvider();
    const listed = await collect(provider.listObjects(fsBucket(dir)));
    await unlink(path.join(dir, "f.txt"));
    await run("mkfifo", [path.join(dir, "f.txt")]);
    await unlink(path.join(dir, "g.txt"));
    await symlink("/etc/passwd", path.join(dir, "g.txt"));
    const read = (key: string) =>
      collect(provider.readRange(listed.find((o) => o.key === key) as ObjectRef, { offset: 0 })).catch((e) => e);
    const [f, g] = await Promise.all([read("f.txt"), read("g.txt")]);
    expect([f instanceof ProviderError, f.code, f.message]).toEqual([
      true,
      "invalid-target",
      '[reliquat:fs] reading "f.txt" refused: not a regular file (named pipe)',
    ]);
    expect([g instanceof ProviderError, g.code, g.message]).toEqual([
      true,
      "invalid-target",
      '[reliquat:fs] reading "g.txt" refused: it leads out of the scanned folder',
    ]);
  });

  it("gives files and folders that vanish during the walk a status instead of dropping them", async () => {
    const dir = await tree([
      ["v/1.txt", "1"],
      ["v/2.txt", "2"],
      ["v/3.txt", "3"],
    ]);
    const seen: ObjectRef[] = [];
    // The folder's names are read in one batch: files removed after the first is yielded are still listed.
    for await (const o of createFsProvider().listObjects(fsBucket(dir))) {
      if (seen.length === 0)
        for (const n of ["1", "2", "3"]) if (`v/${n}.txt` !== o.key) await unlink(path.join(dir, "v", `${n}.txt`));
      seen.push(o);
    }
    expect(seen.map((o) => o.skip?.reason ?? "listed").sort()).toEqual([
      "listed",
      "vanished during listing (ENOENT)",
      "vanished during listing (ENOENT)",
    ]);
    expect(seen.filter((o) => o.skip).every((o) => o.skip?.error === true && o.size === 0)).toBe(true);

    const dir2 = await tree([
      ["a.txt", "a"],
      ["sub/x.txt", "x"],
    ]);
    const keys: string[] = [];
    // A sub-folder is opened only after its parent's entries are yielded.
    for await (const o of createFsProvider().listObjects(fsBucket(dir2))) {
      if (o.key === "a.txt") await rm(path.join(dir2, "sub"), { recursive: true });
      keys.push(`${o.key} ${o.skip?.reason ?? "listed"}`);
    }
    expect(keys).toEqual(["a.txt listed", "sub/ folder vanished during listing (ENOENT)"]);
  });
});

describe("empty targets", () => {
  const message = (quoted: string) =>
    `reliquat: empty target${quoted}: give s3://bucket[/prefix], azure://ACCOUNT[/CONTAINER], gs://BUCKET or a folder path (an unset variable?)\n`;

  it.each([
    ["", ""],
    [" ", ' " "'],
    ["\t", ' "\\x09"'], // control characters are shown escaped
    ["file://", ' "file://"'],
  ])("exits 2 and scans nothing for %j", async (target, quoted) => {
    const r = await cli(["scan", target, "--format", "json"]);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, "", message(quoted)]);
  });

  it("exits 2 on a file URL without an absolute path: file://data is not ./data", async () => {
    const r = await cli(["scan", "file://data"]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      2,
      "",
      'reliquat: "file://data": a file URL needs an absolute path, file:///abs/path (or give the folder path itself)\n',
    ]);
  });

  it("exits 2 on a blank or empty target in the config file", async () => {
    const dir = await tree([
      ["blank.yaml", 'targets:\n  - " "\n'],
      ["empty.yaml", 'targets:\n  - ""\n'],
    ]);
    const [blank, empty] = await Promise.all(
      ["blank", "empty"].map((n) => cli(["scan", "--config", path.join(dir, `${n}.yaml`)])),
    );
    expect([blank?.code, blank?.stdout, blank?.stderr]).toEqual([2, "", message(' " "')]);
    expect([empty?.code, empty?.stdout]).toEqual([2, ""]);
    expect(empty?.stderr).toMatch(/^reliquat: .*empty\.yaml: field "targets\.0": /);
  });

  it("decodes a file URL's percent escapes", () => {
    expect(fsBucket("file:///tmp/dossier%20patients").name).toBe("/tmp/dossier patients");
    expect(fsBucket("file://localhost/tmp/x").name).toBe("/tmp/x");
  });
});

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
