/**
 * Privacy by construction, for names: a canary NIR written into object keys, folder names,
 * bucket and container names, archive entries, JSON keys, command-line paths and error paths,
 * in every form the issue found leaking (glued to letters, followed by `.2021`, next to a
 * negative word, spaced, percent-encoded, Corsican). No output may hold it: report files,
 * stdout, stderr, the debug logs and the live progress line (run under a pseudo-terminal).
 */
import { execFile } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { describe, expect, inject, it } from "vitest";
import { spacedNir } from "../../src/demo/synthetic.js";
import { zipOf } from "../helpers/archives.js";
import { cli, folderTree } from "../helpers/cli.js";
import { adminClient, createBucketWith } from "../helpers/s3.js";

/** A valid Corsican NIR (2 53 07 2B 073 004, key 70): the form the old last-resort mask missed. */
const C = "253072B07300470";
const SPACED = spacedNir(C);
const FORMS = [
  C,
  C.slice(0, 13),
  SPACED,
  SPACED.replace(/ /g, "."),
  encodeURIComponent(SPACED),
  SPACED.replace(/ /g, ""),
];

function expectNoCanary(where: string, text: string) {
  const lower = text.toLowerCase();
  for (const form of FORMS)
    expect(lower.includes(form.toLowerCase()), `${where} holds the canary as "${form}"`).toBe(false);
}

const content = `nom;nir\nCANARY;${C}\n`;

/** Runs the built CLI's sources under `script`, so stdout and stderr are a terminal: the progress line shows. */
function underTerminal(args: string[]): Promise<string> {
  const command = [process.execPath, "--import", "tsx", "src/cli/main.ts", ...args]
    .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
    .join(" ");
  return new Promise((resolve) => {
    execFile("script", ["-qfec", command, "/dev/null"], { env: { ...process.env, NO_COLOR: "1" } }, (_e, stdout) =>
      resolve(stdout),
    );
  });
}

describe("canary NIR in names never reaches an output", () => {
  it("in a folder named after it, with keys, sub-folders, a JSON key and a zip entry built from it", async () => {
    const root = await folderTree({});
    const dir = path.join(root, SPACED);
    await mkdir(dir);
    const files: Record<string, string | Buffer> = {
      [`nir${C}.txt`]: content,
      [`${C}v2.csv`]: content,
      [`${C}.2021.csv`]: content,
      [`facture-${C}.txt`]: content,
      [`${SPACED}/patients.csv`]: content,
      [`${C.toLowerCase()}/a.csv`]: content,
      "fhir.json": JSON.stringify({ [`id${C}`]: { nir: C } }),
      "export.zip": await zipOf({ [`nir${C}.csv`]: content }),
    };
    for (const [key, body] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, key)), { recursive: true });
      await writeFile(path.join(dir, key), body);
    }
    const out = (ext: string) => path.join(root, `out.${ext}`);
    const extra = ["sarif", "html", "markdown", "junit"].flatMap((f) => ["--report", `${f}=${out(f)}`]);
    const json = await cli(
      ["scan", dir, "-f", "json", "-o", out("json"), "--fail-on", "never", "--evidence", ...extra],
      {
        RELIQUAT_DEBUG: "1",
        RELIQUAT_LOG_LEVEL: "debug",
      },
    );
    expect(json.code).toBe(0);
    const report = JSON.parse(await readFile(out("json"), "utf8"));
    // Not vacuous: every object was listed and the canary found in each one's contents.
    expect(report.summary.listed).toBe(Object.keys(files).length);
    expect(report.buckets[0].objects.filter((o: { distinctPersons: number }) => o.distinctPersons === 1)).toHaveLength(
      Object.keys(files).length,
    );
    expect(json.stderr).toMatch(/"event":"object"/);
    const baseline = await cli(["baseline", "create", dir, "-o", out("baseline")]);
    expect(baseline.code).toBe(0);
    const terminal = await underTerminal(["scan", dir, "--fail-on", "never"]);
    // The live line was drawn (it is erased at the end) and the ranked table printed.
    expect(terminal).toMatch(/objects \|/);
    expect(terminal).toContain("•");
    const outputs: Record<string, string> = { json: json.stdout + json.stderr, terminal, baseline: baseline.stderr };
    for (const f of ["json", "sarif", "html", "markdown", "junit", "baseline"])
      outputs[f] = await readFile(out(f), "utf8");
    for (const [where, text] of Object.entries(outputs)) expectNoCanary(where, text);
  });

  it("in command-line paths and error paths: usage errors, a missing output folder, a missing target", async () => {
    const dir = await folderTree({ "a.csv": content });
    const runs = await Promise.all([
      cli(["scan", dir, "-o", `missing-${C}/x.json`, "-f", "json"]),
      cli(["scan", dir, "--report", `html=missing-${SPACED}/x.html`]),
      cli(["scan", `/nonexistent/${C}`]),
      cli(["scan", `foo://${C}`]),
      cli(["scan", dir, `--unknown-${C}`]),
      cli(["scan", dir, "--max-objects", C]),
      cli(["scan", dir, "-c", `/nonexistent/${C}.yaml`]),
      cli(["scan", dir, "--baseline", `/nonexistent/${C}.json`]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([3, 3, 2, 2, 2, 2, 2, 2]);
    for (const [i, r] of runs.entries()) {
      expect(r.stderr, `run ${i} says something`).toMatch(/reliquat|error/);
      expectNoCanary(`run ${i}`, r.stdout + r.stderr);
    }
  });

  it("in S3 bucket names and keys, and an Azure container named after it", async () => {
    const s3 = inject("servers").s3rver;
    const bucket = `nir-${C.toLowerCase()}`;
    const admin = adminClient(s3);
    await createBucketWith(admin, bucket, [
      { key: `exports/nir${C}.txt`, body: Buffer.from(content) },
      { key: `${SPACED}/${C}.2021.csv`, body: Buffer.from(content) },
    ]);
    admin.destroy();
    const env = {
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AWS_REGION: "us-east-1",
    };
    const args = ["--endpoint", s3.endpoint, "-f", "json", "--fail-on", "never"];
    const r = await cli(["scan", `s3://${bucket}`, `s3://gone-${C.toLowerCase()}`, ...args], {
      ...env,
      RELIQUAT_LOG_LEVEL: "debug",
    });
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout).buckets[0].totals.distinctPersons).toBe(1);
    expectNoCanary("s3", r.stdout + r.stderr);

    const azurite = inject("servers").azurite;
    const container = `nir-${C.toLowerCase()}`;
    const client = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(container);
    await client.createIfNotExists();
    await client.getBlockBlobClient(`${C}v2.csv`).uploadData(Buffer.from(content));
    const a = await cli(["scan", `azure://devstoreaccount1/${container}`, "-f", "json", "--fail-on", "never"], {
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      RELIQUAT_LOG_LEVEL: "debug",
    });
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).buckets[0].totals.distinctPersons).toBe(1);
    expectNoCanary("azure", a.stdout + a.stderr);
  });
});
