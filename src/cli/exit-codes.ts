import type { FailOn } from "../config/schema.js";
import { atOrAbove } from "../report/levels.js";
import type { Report } from "../report/types.js";

export { atOrAbove };

/** The CI contract. An incomplete scan or an internal error never exits 0. */
export const EXIT = {
  /** Nothing at or above `--fail-on`, and coverage complete (or `--allow-partial`). */
  clean: 0,
  /** A bucket at or above `--fail-on`. */
  findings: 1,
  /** Usage or configuration error: nothing was scanned. */
  usage: 2,
  /** Incomplete coverage (a target, listing or read failed) or an internal error. */
  incomplete: 3,
} as const;

/**
 * Findings at or above the threshold win over incompleteness: both fail the build, 1 says more.
 * An internal error is never accepted as partial coverage: `--allow-partial` does not cover it.
 */
export function exitCodeFor(report: Report, failOn: FailOn, allowPartial: boolean): number {
  // Stopped by a signal: the run did not end, whatever it found so far.
  if (report.interrupted) return EXIT.incomplete;
  if (
    failOn === "new"
      ? (report.changes?.counts.newFindings ?? 0) > 0
      : report.buckets.some((b) => atOrAbove(b.exposure.level, failOn))
  )
    return EXIT.findings;
  if ((report.summary.internalErrors ?? 0) > 0) return EXIT.incomplete;
  if (!report.summary.complete && !allowPartial) return EXIT.incomplete;
  return EXIT.clean;
}

/** An error the user can fix by changing the command line or the config (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
