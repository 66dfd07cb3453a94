/**
 * Real-world quality: the public example files of ../shared/realworld/files (ANS HL7 v2 and CDA,
 * FHIR, SAMU-Hub, SQL dumps, invoices as negatives) scanned through the real object pipeline and
 * compared with the labels of bench/realworld-labels.json, which were decided by reading each
 * file, never from Reliquat's output. Prints one row per category and every file that disagrees.
 *
 * `npx tsx bench/realworld.ts` alone, or at the end of `npm run bench:quality`.
 * RELIQUAT_REALWORLD names another folder of the same files.
 */

import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ObjectReport } from "../src/report/types.js";
import { createDistinctHasher, createFingerprinter } from "../src/rules/fingerprint.js";
import { loadRules } from "../src/rules/load.js";
import type { Rule } from "../src/rules/types.js";
import { scanInMemory } from "../test/helpers/memory.js";

/** What a reader decided one file holds. */
export interface RealworldLabel {
  file: string;
  /** Distinct natural persons identified by a NIR or INS, valid key or not. */
  persons: number;
  health: boolean;
  patientRecord: boolean;
  identity: boolean;
  contact: boolean;
  financial: boolean;
  why: string;
  /** What the report's coverage starts with (`partial: unsupported-format (image/jpeg`): `scanned` when absent. */
  coverage?: string;
}

export const FLAG_CATEGORIES = ["health", "patientRecord", "identity", "contact", "financial"] as const;
export type FlagCategory = (typeof FLAG_CATEGORIES)[number];

export const REALWORLD_LABELS = fileURLToPath(new URL("realworld-labels.json", import.meta.url));

/** The shared folder of real-world files, or RELIQUAT_REALWORLD. */
export function realworldDir(): string {
  return process.env.RELIQUAT_REALWORLD ?? fileURLToPath(new URL("../../shared/realworld/files/", import.meta.url));
}

export async function readRealworldLabels(file = REALWORLD_LABELS): Promise<RealworldLabel[]> {
  return JSON.parse(await readFile(file, "utf8")) as RealworldLabel[];
}

/** What the scan says about each labelled category, read from the object's report. */
export function foundCategories(report: ObjectReport): { persons: number } & Record<FlagCategory, boolean> {
  const has = (category: string) => (report.categories[category] ?? 0) > 0;
  return {
    persons: report.distinctPersons,
    health: has("health"),
    patientRecord: report.patientRecords > 0,
    // A named person with a birth date, an age or an identifier: a national identifier counts as one.
    identity: has("identity") || has("national-id"),
    contact: has("contact"),
    financial: has("financial"),
  };
}

export interface Disagreement {
  file: string;
  category: "persons" | FlagCategory | "coverage";
  expected: string;
  found: string;
}

export interface RealworldResult {
  skipped?: string;
  files: number;
  persons: { expected: number; found: number; exact: number; under: number; over: number };
  flags: Record<FlagCategory, { tp: number; fp: number; fn: number; tn: number }>;
  disagreements: Disagreement[];
}

/** Scans one file as one object, under its own name, as a real bucket key. */
async function scanFile(bytes: Uint8Array, key: string, rules: Rule[]): Promise<ObjectReport> {
  const hashers = { fingerprint: createFingerprinter("realworld"), distinct: createDistinctHasher(15) };
  return (await scanInMemory(bytes, rules, { key, hashers })).report;
}

export async function benchRealworld(dir = realworldDir()): Promise<RealworldResult> {
  const flags = Object.fromEntries(FLAG_CATEGORIES.map((c) => [c, { tp: 0, fp: 0, fn: 0, tn: 0 }])) as Record<
    FlagCategory,
    { tp: number; fp: number; fn: number; tn: number }
  >;
  const result: RealworldResult = {
    files: 0,
    persons: { expected: 0, found: 0, exact: 0, under: 0, over: 0 },
    flags,
    disagreements: [],
  };
  if (!existsSync(dir)) return { ...result, skipped: `folder ${dir} not found (set RELIQUAT_REALWORLD)` };
  const rules = await loadRules();
  for (const label of await readRealworldLabels()) {
    const file = path.join(dir, label.file);
    if (!existsSync(file)) {
      result.disagreements.push({ file: label.file, category: "coverage", expected: "file", found: "missing" });
      continue;
    }
    const report = await scanFile(await readFile(file), label.file, rules);
    result.files++;
    const coverage = `${report.coverage}${report.reason ? `: ${report.reason}` : ""}`;
    if (!coverage.startsWith(label.coverage ?? "scanned"))
      result.disagreements.push({
        file: label.file,
        category: "coverage",
        expected: label.coverage ?? "scanned",
        found: coverage,
      });
    const found = foundCategories(report);
    const p = result.persons;
    p.expected += label.persons;
    p.found += found.persons;
    if (found.persons === label.persons) p.exact++;
    else {
      if (found.persons < label.persons) p.under++;
      else p.over++;
      result.disagreements.push({
        file: label.file,
        category: "persons",
        expected: String(label.persons),
        found: String(found.persons),
      });
    }
    for (const c of FLAG_CATEGORIES) {
      const s = flags[c];
      const want = label[c];
      const got = found[c];
      if (want && got) s.tp++;
      else if (!want && !got) s.tn++;
      else {
        if (got) s.fp++;
        else s.fn++;
        result.disagreements.push({ file: label.file, category: c, expected: String(want), found: String(got) });
      }
    }
  }
  return result;
}

const percent = (n: number, d: number) => (d === 0 ? "  n/a" : `${((100 * n) / d).toFixed(0).padStart(4)}%`);

/** The compact table and the disagreements, one line each. */
export function formatRealworld(r: RealworldResult): string[] {
  if (r.skipped) return [`real-world files: skipped, ${r.skipped}`];
  const p = r.persons;
  const lines = [
    `real-world files (${r.files} labelled files):`,
    `  persons        expected ${p.expected}, found ${p.found}; files exact ${p.exact}, under ${p.under}, over ${p.over}`,
    "  category       precision  recall   tp  fp  fn  tn",
  ];
  for (const c of FLAG_CATEGORIES) {
    const s = r.flags[c];
    lines.push(
      `  ${c.padEnd(14)} ${percent(s.tp, s.tp + s.fp).padStart(9)} ${percent(s.tp, s.tp + s.fn).padStart(7)} ${[s.tp, s.fp, s.fn, s.tn].map((n) => String(n).padStart(3)).join(" ")}`,
    );
  }
  const byFile = new Map<string, string[]>();
  for (const d of r.disagreements) {
    const what =
      d.category === "persons" || d.category === "coverage"
        ? `${d.category} ${d.expected}→${d.found}`
        : `${d.category} ${d.expected === "true" ? "missed" : "false alarm"}`;
    byFile.set(d.file, [...(byFile.get(d.file) ?? []), what]);
  }
  if (byFile.size > 0) lines.push(`  files that disagree with their label (${byFile.size}):`);
  for (const [file, what] of byFile) lines.push(`    ${file}: ${what.join(", ")}`);
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of formatRealworld(await benchRealworld())) console.log(line);
}
