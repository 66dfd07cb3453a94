import { HTML_STYLE } from "./html-style.js";
import type { RenderOptions, Reporter } from "./index.js";
import { describeLocation } from "./location.js";
import { printable } from "./printable.js";
import { changeLines, interruptedLine } from "./run-lines.js";
import type { BucketReport, ExposureFactor, ObjectReport, Report } from "./types.js";

/** Objects shown per bucket in the drill-down: those with findings or not fully read come first. */
const MAX_OBJECTS = 500;

/**
 * One self-contained HTML file for a DPO or a CISO: ranked buckets, factor bars, findings by
 * category, a drill-down per bucket (objects, coverage, masked samples) and the scan's
 * parameters. No script and no external resource: a Content-Security-Policy forbids both.
 * Every value is made printable before it is escaped: no invisible bidi control can reorder a
 * name on screen, and no control character reaches the page.
 */
export const htmlReporter: Reporter = {
  name: "html",
  render(report: Report, options: RenderOptions): string {
    const s = report.summary;
    const body = [
      `<h1>Reliquat exposure report</h1>`,
      `<p class="muted">${text(report.finishedAt)} · Reliquat ${text(report.tool.version)} · fail threshold ${text(options.failOn)}</p>`,
      `<p class="verdict lvl-${s.highestLevel}" id="verdict"><span class="badge">${s.highestLevel}</span> ${s.findings} NIR occurrence(s) in ${s.buckets} bucket(s); coverage ${s.complete ? "complete" : "<strong>incomplete</strong>"} (${s.scanned} scanned, ${s.partial} partial, ${s.skipped} skipped of ${s.listed}).</p>`,
      ...runStatus(report),
      `<h2>Buckets by exposure</h2>`,
      `<table id="ranking"><thead><tr><th>#</th><th>Level</th><th class="num">Score</th><th>Bucket</th><th class="num">Persons</th><th class="num">Patient records</th><th>Coverage</th></tr></thead><tbody>`,
      ...report.buckets.map(
        (b, i) =>
          `<tr class="lvl-${b.exposure.level}" data-bucket="${text(b.url)}"><td>${i + 1}</td><td><span class="badge">${b.exposure.level}</span></td><td class="num">${b.exposure.score}</td><td><a href="#bucket-${i + 1}" class="mono">${text(b.url)}</a></td><td class="num">${text(persons(b))}</td><td class="num">${b.totals.patientRecords}</td><td>${coverage(b)}</td></tr>`,
      ),
      `</tbody></table>`,
      `<h2>Findings by category</h2>`,
      categoryChart(report),
      `<h2>Details</h2>`,
      ...report.buckets.map(bucketSection),
      ...(report.errors.length > 0
        ? [
            `<h2>Not scanned</h2><ul>`,
            ...report.errors.map((e) => `<li><code>${text(e.target)}</code>: ${text(e.message)}</li>`),
            `</ul>`,
          ]
        : []),
      ...(report.evidence ? evidenceSection(report) : []),
      `<h2>Scan parameters</h2>`,
      `<table id="parameters"><tbody>${Object.entries(report.parameters)
        .map(
          ([k, v]) =>
            `<tr><th>${text(k)}</th><td class="mono">${text(Array.isArray(v) ? v.join(", ") : String(v))}</td></tr>`,
        )
        .join("")}</tbody></table>`,
    ];
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Reliquat report: ${text(s.highestLevel)}</title>
<style>${HTML_STYLE}</style></head>
<body>
${body.join("\n")}
</body></html>
`;
  },
};

function bucketSection(b: BucketReport, i: number): string {
  // In one pass, holding MAX_OBJECTS per rank at most: a bucket may list a million objects.
  const byRank: ObjectReport[][] = [[], [], []];
  for (const o of b.objects) {
    const shelf = byRank[rank(o)] as ObjectReport[];
    if (shelf.length < MAX_OBJECTS) shelf.push(o);
  }
  const objects = byRank.flat().slice(0, MAX_OBJECTS);
  const hidden = b.objects.length - objects.length;
  return [
    `<details class="bucket lvl-${b.exposure.level}" id="bucket-${i + 1}"><summary>#${i + 1} <span class="badge">${b.exposure.level}</span> ${b.exposure.score}/100 <span class="mono">${text(b.url)}</span></summary>`,
    ...b.exposure.factors.map(factorBar),
    `<p>Posture: ${text([access(b), ...b.posture.notes].join("; "))}</p>`,
    `<p>Estimate: ${text(b.totals.estimate.basis)}. Written ${text(b.oldestModified?.slice(0, 10) ?? "?")} to ${text(b.newestModified?.slice(0, 10) ?? "?")}.</p>`,
    ...b.coverage.errors.map((e) => `<p>⚠ ${text(e)}</p>`),
    `<table class="objects"><thead><tr><th>Object</th><th>Coverage</th><th>Findings</th><th class="num">Persons</th><th class="num">Records</th><th>Samples (identifiers masked)</th></tr></thead><tbody>`,
    ...objects.map(objectRow),
    `</tbody></table>`,
    hidden > 0 ? `<p class="muted">${hidden} more object(s) in the JSON report.</p>` : "",
    `</details>`,
  ].join("\n");
}

function factorBar(f: ExposureFactor): string {
  const max = f.max ?? Math.abs(f.points);
  const width = max > 0 ? Math.round((100 * Math.max(0, f.points)) / max) : 0;
  return `<div class="factor"><span>${text(f.name)} <strong>${f.points > 0 ? "+" : ""}${f.points}</strong>${f.max ? `/${f.max}` : ""}</span><span class="bar"><span style="width:${width}%"></span></span><span class="muted">${text(f.detail)}</span></div>`;
}

function objectRow(o: ObjectReport): string {
  const findings = o.findings.map((f) => `${text(f.ruleId)} ×${f.count}`).join("<br>");
  // Identifiers masked in <code>; a health term, which is not an identifier, as a term.
  const samples = o.findings.flatMap((f) =>
    f.samples.map((s) => {
      const shown =
        f.category === "health" ? `<q class="term">${text(s.masked)}</q>` : `<code>${text(s.masked)}</code>`;
      return `${shown} <span class="muted">${text(describeLocation(s.location))}</span>`;
    }),
  );
  const cov = o.reason ? `${o.coverage}: ${text(o.reason)}` : o.coverage;
  return `<tr><td class="mono">${text(o.key)}</td><td>${cov}</td><td>${findings}</td><td class="num">${o.distinctPersons}</td><td class="num">${o.patientRecords}</td><td>${samples.join("<br>")}</td></tr>`;
}

function categoryChart(report: Report): string {
  const totals: Record<string, number> = {};
  for (const b of report.buckets)
    for (const [c, n] of Object.entries(b.totals.categories)) totals[c] = (totals[c] ?? 0) + n;
  const rows = Object.entries(totals).sort((a, b) => b[1] - a[1]);
  if (rows.length === 0) return `<p id="categories">No finding.</p>`;
  const max = Math.max(...rows.map(([, n]) => n));
  const bars = rows.map(
    ([c, n], i) =>
      `<text x="0" y="${i * 26 + 16}">${text(c)}</text><rect x="110" y="${i * 26 + 4}" height="16" width="${Math.max(2, Math.round((400 * n) / max))}"></rect><text x="${Math.round((400 * n) / max) + 118}" y="${i * 26 + 16}">${n}</text>`,
  );
  return `<svg id="categories" class="chart" role="img" aria-label="findings by category" width="600" height="${rows.length * 26 + 8}">${bars.join("")}</svg>`;
}

function evidenceSection(report: Report): string[] {
  const e = report.evidence;
  if (!e) return [];
  return [
    `<h2 id="evidence">Article 33 evidence</h2>`,
    `<p class="muted">Observed at ${text(e.observedAt)} · rule packs ${text(e.rulePacks.join(", "))}</p>`,
    `<table><thead><tr><th>Bucket</th><th>Categories</th><th>Persons (95% CI)</th><th>Exposure</th><th>Written</th><th>Coverage</th></tr></thead><tbody>`,
    ...e.buckets.map(
      (x) =>
        `<tr><td class="mono">${text(x.bucket)}</td><td>${text(x.categories.join(", "))}</td><td>≈ ${x.persons.estimate} (${x.persons.low}–${x.persons.high})</td><td>${text(x.exposureFacts.join("; "))}</td><td>${text(x.firstModified?.slice(0, 10) ?? "?")} – ${text(x.lastModified?.slice(0, 10) ?? "?")}</td><td>${text(x.coverage)}</td></tr>`,
    ),
    `</tbody></table>`,
  ];
}

const rank = (o: ObjectReport) => (o.findings.length > 0 ? 0 : o.coverage !== "scanned" ? 1 : 2);
const access = (b: BucketReport) => b.exposure.factors.find((f) => f.name === "accessibility")?.detail ?? "";
const coverage = (b: BucketReport) =>
  `${b.coverage.scanned}/${b.coverage.listed} scanned${b.coverage.complete ? "" : " <strong>(incomplete)</strong>"}`;
const persons = (b: BucketReport) =>
  b.totals.estimate.distinctPersons > b.totals.distinctPersons
    ? `${b.totals.distinctPersons} (≈ ${b.totals.estimate.distinctPersons})`
    : String(b.totals.distinctPersons);

/** A value shown in the page: printable, then escaped. */
const text = (value: string) => esc(printable(value));

/** Escapes text for HTML content and attributes (also used by the Markdown reporter). */
/** The interrupted banner and the changes since the last run, when there are. */
function runStatus(report: Report): string[] {
  const out: string[] = [];
  const stopped = interruptedLine(report);
  if (stopped) out.push(`<p class="verdict lvl-high" id="interrupted"><strong>${text(stopped)}</strong></p>`);
  const changes = changeLines(report);
  if (changes)
    out.push(
      `<h2>What changed</h2><p id="changes">${text(changes.head)}</p>`,
      changes.items.length > 0 ? `<ul>${changes.items.map((i) => `<li>${text(i)}</li>`).join("")}</ul>` : "",
    );
  return out;
}

export function esc(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}
