import { createWriteStream } from "node:fs";
import { lstat, unlink } from "node:fs/promises";
import type { Writable } from "node:stream";
import type { FailOn } from "../config/schema.js";
import { redactIdentifiers } from "../redact.js";
import { type RenderOptions, reporters } from "../report/index.js";
import { printable } from "../report/printable.js";
import type { Report } from "../report/types.js";
import { UsageError } from "./exit-codes.js";
import { OutputError } from "./output-error.js";
import type { Io } from "./scan-command.js";

/** An extra report: `--report sarif=reliquat.sarif`. */
export interface ReportSpec {
  format: string;
  file: string;
}

/** Parses `format=file` pairs; an unknown format or a missing file is a usage error. */
export function parseReportSpecs(specs: string[]): ReportSpec[] {
  return specs.map((spec) => {
    const [format = "", ...rest] = spec.split("=");
    const file = rest.join("=");
    if (!reporters[format] || !file)
      throw new UsageError(
        `--report takes FORMAT=FILE with FORMAT one of ${Object.keys(reporters).join(", ")}, not "${spec}"`,
      );
    return { format, file };
  });
}

export interface OutputPlan {
  format: string;
  output?: string;
  extra: ReportSpec[];
  failOn: FailOn;
}

/** Writes the main report (stdout or `--output`) and every `--report` file; throws {@link OutputError}. */
export async function writeReports(report: Report, plan: OutputPlan, io: Io): Promise<void> {
  const chunks = (format: string, toTerminal: boolean): Iterable<string> => {
    const reporter = reporters[format];
    if (!reporter) throw new UsageError(`unknown format "${format}"`);
    const options: RenderOptions = {
      color: toTerminal && io.stdout.isTTY === true && !process.env.NO_COLOR,
      failOn: plan.failOn,
    };
    return reporter.stream ? reporter.stream(report, options) : [reporter.render(report, options)];
  };
  if (plan.output) {
    await writeFileStreamed(plan.output, chunks(plan.format, false), plan.format);
    if (plan.format !== "terminal") io.stderr.write(said(`reliquat: ${plan.format} report written to ${plan.output}`));
  } else {
    await writeAll(io.stdout, chunks(plan.format, true)).catch((cause) => {
      throw new OutputError(plan.format, "stdout", cause);
    });
  }
  for (const { format, file } of plan.extra) {
    await writeFileStreamed(file, chunks(format, false), format);
    io.stderr.write(said(`reliquat: ${format} report written to ${file}`));
  }
}

/** A line about an output file: its path is the user's, and may hold anything (redacted, printable). */
export const said = (line: string) => `${printable(redactIdentifiers(line))}\n`;

/**
 * Writes to `file`; on failure a file this run opened and left half-written is removed, so no
 * truncated report is read as whole (a file it could not open is left as it was).
 */
async function writeFileStreamed(file: string, text: Iterable<string>, format: string): Promise<void> {
  const stream = createWriteStream(file);
  let opened = false;
  try {
    await new Promise<void>((resolve, reject) => {
      stream.once("open", () => {
        opened = true;
        resolve();
      });
      stream.once("error", reject);
    });
    await writeAll(stream, text);
    await new Promise<void>((resolve, reject) =>
      stream.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  } catch (cause) {
    stream.destroy();
    const info = opened ? await lstat(file).catch(() => undefined) : undefined;
    if (info?.isFile()) await unlink(file).catch(() => {});
    throw new OutputError(format, file, cause);
  }
}

/** Writes every chunk, waiting for each write's callback: an error (EPIPE, ENOSPC) rejects instead of vanishing. */
async function writeAll(stream: Writable, text: Iterable<string>): Promise<void> {
  // The callback carries the error; the 'error' event that follows it must not crash the process.
  if (!swallowing.has(stream)) {
    stream.on("error", () => {});
    swallowing.add(stream);
  }
  for (const chunk of text) {
    if (stream.destroyed) throw new Error("stream closed");
    await new Promise<void>((resolve, reject) => {
      stream.write(chunk, (error) => (error ? reject(error) : resolve()));
    });
  }
}

const swallowing = new WeakSet<Writable>();
