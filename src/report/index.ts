import { jsonReporter } from "./json.js";
import { terminalReporter } from "./terminal.js";
import type { Report } from "./types.js";

export interface RenderOptions {
  /** ANSI colours; the CLI enables them on a TTY unless NO_COLOR is set. */
  color: boolean;
  /** Exit threshold, shown in the verdict. */
  failOn: string;
}

/** A pure function of the report: same report, same text. Never sees unmasked values. */
export interface Reporter {
  readonly name: string;
  render(report: Report, options: RenderOptions): string;
}

/** Format name → reporter. Adding a format is one file plus one line here. */
export const reporters: Record<string, Reporter> = {
  terminal: terminalReporter,
  json: jsonReporter,
};
