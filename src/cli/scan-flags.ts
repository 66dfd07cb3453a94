import { type Config, FAIL_ON, type FailOn, parseSize } from "../config/schema.js";
import { UsageError } from "./exit-codes.js";

/** Flags of `reliquat scan`, as commander gives them. */
export interface ScanFlags {
  config?: string;
  format?: string;
  output?: string;
  exhaustive?: boolean;
  maxObjects?: string;
  maxBytes?: string;
  sampleBytes?: string;
  concurrency?: string;
  workers?: string;
  failOn?: string;
  allowPartial?: boolean;
  findingsOnly?: boolean;
  includeVersions?: boolean;
  rules?: string[];
  /** Extra reports, `format=file` (repeatable). */
  report?: string[];
  baseline?: string;
  evidence?: boolean;
  scoreWeights?: string;
  migrationDate?: string;
  endpoint?: string;
  azureEndpoint?: string;
  gcsEndpoint?: string;
  region?: string;
  /** Commander turns `--no-sign-request` into `signRequest: false`. */
  signRequest?: boolean;
  state?: string;
  stateReset?: boolean;
  failOnNew?: boolean;
  notify?: string[];
  checkpoint?: string;
  /** `--profile NAME`: the config's `profiles.NAME` over the rest. */
  profile?: string;
}

/** The config with the command line's flags over it; a bad value is a usage error. */
export function applyFlags(config: Config, f: ScanFlags): Config {
  const int = (name: string, v: string | undefined, min: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} takes a whole number ≥ ${min}, not "${v}"`);
    return n;
  };
  const bytes = (name: string, v: string | undefined, min: number) => {
    if (v === undefined) return undefined;
    const n = parseSize(v);
    if (n === undefined || n < min)
      throw new UsageError(`--${name} takes a size ≥ ${min} in bytes, or with a unit (512KiB, 1MiB, 2GB), not "${v}"`);
    return n;
  };
  const date = (name: string, v: string | undefined) => {
    if (v === undefined) return undefined;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v)))
      throw new UsageError(`--${name} takes a date as YYYY-MM-DD, not "${v}"`);
    return v;
  };
  if (f.failOnNew && f.failOn && f.failOn !== "new")
    throw new UsageError(`--fail-on-new and --fail-on ${f.failOn} say different things: give one`);
  if (f.failOn && !FAIL_ON.includes(f.failOn as FailOn))
    throw new UsageError(`--fail-on takes one of ${FAIL_ON.join(", ")}, not "${f.failOn}"`);
  return {
    ...config,
    exhaustive: f.exhaustive ?? config.exhaustive,
    maxObjects: int("max-objects", f.maxObjects, 0) ?? config.maxObjects,
    maxBytes: bytes("max-bytes", f.maxBytes, 0) ?? config.maxBytes,
    sampleBytes: bytes("sample-bytes", f.sampleBytes, 1) ?? config.sampleBytes,
    concurrency: int("concurrency", f.concurrency, 1) ?? config.concurrency,
    workers: int("workers", f.workers, 0) ?? config.workers,
    failOn: f.failOnNew ? "new" : ((f.failOn as FailOn | undefined) ?? config.failOn),
    allowPartial: f.allowPartial ?? config.allowPartial,
    findingsOnly: f.findingsOnly ?? config.findingsOnly,
    includeVersions: f.includeVersions ?? config.includeVersions,
    rules: [...config.rules, ...(f.rules ?? [])],
    baseline: f.baseline ?? config.baseline,
    evidence: f.evidence ?? config.evidence,
    scoreWeights: f.scoreWeights ?? config.scoreWeights,
    migrationDate: date("migration-date", f.migrationDate) ?? config.migrationDate,
    state: f.state ?? config.state,
    checkpoint: f.checkpoint ?? config.checkpoint,
    notify: [...config.notify, ...(f.notify ?? [])],
    azure: {
      ...config.azure,
      endpoint: f.azureEndpoint ?? config.azure.endpoint,
      anonymous: f.signRequest === false ? true : config.azure.anonymous,
    },
    gcs: {
      ...config.gcs,
      apiEndpoint: f.gcsEndpoint ?? config.gcs.apiEndpoint,
      anonymous: f.signRequest === false ? true : config.gcs.anonymous,
    },
    s3: {
      ...config.s3,
      endpoint: f.endpoint ?? config.s3.endpoint,
      region: f.region ?? config.s3.region,
      noSignRequest: f.signRequest === false ? true : config.s3.noSignRequest,
    },
  };
}
