import { describe, expect, it } from "vitest";
import { exposureScore, levelOf } from "../../src/score/exposure.js";
import { bucket, totals } from "../helpers/report.js";

const NOW = new Date("2026-11-28T00:00:00Z");

describe("exposure score", () => {
  const forgotten = bucket({
    url: "s3://labo-export-2021",
    posture: { publicRead: true, publicList: true, notes: [] },
    totals: totals({
      findings: 9000,
      distinctPersons: 8500,
      objectsWithFindings: 12,
      patientRecords: 8000,
      categories: { health: 12000 },
    }),
    newestModified: "2021-06-14T00:00:00Z",
  });
  const stray = bucket({
    url: "s3://app-recent",
    totals: totals({ findings: 1, distinctPersons: 1, objectsWithFindings: 1 }),
    newestModified: "2026-11-27T00:00:00Z",
  });
  const brochures = bucket({
    url: "s3://site",
    newestModified: "2019-01-01T00:00:00Z",
    posture: { publicRead: true, publicList: true, notes: [] },
    totals: totals({ categories: { health: 40 } }),
  });

  it("ranks a public, stale bucket of many NIRs above a private, recent one with one stray NIR", () => {
    const a = exposureScore(forgotten, NOW);
    const b = exposureScore(stray, NOW);
    expect(a.level).toBe("critical");
    expect(b.level).toBe("low");
    expect(a.score).toBeGreaterThan(b.score);
  });

  it("scores an old, public bucket of health brochures low, and says why staleness did not count", () => {
    const s = exposureScore(brochures, NOW);
    expect(s.level).toBe("low");
    expect(s.factors.find((f) => f.name === "staleness")).toMatchObject({
      points: 0,
      detail: expect.stringMatching(/not counted/),
    });
    expect(s.factors.find((f) => f.name === "health data")?.points).toBeGreaterThan(0);
  });

  it("scores an old bucket with nothing at all as none", () => {
    expect(exposureScore(bucket({ url: "s3://empty", newestModified: "2019-01-01T00:00:00Z" }), NOW)).toMatchObject({
      score: 0,
      level: "none",
    });
  });

  it("lists every point: the factors add up to the score", () => {
    const s = exposureScore(forgotten, NOW);
    expect(s.factors.reduce((n, f) => n + f.points, 0)).toBe(s.score);
    expect(s.factors.map((f) => f.name)).toEqual([
      "national identifiers",
      "patient records",
      "spread",
      "health data",
      "staleness",
      "accessibility",
      "cap",
    ]);
  });

  it("treats unknown access as possibly open, not private", () => {
    const unknown = exposureScore(
      { ...stray, posture: { publicRead: "unknown", publicList: "unknown", notes: [] } },
      NOW,
    );
    const closed = exposureScore(stray, NOW);
    expect(unknown.score).toBeGreaterThan(closed.score);
  });

  it("maps scores to levels at 75 / 50 / 25 / 1", () => {
    expect([100, 75, 74, 50, 49, 25, 24, 1, 0].map(levelOf)).toEqual([
      "critical",
      "critical",
      "high",
      "high",
      "medium",
      "medium",
      "low",
      "low",
      "none",
    ]);
  });
});
