/**
 * The deployment examples of deploy/, tested as far as this machine allows: each file parses,
 * holds what an unattended run needs (one run at a time, a persistent state, the key from a
 * secret, a graceful stop), and the exact `reliquat …` command it runs is executed here, twice,
 * on a local folder in place of the cloud: the first night finds everything new (exit 1), the
 * second carries every object forward and finds nothing new (exit 0).
 */
import { mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { cli, folderTree } from "../helpers/cli.js";
import { KEY } from "../helpers/state.js";

const read = (file: string) => readFile(path.join("deploy", file), "utf8");

/** The arguments after `reliquat@VERSION` in a command line. */
function reliquatArgs(line: string): string[] {
  const words = line.trim().split(/\s+/);
  const at = words.findIndex((w) => /^reliquat@[\d.]+$/.test(w));
  expect(at, `no reliquat command in: ${line}`).toBeGreaterThanOrEqual(0);
  const rest = words.slice(at + 1);
  const end = rest.findIndex((w) => w.startsWith(">") || w === "&&" || w === "|");
  return end < 0 ? rest : rest.slice(0, end);
}

/** systemd's `Key=value` lines of one section. */
function unit(text: string, section: string): Record<string, string> {
  const out: Record<string, string> = {};
  let current = "";
  for (const line of text.split("\n")) {
    const head = /^\[(.+)\]$/.exec(line.trim());
    if (head) current = head[1] as string;
    else if (current === section && /^[A-Za-z]+=/.test(line)) {
      const [key, ...value] = line.split("=");
      out[key as string] = value.join("=");
    }
  }
  return out;
}

async function examples(): Promise<Record<string, string[]>> {
  const docs = parseAllDocuments(await read("kubernetes/cronjob.yaml")).map((d) => d.toJS());
  const job = docs.find((d) => d.kind === "CronJob");
  const container = job.spec.jobTemplate.spec.template.spec.containers[0];
  const service = unit(await read("systemd/reliquat.service"), "Service");
  const cronLine = (await read("cron/reliquat")).split("\n").find((l) => /^[\d*]/.test(l)) as string;
  const workflow = parse(await read("github/reliquat-nightly.yml"));
  const scanStep = workflow.jobs.scan.steps.find((s: { name?: string }) => s.name === "Scan");
  return {
    kubernetes: reliquatArgs([...container.command, ...container.args].join(" ")),
    systemd: reliquatArgs(service.ExecStart as string),
    cron: reliquatArgs(cronLine),
    github: reliquatArgs(scanStep.run),
  };
}

describe("deployment examples (deploy/)", () => {
  it("hold what an unattended run needs", async () => {
    const docs = parseAllDocuments(await read("kubernetes/cronjob.yaml")).map((d) => d.toJS());
    const kinds = Object.fromEntries(docs.map((d) => [d.kind, d]));
    const spec = kinds.CronJob.spec;
    expect(spec.concurrencyPolicy).toBe("Forbid");
    const pod = spec.jobTemplate.spec.template.spec;
    expect(pod.serviceAccountName).toBe(kinds.ServiceAccount.metadata.name);
    expect(Object.keys(kinds.ServiceAccount.metadata.annotations)).toContain("eks.amazonaws.com/role-arn");
    expect(pod.volumes.find((v: { name: string }) => v.name === "state").persistentVolumeClaim.claimName).toBe(
      kinds.PersistentVolumeClaim.metadata.name,
    );
    expect(pod.containers[0].envFrom[0].secretRef.name).toBe(kinds.Secret.metadata.name);
    expect(Object.keys(kinds.Secret.stringData)).toEqual(["RELIQUAT_FINGERPRINT_KEY"]);
    // The ConfigMap carries deploy/nightly.yaml itself, not a copy that drifts.
    expect(kinds.ConfigMap.data["nightly.yaml"]).toBe(await read("nightly.yaml"));

    const service = unit(await read("systemd/reliquat.service"), "Service");
    expect(service).toMatchObject({
      Type: "oneshot",
      StateDirectory: "reliquat",
      EnvironmentFile: "/etc/reliquat/env",
    });
    expect(unit(await read("systemd/reliquat.timer"), "Timer")).toMatchObject({ Persistent: "true" });
    const workflow = parse(await read("github/reliquat-nightly.yml"));
    expect(workflow.on.schedule[0].cron).toBe("0 2 * * *");
    expect(workflow.concurrency.group).toBe("reliquat-nightly");
  });

  it.each(["kubernetes", "systemd", "cron", "github"])(
    "%s: its exact command runs two nights on a local folder",
    async (name) => {
      const args = (await examples())[name] as string[];
      const at = args.indexOf("-c");
      expect(at).toBeGreaterThanOrEqual(0);
      const work = await mkdtemp(path.join(tmpdir(), `reliquat-deploy-${name}-`));
      const data = await folderTree({ "export/patients.csv": "nom;nir\nDUPONT;185057800608491\n", "ok.txt": "rien" });
      // The example's own config, with the machine's paths moved into a temp folder and a folder for the cloud.
      const config = (await read("nightly.yaml"))
        .replaceAll("/var/lib/reliquat", work)
        .replace(/path: (reliquat[.\w]*)/g, `path: ${work}/$1`)
        .replace("output: reliquat-summary.md", `output: ${work}/reliquat-summary.md`)
        .replace("state: .reliquat/", `state: ${work}/.reliquat/`)
        .replace('targets: ["s3://"]', `targets: ["${data}"]`);
      const file = path.join(work, "nightly.yaml");
      await writeFile(file, config);
      const run = [...args.slice(0, at + 1), file, ...args.slice(at + 2)];
      const env = { RELIQUAT_FINGERPRINT_KEY: KEY };
      const first = await cli(run, env);
      expect(first.code, first.stderr).toBe(1);
      const second = await cli(run, env);
      expect(second.code, second.stderr).toBe(0);
      const json = name === "github" ? `${work}/reliquat.json` : `${work}/latest.json`;
      const report = JSON.parse(await readFile(json, "utf8"));
      expect(report.buckets[0].coverage.carriedForward).toBe(2);
      expect(report.changes.counts.newFindings).toBe(0);
      expect((await stat(name === "github" ? `${work}/.reliquat/state.db` : `${work}/state.db`)).isFile()).toBe(true);
    },
    60_000,
  );
});
