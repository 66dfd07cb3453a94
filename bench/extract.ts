/**
 * Figure 8: extraction throughput per format (CSV, gzip'd CSV, zip of CSVs, xlsx, PDF), each
 * in its own process (for its peak RSS), against a baseline that only decodes the same bytes,
 * measured in the same run: `zcat | wc -c` for gzip, `unzip -p | wc -c` for zip and xlsx,
 * `cat | wc -c` for CSV, pdf.js's own text extraction (unpdf) for PDF. Goal: gzip and zip ≥ 50%.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { patientCsv, seededRandom } from "../src/demo/synthetic.js";
import { zipOf } from "../test/helpers/archives.js";
import { pdfOf, xlsxOf } from "../test/helpers/office.js";

const child = fileURLToPath(new URL("./extract-one.ts", import.meta.url));
const tsx = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));

export interface ExtractFigure {
  format: string;
  inMB: number;
  outMB: number;
  mbPerS: number;
  baselineMbPerS: number;
  ratio: number;
  peakRssMB: number;
  baseline: string;
}

/** Wall seconds of a shell pipeline, best of three. */
function wall(command: string): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    execFileSync("bash", ["-c", command], { stdio: ["ignore", "ignore", "inherit"] });
    best = Math.min(best, (performance.now() - t) / 1000);
  }
  return best;
}

function measure(file: string): { wallS: number; outBytes: number; inBytes: number; peakRssMB: number } {
  let best: ReturnType<typeof measure> | undefined;
  for (let i = 0; i < 2; i++) {
    const r = JSON.parse(execFileSync(tsx, [child, file], { encoding: "utf8", maxBuffer: 1 << 20 }));
    if (!best || r.wallS < best.wallS) best = r;
  }
  return best as ReturnType<typeof measure>;
}

async function pdfBaseline(file: string): Promise<number> {
  const { readFile } = await import("node:fs/promises");
  const { extractText, getDocumentProxy } = await import("unpdf");
  const data = new Uint8Array(await readFile(file));
  const t = performance.now();
  await extractText(await getDocumentProxy(data, { verbosity: 0 }), { mergePages: false });
  return (performance.now() - t) / 1000;
}

export async function benchExtraction(): Promise<ExtractFigure[]> {
  const dir = await mkdtemp(join(tmpdir(), "reliquat-bench-extract-"));
  try {
    const { text } = patientCsv(seededRandom(8), 50_000); // ~5 MB of unique rows
    const csv = Buffer.from(text.repeat(12));
    const files: Record<string, Buffer> = {
      csv,
      gzip: gzipSync(csv),
      zip: await zipOf(
        Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`export-${i}.csv`, csv.subarray(0, csv.length / 4)])),
      ),
      xlsx: await xlsxOf({
        Patients: text
          .split("\n")
          .slice(0, 40_000)
          .map((line) => line.split(";")),
      }),
      pdf: await pdfOf(
        Array.from({ length: 150 }, (_, p) =>
          text
            .split("\n")
            .slice(p * 30, p * 30 + 30)
            .map((l) => l.replace(/[^\x20-\x7e]/g, "e")),
        ),
      ),
    };
    const figures: ExtractFigure[] = [];
    for (const [format, bytes] of Object.entries(files)) {
      const path = join(dir, `sample.${format}`);
      await writeFile(path, bytes);
      const ours = measure(path);
      const [baseline, baseS] =
        format === "csv"
          ? ["cat | wc -c", wall(`cat ${path} | wc -c`)]
          : format === "gzip"
            ? ["zcat | wc -c", wall(`zcat ${path} | wc -c`)]
            : format === "pdf"
              ? ["pdf.js text (unpdf)", await pdfBaseline(path)]
              : ["unzip -p | wc -c", wall(`unzip -p ${path} | wc -c`)];
      const mbPerS = ours.inBytes / 1e6 / ours.wallS;
      const baselineMbPerS = ours.inBytes / 1e6 / baseS;
      figures.push({
        format,
        inMB: ours.inBytes / 1e6,
        outMB: ours.outBytes / 1e6,
        mbPerS,
        baselineMbPerS,
        ratio: mbPerS / baselineMbPerS,
        peakRssMB: ours.peakRssMB,
        baseline,
      });
    }
    return figures;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
