/**
 * Data flows one way: providers → extract → rules → report. A producer never imports its
 * consumer's code or types (the layout is extract's, the finding shape the engine's).
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { packagePath } from "../../src/package-root.js";

const SRC = packagePath("src");

/** The src/ folders that each file of `folder` imports (relative imports only). */
function importedFolders(folder: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.ts$/.test(entry.name) && !entry.name.endsWith(".as.ts")) {
        const source = readFileSync(file, "utf8");
        for (const m of source.matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)) {
          const target = path.relative(SRC, path.resolve(path.dirname(file), m[1] as string));
          const top = target.split(path.sep)[0] as string;
          const list = out.get(top) ?? [];
          list.push(path.relative(SRC, file));
          out.set(top, list);
        }
      }
    }
  };
  walk(path.join(SRC, folder));
  return out;
}

describe("data flow", () => {
  it.each([
    ["providers", ["extract", "rules", "report", "score", "cli"]],
    ["extract", ["rules", "report", "score", "cli"]],
    ["rules", ["report", "score", "cli"]],
  ])("%s imports none of %j", (folder, consumers) => {
    const imported = importedFolders(folder);
    for (const consumer of consumers) expect(imported.get(consumer) ?? [], `${folder} → ${consumer}`).toEqual([]);
  });

  it("redaction imports nothing of ours, and the report's contract none of the engine's types", () => {
    const relative = (file: string) =>
      [...readFileSync(path.join(SRC, file), "utf8").matchAll(/from\s+"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1]);
    expect(relative("redact.ts")).toEqual([]);
    const contract = relative(path.join("report", "types.ts"));
    expect(contract).toContain("../config/schema.js"); // the check sees its imports
    expect(contract.filter((m) => /rules\/(engine|merge|types)/.test(m as string))).toEqual([]);
  });

  it("sees the imports it checks: extract's types import its layout, rules import extract", () => {
    expect(importedFolders("extract").get("extract")).toContain(path.join("extract", "types.ts"));
    expect(importedFolders("rules").get("extract")).toContain(path.join("rules", "layout.ts"));
  });
});
