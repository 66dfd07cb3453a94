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
const FORMAT = 4;
const KEEP = 16;
/** A stored table's first bytes; then the SHA-256 of the rest, then the metadata's length. */
const MAGIC = Buffer.from("RLQA");
const HEADER = MAGIC.length + 32 + 4;

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
  return `${hash.slice(0, 32)}.bin`;
}

/**
 * A table as stored: its arrays are byte offsets into the data that follows the metadata, the
 * next states are state indices (not offsets), 16-bit when they fit.
 */
interface StoredDfa {
  width: number;
  firstOutput: number;
  outputs: number[][];
  dead?: number;
  classes: number;
  next: number;
  entries: number;
  bits: 16 | 32;
}

interface StoredMeta {
  slot: number[];
  fallbacks: CompiledSearches["fallbacks"];
  forward?: StoredDfa;
  reverse: StoredDfa[];
}

/**
 * The compiled form as stored: `RLQA`, the SHA-256 of the rest, the metadata's length, the
 * metadata (JSON), then the tables as raw little-endian arrays, each 4-byte aligned. Binary,
 * not JSON with base64: loading is a read and a hash, with no 9 MB string to parse, and the
 * next-state arrays are used in place (see unpackDfa).
 */
export function serialize(c: CompiledSearches): Buffer {
  const parts: Uint8Array[] = [];
  let at = 0;
  const put = (bytes: Uint8Array): number => {
    const offset = at;
    parts.push(bytes, new Uint8Array((4 - (bytes.length % 4)) % 4));
    at += bytes.length + ((4 - (bytes.length % 4)) % 4);
    return offset;
  };
  const pack = (d: Dfa & { dead?: number }): StoredDfa => {
    const next = d.table.length / d.width <= 0xffff ? new Uint16Array(d.table.length) : new Int32Array(d.table.length);
    for (let i = 0; i < d.table.length; i++) next[i] = (d.table[i] as number) / d.width;
    const { width, firstOutput, outputs, dead } = d;
    const classes = put(d.classes);
    const bits = next instanceof Uint16Array ? 16 : 32;
    return {
      width,
      firstOutput,
      outputs,
      dead,
      classes,
      next: put(new Uint8Array(next.buffer)),
      entries: next.length,
      bits,
    };
  };
  const meta: StoredMeta = {
    slot: c.slot,
    fallbacks: c.fallbacks,
    forward: c.forward && pack(c.forward),
    reverse: c.reverse.map(pack),
  };
  const json = Buffer.from(JSON.stringify(meta));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const body = Buffer.concat([length, json, new Uint8Array((4 - ((HEADER + json.length) % 4)) % 4), ...parts]);
  // The body's hash first: a table damaged on disk would silently miss matches, so it is checked on load.
  return Buffer.concat([MAGIC, createHash("sha256").update(body).digest(), body]);
}

/** Throws on a file that is not a stored table or whose body does not match its hash. */
export function deserialize(file: Buffer): CompiledSearches {
  if (file.length < HEADER || !file.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error("not an automaton file");
  const hash = file.subarray(MAGIC.length, MAGIC.length + 32);
  if (
    !createHash("sha256")
      .update(file.subarray(MAGIC.length + 32))
      .digest()
      .equals(hash)
  )
    throw new Error("damaged automaton file");
  const length = file.readUInt32LE(HEADER - 4);
  const meta = JSON.parse(file.toString("utf8", HEADER, HEADER + length)) as StoredMeta;
  let data: Uint8Array = file.subarray(HEADER + length + ((4 - ((HEADER + length) % 4)) % 4));
  // Typed-array views need aligned offsets: a read into a pooled buffer may not be.
  if (data.byteOffset % 4 !== 0) data = new Uint8Array(data);
  const unpack = (s: StoredDfa) => unpackDfa(s, data);
  return {
    slot: meta.slot,
    fallbacks: meta.fallbacks,
    forward: meta.forward && unpack(meta.forward),
    reverse: meta.reverse.map(unpack),
  };
}

/**
 * A stored table, its arrays views into `data`. The premultiplied `table` is built on first
 * read: the WebAssembly loop copies `next` into its own memory and never reads it, and most
 * searches' reversed tables are never walked in a given scan (11 MB of the forward table's
 * 2.8 million entries as 32-bit integers, not kept twice).
 */
function unpackDfa(s: StoredDfa, data: Uint8Array): Dfa & { dead: number } {
  const at = data.byteOffset + s.next;
  const next = s.bits === 16 ? new Uint16Array(data.buffer, at, s.entries) : new Int32Array(data.buffer, at, s.entries);
  const { width } = s;
  let table: Int32Array | undefined;
  return {
    width,
    firstOutput: s.firstOutput,
    outputs: s.outputs,
    dead: s.dead ?? -1,
    classes: data.subarray(s.classes, s.classes + 256),
    next,
    get table() {
      if (!table) {
        table = new Int32Array(next.length);
        for (let i = 0; i < next.length; i++) table[i] = (next[i] as number) * width;
      }
      return table;
    },
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
      const found = deserialize(readFileSync(path.join(dir, name)));
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
    .filter((n) => /^[0-9a-f]{32}\.(bin|json)$/.test(n))
    .map((n) => ({ n, at: statSync(path.join(dir, n)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const { n } of files.slice(KEEP)) rmSync(path.join(dir, n), { force: true });
}

/** For the build: the stored form of `sources`, compiled now. */
export const compileAndSerialize = (sources: readonly SearchSource[]): Buffer => serialize(compileSearches(sources));
