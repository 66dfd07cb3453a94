import type { FailOn } from "../config/schema.js";
import { redactIdentifiers } from "../redact.js";
import { markdownReporter } from "../report/markdown.js";
import { formatWhen } from "../report/run-lines.js";
import type { Report } from "../report/types.js";

/** What a notification says: a one-line summary, the facts as JSON, and the Markdown report. */
export interface Message {
  /** `Reliquat: HIGH, 12 NIR occurrence(s) in 3 bucket(s); 2 new since 2026-11-30 02:00 UTC`. */
  title: string;
  summary: {
    highestLevel: string;
    buckets: number;
    findings: number;
    complete: boolean;
    interrupted: boolean;
    newFindings?: number;
    resolvedFindings?: number;
    levelChanges?: { bucket: string; from: string; to: string }[];
    worst?: { bucket: string; level: string; score: number };
  };
  markdown: string;
}

/**
 * The message of a finished scan, from the report the outputs were written from (redacted
 * already). Every string goes through the redactor once more: a notification leaves the
 * machine, and nothing that could be a NIR goes with it. Markdown beyond 20,000 characters is
 * cut (webhooks refuse large bodies); the report file has the rest.
 */
export function buildMessage(report: Report, failOn: FailOn): Message {
  const s = report.summary;
  const c = report.changes;
  const worst = report.buckets[0];
  const since = c ? (c.since ? ` since ${formatWhen(c.since)}` : " (first run on this state)") : "";
  const news = c ? `; ${c.counts.newFindings} new${since}` : "";
  const stopped = report.interrupted ? " [INTERRUPTED]" : "";
  const incomplete = s.complete ? "" : "; coverage incomplete";
  const title = `Reliquat${stopped}: ${s.highestLevel.toUpperCase()}, ${s.findings} NIR occurrence(s) in ${s.buckets} bucket(s)${news}${incomplete}`;
  let markdown = markdownReporter.render(report, { color: false, failOn });
  if (markdown.length > 20_000)
    markdown = `${markdown.slice(0, 20_000)}\n\n… (cut: the full report is in the scan's outputs)\n`;
  const summary: Message["summary"] = {
    highestLevel: s.highestLevel,
    buckets: s.buckets,
    findings: s.findings,
    complete: s.complete,
    interrupted: report.interrupted === true,
    ...(c
      ? {
          newFindings: c.counts.newFindings,
          resolvedFindings: c.counts.resolvedFindings,
          levelChanges: c.levelChanges,
        }
      : {}),
    ...(worst ? { worst: { bucket: worst.url, level: worst.exposure.level, score: worst.exposure.score } } : {}),
  };
  return JSON.parse(JSON.stringify({ title, summary, markdown }), (_k, v) =>
    typeof v === "string" ? redactIdentifiers(v) : v,
  ) as Message;
}
