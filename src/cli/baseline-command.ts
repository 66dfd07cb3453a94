import { baselineOf, writeBaseline } from "../suppress/baseline.js";
import { EXIT } from "./exit-codes.js";
import { said } from "./outputs.js";
import { executeScan, type Io, type ScanFlags } from "./scan-command.js";

/**
 * `reliquat baseline create`: scans like `reliquat scan` and writes the ids of today's findings
 * (never values) to `--output` (default `reliquat-baseline.json`). Later scans given
 * `--baseline FILE` suppress them and list entries that no longer match. An incomplete scan
 * still writes the file but exits 3 unless `--allow-partial`: a baseline of half a bucket hides nothing.
 */
export async function runBaselineCreate(targets: string[], flags: ScanFlags, io: Io): Promise<number> {
  const file = flags.output ?? "reliquat-baseline.json";
  const { report, config } = await executeScan(targets, { ...flags, baseline: undefined }, io, { baseline: undefined });
  const baseline = baselineOf(report);
  await writeBaseline(file, baseline);
  const objects = new Set(baseline.entries.map((e) => e.object)).size;
  io.stdout.write(
    said(`reliquat: baseline of ${baseline.entries.length} finding(s) in ${objects} object(s) written to ${file}`),
  );
  if (!report.summary.complete && !config.allowPartial) {
    io.stderr.write(
      "reliquat: coverage is incomplete: the baseline may miss findings (exit 3; --allow-partial accepts)\n",
    );
    return EXIT.incomplete;
  }
  return EXIT.clean;
}
