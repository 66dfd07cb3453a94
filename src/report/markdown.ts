import { esc } from "./html.js";
import type { RenderOptions, Reporter } from "./index.js";
import { atOrAbove } from "./levels.js";
import { printable } from "./printable.js";
import { residueLine } from "./residue.js";
import { changeLines, interruptedLine } from "./run-lines.js";
import type { BucketReport, Report } from "./types.js";

const ICON = { critical: "🔴", high: "🟠", medium: "🟡", low: "🔵", none: "⚪" } as const;

/**
 * A compact summary for a pull-request comment, `$GITHUB_STEP_SUMMARY` or a ticket: the
 * verdict, the ranked table, the top factors of the buckets that fail, and the evidence
 * section when asked for. Masked values only, like every reporter. Names and messages are
 * made printable, then kept inside their code span, cell or list item: no value can add a
 * column, a link, an image, emphasis or HTML.
 */
export const markdownReporter: Reporter = {
  name: "markdown",
  render(report: Report, options: RenderOptions): string {
    const s = report.summary;
    const failing = report.buckets.filter((b) => atOrAbove(b.exposure.level, options.failOn));
    const out = [
      "## Reliquat scan",
      "",
      `${ICON[s.highestLevel]} **${s.highestLevel.toUpperCase()}**: ${s.findings} NIR occurrence(s) in ${s.buckets} bucket(s); ${failing.length} at or above \`--fail-on ${options.failOn}\`. Coverage ${s.complete ? "complete" : "**incomplete**"}: ${s.scanned} scanned, ${s.partial} partial, ${s.skipped} skipped of ${s.listed} objects.`,
      "",
      "| # | Level | Score | Bucket | Persons | Patient records | Coverage |",
      "|---|---|---:|---|---:|---:|---|",
      ...report.buckets.map(
        (b, i) =>
          `| ${i + 1} | ${ICON[b.exposure.level]} ${b.exposure.level} | ${b.exposure.score} | ${code(b.url, true)} | ${persons(b)} | ${b.totals.patientRecords} | ${b.coverage.scanned}/${b.coverage.listed}${b.coverage.complete ? "" : " ⚠️"} |`,
      ),
    ];
    const stopped = interruptedLine(report);
    if (stopped) out.splice(2, 0, `> ⚠️ **${text(stopped)}**`, "");
    const changes = changeLines(report);
    if (changes) out.push("", `**${text(changes.head)}**`, "", ...changes.items.map((i) => `- ${text(i)}`));
    for (const b of report.buckets.filter((x) => x.exposure.level !== "none").slice(0, 5)) {
      out.push(
        "",
        `<details><summary><code>${esc(printable(b.url))}</code>: why ${b.exposure.score}/100</summary>`,
        "",
      );
      for (const f of b.exposure.factors.filter((x) => x.points !== 0))
        out.push(`- **${f.points > 0 ? "+" : ""}${f.points} ${text(f.name)}**: ${text(f.detail)}`);
      const residue = residueLine(b);
      if (residue) out.push(`- hidden residue: ${residue}`);
      out.push("", "</details>");
    }
    if (report.errors.length > 0)
      out.push("", "### Not scanned", "", ...report.errors.map((e) => `- ${code(e.target)}: ${text(e.message)}`));
    if (report.suppressed) {
      const x = report.suppressed;
      out.push(
        "",
        `Suppressed: ${x.baseline} by the baseline, ${x.allowlist} by the allowlist; ${x.staleBaseline.length} stale baseline entr${x.staleBaseline.length === 1 ? "y" : "ies"}.`,
      );
    }
    if (report.evidence) {
      out.push("", "### Article 33 evidence", "");
      for (const e of report.evidence.buckets) {
        out.push(
          `- ${code(e.bucket)} (${e.level}, ${e.score}/100): ${text(e.categories.join(", "))}; ≈ ${e.persons.estimate} person(s) (95% CI ${e.persons.low}–${e.persons.high}); ${e.patientRecords} patient record(s); exposure: ${text(e.exposureFacts.join("; "))}; written ${e.firstModified?.slice(0, 10) ?? "?"} to ${e.lastModified?.slice(0, 10) ?? "?"}; coverage ${e.coverage}.`,
        );
      }
      out.push(
        "",
        `Rule packs: ${text(report.evidence.rulePacks.join(", "))}. Observed at ${report.evidence.observedAt}.`,
      );
    }
    out.push(
      "",
      `<sub>Reliquat ${report.tool.version}: values are never shown; samples are masked and fingerprinted.</sub>`,
    );
    return `${out.join("\n")}\n`;
  },
};

function persons(b: BucketReport): string {
  const e = b.totals.estimate;
  return e.distinctPersons > b.totals.distinctPersons
    ? `${b.totals.distinctPersons} (≈ ${e.distinctPersons})`
    : String(b.totals.distinctPersons);
}

/**
 * A name in a code span, where Markdown syntax is inert. A backtick would close the span: it
 * becomes `'`. In a table cell a pipe would end the cell even there (GFM splits rows first):
 * it becomes `\|`, which no backslash of the name can cancel since printable doubles them.
 */
function code(value: string, inTable = false): string {
  const inert = printable(value).replace(/`/g, "'");
  return `\`${inTable ? inert.replace(/\|/g, "\\|") : inert}\``;
}

/**
 * A message as plain text: the punctuation that Markdown reads as syntax mid-line (emphasis,
 * links and images, code, table cells, escapes) is backslash-escaped, and `<` `>` `&` become
 * entities so that no HTML tag or entity forms. Line-start syntax cannot occur: printable
 * leaves no line break.
 */
function text(value: string): string {
  return printable(value)
    .replace(/[\\`*_~[\]|]/g, "\\$&")
    .replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c] ?? c);
}
