import type { Report } from "./types.js";

/** Findings listed one per line under the change summary; the JSON report holds up to 1,000. */
const SHOWN = 10;

/** The line every human format leads with when the scan was stopped before its end. */
export function interruptedLine(report: Report): string | undefined {
  if (!report.interrupted) return undefined;
  return "INTERRUPTED: the scan was stopped before its end. Finished objects are reported; the rest were not read, and buckets not reached are missing.";
}

/**
 * What changed since the last run on the state file, as plain lines: a bucket that went up a
 * level first, then the counts, then the first new findings. Empty without a state.
 */
export function changeLines(report: Report): { head: string; items: string[] } | undefined {
  const c = report.changes;
  if (!c) return undefined;
  const since = c.since ? `since ${formatWhen(c.since)}` : "since the first run on this state file";
  const items: string[] = [];
  for (const l of c.levelChanges) {
    const up = rank(l.to) > rank(l.from);
    items.push(`${up ? "UP" : "down"}: ${l.bucket} ${l.from} → ${l.to}`);
  }
  for (const f of c.newFindings.slice(0, SHOWN)) items.push(`new: ${f.url} (${f.ruleId}, ${f.count})`);
  if (c.counts.newFindings > SHOWN)
    items.push(`… and ${c.counts.newFindings - SHOWN} more new finding(s) in the JSON report`);
  const head = `Changes ${since}: ${c.counts.newFindings} new finding(s), ${c.counts.resolvedFindings} resolved, ${c.counts.removedObjects} object(s) removed, ${c.levelChanges.length} level change(s).`;
  return { head, items };
}

/** `2026-11-30 02:00 UTC`: what a night shift reads at a glance. */
export function formatWhen(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const ORDER = ["none", "low", "medium", "high", "critical"];
const rank = (level: string) => ORDER.indexOf(level);
