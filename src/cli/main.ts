#!/usr/bin/env node
import { setFlagsFromString } from "node:v8";
import { Command, CommanderError, Option } from "commander";
import { ConfigError } from "../config/errors.js";
import { FAIL_ON } from "../config/levels.js";
import { ProviderError } from "../providers/types.js";
import { redactIdentifiers } from "../redact.js";
import { reporters } from "../report/index.js";
import { printableLines } from "../report/printable.js";
import { RuleError } from "../rules/errors.js";
import { StateError } from "../state/errors.js";
import { VERSION } from "../version.js";
import { EXIT, UsageError } from "./exit-codes.js";
import { OutputError } from "./output-error.js";
import type { Io, ScanFlags } from "./scan-command.js";

/**
 * After a full collection V8 lets the old generation grow to about 4 times what survived before
 * collecting again. A scan's live set is small (about 30 MB) and its garbage large, so most of
 * its peak memory was garbage waiting: 220 MB peak RSS on figure 2's folder (30 exports read 16
 * at a time), 176 MB with growth bounded to 1.5 times, for no CPU measurable on figure 3's file.
 * A scanner that runs every night beside other jobs prefers memory. A value given to node
 * itself wins (`node --heap-growing-percent=0 …` restores V8's own; NODE_OPTIONS refuses it).
 */
function boundHeapGrowth(): void {
  if (!process.execArgv.some((a) => a.includes("heap-growing-percent")))
    setFlagsFromString("--heap-growing-percent=50");
}

/** The only place that turns results and errors into a process exit code. */
async function main(argv: string[]): Promise<number> {
  boundHeapGrowth();
  // We pin an SDK release that supports Node 20; its notice about future releases is noise for users.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const controller = new AbortController();
  // The first SIGINT or SIGTERM stops the scan: what was finished is reported and recorded, exit 3.
  // A second one exits at once.
  const onSignal = (name: NodeJS.Signals) => {
    process.stderr.write(`reliquat: ${name}: stopping; writing what was finished (${name} again to quit at once)\n`);
    controller.abort(new Error(`interrupted by ${name}`));
    // At once: the signal's default action, as a shell expects of a second Ctrl-C. Not
    // process.exit, which waits for the thread pool, where an output may be stuck opening (a
    // FIFO nobody reads, a hung mount).
    const now = (again: NodeJS.Signals) => {
      process.removeAllListeners(again);
      process.kill(process.pid, again);
    };
    process.once("SIGINT", now);
    process.once("SIGTERM", now);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const io: Io = { stdout: process.stdout, stderr: process.stderr, signal: controller.signal };
  let code: number = EXIT.clean;
  const collect = (values: string, previous: string[] = []) => [...previous, values];

  const program = new Command("reliquat")
    .description("Find health data (French NIR, patient records) left behind in cloud storage.")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: writeError, outputError: (text, write) => write(text) })
    .showHelpAfterError();
  const collectReports = (value: string, previous: string[] = []) => [...previous, value];
  /** Options shared by `scan` and `baseline create`. */
  const scanOptions = (command: Command) =>
    command
      .argument(
        "[targets...]",
        "s3://bucket[/prefix], s3:// (every bucket), azure://ACCOUNT[/CONTAINER[/prefix]], gs://BUCKET[/prefix], gs://, a folder path",
      )
      .option("-c, --config <file>", "YAML configuration file (see config.example.yaml)")
      .option("--profile <name>", "merge the config's profiles.NAME section over the rest (e.g. nightly)")
      .option("--exhaustive", "read every byte of every object (streamed), not just the head")
      .option("--sample-bytes <n>", "bytes read from the head of each object (default 1048576)")
      .option("--max-objects <n>", "stop listing a bucket after N objects (0: no limit)")
      .option("--max-bytes <n>", "stop reading after N bytes in the whole scan (0: no limit)")
      .option("--concurrency <n>", "objects read at once (default 16)")
      .option("--workers <n>", "detection threads for large blocks (default: cores - 1 above 2 cores, else 0)")
      .option("--allow-partial", "exit 0 instead of 3 when coverage is incomplete")
      .option("--include-versions", "also scan noncurrent object versions (S3): deleted exports that survive")
      .option("--rules <dir>", "extra rule folder (repeatable)", collect)
      .option("--score-weights <file>", "YAML merged over the default exposure weights")
      .option("--migration-date <YYYY-MM-DD>", "data untouched since this date counts as a leftover")
      .option("--endpoint <url>", "S3-compatible endpoint (OVHcloud, Scaleway, Outscale, MinIO, Ceph)")
      .option("--region <region>", "S3 region")
      .option("--azure-endpoint <url>", "Azure blob service URL (Azurite, sovereign clouds)")
      .option("--gcs-endpoint <url>", "GCS API endpoint (emulators, private endpoints)")
      .option("--no-sign-request", "anonymous requests (S3, Azure, GCS), for public buckets and containers")
      .option("--state <file>", "state file: rescan only what changed, resume after a crash, tell what changed")
      .option("--state-reset", "start the state file over (it was damaged, or from another key)")
      .option(
        "--checkpoint <file>",
        "without --state: resume this run after a crash or a signal; deleted when it completes",
      );
  scanOptions(program.command("scan").description("scan buckets and folders, rank them by exposure"))
    .addOption(new Option("-f, --format <format>", "report format (default terminal)").choices(Object.keys(reporters)))
    .option("-o, --output <file>", "write the report to a file instead of stdout")
    .option(
      "--report <format=file>",
      "also write a report in another format, e.g. sarif=reliquat.sarif (repeatable)",
      collectReports,
    )
    .addOption(new Option("--fail-on <level>", "exit 1 at or above this level (default high)").choices([...FAIL_ON]))
    .option("--notify <url>", "after the run, post a summary to a webhook or mailto: address (repeatable)", collect)
    .option("--fail-on-new", "exit 1 only for findings new since the last run (needs --state); same as --fail-on new")
    .option("--findings-only", "leave objects without findings out of the report")
    .option("--baseline <file>", "suppress the findings of a baseline (reliquat baseline create)")
    .option("--evidence", "add the Article 33 evidence section (facts for a CNIL notification)")
    .action(async (targets: string[], flags: ScanFlags) => {
      // Each command loads its own modules: `--help` and a usage error never pay for the scan's.
      const { runScan } = await import("./scan-command.js");
      code = await runScan(targets, flags, io);
    });
  const baseline = program
    .command("baseline")
    .description("accept today's findings, so that CI fails only on new ones");
  scanOptions(baseline.command("create").description("scan and write the ids of every finding (never values)"))
    .option("-o, --output <file>", "baseline file (default reliquat-baseline.json)")
    .action(async (targets: string[], flags: ScanFlags) => {
      const { runBaselineCreate } = await import("./baseline-command.js");
      code = await runBaselineCreate(targets, flags, io);
    });
  program
    .command("demo")
    .description("scan a local S3 server seeded with synthetic leftovers (no cloud account needed)")
    .addOption(new Option("-f, --format <format>", "report format").choices(Object.keys(reporters)).default("terminal"))
    .option("-o, --output <file>", "write the report to a file")
    .action(async (flags: ScanFlags) => {
      // The demo's servers and cloud SDKs load only for the demo: a scan never pays for them.
      const { runDemo } = await import("./demo-command.js");
      code = await runDemo(flags, io);
    });
  const rules = program.command("rules").description("inspect and test rule packs");
  const ruleCommands = [
    ["list", "list rules with category and severity", "runRulesList"],
    ["test", "run every rule's match / noMatch examples", "runRulesTest"],
  ] as const;
  for (const [name, description, entry] of ruleCommands) {
    rules
      .command(name)
      .description(description)
      .option("--rules <dir>", "extra rule folder (repeatable)", collect)
      .action(async (flags: { rules?: string[] }) => {
        const run = (await import("./rules-command.js"))[entry];
        code = await run(flags.rules ?? [], io);
      });
  }

  try {
    await program.parseAsync(argv);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.clean : EXIT.usage;
    if (
      error instanceof UsageError ||
      error instanceof ConfigError ||
      error instanceof RuleError ||
      error instanceof StateError
    ) {
      writeError(`reliquat: ${error.message}\n`);
      return EXIT.usage;
    }
    if (controller.signal.aborted) {
      process.stderr.write("reliquat: interrupted; the scan is incomplete\n");
      return EXIT.incomplete;
    }
    const where = error instanceof ProviderError || error instanceof OutputError ? "" : "internal error: ";
    const message = error instanceof Error ? error.message : String(error);
    writeError(`reliquat: ${where}${message}\n`);
    if (process.env.RELIQUAT_DEBUG) writeError(`${String((error as Error).stack)}\n`);
    return EXIT.incomplete;
  }
}

/**
 * Every line main writes, commander's usage errors included, goes through the redactor: a
 * target path, an unknown option or an error message may hold an identifier. Then each line is
 * made printable: a folder named with escape sequences cannot drive the terminal.
 */
function writeError(text: string): void {
  process.stderr.write(printableLines(redactIdentifiers(text)));
}

let ended = false;
// The event loop ran dry while main still waited: a promise nothing will settle (a defect).
// Without this the process would end with exit code 0, which CI reads as clean.
process.on("beforeExit", () => {
  if (ended) return;
  writeError("reliquat: internal error: the scan stopped with work still pending\n");
  process.exit(EXIT.incomplete);
});
main(process.argv).then((code) => {
  ended = true;
  process.exit(code);
});
