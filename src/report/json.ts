import type { Reporter } from "./index.js";

/** The documented JSON contract (`docs/report.schema.json`), pretty-printed. */
export const jsonReporter: Reporter = {
  name: "json",
  render: (report) => `${JSON.stringify(report, null, 2)}\n`,
};
