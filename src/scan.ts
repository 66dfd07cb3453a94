import { setMaxListeners } from "node:events";
import pLimit from "p-limit";
import type { Config } from "./config/schema.js";
import { createDetection } from "./detection.js";
import { createProvider, type ProviderSettings, type Target } from "./providers/index.js";
import { type BucketRef, ProviderError, type StorageProvider } from "./providers/types.js";
import { createRedactor, type Redactor, redactDeep } from "./redact.js";
import type { BucketReport, ObjectReport, Report, TargetError } from "./report/types.js";
import { packVersions, ruleCatalog } from "./rules/catalog.js";
import type { Rule } from "./rules/types.js";
import { ByteBudget } from "./sample/plan.js";
import { type BucketScanContext, scanBucket } from "./scan-bucket.js";
import { resultParameters, TargetOverlap } from "./scan-scope.js";
import { exposureScore, levelOf } from "./score/exposure.js";
import { loadWeights, type ScoreWeights } from "./score/weights.js";
import type { ScanMemory } from "./state/types.js";
import { summarize } from "./summary.js";
import { Suppressor } from "./suppress/suppressor.js";
import { VERSION } from "./version.js";

/** Progress callbacks for the terminal; none may throw. Every name and message they get is redacted. */
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
  /**
   * Masks identifiers in names and messages: each object's report as it completes, every event,
   * and the whole report before `scan` returns it (a library caller never sees a raw key).
   */
  redact?: Redactor;
  /** Distinct persons counted exactly per bucket before a HyperLogLog estimate; default 2^21. */
  exactPersons?: number;
  /** The distinct-person hash seed; default the state's, else random per run (tests fix it, so that an estimate is repeatable). */
  distinctSeed?: number;
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
  const detection = createDetection(config, input.rules, input.ruleDirs, memory?.distinctSeed ?? input.distinctSeed);
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
    readSize: detection.readSize,
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
    events.onError?.(redact(target), redact(message));
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
          events.onBucket?.({ ...bucket, name: redact(bucket.name), url: redact(bucket.url) });
          const report = await scanBucket(bucket, target, { ...ctx, skipPrefixes: skip }, limit, config, events);
          if (report.coverage.listed === 0 && report.coverage.errors.length > 0 && target.bucket) {
            // Nothing could be listed in the one bucket asked for: a bad target, not an empty bucket.
            fail(target.input, report.coverage.errors[0]);
            continue;
          }
          report.exposure = exposureScore(report, { weights, now: now(), migrationDate });
          buckets.push(report);
          if (signal.aborted) break;
          memory?.bucketDone(bucket, report, target.prefix);
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
  // Redaction is the last step, over the whole report: targets, errors and changes carry names too.
  return redactDeep<Report>(
    {
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
    },
    redact,
  );
}
