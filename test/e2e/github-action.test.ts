import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { patientCsv, seededRandom } from "../../src/demo/synthetic.js";
import { folderTree } from "../helpers/cli.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const run = promisify(execFile);

/** Runs the action's scan step as GitHub would: a workspace, GITHUB_* files, RELIQUAT_* inputs. */
async function actionStep(inputs: Record<string, string>) {
  const work = await folderTree({});
  const files = { summary: path.join(work, "summary.md"), output: path.join(work, "output.txt") };
  await writeFile(files.summary, "");
  await writeFile(files.output, "");
  const env = {
    ...process.env,
    GITHUB_ACTION_PATH: ROOT,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_OUTPUT: files.output,
    ...inputs,
  };
  const result = await run("bash", [path.join(ROOT, "scripts/github-action.sh")], { cwd: work, env });
  const outputs = Object.fromEntries(
    (await readFile(files.output, "utf8"))
      .trim()
      .split("\n")
      .map((l) => l.split("=") as [string, string]),
  );
  return { work, outputs, stdout: result.stdout, summary: await readFile(files.summary, "utf8") };
}

describe("GitHub Action (action.yml + scripts/github-action.sh)", () => {
  beforeAll(async () => {
    // The action runs the built CLI, as `npm ci` leaves it; build it from the current sources.
    await run("npm", ["run", "build"], { cwd: ROOT });
    expect(existsSync(path.join(ROOT, "dist/cli/main.js"))).toBe(true);
  }, 120_000);

  it("declares a composite action that uploads SARIF even when the scan fails", async () => {
    const action = parse(await readFile(path.join(ROOT, "action.yml"), "utf8"));
    expect(action.runs.using).toBe("composite");
    const upload = action.runs.steps.find((s: { uses?: string }) =>
      s.uses?.startsWith("github/codeql-action/upload-sarif"),
    );
    expect(upload.if).toMatch(/always\(\)/);
    expect(action.runs.steps.at(-1).run).toMatch(/exit-code/);
  });

  it("ships GitHub and GitLab examples that parse and use the SARIF action and the JUnit report", async () => {
    const gitlab = parse(await readFile(path.join(ROOT, "examples/gitlab-ci.yml"), "utf8"));
    expect(gitlab.reliquat.artifacts.reports.junit).toBe("reliquat-junit.xml");
    expect(gitlab.reliquat.script.join(" ")).toMatch(/--report junit=reliquat-junit\.xml/);
    const github = parse(await readFile(path.join(ROOT, "examples/github-workflow.yml"), "utf8"));
    expect(github.permissions).toMatchObject({ "id-token": "write", "security-events": "write" });
    expect(github.jobs.scan.steps.map((s: { uses?: string }) => s.uses)).toContain("reliquat/reliquat@v0");
  });

  it("scans, writes SARIF and the step summary, and reports exit code 1 for a high bucket", async () => {
    const csv = patientCsv(seededRandom(21), 20);
    const target = await folderTree(
      { "export.csv": Buffer.from(csv.text, "latin1") },
      new Date("2021-01-01T00:00:00Z"),
    );
    const step = await actionStep({ RELIQUAT_TARGETS: target, RELIQUAT_FAIL_ON: "high" });
    expect(step.outputs).toEqual({ "exit-code": "1", "highest-level": "high" });
    expect(step.summary).toMatch(/^## Reliquat scan/);
    const sarif = JSON.parse(await readFile(path.join(step.work, "reliquat.sarif"), "utf8"));
    expect(sarif.runs[0].results.length).toBeGreaterThan(0);
    for (const nir of csv.nirs) expect(step.summary + step.stdout).not.toContain(nir);
  });

  it("reports exit code 0 on a clean folder", async () => {
    const target = await folderTree({ "readme.txt": "nothing here" });
    const step = await actionStep({ RELIQUAT_TARGETS: target });
    expect(step.outputs["exit-code"]).toBe("0");
  });
});
