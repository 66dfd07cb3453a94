import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { patientCsv, seededRandom, syntheticNir } from "../../src/demo/synthetic.js";
import type { Report } from "../../src/report/types.js";
import { cli, folderTree } from "../helpers/cli.js";

const csv = patientCsv(seededRandom(11), 30);
const tree = await folderTree(
  { "export/patients.csv": Buffer.from(csv.text, "latin1"), "notes.txt": "rien" },
  new Date("2021-05-01T00:00:00Z"),
);
const file = (name: string) => path.join(tree, "..", `${path.basename(tree)}-${name}`);
const json = (r: { stdout: string }) => JSON.parse(r.stdout) as Report;

describe("CI contract: baselines, allowlist, extra reports, logs", () => {
  it("a baseline accepts today's findings; a new NIR fails the build again; fixed entries show as stale", async () => {
    const baseline = file("baseline.json");
    const created = await cli(["baseline", "create", tree, "--output", baseline]);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/baseline of \d+ finding\(s\) in 1 object\(s\) written/);
    const content = await readFile(baseline, "utf8");
    expect(content).not.toContain(csv.nirs[0]);
    const entries = (JSON.parse(content) as { entries: unknown[] }).entries.length;
    const plain = json(await cli(["scan", tree, "--format", "json", "--fail-on", "never"]));
    const occurrences = plain.buckets[0]?.objects.flatMap((o) => o.findings).reduce((n, f) => n + f.count, 0);

    const quiet = await cli(["scan", tree, "--baseline", baseline, "--format", "json"]);
    expect(quiet.code).toBe(0);
    expect(json(quiet).buckets[0]?.exposure.level).toBe("none");
    expect(json(quiet).suppressed).toMatchObject({ allowlist: 0, staleBaseline: [] });
    expect(json(quiet).suppressed?.baseline).toBe(occurrences);

    // A new leftover appears; the old export was deleted.
    const later = await folderTree({ "new/leak.txt": `Patient NIR ${syntheticNir(seededRandom(5))}, grossesse 12 SA` });
    const next = await cli(["scan", later, "--baseline", baseline, "--format", "json", "--fail-on", "low"]);
    expect(next.code).toBe(1);
    expect(json(next).suppressed?.staleBaseline).toHaveLength(entries);
  });

  it("an allowlist entry suppresses a prefix or a rule; an expired one exits 2 and says which", async () => {
    const config = file("allow.yaml");
    await writeFile(
      config,
      `allowlist:\n  - bucket: file://${tree}\n    prefix: export/\n    reason: "test data owned by the QA team, ticket SEC-12"\n    expires: 2999-01-01\n`,
    );
    const allowed = await cli(["scan", tree, "--config", config, "--format", "json"]);
    expect(allowed.code).toBe(0);
    expect(json(allowed).buckets[0]?.totals.findings).toBe(0);
    expect(json(allowed).suppressed?.allowlist).toBeGreaterThan(30);

    const expired = file("expired.yaml");
    await writeFile(
      expired,
      `allowlist:\n  - rule: fr-birth-date\n    reason: "dates are fine here"\n    expires: 2020-01-01\n`,
    );
    const r = await cli(["scan", tree, "--config", expired]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/allowlist entry #1 \(rule fr-birth-date\) expired on 2020-01-01/);

    const noReason = file("noreason.yaml");
    await writeFile(noReason, "allowlist:\n  - rule: fr-nir\n    expires: 2999-01-01\n");
    expect((await cli(["scan", tree, "--config", noReason])).stderr).toMatch(/field "allowlist\.0\.reason"/);
  });

  it("writes every format in one run with --report, and logs JSON lines to a non-TTY stderr", async () => {
    const specs = ["sarif", "markdown", "junit", "html"].flatMap((f) => ["--report", `${f}=${file(`out.${f}`)}`]);
    const r = await cli(["scan", tree, "--fail-on", "high", ...specs]);
    expect(r.code).toBe(1);
    expect(JSON.parse(await readFile(file("out.sarif"), "utf8")).version).toBe("2.1.0");
    expect(await readFile(file("out.markdown"), "utf8")).toMatch(/^## Reliquat scan/);
    expect(await readFile(file("out.junit"), "utf8")).toMatch(/<failure message=/);
    expect(await readFile(file("out.html"), "utf8")).toMatch(/^<!doctype html>/);
    const logs = r.stderr
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { event: string; level: number });
    expect(logs.map((l) => l.event)).toEqual(["scan-start", "bucket", "scan-done"]);
    expect(r.stderr).toMatch(/sarif report written to/);
  });

  it("refuses a malformed --report, --migration-date or baseline with exit 2", async () => {
    expect((await cli(["scan", tree, "--report", "pdf=x.pdf"])).code).toBe(2);
    expect((await cli(["scan", tree, "--migration-date", "last year"])).stderr).toMatch(/YYYY-MM-DD/);
    const bad = file("bad-baseline.json");
    await writeFile(bad, '{"reliquat":"baseline","version":1,"createdAt":"x","entries":[{"id":"nope"}]}');
    const r = await cli(["scan", tree, "--baseline", bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-baseline\.json: field "entries\.0\.id"/);
  });
});
