/**
 * Privacy by construction: a canary NIR is planted in object contents, in object keys and in
 * a bucket name. No output (stdout, stderr, report files) may contain it in any written form.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, inject, it } from "vitest";
import { seededRandom, spacedNir, syntheticNir } from "../../src/demo/synthetic.js";
import { tarOf, zipOf } from "../helpers/archives.js";
import { cli, folderTree } from "../helpers/cli.js";
import { xlsxOf } from "../helpers/office.js";
import { adminClient, createBucketWith } from "../helpers/s3.js";

const CANARY = syntheticNir(seededRandom(424242));
const FORMS = [CANARY, CANARY.slice(0, 13), spacedNir(CANARY), spacedNir(CANARY).replace(/ /g, ".")];
const server = inject("servers").s3rver;
const env = {
  AWS_ACCESS_KEY_ID: server.accessKeyId,
  AWS_SECRET_ACCESS_KEY: server.secretAccessKey,
  AWS_REGION: "us-east-1",
};

function expectNoCanary(where: string, text: string) {
  for (const form of FORMS) expect(text.includes(form), `${where} contains the canary as "${form}"`).toBe(false);
}

describe("canary NIR never reaches an output", () => {
  const content = `nom;nir\nCANARY;${CANARY}\nCANARY BIS;${spacedNir(CANARY)}\n`;

  it("in folder scans: every report format, JSON logs, baseline and evidence, archive entry names included", async () => {
    const backup = gzipSync(await tarOf({ [`sauvegarde/${CANARY}.csv`]: content }));
    const zipped = await zipOf({ [`dossiers/${CANARY}.csv`]: content });
    const dir = await folderTree({
      [`export/patient_${CANARY}.csv`]: content,
      "ok.txt": "x",
      "backup.tar.gz": backup,
      "export.zip": zipped,
      // Structured formats name locations by keys, sheets and tables: a NIR as a JSON key, a sheet name, a table name.
      "fhir.json": JSON.stringify({ [CANARY]: { nir: CANARY } }),
      "export.xlsx": await xlsxOf({ [`Patients ${CANARY}`]: [["nir"], [CANARY]] }),
      "dump.sql": `CREATE TABLE t_${CANARY} (nir char(15));\nINSERT INTO t_${CANARY} VALUES ('${CANARY}');\n`,
    });
    const file = (ext: string) => path.join(dir, "..", `canary-${process.pid}.${ext}`);
    const out = file("json");
    const extra = ["sarif", "html", "markdown", "junit"].flatMap((f) => ["--report", `${f}=${file(f)}`]);
    const json = await cli(
      ["scan", dir, "--format", "json", "--output", out, "--fail-on", "never", "--evidence", ...extra],
      {
        RELIQUAT_DEBUG: "1",
        RELIQUAT_LOG_LEVEL: "debug",
      },
    );
    const terminal = await cli(["scan", dir, "--fail-on", "never"]);
    const baseline = await cli(["baseline", "create", dir, "--output", file("baseline")]);
    expect(baseline.code).toBe(0);
    const report = await readFile(out, "utf8");
    expect(JSON.parse(report).evidence.buckets).toHaveLength(1);
    // Debug logs name every object: keys go through the redactor too.
    expect(json.stderr).toMatch(/"event":"object"/);
    // The canary was found (the test is not vacuous) and only its mask is shown.
    // Two in each CSV (compact and spaced), one in the SQL table and the sheet, two in the JSON (key and value).
    expect(JSON.parse(report).buckets[0].totals.findings).toBe(10);
    expect(report).toContain('"field": "$[');
    expect(report).toContain('"path": "sauvegarde/');
    expect(report).toContain(`${CANARY[0]}•••••••••••••${CANARY[14]}`);
    const files: Record<string, string> = Object.fromEntries(
      await Promise.all(
        ["sarif", "html", "markdown", "junit", "baseline"].map(async (f) => [f, await readFile(file(f), "utf8")]),
      ),
    );
    expect(files.sarif).toContain("reliquatFinding/v1");
    for (const [where, text] of Object.entries({
      report,
      ...files,
      json: json.stdout + json.stderr,
      terminal: terminal.stdout + terminal.stderr,
      baselineOutput: baseline.stdout + baseline.stderr,
    })) {
      expectNoCanary(where, text);
    }
  });

  it("in S3 scans, including object keys and a missing bucket named after it", async () => {
    const bucket = `canary-${Date.now()}`;
    const admin = adminClient(server);
    await createBucketWith(admin, bucket, [{ key: `exports/${CANARY}.csv`, body: Buffer.from(content, "latin1") }]);
    admin.destroy();
    const missing = `gone-${CANARY}`;
    const r = await cli(
      [
        "scan",
        `s3://${bucket}`,
        `s3://${missing}`,
        "--endpoint",
        server.endpoint,
        "--format",
        "json",
        "--fail-on",
        "low",
      ],
      env,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/reliquat: s3:\/\/gone-.*does not exist/);
    expect(JSON.parse(r.stdout).buckets[0].objects.at(0).findings[0].count).toBe(2);
    expectNoCanary("stdout", r.stdout);
    expectNoCanary("stderr", r.stderr);
  });
});
