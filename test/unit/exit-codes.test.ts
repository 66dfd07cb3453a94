import { describe, expect, it } from "vitest";
import { atOrAbove, EXIT, exitCodeFor } from "../../src/cli/exit-codes.js";
import { bucket, report } from "../helpers/report.js";

const high = bucket({ url: "s3://a", exposure: { score: 60, level: "high", factors: [] } });
const low = bucket({ url: "s3://b", exposure: { score: 10, level: "low", factors: [] } });

describe("exit codes", () => {
  it("orders levels: critical ≥ high ≥ medium ≥ low, none never fails", () => {
    expect(atOrAbove("critical", "high")).toBe(true);
    expect(atOrAbove("high", "high")).toBe(true);
    expect(atOrAbove("medium", "high")).toBe(false);
    expect(atOrAbove("low", "low")).toBe(true);
    expect(atOrAbove("none", "low")).toBe(false);
    expect(atOrAbove("critical", "never")).toBe(false);
  });

  it("exits 0 when nothing reaches the threshold and coverage is complete", () => {
    expect(exitCodeFor(report([low]), "high", false)).toBe(EXIT.clean);
  });

  it("exits 1 when a bucket is at or above --fail-on", () => {
    expect(exitCodeFor(report([high, low]), "high", false)).toBe(EXIT.findings);
    expect(exitCodeFor(report([low]), "low", false)).toBe(EXIT.findings);
  });

  it("exits 3 when coverage is incomplete, even with nothing found", () => {
    expect(exitCodeFor(report([low], false), "high", false)).toBe(EXIT.incomplete);
  });

  it("accepts incomplete coverage with --allow-partial", () => {
    expect(exitCodeFor(report([low], false), "high", true)).toBe(EXIT.clean);
  });

  it("exits 3 on an internal error, with --allow-partial too: a defect is never partial coverage", () => {
    const r = report([low], false);
    r.summary.internalErrors = 1;
    expect(exitCodeFor(r, "high", true)).toBe(EXIT.incomplete);
    expect(exitCodeFor(r, "never", true)).toBe(EXIT.incomplete);
  });

  it("prefers 1 over 3 when findings reach the threshold in an incomplete scan", () => {
    expect(exitCodeFor(report([high], false), "high", false)).toBe(EXIT.findings);
  });

  it("never fails on findings with --fail-on never, but still on incomplete coverage", () => {
    expect(exitCodeFor(report([high]), "never", false)).toBe(EXIT.clean);
    expect(exitCodeFor(report([high], false), "never", false)).toBe(EXIT.incomplete);
  });

  it("uses the documented numbers", () => {
    expect(EXIT).toEqual({ clean: 0, findings: 1, usage: 2, incomplete: 3 });
  });
});
