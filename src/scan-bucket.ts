import type pLimit from "p-limit";
import { BucketAggregator } from "./aggregate.js";
import type { Config } from "./config/schema.js";
import type { Target } from "./providers/index.js";
import { type BucketPosture, type BucketRef, ProviderError } from "./providers/types.js";
import { type Redactor, redactDeep } from "./redact.js";
import type { BucketReport } from "./report/types.js";
import type { ScanEvents } from "./scan.js";
import { type ObjectScanContext, scanObject } from "./scan-object.js";
import type { ScanMemory } from "./state/types.js";
import { TaskWindow } from "./task-window.js";

export interface BucketScanContext extends ObjectScanContext {
  redact: Redactor;
  exactPersons?: number;
  memory?: ScanMemory;
  /** Prefixes of this bucket an earlier target scanned already: their objects are left out. */
  skipPrefixes?: string[];
}

const unread = (note?: string): BucketPosture => ({
  publicRead: "unknown",
  publicList: "unknown",
  notes: note ? [note] : [],
});

export async function scanBucket(
  bucket: BucketRef,
  target: Target,
  ctx: BucketScanContext,
  limit: ReturnType<typeof pLimit>,
  config: Config,
  events: ScanEvents,
): Promise<BucketReport> {
  // Read beside the listing, not before it: a dozen posture calls (and a version listing) would
  // otherwise hold back the first object, which a rerun that reads nothing waits on in full.
  const posture = ctx.provider.describeBucket(bucket, ctx.signal);
  posture.catch(() => {}); // awaited below, on every path
  // Object reports are redacted as they complete, so the list is stored (and streamed) safe.
  const safeBucket = { ...bucket, url: ctx.redact(bucket.url), name: ctx.redact(bucket.name) };
  const totals = new BucketAggregator(safeBucket, unread(), config.findingsOnly, ctx.exactPersons);
  const { coverage } = totals.report;
  if (ctx.memory) coverage.carriedForward = 0;
  // Never list further ahead than twice the concurrency.
  const window = new TaskWindow(limit, 2 * config.concurrency);
  let defect: unknown;
  let carried = 0;
  try {
    for await (const obj of ctx.provider.listObjects(bucket, {
      prefix: target.prefix,
      signal: ctx.signal,
      versions: config.includeVersions,
    })) {
      if (ctx.skipPrefixes?.some((p) => obj.key.startsWith(p))) continue;
      if (config.maxObjects > 0 && coverage.listed >= config.maxObjects) {
        coverage.truncated = `listing stopped after ${config.maxObjects} objects (--max-objects)`;
        break;
      }
      // A symlink or a pipe is listed but has no content of its own: not part of the estimate's population.
      totals.listed(obj.lastModified, obj.skip !== undefined && !obj.skip.error);
      const recalled = ctx.memory?.recall(obj);
      if (recalled) {
        if (recalled.suppressed) ctx.suppressor.replay(recalled.suppressed);
        totals.add(recalled.report, recalled.persons);
        events.onObject?.(recalled.report);
        // Carried forward without any I/O, a page of objects would run as one chain of
        // microtasks, and the next page's response would wait for it unparsed, its request
        // unsent, the server idle. Letting I/O in now and then keeps both sides busy.
        if (++carried % 64 === 0) await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      await window.add(async () => {
        const outcome = await scanObject(obj, ctx);
        // Cancelled midway: not finished, so neither reported nor recorded.
        if (ctx.signal.aborted) return;
        const safe = redactDeep(outcome.report, ctx.redact);
        totals.add(safe, outcome.persons);
        ctx.memory?.remember(obj, safe, outcome.persons, outcome.suppressed);
        events.onObject?.(safe);
      });
      if (ctx.signal.aborted) break;
    }
  } catch (error) {
    if (!ctx.signal.aborted) {
      coverage.complete = false;
      if (!(error instanceof ProviderError)) defect = error;
      else coverage.errors.push(error.message);
    }
  }
  events.onListed?.(safeBucket, coverage.listed);
  await window.drain().catch((error: unknown) => {
    if (!ctx.signal.aborted) defect ??= error;
  });
  // Settled before the signal is looked at: an interrupt while the posture is still being read
  // (the usual case on a rerun, whose listing ends first) must not drop the bucket's objects.
  const read = await posture.then(
    (p) => p,
    (error: unknown) => {
      if (ctx.signal.aborted || defect !== undefined) return undefined;
      throw error;
    },
  );
  if (ctx.signal.aborted) {
    const done = coverage.scanned + coverage.partial + coverage.skipped;
    coverage.complete = false;
    coverage.errors.push(`interrupted: ${coverage.listed - done} listed object(s) not finished, not reported`);
    totals.report.posture = read ?? unread("posture not read: the scan was interrupted");
    return totals.finish();
  }
  // A defect of ours (not the storage's): the target fails as an internal error, never exit 0.
  if (defect !== undefined || read === undefined) throw defect;
  totals.report.posture = read;
  return totals.finish();
}
