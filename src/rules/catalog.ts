import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Rule } from "./types.js";

/** A rule as reports describe it (SARIF rule metadata, the HTML legend). */
export interface RuleInfo {
  id: string;
  name: string;
  pack: string;
  category: string;
  severity: string;
  description?: string;
}

export function ruleCatalog(rules: Rule[]): RuleInfo[] {
  return rules.map(({ spec, pack }) => ({
    id: spec.id,
    name: spec.name,
    pack,
    category: spec.category,
    severity: spec.severity,
    ...(spec.description ? { description: spec.description.trim() } : {}),
  }));
}

/**
 * Each pack file as `pack/file@digest`, the digest being the first 12 hex digits of the pack file's
 * SHA-256: the version that evidence for a regulator must cite, whatever the pack says.
 */
export async function packVersions(rules: Rule[]): Promise<string[]> {
  const files = new Map<string, string>();
  for (const r of rules) files.set(r.file, r.pack);
  const out: string[] = [];
  for (const [file, pack] of files) {
    const digest = await readFile(file)
      .then((bytes) => createHash("sha256").update(bytes).digest("hex").slice(0, 12))
      .catch(() => "unreadable");
    out.push(`${pack}/${path.basename(file, path.extname(file))}@${digest}`);
  }
  return out;
}
