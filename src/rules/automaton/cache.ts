/**
 * Compiled automata, kept by the hash of their searches: building the built-in packs' automaton
 * takes about a second per encoding, loading it a few milliseconds. Looked up in the package's
 * `dist/automata/` (written by `npm run build`), then in the user's cache folder, which a first
 * compile fills. The files hold rule tables only, never anything read from a bucket.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FROM_SOURCES, packagePath } from "../../package-root.js";
import type { Dfa } from "./compile.js";
import { type CompiledSearches, compileSearches, type SearchSource } from "./searcher.js";

/** Bumped whenever the file format changes. */
const FORMAT = 3;
const KEEP = 16;

/**
 * The compiler's own code, hashed into every key: a table built by another version of the
 * compiler is never read, even in a working copy where the code changed and the version did not.
 * The hash of its TypeScript sources: `npm run build` stores it next to the shipped tables
 * (`compiler.sha256`), so that the built CLI and a run from the sources (the tests) share them.
 * Without it, every run from the sources with an empty cache compiled for about 20 seconds.
 */
export const COMPILER_HASH = (() => {
  if (!FROM_SOURCES) {
    try {
      return readFileSync(packagePath("dist", "automata", "compiler.sha256"), "utf8").trim();
    } catch {
      // An install without the stored hash: hash the built files, as tsc writes them (this
      // module's own folder is a chunk folder in the bundle).
    }
  }
  const dir = FROM_SOURCES ? path.dirname(fileURLToPath(import.meta.url)) : packagePath("dist", "rules", "automaton");
  const hash = createHash("sha256");
  for (const name of readdirSync(dir).sort())
    if (/^(parse|looser|compile|searcher)\.(ts|js)$/.test(name))
      hash.update(name).update(readFileSync(path.join(dir, name)));
  return hash.digest("hex");
})();

export const SHIPPED_AUTOMATA = packagePath("dist", "automata");

function userCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), ".cache");
  return process.env.RELIQUAT_CACHE_DIR ?? path.join(base, "reliquat", "automata");
}

/** The file name of the compiled form of `sources`. */
export function automatonKey(sources: readonly SearchSource[]): string {
  const hash = createHash("sha256")
    .update(JSON.stringify({ FORMAT, compilerHash: COMPILER_HASH, sources }))
    .digest("hex");
  return `${hash.slice(0, 32)}.json`;
}

/** A table as stored: state indices (not offsets), as 16-bit integers when they fit, in base64. */
type Stored = Omit<Dfa, "classes" | "table"> & { classes: string; table: string; bits: 16 | 32; dead?: number };

function packDfa(d: Dfa & { dead?: number }): Stored {
  const states = d.table.length / d.width;
  const indices = states <= 0xffff ? new Uint16Array(d.table.length) : new Int32Array(d.table.length);
  for (let i = 0; i < d.table.length; i++) indices[i] = (d.table[i] as number) / d.width;
  return {
    ...d,
    classes: Buffer.from(d.classes).toString("base64"),
    table: Buffer.from(indices.buffer).toString("base64"),
    bits: indices instanceof Uint16Array ? 16 : 32,
  };
}

function unpackDfa(s: Stored): Dfa & { dead: number } {
  const bytes = Buffer.from(s.table, "base64");
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes); // aligned for the typed array view
  const indices = s.bits === 16 ? new Uint16Array(copy.buffer) : new Int32Array(copy.buffer);
  const table = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) table[i] = (indices[i] as number) * s.width;
  const { bits: _bits, ...rest } = s;
  return { ...rest, classes: new Uint8Array(Buffer.from(s.classes, "base64")), table, dead: s.dead ?? -1 };
}

/** The compiled form as stored: JSON with the tables in base64. */
export function serialize(c: CompiledSearches): string {
  const body = JSON.stringify({
    slot: c.slot,
    fallbacks: c.fallbacks,
    forward: c.forward && packDfa(c.forward),
    reverse: c.reverse.map(packDfa),
  });
  // The body's hash first: a table damaged on disk would silently miss matches, so it is checked on load.
  return `${sha256(body)}\n${body}`;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Throws on a file whose body does not match its hash. */
function deserialize(file: string): CompiledSearches {
  const cut = file.indexOf("\n");
  const text = file.slice(cut + 1);
  if (cut !== 64 || sha256(text) !== file.slice(0, cut)) throw new Error("damaged automaton file");
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
    prune(cache);
  } catch {
    // a read-only home: compile again next time
  }
  return compiled;
}

/** Keeps the newest {@link KEEP} tables: each version of the compiler or of a user pack writes its own. */
function prune(dir: string): void {
  const files = readdirSync(dir)
    .filter((n) => /^[0-9a-f]{32}\.json$/.test(n))
    .map((n) => ({ n, at: statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { n } of files.slice(KEEP)) rmSync(path.join(dir, n), { force: true });
}

/** For the build: the stored form of `sources`, compiled now. */
export const compileAndSerialize = (sources: readonly SearchSource[]): string => serialize(compileSearches(sources));
