/**
 * Figure 3's fuller baseline: every search Reliquat's automaton runs (the built-in rules' patterns,
 * dictionary with its accent folding, context and negative words, for one encoding), written for
 * ripgrep. Each search is printed from the same parse tree the automaton compiles (parse.ts),
 * look-arounds dropped as the automaton drops them, so ripgrep matches the same language over
 * the same bytes. Searches the automaton cannot express (they run as their own regex) are left
 * out and counted. Usage: tsx bench/rg-patterns.ts ENCODING > patterns.txt (one per line, for `rg -f`).
 */
import type { ByteEncoding } from "../src/extract/text-blocks.js";
import { matchesEmpty, type Node, parseRegex, UnsupportedPattern } from "../src/rules/automaton/parse.js";
import { loadRules } from "../src/rules/load.js";

const hex = (b: number) => `\\x${b.toString(16).padStart(2, "0")}`;

/** A byte set as a Rust byte class. */
function byteClass(set: Uint8Array): string {
  const parts: string[] = [];
  for (let b = 0; b < 256; b++) {
    if (!set[b]) continue;
    let e = b;
    while (e + 1 < 256 && set[e + 1]) e++;
    parts.push(e === b ? hex(b) : `${hex(b)}-${hex(e)}`);
    b = e;
  }
  return `[${parts.join("")}]`;
}

/** A parse tree as a Rust regex over bytes (to be wrapped in `(?-u:…)`). */
export function rustRegex(node: Node): string {
  switch (node.k) {
    case "set":
      return byteClass(node.set);
    case "cat":
      return node.xs.map(rustRegex).join("");
    case "alt":
      return `(?:${node.xs.map(rustRegex).join("|")})`;
    case "rep":
      return `(?:${rustRegex(node.x)}){${node.min},${node.max < 0 ? "" : node.max}}`;
    case "eps":
      return "(?:)";
  }
}

/** The ripgrep patterns of the built-in rules for `enc`, and how many searches were left out. */
export async function ripgrepPatterns(enc: ByteEncoding): Promise<{ patterns: string[]; leftOut: number }> {
  const rules = await loadRules();
  const patterns: string[] = [];
  let leftOut = 0;
  for (const rule of rules)
    for (const s of rule.searches(enc)) {
      try {
        const tree = parseRegex(s.source, s.flags);
        if (matchesEmpty(tree)) throw new UnsupportedPattern("empty");
        patterns.push(`(?-u:${rustRegex(tree)})`);
      } catch (error) {
        if (!(error instanceof UnsupportedPattern)) throw error;
        leftOut++;
      }
    }
  return { patterns, leftOut };
}

if (process.argv[1]?.endsWith("rg-patterns.ts")) {
  const { patterns, leftOut } = await ripgrepPatterns((process.argv[2] ?? "windows-1252") as ByteEncoding);
  process.stdout.write(`${patterns.join("\n")}\n`);
  process.stderr.write(`${patterns.length} searches, ${leftOut} left out (regex fallbacks)\n`);
}
