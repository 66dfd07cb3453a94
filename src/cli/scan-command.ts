import { stat } from "node:fs/promises";
import { loadConfig } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { notifyAll } from "../notify/index.js";
import { type ProviderSettings, parseTarget, type Target } from "../providers/index.js";
import { createRedactor, redactIdentifiers } from "../redact.js";
import { buildEvidence } from "../report/evidence.js";
import { reporters } from "../report/index.js";
import { printable } from "../report/printable.js";
import type { Report } from "../report/types.js";
import { BUILTIN_RULES_DIR, loadRules } from "../rules/load.js";
import { scan } from "../scan.js";
import { loadWeights } from "../score/weights.js";
import type { StateMemory } from "../state/memory.js";
import { checkAllowlist } from "../suppress/allowlist.js";
import { readBaseline } from "../suppress/baseline.js";
import { Suppressor } from "../suppress/suppressor.js";
import { exitCodeFor, UsageError } from "./exit-codes.js";
import { createLogger } from "./log.js";
import { parseReportSpecs, writeReports } from "./outputs.js";
import { createProgress } from "./progress.js";
import { applyFlags, type ScanFlags } from "./scan-flags.js";

export type { ScanFlags };

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  signal?: AbortSignal;
}

/** Runs a scan and writes the reports; returns the exit code. Throws UsageError/ConfigError/RuleError. */
export async function runScan(targetArgs: string[], flags: ScanFlags, io: Io, base?: Partial<Config>): Promise<number> {
  const config = applyFlags({ ...(await loadConfig(flags.config, process.env, flags.profile)), ...base }, flags);
  const format = flags.format ?? config.format ?? "terminal";
  if (!reporters[format])
    throw new UsageError(`unknown format "${format}" (known: ${Object.keys(reporters).join(", ")})`);
  const extra = [
    ...parseReportSpecs(flags.report ?? []),
    ...config.reports.map((r) => {
      if (!reporters[r.format])
        throw new UsageError(
          `reports: unknown format "${r.format}" in the config (known: ${Object.keys(reporters).join(", ")})`,
        );
      return { format: r.format, file: r.path };
    }),
  ];
  const { report } = await executeScan(targetArgs, flags, io, base, config);
  await writeReports(report, { format, output: flags.output ?? config.output, extra, failOn: config.failOn }, io);
  const code = exitCodeFor(report, config.failOn, config.allowPartial);
  // After the outputs, and whatever it gives, the code stays the scan's.
  for (const f of await notifyAll(report, config, config.failOn))
    io.stderr.write(`${printable(redactIdentifiers(`reliquat: notification (${f.target}) failed: ${f.message}`))}\n`);
  return code;
}

/** Loads config, rules, weights, baseline and allowlist, scans, and returns the redacted report. */
export async function executeScan(
  targetArgs: string[],
  flags: ScanFlags,
  io: Io,
  base?: Partial<Config>,
  loaded?: Config,
): Promise<{ report: Report; config: Config }> {
  const config =
    loaded ?? applyFlags({ ...(await loadConfig(flags.config, process.env, flags.profile)), ...base }, flags);
  checkAllowlist(config.allowlist, new Date());
  const inputs = targetArgs.length > 0 ? targetArgs : config.targets;
  if (inputs.length === 0)
    throw new UsageError(
      "no target: give one or more of s3://bucket[/prefix], s3://, azure://ACCOUNT[/CONTAINER], gs://BUCKET, a folder path",
    );
  const targets = await Promise.all(inputs.map(checkTarget));
  const ruleDirs = [BUILTIN_RULES_DIR, ...config.rules];
  const rules = await loadRules(ruleDirs);
  const weights = await loadWeights(config.scoreWeights);
  const redact = createRedactor();
  const baseline = config.baseline ? await readBaseline(config.baseline) : undefined;
  const suppressor = new Suppressor(redact, config.allowlist, baseline);

  if (config.failOn === "new" && !config.state)
    throw new UsageError("--fail-on new needs --state FILE (or state: in the config): new since which run?");
  const memory = await openMemory(config, flags.stateReset === true);
  const progress = await createProgress(io.stderr, redact);
  const log = createLogger(io.stderr, redact);
  log.start(inputs);
  const report = await scan({
    memory,
    targets,
    config,
    rules,
    ruleDirs,
    weights,
    suppressor,
    settings: providerSettings(config),
    signal: io.signal,
    events: {
      onBucket: (b) => {
        progress.onBucket?.(b);
        log.bucket(b);
      },
      onObject: (o) => {
        progress.onObject?.(o);
        log.object(o);
      },
      onListed: progress.onListed,
      onBytes: progress.onBytes,
      onError: (target, message) => {
        // The one-line human error is part of the CLI contract; the JSON line is for collectors.
        io.stderr.write(`${printable(redact(`reliquat: ${target}: ${message}`))}\n`);
        log.error(target, message);
      },
    },
  }).finally(() => {
    progress.stop();
    memory?.close();
  });
  log.finish(report);
  // scan() returns its report redacted (its last step): nothing here sees a raw name.
  if (config.evidence) report.evidence = buildEvidence(report);
  return { report, config };
}

/** The state store of `--state` / `state:`; it needs the fingerprint key, and refuses to start without. */
async function openMemory(config: Config, reset: boolean): Promise<StateMemory | undefined> {
  if (config.state && config.checkpoint)
    throw new UsageError("--state and --checkpoint both given: a state file resumes by itself, give one");
  const file = config.state ?? config.checkpoint;
  const flag = config.state ? "--state" : "--checkpoint";
  if (!file) {
    if (reset) throw new UsageError("--state-reset needs --state FILE (or state: in the config)");
    return undefined;
  }
  const key = config.fingerprintKey ?? process.env.RELIQUAT_FINGERPRINT_KEY;
  if (!key)
    throw new UsageError(
      `${flag} needs a fingerprint key kept outside the file: set RELIQUAT_FINGERPRINT_KEY (e.g. openssl rand -hex 32, kept in a secret) or fingerprintKey: \${VAR} in the config`,
    );
  // SQLite loads only for a state: a scan without one pays nothing for it.
  const [{ StateMemory }, { StateKeys }] = await Promise.all([
    import("../state/memory.js"),
    import("../state/keys.js"),
  ]);
  // A checkpoint is a state for one run: what a crash left is resumed, and it is deleted once the run completes.
  return new StateMemory(file, new StateKeys(key), { reset, oneRun: config.checkpoint !== undefined });
}

/** Parses a target and checks what can be checked before scanning: a local folder must exist. */
async function checkTarget(input: string): Promise<Target> {
  let target: Target;
  try {
    target = parseTarget(input);
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^\[reliquat:(cli|fs)\] /, ""));
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
  return { s3: { ...s3, credentials }, azure: config.azure, gcs: config.gcs };
}
