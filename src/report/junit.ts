import type { RenderOptions, Reporter } from "./index.js";
import { atOrAbove } from "./levels.js";
import { printable } from "./printable.js";
import { interruptedLine } from "./run-lines.js";
import type { BucketReport, Report } from "./types.js";

/**
 * JUnit XML for GitLab, Jenkins and Azure DevOps: one test case per bucket, failing when the
 * bucket is at or above `--fail-on`; targets that could not be scanned are errors. Every name
 * and message is made printable (CI consoles show them raw), so the document is well-formed
 * XML 1.0 whatever a name holds.
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
    const stopped = interruptedLine(report);
    if (stopped)
      errors.unshift(
        `    <testcase classname="reliquat.run" name="interrupted" time="0">\n      <error message="${xml(stopped)}" type="interrupted"/>\n    </testcase>`,
      );
    const failures = report.buckets.filter((b) => atOrAbove(b.exposure.level, failOn)).length;
    const seconds = (Date.parse(report.finishedAt) - Date.parse(report.startedAt)) / 1000;
    return [
      `<?xml version="1.0" encoding="UTF-8"?>`,
      `<testsuites name="reliquat" tests="${cases.length + errors.length}" failures="${failures}" errors="${errors.length}" time="${seconds.toFixed(3)}">`,
      `  <testsuite name="reliquat exposure (fail on ${xml(options.failOn)})" tests="${cases.length + errors.length}" failures="${failures}" errors="${errors.length}" skipped="0" timestamp="${xml(report.startedAt)}" time="${seconds.toFixed(3)}">`,
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
  // One factor per line: each line is printable, the line breaks between them are ours.
  const factors = b.exposure.factors
    .filter((f) => f.points !== 0)
    .map((f) => xml(`${f.points > 0 ? "+" : ""}${f.points} ${f.name}: ${f.detail}`))
    .join("\n");
  const c = b.coverage;
  const out = `      <system-out>${xml(`${b.exposure.level} ${b.exposure.score}/100; ${b.totals.distinctPersons} person(s), ${b.totals.patientRecords} patient record(s); coverage ${c.scanned} scanned, ${c.partial} partial, ${c.skipped} skipped of ${c.listed}`)}</system-out>`;
  if (!failed) return [head, out, "    </testcase>"].join("\n");
  const message = `${b.url} is ${b.exposure.level.toUpperCase()} (${b.exposure.score}/100)`;
  return [
    head,
    `      <failure message="${xml(message)}" type="${b.exposure.level}">${factors}</failure>`,
    out,
    "    </testcase>",
  ].join("\n");
}

/**
 * Makes one line of text printable, then escapes it for XML attributes and content. After
 * printable, the only characters XML 1.0 forbids are the noncharacters U+FFFE and U+FFFF: they
 * get the same visible escape.
 */
function xml(text: string): string {
  return printable(text)
    .replace(/[\uFFFE\uFFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c);
}
