/**
 * Compiled automata, kept by the hash of their searches: building the built-in packs' automaton
 * takes about a second per encoding, loading it a few milliseconds. Looked up in the package's
 * `dist/automata/` (written by `npm run build`), then in the user's cache folder, which a first
 * compile fills. The files hold rule tables only, never anything read from a bucket.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { packagePath } from "../../package-root.js";
import type { Dfa } from "./compile.js";
import { type CompiledSearches, compileSearches, type SearchSource } from "./searcher.js";

/** Bumped whenever the file format changes. */
const FORMAT = 1;

/**
 * The compiler's own code, hashed into every key: a table built by another version of the
 * compiler is never read, even in a working copy where the code changed and the version did not.
 */
const compilerHash = (() => {
  const dir = path.dirname(fileURLToPath(import.meta.url));
  const hash = createHash("sha256");
  for (const name of readdirSync(dir).sort())
    if (/^(parse|compile|searcher)\.(ts|js)$/.test(name)) hash.update(name).update(readFileSync(path.join(dir, name)));
  return hash.digest("hex");
})();

export const SHIPPED_AUTOMATA = packagePath("dist", "automata");

function userCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), ".cache");
  return process.env.RELIQUAT_CACHE_DIR ?? path.join(base, "reliquat", "automata");
}

/** The file name of the compiled form of `sources`. */
export function automatonKey(sources: readonly SearchSource[]): string {
  const hash = createHash("sha256").update(JSON.stringify({ FORMAT, compilerHash, sources })).digest("hex");
  return `${hash.slice(0, 32)}.json`;
}

type Stored = Omit<Dfa, "classes" | "table"> & { classes: string; table: string; dead?: number };

const packDfa = (d: Dfa & { dead?: number }): Stored => ({
  ...d,
  classes: Buffer.from(d.classes).toString("base64"),
  table: Buffer.from(d.table.buffer, d.table.byteOffset, d.table.byteLength).toString("base64"),
});

function unpackDfa(s: Stored): Dfa & { dead: number } {
  const table = Buffer.from(s.table, "base64");
  const aligned = new Int32Array(table.byteLength / 4);
  new Uint8Array(aligned.buffer).set(table);
  return { ...s, classes: new Uint8Array(Buffer.from(s.classes, "base64")), table: aligned, dead: s.dead ?? -1 };
}

/** The compiled form as stored: JSON with the tables in base64. */
export function serialize(c: CompiledSearches): string {
  return JSON.stringify({
    slot: c.slot,
    fallbacks: c.fallbacks,
    forward: c.forward && packDfa(c.forward),
    reverse: c.reverse.map(packDfa),
  });
}

function deserialize(text: string): CompiledSearches {
  const data = JSON.parse(text) as {
    slot: number[];
    fallbacks: CompiledSearches["fallbacks"];
    forward?: Stored;
    reverse: Stored[];
  };
  return {
    slot: data.slot,
    fallbacks: data.fallbacks,
    forward: data.forward && unpackDfa(data.forward),
    reverse: data.reverse.map(unpackDfa),
  };
}

/**
 * The compiled searches, from a stored file when one matches, else compiled now and stored
 * for the next process. A missing, unreadable or damaged file is compiled again; a cache that
 * cannot be written is skipped silently (it only costs time).
 */
export function loadOrCompile(
  sources: readonly SearchSource[],
  dirs = [SHIPPED_AUTOMATA, userCacheDir()],
): CompiledSearches {
  const name = automatonKey(sources);
  for (const dir of dirs) {
    try {
      const found = deserialize(readFileSync(path.join(dir, name), "utf8"));
      if (found.slot.length === sources.length) return found;
    } catch {
      // not there, or damaged: the next place, then compile
    }
  }
  const compiled = compileSearches(sources);
  const cache = dirs[dirs.length - 1] as string;
  try {
    mkdirSync(cache, { recursive: true });
    // Written aside then renamed: processes compiling at once never read a half-written file.
    const temp = path.join(cache, `${name}.${process.pid}.${Math.random().toString(36).slice(2)}`);
    writeFileSync(temp, serialize(compiled));
    renameSync(temp, path.join(cache, name));
  } catch {
    // a read-only home: compile again next time
  }
  return compiled;
}

/** For the build: the stored form of `sources`, compiled now. */
export const compileAndSerialize = (sources: readonly SearchSource[]): string => serialize(compileSearches(sources));
