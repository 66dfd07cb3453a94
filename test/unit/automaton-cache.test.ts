import { mkdtemp, readdir, readFile, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { automatonKey, deserialize, loadOrCompile } from "../../src/rules/automaton/cache.js";
import { type CompiledSearches, createSearcher, type SearchSource } from "../../src/rules/automaton/searcher.js";
import { collectHits, createRunner } from "../../src/rules/automaton/wasm/runner.js";

const sources: SearchSource[] = [
  { source: "(?<![0-9])[0-9]{3}(?![0-9])", flags: "g" },
  { source: "diab[eè]te", flags: "gi" },
];

describe("automaton cache", () => {
  it("stores a compiled automaton, reads it back the same, and compiles again over a damaged file", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "reliquat-automata-"));
    const first = loadOrCompile(sources, [dir]);
    const file = path.join(dir, automatonKey(sources));
    const stored = await readFile(file);
    const again = loadOrCompile(sources, [dir]);
    expect(again.forward?.table).toEqual(first.forward?.table);
    expect(again.reverse.map((r) => r.table)).toEqual(first.reverse.map((r) => r.table));
    expect(again.reverse.map((r) => r.dead)).toEqual(first.reverse.map((r) => r.dead));
    const text = "A 123 4567 DIABÈTE diabete";
    const a = createSearcher(sources, again).search(text);
    expect([...a.matches(0)]).toEqual([2, 5]);
    expect([...a.matches(1)]).toEqual([11, 18, 19, 26]);
    await writeFile(file, stored.subarray(0, stored.length / 2));
    expect(loadOrCompile(sources, [dir]).forward?.table).toEqual(first.forward?.table);
    expect(Buffer.compare(await readFile(file), stored)).toBe(0); // rewritten whole
    // One byte changed in the last table (a next state), the rest intact, is not trusted either.
    const flipped = Buffer.from(stored);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 1;
    await writeFile(file, flipped);
    expect(loadOrCompile(sources, [dir]).forward?.table).toEqual(first.forward?.table);
    expect(Buffer.compare(await readFile(file), stored)).toBe(0);
  });

  it("reads a stored table whose data starts at an odd offset of its buffer, as a pooled read may give", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "reliquat-automata-"));
    const first = loadOrCompile(sources, [dir]);
    const stored = await readFile(path.join(dir, automatonKey(sources)));
    const shifted = Buffer.alloc(stored.length + 1);
    stored.copy(shifted, 1);
    const read = deserialize(shifted.subarray(1));
    expect(read.forward?.table).toEqual(first.forward?.table);
    expect(read.forward?.next).toBeInstanceOf(Uint16Array);
    expect(read.reverse.map((r) => r.table)).toEqual(first.reverse.map((r) => r.table));
    expect(() => deserialize(Buffer.from("{}"))).toThrow(/not an automaton file/);
  });

  it("runs a stored table's state indices in WebAssembly and TypeScript alike, and refuses one that names no state", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "reliquat-automata-"));
    loadOrCompile(sources, [dir]);
    const stored = await readFile(path.join(dir, automatonKey(sources)));
    const forward = deserialize(stored).forward as NonNullable<CompiledSearches["forward"]>;
    const bytes = Buffer.from("n 123, 45 678 9999 diabète DIABETE 321", "latin1");
    const wasm = createRunner(forward);
    expect(wasm.engine).toBe("wasm");
    const hits = collectHits(wasm, bytes);
    // The loop reports a superset of the ends (look-arounds dropped): every true match's end is among them.
    const ends = new Set(hits.filter((_, i) => i % 2 === 0));
    const text = bytes.toString("latin1");
    for (const word of ["123", "678", "diabète", "DIABETE", "321"])
      expect(ends.has(text.indexOf(word) + word.length), word).toBe(true);
    expect([...collectHits(createRunner(forward, { wasm: "ts" }), bytes)]).toEqual([...hits]);
    const next = (forward.next as Uint16Array).slice();
    next[next.length - 1] = next.length / forward.width;
    expect(() => createRunner({ ...forward, next })).toThrow(/is not a state/);
  });

  it("keeps the 16 newest tables in the cache folder", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "reliquat-automata-"));
    for (let i = 0; i < 20; i++) {
      const name = path.join(dir, `${i.toString(16).padStart(32, "0")}.${i % 2 ? "bin" : "json"}`);
      await writeFile(name, "{}");
      await utimes(name, 1000 + i, 1000 + i);
    }
    loadOrCompile(sources, [dir]);
    const left = (await readdir(dir)).sort();
    expect(left).toHaveLength(16);
    expect(left).toContain(automatonKey(sources));
    expect(left).not.toContain(`${"0".repeat(32)}.json`); // a table of the format before
    expect(left).not.toContain(`${"1".padStart(32, "0")}.bin`);
  });
});
