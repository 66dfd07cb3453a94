import { setMaxListeners } from "node:events";
import pLimit from "p-limit";
import { BucketAggregator } from "./aggregate.js";
import type { Config } from "./config/schema.js";
import { createDetection } from "./detection.js";
import { createProvider, type ProviderSettings, type Target } from "./providers/index.js";
import { type BucketRef, ProviderError, type StorageProvider } from "./providers/types.js";
import { createRedactor, type Redactor, redactDeep } from "./report/redact.js";
import type { BucketReport, ObjectReport, Report, TargetError } from "./report/types.js";
import { packVersions, ruleCatalog } from "./rules/catalog.js";
import type { Rule } from "./rules/types.js";
import { ByteBudget } from "./sample/plan.js";
import { type ObjectScanContext, scanObject } from "./scan-object.js";
import { resultParameters, TargetOverlap } from "./scan-scope.js";
import { exposureScore, levelOf } from "./score/exposure.js";
import { loadWeights, type ScoreWeights } from "./score/weights.js";
import type { ScanMemory } from "./state/types.js";
import { summarize } from "./summary.js";
import { Suppressor } from "./suppress/suppressor.js";
import { TaskWindow } from "./task-window.js";
import { VERSION } from "./version.js";

/** Progress callbacks for the terminal; none may throw. */
export interface ScanEvents {
  onBucket?(bucket: BucketRef): void;
  /** A bucket's listing ended: `listed` objects in all (what is left of them is known from now on). */
  onListed?(bucket: BucketRef, listed: number): void;
  onObject?(object: ObjectReport): void;
  /** Bytes just read, as they stream (for progress within large objects). */
  onBytes?(count: number): void;
  onError?(target: string, message: string): void;
}

export interface ScanInput {
  targets: Target[];
  config: Config;
  rules: Rule[];
  /** The folders `rules` came from: worker threads load them again. */
  ruleDirs: string[];
  settings: ProviderSettings;
  events?: ScanEvents;
  /** The exposure model's weights; default `score/exposure-weights.yaml`. */
  weights?: ScoreWeights;
  /** Baseline and allowlist; by default nothing is suppressed. */
  suppressor?: Suppressor;
  /** Cancels the whole scan; `scan` then rejects with the abort reason. */
  signal?: AbortSignal;
  now?: () => Date;
  /** Masks identifiers in names and messages; each object's report is redacted as it completes. */
  redact?: Redactor;
  /** Distinct persons counted exactly per bucket before a HyperLogLog estimate; default 2^21. */
  exactPersons?: number;
  /** A state store: unchanged objects are carried forward, finished ones recorded, changes told. */
  memory?: ScanMemory;
}

/**
 * list → sample → extract → detect → aggregate → score. Per-object and per-target failures
 * are recorded in the report and the scan goes on. Cancellation (the signal) stops listing and
 * reading and resolves with what was finished, marked `interrupted`.
 */
export async function scan(input: ScanInput): Promise<Report> {
  const { config, events = {} } = input;
  const signal = input.signal ?? new AbortController().signal;
  // Every object's read listens on the scan's signal; many at once is expected, not a leak.
  setMaxListeners(0, signal);
  const now = input.now ?? (() => new Date());
  const startedAt = now();
  const providers = new Map<string, StorageProvider>();
  const limit = pLimit(config.concurrency);
  const { memory } = input;
  const detection = createDetection(config, input.rules, input.ruleDirs, memory?.distinctSeed);
  const weights = input.weights ?? (await loadWeights());
  const redact = input.redact ?? createRedactor();
  const suppressor = input.suppressor ?? new Suppressor(redact);
  const migrationDate = config.migrationDate ? new Date(`${config.migrationDate}T00:00:00Z`) : undefined;
  const rulePacks = await packVersions(input.rules);
  memory?.begin(resultParameters(config, rulePacks, weights, suppressor), startedAt);
  const base = {
    suppressor,
    onBytes: events.onBytes,
    rules: input.rules,
    hashers: detection.hashers,
    runner: detection.runner,
    budget: new ByteBudget(config.maxBytes),
    plan: { exhaustive: config.exhaustive, sampleBytes: config.sampleBytes },
    objectTimeoutMs: config.objectTimeoutMs,
    expandLimits: {
      maxExpandedBytes: config.maxExpandedBytes,
      maxRatio: config.maxExpansionRatio,
      maxEntries: config.maxArchiveEntries,
      maxDepth: config.maxArchiveDepth,
    },
    signal,
  };
  const buckets: BucketReport[] = [];
  const errors: TargetError[] = [];
  const fail = (target: string, error: unknown) => {
    // A provider's error (or a coverage line made from one) is about the target; anything else is a defect of ours.
    const internal = !(error instanceof ProviderError) && typeof error !== "string";
    const text = error instanceof Error ? error.message : String(error);
    const message = internal ? `internal error: ${text}` : text;
    errors.push(internal ? { target, message, internal } : { target, message });
    events.onError?.(target, message);
  };

  const covered = new TargetOverlap();
  try {
    for (const target of input.targets) {
      let provider = providers.get(target.provider);
      if (!provider) {
        provider = await createProvider(target.provider, input.settings);
        providers.set(target.provider, provider);
      }
      const ctx: BucketScanContext = { ...base, provider, redact, exactPersons: input.exactPersons, memory };
      try {
        const refs = target.bucket ? [target.bucket] : provider.listBuckets(signal, target.scope);
        for await (const bucket of refs) {
          // Overlapping targets (`s3://b s3://`, `s3://b/x s3://b`): each object is scanned once.
          const skip = covered.claim(bucket, target.prefix ?? "");
          if (skip === "all") continue;
          events.onBucket?.(bucket);
          const report = await scanBucket(bucket, target, { ...ctx, skipPrefixes: skip }, limit, config, events);
          if (report.coverage.listed === 0 && report.coverage.errors.length > 0 && target.bucket) {
            // Nothing could be listed in the one bucket asked for: a bad target, not an empty bucket.
            fail(target.input, report.coverage.errors[0]);
            continue;
          }
          report.exposure = exposureScore(report, { weights, now: now(), migrationDate });
          buckets.push(report);
          if (signal.aborted) break;
          memory?.bucketDone(bucket, report);
        }
      } catch (error) {
        if (!signal.aborted) fail(target.input, error);
      }
      if (signal.aborted) break;
    }
  } finally {
    await Promise.all([...providers.values()].map((p) => p.close?.()));
    await detection.close();
  }
  buckets.sort((a, b) => b.exposure.score - a.exposure.score || a.url.localeCompare(b.url));
  const interrupted = signal.aborted;
  let changes: Report["changes"];
  if (interrupted) memory?.interrupt(now());
  else changes = memory?.finish(now());
  return {
    schemaVersion: 1,
    tool: { name: "reliquat", version: VERSION },
    startedAt: startedAt.toISOString(),
    finishedAt: now().toISOString(),
    parameters: {
      targets: input.targets.map((t) => t.input),
      exhaustive: config.exhaustive,
      sampleBytes: config.sampleBytes,
      maxObjects: config.maxObjects,
      maxBytes: config.maxBytes,
      concurrency: config.concurrency,
      rulePacks,
      ...(config.migrationDate ? { migrationDate: config.migrationDate } : {}),
      ...(config.scoreWeights ? { scoreWeights: config.scoreWeights } : {}),
    },
    summary: interrupted
      ? { ...summarize(buckets, errors, (score) => levelOf(score, weights)), complete: false }
      : summarize(buckets, errors, (score) => levelOf(score, weights)),
    errors,
    rules: ruleCatalog(input.rules),
    ...(suppressor.active ? { suppressed: suppressor.summary() } : {}),
    buckets,
    ...(interrupted ? { interrupted: true as const } : {}),
    ...(changes ? { changes } : {}),
  };
}

interface BucketScanContext extends ObjectScanContext {
  redact: Redactor;
  exactPersons?: number;
  memory?: ScanMemory;
  /** Prefixes of this bucket an earlier target scanned already: their objects are left out. */
  skipPrefixes?: string[];
}

async function scanBucket(
  bucket: BucketRef,
  target: Target,
  ctx: BucketScanContext,
  limit: ReturnType<typeof pLimit>,
  config: Config,
  events: ScanEvents,
): Promise<BucketReport> {
  const posture = await ctx.provider.describeBucket(bucket, ctx.signal);
  // Object reports are redacted as they complete, so the list is stored (and streamed) safe.
  const safeBucket = { ...bucket, url: ctx.redact(bucket.url), name: ctx.redact(bucket.name) };
  const totals = new BucketAggregator(safeBucket, posture, config.findingsOnly, ctx.exactPersons);
  const { coverage } = totals.report;
  if (ctx.memory) coverage.carriedForward = 0;
  // Never list further ahead than twice the concurrency.
  const window = new TaskWindow(limit, 2 * config.concurrency);
  let defect: unknown;
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
  events.onListed?.(bucket, coverage.listed);
  await window.drain().catch((error: unknown) => {
    if (!ctx.signal.aborted) defect ??= error;
  });
  if (ctx.signal.aborted) {
    const done = coverage.scanned + coverage.partial + coverage.skipped;
    coverage.complete = false;
    coverage.errors.push(`interrupted: ${coverage.listed - done} listed object(s) not finished, not reported`);
    return totals.finish();
  }
  // A defect of ours (not the storage's): the target fails as an internal error, never exit 0.
  if (defect !== undefined) throw defect;
  return totals.finish();
}
