import { mkdtemp, readdir, readFile, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { automatonKey, loadOrCompile } from "../../src/rules/automaton/cache.js";
import { createSearcher, type SearchSource } from "../../src/rules/automaton/searcher.js";

const sources: SearchSource[] = [
  { source: "(?<![0-9])[0-9]{3}(?![0-9])", flags: "g" },
  { source: "diab[eè]te", flags: "gi" },
];

describe("automaton cache", () => {
  it("stores a compiled automaton, reads it back the same, and compiles again over a damaged file", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "reliquat-automata-"));
    const first = loadOrCompile(sources, [dir]);
    const file = path.join(dir, automatonKey(sources));
    const stored = await readFile(file, "utf8");
    const again = loadOrCompile(sources, [dir]);
    expect(again.forward?.table).toEqual(first.forward?.table);
    expect(again.reverse.map((r) => r.dead)).toEqual(first.reverse.map((r) => r.dead));
    const text = "A 123 4567 DIABÈTE diabete";
    const a = createSearcher(sources, again).search(text);
    expect([...a.matches(0)]).toEqual([2, 5]);
    expect([...a.matches(1)]).toEqual([11, 18, 19, 26]);
    await writeFile(file, stored.slice(0, stored.length / 2));
    expect(loadOrCompile(sources, [dir]).forward?.table).toEqual(first.forward?.table);
    expect(await readFile(file, "utf8")).toBe(stored); // rewritten whole
    // A file that still parses, with one table entry changed, is not trusted either.
    const [hash, body] = [stored.slice(0, 64), stored.slice(65)];
    const flipped = body.replace(/"table":"(.)/, (_, c: string) => `"table":"${c === "A" ? "B" : "A"}`);
    expect(flipped).not.toBe(body);
    await writeFile(file, `${hash}\n${flipped}`);
    expect(loadOrCompile(sources, [dir]).forward?.table).toEqual(first.forward?.table);
    expect(await readFile(file, "utf8")).toBe(stored);
  });

  it("keeps the 16 newest tables in the cache folder", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "reliquat-automata-"));
    for (let i = 0; i < 20; i++) {
      const name = path.join(dir, `${i.toString(16).padStart(32, "0")}.json`);
      await writeFile(name, "{}");
      await utimes(name, 1000 + i, 1000 + i);
    }
    loadOrCompile(sources, [dir]);
    const left = (await readdir(dir)).sort();
    expect(left).toHaveLength(16);
    expect(left).toContain(automatonKey(sources));
    expect(left).not.toContain(`${"0".repeat(32)}.json`);
  });
});
