/**
 * Privacy for library callers: `scan()` itself returns a redacted report and redacted events,
 * not only the CLI. A canary NIR sits in a target folder's name, a subfolder, file names, a
 * dangling link and a missing target; neither the report (parameters,
 * errors, buckets, objects) nor any event may hold it.
 */
import { mkdir, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { spacedNir } from "../../src/demo/synthetic.js";
import { scanTargets } from "../helpers/scan.js";

/** A valid Corsican NIR (key 70). */
const C = "253072B07300470";
const FORMS = [C, C.slice(0, 13), spacedNir(C)];

function expectNoCanary(where: string, text: string) {
  for (const form of FORMS) expect(text.includes(form), `${where} holds the canary as "${form}"`).toBe(false);
}

describe("scan() as a library", () => {
  it("returns names, errors and events redacted", async () => {
    const root = path.join(tmpdir(), `reliquat-lib-${process.pid}-${Date.now()}`);
    const dir = path.join(root, `exports_${C}`);
    await mkdir(path.join(dir, `sub_${C}`), { recursive: true });
    await writeFile(path.join(dir, `patients_${C}.csv`), `nom;nir\nX;${C}\n`);
    await writeFile(path.join(dir, `sub_${C}`, `deeper_${C}.csv`), `nom;nir\nX;${C}\n`);
    await symlink(`/nonexistent/${C}`, path.join(dir, `dangling_${C}`));
    const seen: string[] = [];
    const report = await scanTargets([dir, path.join(root, `missing_${C}`)], { failOn: "never" }, undefined, {
      onBucket: (b) => seen.push(JSON.stringify(b)),
      onListed: (b) => seen.push(JSON.stringify(b)),
      onObject: (o) => seen.push(JSON.stringify(o)),
      onError: (target, message) => seen.push(target, message),
    });
    // The scan did see what it should redact: two targets, one failing, objects in the folder.
    expect(report.parameters.targets).toHaveLength(2);
    expect(report.errors).toHaveLength(1);
    const objects = [...(report.buckets[0]?.objects ?? [])];
    expect(objects.map((o) => o.coverage).sort()).toEqual(["scanned", "scanned", "skipped"]);
    expect(seen.length).toBeGreaterThanOrEqual(6);
    expectNoCanary("report", JSON.stringify({ ...report, buckets: undefined }));
    expectNoCanary("bucket", JSON.stringify(report.buckets.map((b) => ({ ...b, objects }))));
    expectNoCanary("events", seen.join("\n"));
  });
});
