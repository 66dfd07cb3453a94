import { writeFile } from "node:fs/promises";
import type { FailOn } from "../config/schema.js";
import { reporters } from "../report/index.js";
import type { Report } from "../report/types.js";
import { UsageError } from "./exit-codes.js";
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

/** Writes the main report (stdout or `--output`) and every `--report` file. */
export async function writeReports(report: Report, plan: OutputPlan, io: Io): Promise<void> {
  const render = (format: string, toTerminal: boolean) => {
    const reporter = reporters[format];
    if (!reporter) throw new UsageError(`unknown format "${format}"`);
    return reporter.render(report, {
      color: toTerminal && io.stdout.isTTY === true && !process.env.NO_COLOR,
      failOn: plan.failOn,
    });
  };
  if (plan.output) {
    await writeFile(plan.output, render(plan.format, false));
    if (plan.format !== "terminal") io.stderr.write(`reliquat: ${plan.format} report written to ${plan.output}\n`);
  } else {
    io.stdout.write(render(plan.format, true));
  }
  for (const { format, file } of plan.extra) {
    await writeFile(file, render(format, false));
    io.stderr.write(`reliquat: ${format} report written to ${file}\n`);
  }
}
