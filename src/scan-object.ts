import { decodeText } from "./extract/decode.js";
import { type ObjectRef, ProviderError, type StorageProvider } from "./providers/types.js";
import type { ObjectFinding, ObjectReport } from "./report/types.js";
import { createObjectDetector, type RuleFinding } from "./rules/engine.js";
import type { Fingerprinter } from "./rules/fingerprint.js";
import type { CompiledRule } from "./rules/load.js";
import { type ByteBudget, type PlanOptions, planRead } from "./sample/plan.js";

export interface ObjectScanContext {
  provider: StorageProvider;
  rules: CompiledRule[];
  fingerprint: Fingerprinter;
  budget: ByteBudget;
  plan: PlanOptions;
  objectTimeoutMs: number;
  signal: AbortSignal;
}

/** An object's report plus the fingerprints its bucket needs for distinct counting. */
export interface ObjectOutcome {
  report: ObjectReport;
  fingerprints: Set<string>;
}

/**
 * Reads, decodes and scans one object. Never throws for a per-object problem: it becomes the
 * object's coverage reason. Throws only when the whole scan is cancelled.
 */
export async function scanObject(obj: ObjectRef, ctx: ObjectScanContext): Promise<ObjectOutcome> {
  const report: ObjectReport = {
    url: `${obj.bucket.url}/${obj.key}`,
    key: obj.key,
    size: obj.size,
    lastModified: obj.lastModified?.toISOString(),
    coverage: "scanned",
    bytesRead: 0,
    findings: [],
  };
  const plan = planRead(obj, ctx.plan, ctx.budget);
  if (plan.kind === "skip")
    return { report: { ...report, coverage: "skipped", reason: plan.reason }, fingerprints: new Set() };

  const detector = createObjectDetector(ctx.rules, ctx.fingerprint);
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.objectTimeoutMs)]);
  const counted = countBytes(ctx.provider.readRange(obj, { offset: plan.offset, length: plan.length, signal }), report);
  const decoded = decodeText(counted);
  let failure: string | undefined;
  try {
    for await (const piece of decoded.pieces) detector.push(piece);
  } catch (error) {
    ctx.signal.throwIfAborted();
    failure = signal.aborted ? `timeout after ${ctx.objectTimeoutMs} ms` : `read-error: ${describe(error)}`;
  }
  const findings = detector.finish();
  report.findings = findings.map(toReportFinding);
  if (report.bytesRead > 0) report.encoding = decoded.encoding();
  if (failure) {
    Object.assign(report, { coverage: report.bytesRead > 0 ? "partial" : "skipped", reason: failure, error: true });
  } else if (plan.partialReason) {
    Object.assign(report, { coverage: "partial", reason: plan.partialReason });
  }
  return {
    report,
    fingerprints: new Set(findings.filter((f) => f.category === "national-id").flatMap((f) => [...f.fingerprints])),
  };
}

async function* countBytes(chunks: AsyncIterable<Uint8Array>, report: ObjectReport): AsyncIterable<Uint8Array> {
  for await (const chunk of chunks) {
    report.bytesRead += chunk.byteLength;
    yield chunk;
  }
}

function toReportFinding(f: RuleFinding): ObjectFinding {
  const { fingerprints: _omitted, ...rest } = f;
  return rest;
}

function describe(error: unknown): string {
  if (error instanceof ProviderError) return error.message.replace(/^\[reliquat:[a-z0-9]+\] /, "");
  return error instanceof Error ? error.message : String(error);
}
