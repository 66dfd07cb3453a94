import { describeDamage } from "./extract/damage.js";
import { type Opened, openObject } from "./extract/documents.js";
import { CorruptError, ExpandLimitError, type ExpandLimits } from "./extract/limits.js";
import { textBlocks } from "./extract/text-blocks.js";
import { type ObjectRef, ProviderError, type StorageProvider } from "./providers/types.js";
import type { ObjectFinding, ObjectReport } from "./report/types.js";
import { DistinctCounter } from "./rules/distinct.js";
import { type BlockRunner, createObjectDetector } from "./rules/engine.js";
import type { Hashers, RuleFinding } from "./rules/finding.js";
import { DetectionMerger } from "./rules/merge.js";
import type { Rule } from "./rules/types.js";
import { type ByteBudget, formatBytes, type PlanOptions, planRead } from "./sample/plan.js";
import type { Suppressed, Suppressor } from "./suppress/suppressor.js";

export interface ObjectScanContext {
  provider: StorageProvider;
  rules: Rule[];
  hashers: Hashers;
  /** Where blocks are detected: inline or on worker threads. */
  runner?: BlockRunner;
  /** Preferred bytes per read for that runner (the provider's choice when absent). */
  readSize?: number;
  budget: ByteBudget;
  plan: PlanOptions;
  objectTimeoutMs: number;
  /** Limits on decompression (size, ratio). */
  expandLimits: ExpandLimits;
  signal: AbortSignal;
  /** Progress callback for bytes as they stream. */
  onBytes?: (count: number) => void;
  /** Gives findings their ids and drops those a baseline or the allowlist suppresses. */
  suppressor: Suppressor;
}

/** An object's report plus the in-memory hashes its bucket needs to count distinct persons. */
export interface ObjectOutcome {
  report: ObjectReport;
  persons: DistinctCounter;
  /** What a baseline or the allowlist removed (absent when nothing was). */
  suppressed?: Suppressed;
}

/**
 * Reads, decodes and scans one object. Never throws for a per-object problem: it becomes the
 * object's coverage reason. Throws only when the whole scan is cancelled.
 */
export async function scanObject(obj: ObjectRef, ctx: ObjectScanContext): Promise<ObjectOutcome> {
  const report: ObjectReport = {
    url: `${obj.bucket.url}/${obj.key}${obj.versionId ? `?versionId=${encodeURIComponent(obj.versionId)}` : ""}`,
    key: obj.key,
    ...(obj.versionId ? { versionId: obj.versionId } : {}),
    size: obj.size,
    lastModified: obj.lastModified?.toISOString(),
    coverage: "scanned",
    bytesRead: 0,
    patientRecords: 0,
    distinctPersons: 0,
    categories: {},
    findings: [],
  };
  // Listed but not to be read (a FIFO, a link out of the folder, an unreadable folder): never opened.
  if (obj.skip) {
    const { reason, error } = obj.skip;
    return {
      report: { ...report, coverage: "skipped", reason, ...(error ? { error } : {}) },
      persons: new DistinctCounter(),
    };
  }
  const plan = planRead(obj, ctx.plan, ctx.budget);
  if (plan.kind === "skip")
    return { report: { ...report, coverage: "skipped", reason: plan.reason }, persons: new DistinctCounter() };

  const detector = createObjectDetector(ctx.rules, ctx.hashers, ctx.runner);
  // Large exhaustive reads get one more second per MiB: below 1 MiB/s we give up on the object.
  const timeoutMs = ctx.objectTimeoutMs + Math.floor(plan.length / 1024);
  const deadline = objectDeadline(ctx.signal, timeoutMs);
  const counted = countBytes(
    ctx.provider.readRange(obj, {
      offset: plan.offset,
      length: plan.length,
      signal: deadline.signal,
      chunkSize: ctx.readSize,
    }),
    report,
    ctx.onBytes,
  );
  const ranges = {
    size: obj.size,
    read: (offset: number, length: number) =>
      countBytes(
        ctx.provider.readRange(obj, { offset, length, signal: deadline.signal, chunkSize: ctx.readSize }),
        report,
        ctx.onBytes,
      ),
  };
  // A zip or Parquet object is read through ranged reads: the head of a sampled read is useless for it.
  const budget = plan.partialReason ? ctx.plan.sampleBytes : Number.POSITIVE_INFINITY;
  const opened = openObject(counted, ctx.expandLimits, { ranges, budget, signal: deadline.signal, name: obj.key });
  let encoding: string | undefined;
  let failure: string | undefined;
  let limited: string | undefined;
  try {
    for await (const doc of opened.documents) {
      detector.startDocument(doc.layout);
      const decoded = textBlocks(doc.bytes, { path: doc.path, rewritten: doc.layout !== undefined });
      for await (const block of decoded.blocks) {
        // Extraction from memory (a buffered archive, a PDF) never waits on the read: check the time here too.
        deadline.signal.throwIfAborted();
        await detector.push(block);
      }
      encoding ??= decoded.encoding();
    }
  } catch (error) {
    ctx.signal.throwIfAborted();
    if (error instanceof ExpandLimitError) limited = error.reason;
    else if (error instanceof CorruptError) {
      // The head of a compressed object ends mid-stream by design when sampling: not corruption.
      // Only the last damage can be that cut; damage met before it is real.
      const parts = error.parts ?? [error.message];
      const cut = plan.partialReason !== undefined && /unexpected end/i.test(parts[parts.length - 1] ?? "");
      if (!cut) failure = error.message;
      else if (parts.length > 1) failure = describeDamage(parts.slice(0, -1));
    } else if (!deadline.signal.aborted) failure = `read-error: ${describe(error)}`;
    // The retry layer says what the time went on (a server that kept throttling, a link that kept resetting).
    else failure = error instanceof ProviderError ? `read-error: ${describe(error)}` : `timeout after ${timeoutMs} ms`;
  } finally {
    deadline.clear();
  }
  const detection = await detector.finish().catch((error: unknown) => {
    failure ??= `detection-error: ${describe(error)}`;
    return new DetectionMerger().finish();
  });
  const suppressed = ctx.suppressor.apply(obj, detection);
  report.findings = detection.findings.map((f) => toReportFinding(f, ctx.suppressor.id(obj, f.ruleId)));
  report.patientRecords = detection.patientRecords;
  report.distinctPersons = detection.persons.size;
  report.categories = detection.categories;
  if (encoding) report.encoding = encoding;
  const format = opened.formats().join("+");
  const { expanded, entries } = opened.counters;
  if (format)
    Object.assign(report, {
      format,
      ...(expanded > 0 ? { expandedBytes: expanded } : {}),
      ...(entries > 0 ? { entries } : {}),
    });
  const details = [
    expanded > 0 ? `${formatBytes(expanded)} expanded` : "",
    entries > 0 ? `${entries} entr${entries === 1 ? "y" : "ies"}` : "",
  ];
  const detail = details.filter(Boolean).join(", ");
  const expandedNote = format ? ` (${format}${detail ? `: ${detail}` : ""})` : "";
  if (failure) {
    Object.assign(report, { coverage: report.bytesRead > 0 ? "partial" : "skipped", reason: failure, error: true });
  } else if (limited) {
    Object.assign(report, { coverage: "partial", reason: `${limited}${expandedNote}` });
  } else if (opened.unsupported.size > 0) {
    Object.assign(report, unsupportedCoverage(opened.unsupported, entries > 0));
  } else if (opened.partial.length > 0) {
    Object.assign(report, { coverage: "partial", reason: `${opened.partial.join("; ")}${expandedNote}` });
  } else if (plan.partialReason && !opened.usedRanges()) {
    Object.assign(report, { coverage: "partial", reason: `${plan.partialReason}${expandedNote}` });
  }
  const some = suppressed.baseline + suppressed.allowlist > 0;
  return { report, persons: detection.persons, ...(some ? { suppressed } : {}) };
}

/**
 * The scan's signal plus a per-object timeout. A plain controller and one timer: measured
 * cheaper than AbortSignal.any + AbortSignal.timeout, which cost ~50 µs an object on Node 20.
 */
function objectDeadline(parent: AbortSignal, ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(parent.reason);
  parent.addEventListener("abort", onAbort, { once: true });
  const timer = setTimeout(() => controller.abort(new Error(`timeout after ${ms} ms`)), ms);
  return {
    signal: controller.signal,
    clear() {
      clearTimeout(timer);
      parent.removeEventListener("abort", onAbort);
    },
  };
}

async function* countBytes(
  chunks: AsyncIterable<Uint8Array>,
  report: ObjectReport,
  onBytes?: (count: number) => void,
): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) {
    report.bytesRead += chunk.byteLength;
    onBytes?.(chunk.byteLength);
    yield chunk;
  }
}

/** The published finding, field by field (see ObjectFinding): the in-memory hashes stay behind. */
function toReportFinding(f: RuleFinding, id: string): ObjectFinding {
  const out: ObjectFinding = {
    id,
    ruleId: f.ruleId,
    category: f.category,
    severity: f.severity,
    count: f.count,
    distinct: f.distinct,
    confidence: f.confidence,
    reasons: f.reasons,
    samples: f.samples.map(({ masked, fingerprint, location: l, reasons }) => ({
      masked,
      fingerprint,
      location: {
        ...(l.line !== undefined ? { line: l.line } : {}),
        ...(l.offset !== undefined ? { offset: l.offset } : {}),
        ...(l.path !== undefined ? { path: l.path } : {}),
        ...(l.field !== undefined ? { field: l.field } : {}),
      },
      reasons,
    })),
  };
  // After samples, where the spread of the engine's finding put it: the JSON keeps its key order.
  if (f.groups) out.groups = f.groups;
  return out;
}

/**
 * `skipped: unsupported-format (image/png)` when nothing could be read, else
 * `partial: unsupported-format (pdf: raw bytes only; image/png in 2 entries)`.
 */
function unsupportedCoverage(
  found: Opened["unsupported"],
  inArchive: boolean,
): Pick<ObjectReport, "coverage" | "reason"> {
  const parts = [...found].map(([type, u]) => {
    const where = inArchive ? ` in ${u.count} entr${u.count === 1 ? "y" : "ies"}` : "";
    return `${type}${where}${u.scanRaw ? ": raw bytes only" : ""}`;
  });
  const nothing = !inArchive && [...found.values()].every((u) => !u.scanRaw);
  return { coverage: nothing ? "skipped" : "partial", reason: `unsupported-format (${parts.join("; ")})` };
}

function describe(error: unknown): string {
  if (error instanceof ProviderError) return error.message.replace(/^\[reliquat:[a-z0-9]+\] /, "");
  return error instanceof Error ? error.message : String(error);
}
