import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { patientCsv, seededRandom } from "../../src/demo/synthetic.js";
import type { Report } from "../../src/report/types.js";
import { loadRules } from "../../src/rules/load.js";
import { cli, folderTree } from "../helpers/cli.js";
import { schemaErrors } from "../helpers/schema.js";

const rules = await loadRules();

const server = inject("servers").s3rver;
const s3env = {
  AWS_ACCESS_KEY_ID: server.accessKeyId,
  AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
  AWS_REGION: "us-east-1",
};
const csv = patientCsv(seededRandom(3), 120);
const forgotten = await folderTree(
  {
    "export/patients.csv": Buffer.from(csv.text, "latin1"),
    "export/copie/patients_bis.csv": csv.text,
    "deep/a/b/c/dump.sql": `INSERT INTO p VALUES ('${csv.nirs[0]}');\n`,
    "notes.txt": "rien ici",
  },
  new Date("2021-05-01T00:00:00Z"),
);
const clean = await folderTree({ "brochure.txt": "Le diabète se surveille. Numéro vert 0800 123 456." });

describe("reliquat CLI", () => {
  it("waits for its detection workers: --workers 1 on a large file reports every NIR (it used to exit 0, with no report)", async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `Martin ${i};185057800608491`).join("\n");
    const dir = await folderTree({ "export.csv": `nom;nir\n${rows}\n` });
    const r = await cli(["scan", dir, "--workers", "1", "-f", "json", "--fail-on", "never"]);
    const report = JSON.parse(r.stdout) as Report;
    const [object] = report.buckets[0]?.objects ?? [];
    expect(object?.findings.find((f) => f.ruleId === "fr-nir")?.count).toBe(20_000);
    expect(r.code).toBe(0);
  });

  it("gives the same report with and without detection workers, context cut by a block edge included", async () => {
    // Free text whose keyword line ends where inline blocks are cut (64 KiB) and whose date
    // starts the next block; plus a CSV of several blocks. Workers used to get larger blocks.
    const filler = "Compte rendu sans particularite.\n".repeat(2100); // ASCII: one byte per char
    const head = filler.slice(0, 65_536 - Buffer.byteLength("Patiente née le\n"));
    const note = `${head}Patiente née le\n12/05/1970, suivie pour diabète.\n${filler}`;
    const rows = Array.from(
      { length: 6000 },
      (_, i) => `P${i};12/0${1 + (i % 9)}/1970;${i % 7 === 0 ? "diabète" : "RAS"}`,
    );
    const dir = await folderTree({
      "note.txt": note,
      "export.csv": `nom;date_naissance;commentaire\n${rows.join("\n")}\n`,
    });
    const counts = async (workers: string) => {
      const r = await cli(["scan", dir, "--exhaustive", "--workers", workers, "-f", "json", "--fail-on", "never"]);
      expect(r.code).toBe(0);
      const report = JSON.parse(r.stdout) as Report;
      return (report.buckets[0]?.objects ?? []).map((o) => ({
        key: o.key,
        records: o.patientRecords,
        findings: o.findings.map((f) => [f.ruleId, f.count]),
      }));
    };
    const inline = await counts("0");
    expect(inline.find((o) => o.key === "export.csv")?.records).toBe(Math.ceil(6000 / 7));
    expect(await counts("1")).toEqual(inline);
  });

  it("prints help", async () => {
    const r = await cli(["scan", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--fail-on <level>/);
    expect(r.stdout).toMatch(/--no-sign-request/);
  });

  it("scans a folder tree into a JSON report that matches the schema, exit 1 at --fail-on high", async () => {
    const r = await cli(["scan", forgotten, clean, "--format", "json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report;
    expect(schemaErrors(report)).toBe("");
    expect(report.buckets.map((b) => b.url)).toEqual([`file://${forgotten}`, `file://${clean}`]);
    // A private folder: 120 persons' NIRs with blood groups, untouched since 2021.
    expect(report.buckets[0]?.exposure.level).toBe("high");
    // Each of the 240 CSV rows ties a NIR to a blood group under its header; the SQL line has no health term.
    expect(report.buckets[0]?.totals).toMatchObject({ findings: 241, distinctPersons: 120, objectsWithFindings: 3 });
    expect(report.buckets[0]?.totals.patientRecords).toBe(240);
    expect(report.buckets[0]?.objects.map((o) => o.key)).toEqual([
      "deep/a/b/c/dump.sql",
      "export/copie/patients_bis.csv",
      "export/patients.csv",
      "notes.txt",
    ]);
    expect(report.buckets[0]?.objects.find((o) => o.key === "export/patients.csv")?.encoding).toBe("windows-1252");
    // The brochure mentions diabetes: health data, no person, so low and no patient record.
    expect(report.buckets[1]?.exposure.level).toBe("low");
    expect(report.buckets[1]?.totals).toMatchObject({
      patientRecords: 0,
      distinctPersons: 0,
      categories: { health: 1 },
    });
  });

  it("exits 0 on the same tree with --fail-on never, and on the brochure folder at --fail-on medium", async () => {
    expect((await cli(["scan", forgotten, "--fail-on", "never"])).code).toBe(0);
    expect((await cli(["scan", clean, "--fail-on", "medium"])).code).toBe(0);
    expect((await cli(["scan", clean, "--fail-on", "low"])).code).toBe(1);
  });

  it("prints a ranked terminal table with the factors and a verdict", async () => {
    const r = await cli(["scan", clean, forgotten, "--fail-on", "never"]);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toMatch(/^#\s+LEVEL\s+SCORE\s+BUCKET\s+PERSONS\s+RECORDS\s+COVERAGE$/);
    expect(lines[1]).toContain(forgotten);
    expect(lines[1]).toMatch(/HIGH/);
    expect(r.stdout).toMatch(
      /\+36 sensitivity: 240 patient record\(s\) tie identity to health data; 241 valid NIR occurrence\(s\)/,
    );
    expect(r.stdout).toMatch(/\+13 volume: 120 distinct person\(s\)/);
    expect(r.stdout).toMatch(/Coverage complete\. Fail threshold: never\.$/m);
  });

  it("writes the report to --output", async () => {
    const out = path.join(clean, "..", `report-${Date.now()}.json`);
    const r = await cli(["scan", forgotten, "--format", "json", "--output", out, "--fail-on", "never"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(JSON.parse(await readFile(out, "utf8")).buckets[0].totals.distinctPersons).toBe(120);
  });

  it.each([
    [["scan", "ftp://host/x"], /unknown target scheme "ftp:\/\/"/],
    [["scan", "/nonexistent/reliquat/folder"], /folder "\/nonexistent\/reliquat\/folder" does not exist/],
    [["scan"], /no target/],
    [["scan", ".", "--max-objects", "many"], /--max-objects takes a whole number/],
    [["scan", ".", "--config", "/nonexistent.yaml"], /cannot read config/],
    [["scan", ".", "--format", "pdf"], /Allowed choices are terminal, json/],
  ])("exits 2 on a usage error: %j", async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it("exits 3 with a one-line error naming a missing bucket", async () => {
    const r = await cli(["scan", "s3://reliquat-no-such-bucket", "--endpoint", server.endpoint], s3env);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^reliquat: s3:\/\/reliquat-no-such-bucket: \[reliquat:s3\] listing bucket "reliquat-no-such-bucket" failed: does not exist/m,
    );
    expect(r.stdout).toMatch(/Coverage INCOMPLETE/);
  });

  it("exits 3 when the S3 server is unreachable", async () => {
    const r = await cli(["scan", "s3://any-bucket", "--endpoint", "http://127.0.0.1:9"], s3env);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/server unreachable or failing \(connection refused, ECONNREFUSED, 4 attempts\)/);
  });

  it("runs the rule examples and lists rules", async () => {
    const test = await cli(["rules", "test"]);
    expect(test.code).toBe(0);
    const nirExamples = rules.find((r) => r.spec.id === "fr-nir")?.spec.examples;
    const count = (nirExamples?.match.length ?? 0) + (nirExamples?.noMatch.length ?? 0);
    expect(test.stdout).toMatch(new RegExp(`^ok {3}fr-nir \\(${count} example\\(s\\) passed\\)$`, "m"));
    expect(test.stdout).not.toMatch(/FAIL/);
    const list = (await cli(["rules", "list"])).stdout;
    expect(list).toMatch(/^fr-nir\s+national-id\s+high\s+French social security number \(NIR\)$/m);
    // The WebAssembly loop loads (npm run build wrote it): the TypeScript fallback would say why here.
    // Every built-in search is in the automaton (N of N), none fell back to a regex.
    const searches = rules.reduce((n, r) => n + r.searches("utf-8").length, 0);
    expect(list).toMatch(
      new RegExp(`^${searches} of ${searches} searches in one automaton of \\d+ states \\(UTF-8\\), run in wasm$`, "m"),
    );
  });

  it("says which user rule runs as its own regex, and why, and still runs it", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "reliquat-pack-"));
    await writeFile(
      path.join(dir, "local.yaml"),
      [
        "version: 1",
        "pack: local",
        "rules:",
        "  - id: local-repeat",
        "    kind: pattern",
        "    name: A doubled code",
        "    category: identity",
        "    severity: low",
        "    patterns: ['(AB[0-9])-\\1']",
        "    validator: none",
        "    examples:",
        '      match: ["AB1-AB1"]',
        '      noMatch: ["AB1-AB2"]',
        "",
      ].join("\n"),
    );
    const list = (await cli(["rules", "list", "--rules", dir])).stdout;
    expect(list).toMatch(/^local-repeat\s+identity\s+low\s+A doubled code {2}\[regex: back-reference\]$/m);
    const searches = rules.reduce((n, r) => n + r.searches("utf-8").length, 0);
    expect(list).toMatch(new RegExp(`^${searches} of ${searches + 1} searches in one automaton`, "m"));
    const test = await cli(["rules", "test", "--rules", dir]);
    expect(test.stdout).toMatch(/^ok {3}local-repeat \(2 example\(s\) passed\)$/m);
  });
});
