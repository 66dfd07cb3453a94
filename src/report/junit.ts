import type { RenderOptions, Reporter } from "./index.js";
import { atOrAbove } from "./levels.js";
import type { BucketReport, Report } from "./types.js";

/**
 * JUnit XML for GitLab, Jenkins and Azure DevOps: one test case per bucket, failing when the
 * bucket is at or above `--fail-on`; targets that could not be scanned are errors.
 */
export const junitReporter: Reporter = {
  name: "junit",
  render(report: Report, options: RenderOptions): string {
    const failOn = options.failOn;
    const cases = report.buckets.map((b) => testCase(b, atOrAbove(b.exposure.level, failOn)));
    const errors = report.errors.map(
      (e) =>
        `    <testcase classname="reliquat.target" name="${xml(e.target)}" time="0">\n      <error message="${xml(e.message)}" type="not-scanned"/>\n    </testcase>`,
    );
    const failures = report.buckets.filter((b) => atOrAbove(b.exposure.level, failOn)).length;
    const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
    return [
      `<?xml version="1.0" encoding="UTF-8"?>`,
      `<testsuites name="reliquat" tests="${cases.length + errors.length}" failures="${failures}" errors="${errors.length}" time="${seconds.toFixed(3)}">`,
      `  <testsuite name="reliquat exposure (fail on ${xml(options.failOn)})" tests="${cases.length + errors.length}" failures="${failures}" errors="${errors.length}" skipped="0" timestamp="${report.startedAt}" time="${seconds.toFixed(3)}">`,
      ...cases,
      ...errors,
      "  </testsuite>",
      "</testsuites>",
      "",
    ].join("\n");
  },
};

function testCase(b: BucketReport, failed: boolean): string {
  const head = `    <testcase classname="reliquat.bucket.${xml(b.provider)}" name="${xml(b.url)}" time="0">`;
  const factors = b.exposure.factors
    .filter((f) => f.points !== 0)
    .map((f) => `${f.points > 0 ? "+" : ""}${f.points} ${f.name}: ${f.detail}`)
    .join("\n");
  const c = b.coverage;
  const out = `      <system-out>${xml(`${b.exposure.level} ${b.exposure.score}/100; ${b.totals.distinctPersons} person(s), ${b.totals.patientRecords} patient record(s); coverage ${c.scanned} scanned, ${c.partial} partial, ${c.skipped} skipped of ${c.listed}`)}</system-out>`;
  if (!failed) return [head, out, "    </testcase>"].join("\n");
  const message = `${b.url} is ${b.exposure.level.toUpperCase()} (${b.exposure.score}/100)`;
  return [
    head,
    `      <failure message="${xml(message)}" type="${b.exposure.level}">${xml(factors)}</failure>`,
    out,
    "    </testcase>",
  ].join("\n");
}

/** Escapes text for XML attributes and content; drops characters XML 1.0 cannot hold. */
function xml(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "")
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c);
}
