/** Exposure levels and exit thresholds: no dependencies, so that the CLI can name them before loading the scan. */
export const LEVELS = ["critical", "high", "medium", "low", "none"] as const;
export type Level = (typeof LEVELS)[number];
/**
 * `--fail-on` values: a level, `never` to exit 0 whatever is found, or `new` (with a state) to
 * exit 1 only for findings new since the last run.
 */
export const FAIL_ON = ["critical", "high", "medium", "low", "never", "new"] as const;
export type FailOn = (typeof FAIL_ON)[number];
