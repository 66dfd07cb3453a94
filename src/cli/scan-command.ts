import { stat, writeFile } from "node:fs/promises";
import { loadConfig } from "../config/load.js";
import { type Config, FAIL_ON, type FailOn } from "../config/schema.js";
import { type ProviderSettings, parseTarget, type Target } from "../providers/index.js";
import { reporters } from "../report/index.js";
import { createRedactor, redactDeep } from "../report/redact.js";
import { BUILTIN_RULES_DIR, loadRules } from "../rules/load.js";
import { scan } from "../scan.js";
import { exitCodeFor, UsageError } from "./exit-codes.js";
import { createProgress } from "./progress.js";

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
  rules?: string[];
  endpoint?: string;
  region?: string;
  /** Commander turns `--no-sign-request` into `signRequest: false`. */
  signRequest?: boolean;
}

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  signal?: AbortSignal;
}

/** Runs a scan and writes the report; returns the exit code. Throws UsageError/ConfigError/RuleError. */
export async function runScan(targetArgs: string[], flags: ScanFlags, io: Io, base?: Partial<Config>): Promise<number> {
  const config = applyFlags({ ...(await loadConfig(flags.config)), ...base }, flags);
  const format = flags.format ?? "terminal";
  const reporter = reporters[format];
  if (!reporter) throw new UsageError(`unknown format "${format}" (known: ${Object.keys(reporters).join(", ")})`);
  const inputs = targetArgs.length > 0 ? targetArgs : config.targets;
  if (inputs.length === 0)
    throw new UsageError("no target: give one or more of s3://bucket[/prefix], s3://, a folder path");
  const targets = await Promise.all(inputs.map(checkTarget));
  const ruleDirs = [BUILTIN_RULES_DIR, ...config.rules];
  const rules = await loadRules(ruleDirs);
  const redact = createRedactor(rules);

  const progress = createProgress(io.stderr);
  const report = await scan({
    targets,
    config,
    rules,
    ruleDirs,
    settings: providerSettings(config),
    signal: io.signal,
    events: {
      ...progress,
      onError: (target, message) => io.stderr.write(`${redact(`reliquat: ${target}: ${message}`)}\n`),
    },
  }).finally(() => progress.stop());

  const safe = redactDeep(report, redact);
  const text = reporter.render(safe, {
    color: io.stdout.isTTY === true && !process.env.NO_COLOR && !flags.output,
    failOn: config.failOn,
  });
  if (flags.output) {
    await writeFile(flags.output, text);
    // The file holds the details; the terminal still gets the one-line verdict.
    if (format !== "terminal") io.stderr.write(`reliquat: report written to ${flags.output}\n`);
  } else {
    io.stdout.write(text);
  }
  return exitCodeFor(safe, config.failOn, config.allowPartial);
}

function applyFlags(config: Config, f: ScanFlags): Config {
  const int = (name: string, v: string | undefined, min: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} takes a whole number ≥ ${min}, not "${v}"`);
    return n;
  };
  if (f.failOn && !FAIL_ON.includes(f.failOn as FailOn))
    throw new UsageError(`--fail-on takes one of ${FAIL_ON.join(", ")}, not "${f.failOn}"`);
  return {
    ...config,
    exhaustive: f.exhaustive ?? config.exhaustive,
    maxObjects: int("max-objects", f.maxObjects, 0) ?? config.maxObjects,
    maxBytes: int("max-bytes", f.maxBytes, 0) ?? config.maxBytes,
    sampleBytes: int("sample-bytes", f.sampleBytes, 1) ?? config.sampleBytes,
    concurrency: int("concurrency", f.concurrency, 1) ?? config.concurrency,
    workers: int("workers", f.workers, 0) ?? config.workers,
    failOn: (f.failOn as FailOn | undefined) ?? config.failOn,
    allowPartial: f.allowPartial ?? config.allowPartial,
    findingsOnly: f.findingsOnly ?? config.findingsOnly,
    rules: [...config.rules, ...(f.rules ?? [])],
    s3: {
      ...config.s3,
      endpoint: f.endpoint ?? config.s3.endpoint,
      region: f.region ?? config.s3.region,
      noSignRequest: f.signRequest === false ? true : config.s3.noSignRequest,
    },
  };
}

/** Parses a target and checks what can be checked before scanning: a local folder must exist. */
async function checkTarget(input: string): Promise<Target> {
  let target: Target;
  try {
    target = parseTarget(input);
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^\[reliquat:cli\] /, ""));
  }
  if (target.provider === "fs" && target.bucket) {
    const info = await stat(target.bucket.name).catch(() => undefined);
    if (!info) throw new UsageError(`target ${input}: folder "${target.bucket.name}" does not exist`);
    if (!info.isDirectory()) throw new UsageError(`target ${input}: "${target.bucket.name}" is not a folder`);
  }
  return target;
}

function providerSettings(config: Config): ProviderSettings {
  const { accessKeyId, secretAccessKey, sessionToken, ...s3 } = config.s3;
  const credentials = accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey, sessionToken } : undefined;
  return { s3: { ...s3, credentials } };
}
