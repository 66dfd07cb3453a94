/**
 * Detection speed on a generated 256 MB CP1252 CSV: the whole `reliquat scan --exhaustive`
 * process, in MB per CPU-second, against `ripgrep --count-matches` with the same NIR regex and
 * the same term list (ASCII word boundaries) on the same file; then the wall-time speed-up
 * from one detection worker to two. Also the ceiling of any design on V8's regex engine: a bare
 * loop with the same patterns (bare-loop.ts). Best of BENCH_ROUNDS (default 3) interleaved rounds.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { foldTerm } from "../src/fold.js";
import { writeSpeedCorpus } from "../test/corpus/speed-corpus.js";
import { ripgrepPatterns } from "./rg-patterns.js";

const MB = 1024 * 1024;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

/** CPU seconds (user + system) and wall seconds of a command, from bash's `time`. */
export function timed(command: string): { cpu: number; wall: number } {
  const out = execFileSync("bash", ["-c", `TIMEFORMAT='%3R %3U %3S'; { time ${command} >/dev/null 2>&1 ; } 2>&1`], {
    encoding: "utf8",
  });
  const [wall, user, sys] = out.trim().split(/\s+/).slice(-3).map(Number) as [number, number, number];
  return { cpu: user + sys, wall };
}

/** The dictionary's terms, folded, for ripgrep: the same list Reliquat compiles. */
async function termList(): Promise<string[]> {
  const pack = parse(await readFile(new URL("../rules/fr-health.yaml", import.meta.url), "utf8"));
  const groups = pack.rules[0].groups as Record<string, { terms: string[]; caseSensitive?: string[] }>;
  return Object.values(groups).flatMap((g) => [...g.terms, ...(g.caseSensitive ?? [])].map((t) => foldTerm(t)));
}

export async function benchDetectSpeed(cli: string): Promise<Record<string, number | string>> {
  const dir = path.join(tmpdir(), "reliquat-bench-speed");
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, "patients_export.csv");
  if (!existsSync(file) || (await stat(file)).size < 256 * MB) await writeSpeedCorpus(file, 256 * MB);
  const size = (await stat(file)).size / MB;

  const scan = (workers?: number) =>
    timed(
      `node ${cli} scan ${dir} --exhaustive --format json --output /dev/null --fail-on never${workers === undefined ? "" : ` --workers ${workers}`}`,
    );
  const nirBody = "[1-478][ .]?[0-9]{2}[ .]?[0-9]{2}[ .]?(?:[0-9]{2}|2[AB])[ .]?[0-9]{3}[ .]?[0-9]{3}[ .]?[0-9]{2}";
  const nir = `(?-u:\\b)${nirBody}(?-u:\\b)`;
  const terms = (await termList()).map((t) => t.replace(/[.*+?()[\]{}|\\^$]/g, "\\$&"));
  const pattern = `${nir}|(?-u:\\b)(?:${terms.join("|")})(?-u:\\b)`;
  const rgAvailable = (() => {
    try {
      execFileSync("rg", ["--version"]);
      return true;
    } catch {
      return false;
    }
  })();
  const rgRun = () => timed(`rg --count-matches -i -e '${pattern.replace(/'/g, "'\\''")}' ${file}`);
  // The fuller baseline: every search Reliquat's automaton runs (dates, blood groups, the
  // accent-folded dictionary, context words), from the same parse trees (rg-patterns.ts).
  const allFile = path.join(tmpdir(), "reliquat-bench-rg-patterns.txt");
  const all = await ripgrepPatterns("windows-1252");
  await writeFile(allFile, `${all.patterns.join("\n")}\n`);
  // -U: the NIR key may sit on the next line (`Numero=…` then `Cle=91`), which ripgrep matches only in multiline mode.
  const rgAllRun = () => timed(`rg -U --count-matches -f ${allFile} ${file}`);
  // The same patterns for V8: ASCII word boundaries as lookarounds.
  const word = "(?<![A-Za-z0-9_])";
  const end = "(?![A-Za-z0-9_])";
  const bareRun = () =>
    JSON.parse(
      execFileSync(
        process.execPath,
        [
          "--import",
          "tsx",
          fileURLToPath(new URL("./bare-loop.ts", import.meta.url)),
          file,
          `${word}${nirBody}${end}`,
          `${word}(?:${terms.join("|")})${end}`,
        ],
        { encoding: "utf8" },
      ),
    ) as { cpuSeconds: number };
  // Each measured ROUNDS times, interleaved, keeping the best of each: on a shared host the same
  // run varies by 10–30%, and the least disturbed run is the closest to what the code costs.
  let rg: { cpu: number; wall: number } | undefined;
  let rgAll: { cpu: number; wall: number } | undefined;
  let bare: { cpuSeconds: number } | undefined;
  let whole: { cpu: number; wall: number } | undefined;
  let one: { cpu: number; wall: number } | undefined;
  let two: { cpu: number; wall: number } | undefined;
  const best = <T>(a: T | undefined, b: T, key: (x: T) => number) => (a === undefined || key(b) < key(a) ? b : a);
  for (let round = 0; round < ROUNDS; round++) {
    if (rgAvailable) rg = best(rg, rgRun(), (x) => x.cpu);
    if (rgAvailable) rgAll = best(rgAll, rgAllRun(), (x) => x.cpu);
    bare = best(bare, bareRun(), (x) => x.cpuSeconds);
    whole = best(whole, scan(), (x) => x.cpu); // default settings: what a user runs
    one = best(one, scan(1), (x) => x.wall);
    two = best(two, scan(2), (x) => x.wall);
  }
  if (!bare || !whole || !one || !two) throw new Error("no rounds");
  await rm(dir, { recursive: true, force: true }).catch(() => {});
  return {
    sizeMB: Math.round(size),
    reliquatMBperCpuS: size / whole.cpu,
    ripgrepMBperCpuS: rg ? size / rg.cpu : Number.NaN,
    ratio: rg ? size / whole.cpu / (size / rg.cpu) : Number.NaN,
    ripgrepAllMBperCpuS: rgAll ? size / rgAll.cpu : Number.NaN,
    ratioAll: rgAll ? rgAll.cpu / whole.cpu : Number.NaN,
    searches: all.patterns.length,
    bareMBperCpuS: size / bare.cpuSeconds,
    bareRatio: rg ? size / bare.cpuSeconds / (size / rg.cpu) : Number.NaN,
    wall1: one.wall,
    wall2: two.wall,
    speedup: one.wall / two.wall,
    note: rgAvailable ? "" : "ripgrep missing: npm run setup:system",
  };
}
