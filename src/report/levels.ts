import { type FailOn, LEVELS, type Level } from "../config/levels.js";

/** SARIF result levels for bucket levels and rule severities. */
export function sarifLevel(severity: string): "error" | "warning" | "note" | "none" {
  if (severity === "critical" || severity === "high") return "error";
  if (severity === "medium") return "warning";
  if (severity === "low" || severity === "info") return "note";
  return "none";
}

/** GitHub's `security-severity` (0–10) for a severity: how code scanning sorts alerts. */
export function securitySeverity(severity: string): string {
  return { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" }[severity] ?? "1.0";
}

/** `high` is at or above `medium`: LEVELS runs from critical down to none. */
export function atOrAbove(level: Level, threshold: FailOn): boolean {
  if (threshold === "never" || threshold === "new" || level === "none") return false;
  return LEVELS.indexOf(level) <= LEVELS.indexOf(threshold);
}
