/**
 * 14. Start-up, in CPU seconds (user + system, every thread) of the whole process, the median of
 * interleaved rounds: `reliquat --help` against `node -e 0`, and a scan of a one-file folder.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { timed } from "./detect-speed.js";

export interface StartupFigures {
  node: number;
  help: number;
  oneFile: number;
}

export async function benchStartup(cli: string, rounds = 7): Promise<StartupFigures> {
  const dir = await mkdtemp(path.join(tmpdir(), "reliquat-bench-startup-"));
  try {
    await writeFile(path.join(dir, "patients.csv"), "nom;nir\nMartin;185057800608491\n");
    const node = JSON.stringify(process.execPath);
    const runs: Record<keyof StartupFigures, number[]> = { node: [], help: [], oneFile: [] };
    for (let i = 0; i < rounds; i++) {
      runs.node.push(timed(`${node} -e 0`).cpu);
      runs.help.push(timed(`${node} ${cli} --help`).cpu);
      runs.oneFile.push(timed(`${node} ${cli} scan ${dir} -f json --fail-on never`).cpu);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;
    return { node: median(runs.node), help: median(runs.help), oneFile: median(runs.oneFile) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
