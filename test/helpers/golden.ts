import { mkdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseConfig } from "../../src/config/load.js";
import { patientCsv, seededRandom, syntheticNir } from "../../src/demo/synthetic.js";
import { parseTarget } from "../../src/providers/index.js";
import { createRedactor, redactDeep } from "../../src/redact.js";
import { buildEvidence } from "../../src/report/evidence.js";
import { ObjectList } from "../../src/report/object-list.js";
import type { ObjectReport, Report } from "../../src/report/types.js";
import { BUILTIN_RULES_DIR, loadRules } from "../../src/rules/load.js";
import { scan } from "../../src/scan.js";

const NOW = new Date("2026-11-28T09:00:00.000Z");

/**
 * The fixed synthetic scan behind the golden files: a forgotten lab export, a recent app folder
 * with one stray NIR, and a public-health brochure, scanned by the real orchestrator with a
 * fixed clock and fingerprint key. Paths, the version and pack digests are normalised.
 * `caller` names the test file: each gets its own folder, so that files can run in parallel.
 */
export async function goldenReport(caller: string): Promise<Report> {
  // Finding ids hash the bucket name, an absolute path for folders: keep it the same every run.
  const root = path.join(tmpdir(), `reliquat-golden-${caller}`);
  await rm(root, { recursive: true, force: true });
  const csv = patientCsv(seededRandom(7), 12);
  await tree(path.join(root, "labo-export-2021"), new Date("2021-03-01T00:00:00Z"), {
    "patients.csv": Buffer.from(csv.text, "latin1"),
    "dump.sql": `INSERT INTO patient (nom, nir, commentaire) VALUES ('DURAND', '${csv.nirs[0]}', 'VIH positif');\n`,
    "LISEZMOI.txt": "Export du SIL avant migration.\n",
  });
  await tree(path.join(root, "app-recent"), new Date("2026-11-20T00:00:00Z"), {
    "app.log": `2026-11-20 user lookup nir=${syntheticNir(seededRandom(99))} ok\n`,
  });
  await tree(path.join(root, "site-web"), new Date("2019-05-01T00:00:00Z"), {
    "brochure.txt": "Le diabète de type 2 se prévient : bougez, mangez équilibré.\n",
  });
  const rules = await loadRules();
  const config = {
    ...parseConfig({}, "golden"),
    fingerprintKey: "golden-key",
    concurrency: 1,
    migrationDate: "2021-06-30",
  };
  const report = await scan({
    targets: ["labo-export-2021", "app-recent", "site-web"].map((d) => parseTarget(path.join(root, d))),
    config,
    rules,
    ruleDirs: [BUILTIN_RULES_DIR],
    settings: {},
    now: () => NOW,
  });
  await rm(root, { recursive: true, force: true });
  const safe = redactDeep(report, createRedactor());
  safe.evidence = buildEvidence(safe);
  const text = JSON.stringify(safe)
    .replaceAll(root, "/golden")
    .replace(/"version":"[^"]+"/, '"version":"0.0.0-golden"')
    .replace(/@[0-9a-f]{12}"/g, '@digest"');
  // Back from JSON, a bucket's objects are an array: reporters read an ObjectList.
  const parsed = JSON.parse(text) as Report;
  for (const b of parsed.buckets) b.objects = ObjectList.of(b.url, b.objects as unknown as ObjectReport[]);
  return parsed;
}

async function tree(dir: string, modified: Date, files: Record<string, string | Buffer>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, body] of Object.entries(files)) {
    const file = path.join(dir, name);
    await writeFile(file, body);
    await utimes(file, modified, modified);
  }
}
