import type { Level } from "../config/schema.js";
import type { RenderOptions, Reporter } from "./index.js";
import { printable } from "./printable.js";
import { residueLine } from "./residue.js";
import { changeLines, interruptedLine } from "./run-lines.js";
import type { BucketReport, Report } from "./types.js";

const LEVEL_COLOR: Record<Level, string> = {
  critical: "\x1b[1;41;97m",
  high: "\x1b[1;31m",
  medium: "\x1b[33m",
  low: "\x1b[36m",
  none: "\x1b[2m",
};

/**
 * A ranked table of buckets, their top factors and coverage, then a one-line verdict. Names and
 * messages go through {@link printable}: with `color: false` the text holds no control
 * character but `\n`; with `color: true`, only the SGR colours of LEVEL_COLOR.
 */
export const terminalReporter: Reporter = {
  name: "terminal",
  render(report: Report, options: RenderOptions): string {
    const paint = (level: Level, text: string) => (options.color ? `${LEVEL_COLOR[level]}${text}\x1b[0m` : text);
    const rows = report.buckets.map((b, i) => [
      String(i + 1),
      paint(b.exposure.level, b.exposure.level.toUpperCase()),
      String(b.exposure.score),
      printable(b.url),
      persons(b),
      String(b.totals.patientRecords),
      coverage(b),
    ]);
    const lines: string[] = [];
    for (const [i, b] of report.buckets.entries()) {
      const top = b.exposure.factors.filter((f) => f.points !== 0).sort((x, y) => y.points - x.points);
      if (top.length === 0 && b.coverage.errors.length === 0) continue;
      lines.push("", `${i + 1}. ${b.url}`);
      for (const f of top) lines.push(`   ${f.points > 0 ? "+" : ""}${f.points} ${f.name}: ${f.detail}`);
      const residue = residueLine(b);
      if (residue) lines.push(`   hidden residue: ${residue}`);
      for (const e of b.coverage.errors) lines.push(`   ! ${e}`);
      let failed = 0;
      for (const o of b.objects) if (o.error) failed++;
      if (failed > 0) lines.push(`   ! ${failed} object(s) could not be read completely (see the JSON report)`);
    }
    for (const e of report.errors) lines.push("", `! ${e.target}: ${e.message}`);
    const changes = changeLines(report);
    if (changes) lines.push("", changes.head, ...changes.items.map((i) => `   ${i}`));
    lines.push("", verdict(report, options));
    const stopped = interruptedLine(report);
    if (stopped) lines.unshift(stopped, "");
    // Every line below the table is plain text made of names, messages and numbers.
    const header = table(["#", "LEVEL", "SCORE", "BUCKET", "PERSONS", "RECORDS", "COVERAGE"], rows);
    return `${[...header, ...lines.map(printable)].join("\n")}\n`;
  },
};

/** Distinct persons found, and the extrapolation when objects were sampled. */
function persons(b: BucketReport): string {
  const { distinctPersons, estimate } = b.totals;
  return estimate.distinctPersons > distinctPersons
    ? `${distinctPersons} (≈${estimate.distinctPersons})`
    : String(distinctPersons);
}

function coverage(b: BucketReport): string {
  const c = b.coverage;
  const text = `${c.scanned} scanned, ${c.partial} partial, ${c.skipped} skipped of ${c.listed}`;
  return c.complete ? text : `${text} (INCOMPLETE)`;
}

function verdict(report: Report, options: RenderOptions): string {
  const s = report.summary;
  const worst = report.buckets[0];
  const records = report.buckets.reduce((n, b) => n + b.totals.patientRecords, 0);
  const head =
    s.findings === 0 && records === 0
      ? `No national identifier or patient record found in ${s.buckets} bucket(s).`
      : `${s.findings} NIR occurrence(s) and ${records} patient record(s) found; worst bucket ${worst?.url} is ${worst?.exposure.level.toUpperCase()} (${worst?.exposure.score}/100).`;
  const tail = s.complete ? "Coverage complete." : "Coverage INCOMPLETE: some objects or targets could not be read.";
  return `${head} ${tail} Fail threshold: ${options.failOn}.`;
}

/** Left-aligned columns; widths ignore ANSI escapes. */
function table(header: string[], rows: string[][]): string[] {
  const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, "").length;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i] ?? ""))));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c + " ".repeat((widths[i] ?? 0) - visible(c)))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
