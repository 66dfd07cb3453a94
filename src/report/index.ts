import type { FailOn } from "../config/schema.js";
import { htmlReporter } from "./html.js";
import { jsonReporter } from "./json.js";
import { junitReporter } from "./junit.js";
import { markdownReporter } from "./markdown.js";
import { sarifReporter } from "./sarif.js";
import { terminalReporter } from "./terminal.js";
import type { Report } from "./types.js";

export interface RenderOptions {
  /** ANSI colours; the CLI enables them on a TTY unless NO_COLOR is set. */
  color: boolean;
  /** Exit threshold: shown in the verdict, and what fails a JUnit test case. */
  failOn: FailOn;
}

/** A pure function of the report: same report, same text. Never sees unmasked values. */
export interface Reporter {
  readonly name: string;
  render(report: Report, options: RenderOptions): string;
  /**
   * The same text as `render`, in pieces, for reports whose size grows with the object count
   * (the JSON report lists every object): writers use it when present. Never throws.
   */
  stream?(report: Report, options: RenderOptions): Iterable<string>;
}

/** Format name → reporter. Adding a format is one file plus one line here. */
export const reporters: Record<string, Reporter> = {
  terminal: terminalReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  html: htmlReporter,
  markdown: markdownReporter,
  junit: junitReporter,
};
