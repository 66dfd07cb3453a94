import { pino } from "pino";
import type { BucketRef } from "../providers/types.js";
import type { Redactor } from "../redact.js";
import type { ObjectReport, Report } from "../report/types.js";

/** Scan events as log lines. Every string goes through the redactor first. */
export interface ScanLog {
  /** False on a TTY (the progress bar speaks there) or with RELIQUAT_LOG=off. */
  readonly enabled: boolean;
  start(targets: string[]): void;
  bucket(bucket: BucketRef): void;
  /** Objects that failed or stopped early log at warn; the others at debug. */
  object(object: ObjectReport): void;
  error(target: string, message: string): void;
  finish(report: Report): void;
}

const OFF: ScanLog = { enabled: false, start() {}, bucket() {}, object() {}, error() {}, finish() {} };

/**
 * Structured JSON logs (pino, one object per line) on `stream` when it is not a terminal: what
 * CI systems and log collectors read. `RELIQUAT_LOG_LEVEL` sets the level (default `info`).
 */
export function createLogger(stream: NodeJS.WritableStream & { isTTY?: boolean }, redact: Redactor): ScanLog {
  if (stream.isTTY || process.env.RELIQUAT_LOG === "off") return OFF;
  const logger = pino({ name: "reliquat", level: process.env.RELIQUAT_LOG_LEVEL ?? "info", base: undefined }, stream);
  const r = (s: string) => redact(s);
  return {
    enabled: true,
    start: (targets) => logger.info({ event: "scan-start", targets: targets.map(r) }, "scan started"),
    bucket: (b) => logger.info({ event: "bucket", bucket: r(b.url) }, "scanning bucket"),
    object(o) {
      // Called for every object: build (and redact) the fields only when a line will be written.
      if (!o.error && !logger.isLevelEnabled("debug")) return;
      const fields = { event: "object", object: r(o.url), coverage: o.coverage, reason: o.reason && r(o.reason) };
      if (o.error) logger.warn(fields, "object not read completely");
      else logger.debug(fields, "object done");
    },
    error: (target, message) =>
      logger.error({ event: "target-error", target: r(target), message: r(message) }, "target failed"),
    finish(report) {
      const { summary } = report;
      logger.info(
        {
          event: "scan-done",
          buckets: summary.buckets,
          listed: summary.listed,
          findings: summary.findings,
          highestLevel: summary.highestLevel,
          complete: summary.complete,
        },
        "scan finished",
      );
    },
  };
}
