/**
 * Fault figures: the real CLI scans one bucket of 500 small objects (25 of them hold 2 synthetic
 * NIRs each: 50 NIRs, 50 persons) on s3rver, Azurite and the GCS emulator, through the fault
 * proxy of test/helpers/fault-proxy.ts, once per scenario. Each row says how long the scan took,
 * its exit code (`--fail-on never`: 0 complete, 3 incomplete), its coverage, what it found and
 * whether that equals the clean run, and what the proxy really injected.
 *
 * `npx tsx bench/faults.ts`; `FAULTS_PROVIDERS=s3,gcs` and `FAULTS_SCENARIOS=hung-get,killed` pick
 * rows (the clean run always runs: it is the reference); `FAULTS_TIMEOUT_S` (300) is each run's
 * hard limit; `FAULTS_REQUEST_TIMEOUT_MS` and `FAULTS_MAX_ATTEMPTS` go into every run's config
 * file (`-c`, keys `s3|azure|gcs.requestTimeoutMs|maxAttempts`); hang scenarios use 3,000 ms.
 */
import { type ChildProcess, execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { stringify } from "yaml";
import { startAzurite, startGcsEmulator } from "../src/demo/emulators.js";
import { startLocalS3 } from "../src/demo/s3rver.js";
import {
  type FaultPolicy,
  type FaultProxy,
  nth,
  once,
  type Protocol,
  startFaultProxy,
} from "../test/helpers/fault-proxy.js";
import { invocation, seedAll } from "./faults-targets.js";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PAGE = 100;
const HARD_S = Number(process.env.FAULTS_TIMEOUT_S ?? 300);
const running = new Set<ChildProcess>();

interface Scenario {
  name: string;
  policy: () => FaultPolicy;
  /** Short per-request deadlines, so that a hang costs seconds, not the 30 s default. */
  short?: boolean;
}
export const SCENARIOS: Scenario[] = [
  { name: "clean", policy: () => ({}) },
  { name: "30% 503", policy: () => ({ seed: 1, throttle: 0.3, throttleStatus: 503 }) },
  { name: "30% 429", policy: () => ({ seed: 2, throttle: 0.3, throttleStatus: 429 }) },
  { name: "10% resets", policy: () => ({ seed: 3, reset: 0.1 }) },
  { name: "2 s latency", policy: () => ({ latencyMs: 2000 }) },
  { name: "hung-get", policy: () => ({ hang: nth("read", 100) }), short: true },
  { name: "hung-list-page", policy: () => ({ hang: once((r) => r.kind === "list" && r.nextPage) }), short: true },
  { name: "killed", policy: () => ({ kill: nth("read", 250) }) },
];

export interface FaultRow {
  provider: Protocol;
  scenario: string;
  seconds: number;
  /** The exit code, or `killed after N s`. */
  exit: string;
  coverage?: { scanned: number; partial: number; skipped: number; listed: number };
  findings?: number;
  persons?: number;
  sameAsClean?: boolean;
  /** Requests the proxy saw and the faults it injected. */
  injected: string;
  /** The first reasons of partial or skipped objects, and target errors. */
  notes: string;
}

function configFor(scenario: Scenario): Record<string, unknown> {
  const timeout = Number(process.env.FAULTS_REQUEST_TIMEOUT_MS) || (scenario.short ? 3000 : undefined);
  const attempts = Number(process.env.FAULTS_MAX_ATTEMPTS) || undefined;
  const each = {
    pageSize: PAGE,
    ...(timeout ? { requestTimeoutMs: timeout } : {}),
    ...(attempts ? { maxAttempts: attempts } : {}),
  };
  return { s3: each, azure: each, gcs: each };
}

function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | string; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(
      process.execPath,
      ["--import", "tsx", path.join(ROOT, "src/cli/main.ts"), ...args],
      {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: "1", ...env },
        maxBuffer: 256 * 1024 * 1024,
        timeout: HARD_S * 1000,
        killSignal: "SIGKILL",
      },
      (error, stdout, stderr) => {
        const killed = error && child.signalCode === "SIGKILL";
        running.delete(child);
        resolve({ code: killed ? `killed after ${HARD_S} s` : (child.exitCode ?? -1), stdout, stderr });
      },
    );
    running.add(child);
  });
}

/** The fields of the JSON report (docs/report.schema.json) that a row needs. */
interface Report {
  summary: { listed: number; scanned: number; partial: number; skipped: number; findings: number };
  errors: { message: string }[];
  buckets: {
    totals: { distinctPersons: number };
    coverage: { errors: string[] };
    objects: { key: string; coverage: string; reason?: string; findings: { ruleId: string; count: number }[] }[];
  }[];
}

/** Key → findings per rule, to compare a run with the clean one. */
const signature = (r: Report) =>
  r.buckets
    .flatMap((b) =>
      b.objects
        .filter((o) => o.findings.length)
        .map((o) => `${o.key}|${o.findings.map((f) => `${f.ruleId}:${f.count}`).sort()}`),
    )
    .sort()
    .join("\n");

function notesOf(report: Report): string {
  const reasons = new Map<string, number>();
  for (const o of report.buckets.flatMap((b) => b.objects))
    if (o.coverage !== "scanned") {
      const reason = (o.reason ?? "?").replace(/\d+/g, "N").slice(0, 70);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    }
  const lines = [...reasons].map(([r, n]) => `${n}× ${r}`);
  for (const b of report.buckets) lines.push(...b.coverage.errors.map((e) => e.slice(0, 90)));
  lines.push(...report.errors.map((e) => e.message.slice(0, 90)));
  return lines.slice(0, 3).join(" / ");
}

async function runScenario(
  provider: Protocol,
  proxy: FaultProxy,
  scenario: Scenario,
  azure: string,
  dir: string,
  clean?: string,
) {
  const config = path.join(dir, `${provider}-${scenario.name.replace(/\W+/g, "-")}.yaml`);
  await writeFile(config, stringify(configFor(scenario)));
  const { target, flags, env } = invocation(provider, proxy.endpoint, azure);
  proxy.set(scenario.policy());
  const started = performance.now();
  // A file, not stdout: the harness reads it back after the run.
  const output = `${config}.json`;
  const run = await runCli(
    ["scan", target, ...flags, "--format", "json", "--fail-on", "never", "-c", config, "-o", output],
    env,
  );
  const seconds = (performance.now() - started) / 1000;
  const stats = proxy.stats();
  const faults = Object.entries(stats.faults).filter(([, n]) => n > 0);
  const injected = `${stats.requests} req; ${faults.map(([k, n]) => `${k} ${n}`).join(", ") || "no fault"}`;
  // Leftover hung connections die here; the next scenario starts on a listening proxy.
  await proxy.kill();
  await proxy.revive();
  const row: FaultRow = { provider, scenario: scenario.name, seconds, exit: String(run.code), injected, notes: "" };
  let report: Report | undefined;
  try {
    report = JSON.parse(await readFile(output, "utf8")) as Report;
  } catch {
    row.notes = run.stderr.trim().split("\n").slice(-2).join(" / ").slice(0, 160);
    return { row };
  }
  const s = report.summary;
  row.coverage = { scanned: s.scanned, partial: s.partial, skipped: s.skipped, listed: s.listed };
  row.findings = s.findings;
  row.persons = report.buckets.reduce((n, b) => n + b.totals.distinctPersons, 0);
  row.sameAsClean = clean === undefined ? undefined : signature(report) === clean;
  row.notes = notesOf(report);
  return { row, signature: signature(report) };
}

const cell = (r: FaultRow) => {
  const c = r.coverage;
  return [
    r.provider,
    r.scenario,
    r.seconds.toFixed(1),
    r.exit,
    c ? `${c.scanned}/${c.partial}/${c.skipped} of ${c.listed}` : "-",
    r.findings ?? "-",
    r.persons ?? "-",
    r.sameAsClean === undefined ? (r.scenario === "clean" ? "(ref)" : "-") : r.sameAsClean ? "yes" : "NO",
    r.injected,
    r.notes,
  ].join(" | ");
};
export const HEADER =
  "provider | scenario | wall s | exit | scanned/partial/skipped | findings | persons | = clean | proxy saw | notes";

/** Starts the three servers, seeds them, runs every chosen scenario and returns the rows. */
export async function benchFaults(print: (line: string) => void = console.log): Promise<FaultRow[]> {
  const want = (list: string | undefined, name: string) => !list || list.split(",").includes(name);
  const [s3, azure, gcs] = await Promise.all([startLocalS3(), startAzurite(), startGcsEmulator()]);
  const dir = await mkdtemp(path.join(tmpdir(), "reliquat-faults-"));
  const rows: FaultRow[] = [];
  // Ctrl-C must not leave a scan running, nor Azurite (it does not exit when its stdin closes).
  const onSignal = (signal: NodeJS.Signals) => {
    for (const child of running) child.kill("SIGKILL");
    void Promise.all([s3.stop(), azure.stop(), gcs.stop()]).finally(() => process.kill(process.pid, signal));
  };
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    await seedAll(azure.connectionString, s3.endpoint, gcs.endpoint);
    print(`| ${HEADER} |`);
    const targets: [Protocol, string][] = [
      ["s3", s3.endpoint],
      ["azure", azure.endpoint],
      ["gcs", gcs.endpoint],
    ];
    for (const [provider, endpoint] of targets) {
      if (!want(process.env.FAULTS_PROVIDERS, provider)) continue;
      const proxy = await startFaultProxy(endpoint, provider);
      let clean: string | undefined;
      try {
        for (const scenario of SCENARIOS) {
          if (scenario.name !== "clean" && !want(process.env.FAULTS_SCENARIOS, scenario.name)) continue;
          const { row, signature } = await runScenario(provider, proxy, scenario, azure.connectionString, dir, clean);
          if (scenario.name === "clean") clean = signature;
          rows.push(row);
          print(`| ${cell(row)} |`);
        }
      } finally {
        await proxy.close();
      }
    }
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
    await Promise.all([s3.stop(), azure.stop(), gcs.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await benchFaults();
