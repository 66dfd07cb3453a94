import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { exposureScore, levelOf, type ScoreContext } from "../../src/score/exposure.js";
import { loadWeights } from "../../src/score/weights.js";
import { bucket, totals } from "../helpers/report.js";

const weights = await loadWeights();
const ctx: ScoreContext = { weights, now: new Date("2026-11-28T00:00:00Z") };
const privateKnown = {
  publicRead: false,
  publicList: false,
  authenticatedUsers: false,
  crossAccount: false,
  notes: [] as string[],
};

/** Realistic buckets, from worst to harmless. */
const scenarios = {
  forgottenLabExport: bucket({
    url: "s3://labo-export-2021",
    posture: {
      publicRead: true,
      publicList: true,
      lifecycle: false,
      ownerTag: false,
      encryption: "none",
      notes: ["bucket ACL grants READ to AllUsers"],
    },
    totals: totals({
      findings: 9000,
      distinctPersons: 8500,
      objectsWithFindings: 12,
      patientRecords: 8000,
      categories: { "national-id": 9000, health: 12000 },
      groups: { "pathology-sensitive": 40, "pathology-chronic": 900 },
    }),
    newestModified: "2021-06-14T00:00:00Z",
  }),
  privateStaleBackup: bucket({
    url: "s3://sauvegarde-sil",
    posture: { publicRead: "unknown", publicList: "unknown", notes: [] },
    totals: totals({
      findings: 310,
      distinctPersons: 300,
      patientRecords: 280,
      objectsWithFindings: 3,
      categories: { "national-id": 310, health: 500 },
    }),
    newestModified: "2023-02-01T00:00:00Z",
  }),
  strayNirInRecentApp: bucket({
    url: "s3://app-recent",
    posture: privateKnown,
    totals: totals({ findings: 1, distinctPersons: 1, objectsWithFindings: 1, categories: { "national-id": 1 } }),
    newestModified: "2026-11-27T00:00:00Z",
  }),
  diabetesBrochure: bucket({
    url: "s3://site-web",
    newestModified: "2019-01-01T00:00:00Z",
    posture: { publicRead: true, publicList: true, notes: [] },
    totals: totals({ categories: { health: 40 }, groups: { "pathology-chronic": 40 } }),
  }),
  empty: bucket({ url: "s3://empty", newestModified: "2019-01-01T00:00:00Z" }),
};

describe("exposure model (score/exposure-weights.yaml)", () => {
  const scored = Object.fromEntries(Object.entries(scenarios).map(([k, b]) => [k, exposureScore(b, ctx)]));

  it("pins the ranking of realistic scenarios, worst first", () => {
    const order = Object.entries(scored)
      .sort((a, b) => (b[1]?.score ?? 0) - (a[1]?.score ?? 0))
      .map(([k]) => k);
    expect(order).toEqual([
      "forgottenLabExport",
      "privateStaleBackup",
      "strayNirInRecentApp",
      "diabetesBrochure",
      "empty",
    ]);
    expect(Object.fromEntries(Object.entries(scored).map(([k, s]) => [k, s?.level]))).toEqual({
      forgottenLabExport: "critical",
      privateStaleBackup: "high",
      strayNirInRecentApp: "low",
      diabetesBrochure: "low",
      empty: "none",
    });
  });

  it("lists every point: the factors add up to the score, each within its maximum", () => {
    for (const s of Object.values(scored)) {
      expect(s?.factors.reduce((n, f) => n + f.points, 0)).toBe(s?.score);
      for (const f of s?.factors ?? []) if (f.max !== undefined) expect(f.points).toBeLessThanOrEqual(f.max);
    }
    const names = scored.forgottenLabExport?.factors.map((f) => f.name);
    expect(names).toEqual(["sensitivity", "volume", "accessibility", "staleness", "protection", "cap"]);
  });

  it("explains each factor with the facts behind it", () => {
    const detail = (name: string) => scored.forgottenLabExport?.factors.find((f) => f.name === name)?.detail;
    expect(detail("sensitivity")).toMatch(/8000 patient record.*sensitive health groups: pathology-sensitive/);
    expect(detail("accessibility")).toBe("anyone can read objects; anyone can list objects");
    expect(detail("staleness")).toMatch(
      /1993 day\(s\) ago; no lifecycle rule; no owner tag; named like a leftover \("export"\)/,
    );
    expect(detail("protection")).toMatch(/no default encryption/);
  });

  it("does not count staleness or access for a public brochure, and says so", () => {
    const staleness = scored.diabetesBrochure?.factors.find((f) => f.name === "staleness");
    expect(staleness).toMatchObject({ points: 0, detail: expect.stringMatching(/not counted/) });
    expect(scored.diabetesBrochure?.factors.find((f) => f.name === "sensitivity")?.points).toBe(6);
  });

  it("counts access for a public bucket of IBANs or cards, not for one of BICs or phone numbers", () => {
    const open = { publicRead: true, publicList: true, notes: [] };
    const accessOf = (categories: Record<string, number>, groups: Record<string, number> = {}) =>
      exposureScore(
        bucket({ url: "s3://factures", posture: open, totals: totals({ categories, groups }) }),
        ctx,
      ).factors.find((f) => f.name === "accessibility");
    const notCounted = { points: 0, detail: expect.stringMatching(/not counted/) };
    expect(accessOf({ financial: 120 }, { "bank-account": 120 })?.points).toBeGreaterThan(0);
    expect(accessOf({ financial: 3 }, { "payment-card": 3 })?.points).toBeGreaterThan(0);
    // A hospital's own invoices print its BIC.
    expect(accessOf({ financial: 40 }, { "bank-code": 40 })).toMatchObject(notCounted);
    expect(accessOf({ contact: 120 })).toMatchObject(notCounted);
  });

  it("treats unknown access as possibly open, not private", () => {
    const unknown = exposureScore(
      { ...scenarios.strayNirInRecentApp, posture: { publicRead: "unknown", publicList: "unknown", notes: [] } },
      ctx,
    );
    expect(unknown.score).toBeGreaterThan(scored.strayNirInRecentApp?.score ?? 0);
    expect(unknown.factors.find((f) => f.name === "accessibility")?.detail).toMatch(/treated as possibly open/);
  });

  it("weighs HIV, pregnancy and mental-health terms above other health terms", () => {
    const withGroups = (groups: Record<string, number>) =>
      exposureScore(
        { ...scenarios.strayNirInRecentApp, totals: { ...scenarios.strayNirInRecentApp.totals, groups } },
        ctx,
      );
    expect(withGroups({ "pregnancy-reproduction": 1 }).score).toBeGreaterThan(withGroups({ "lab-test": 1 }).score);
  });

  it("counts staleness from --migration-date when nothing was written after it", () => {
    const recentish = { ...scenarios.privateStaleBackup, newestModified: "2026-10-01T00:00:00Z" };
    const plain = exposureScore(recentish, ctx);
    const migrated = exposureScore(recentish, { ...ctx, migrationDate: new Date("2026-11-01T00:00:00Z") });
    const afterMigration = exposureScore(recentish, { ...ctx, migrationDate: new Date("2026-06-01T00:00:00Z") });
    expect(plain.score).toBe(afterMigration.score);
    expect(migrated.score).toBeGreaterThan(plain.score);
    expect(migrated.factors.find((f) => f.name === "staleness")?.detail).toMatch(
      /nothing written since the migration of 2026-11-01/,
    );
  });

  it("states the sampled volume with its confidence interval", () => {
    const sampled = bucket({
      ...scenarios.privateStaleBackup,
      totals: {
        ...scenarios.privateStaleBackup.totals,
        estimate: {
          distinctPersons: 48_000,
          distinctPersonsLow: 41_000,
          distinctPersonsHigh: 55_000,
          patientRecords: 40_000,
          basis: "≈ 48k person(s) (95% CI 41k–55k), from 312 of 9800 object(s)",
        },
      },
    });
    const volume = exposureScore(sampled, ctx).factors.find((f) => f.name === "volume");
    expect(volume?.detail).toMatch(/95% CI 41k–55k/);
    expect(volume?.points).toBe(25);
  });

  it("maps scores to levels at the thresholds of the weights file", () => {
    const levels = [100, 75, 74, 50, 49, 25, 24, 1, 0].map((s) => levelOf(s, weights));
    expect(levels).toEqual(["critical", "critical", "high", "high", "medium", "medium", "low", "low", "none"]);
  });
});

describe("score weights file", () => {
  const file = (name: string, text: string) => {
    const p = path.join(tmpdir(), `reliquat-weights-${process.pid}-${name}.yaml`);
    return writeFile(p, text).then(() => p);
  };

  it("merges a partial override over the defaults", async () => {
    const w = await loadWeights(await file("ok", "accessibility:\n  publicRead: 0\n  publicList: 0\n"));
    expect(w.accessibility.publicRead).toBe(0);
    expect(w.volume).toEqual(weights.volume);
    const s = exposureScore(scenarios.forgottenLabExport, { ...ctx, weights: w });
    expect(s.factors.find((f) => f.name === "accessibility")?.points).toBe(0);
  });

  it("names the file and the field of a bad value", async () => {
    const bad = await file("bad", "volume:\n  perTenfold: lots\n");
    await expect(loadWeights(bad)).rejects.toThrow(/reliquat-weights-.*-bad\.yaml: field "volume\.perTenfold"/);
    const unknown = await file("unknown", "sensitivity:\n  nir: 3\n");
    await expect(loadWeights(unknown)).rejects.toThrow(/field "sensitivity"/);
  });
});
