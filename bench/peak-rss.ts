import type { ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";

/** Waits for `child` to exit, polling the kernel's VmHWM (its peak RSS) until then. */
export async function peakRssOf(child: ChildProcess, everyMs = 50): Promise<{ peakMB: number; code: number }> {
  let peakKB = 0;
  const poll = setInterval(async () => {
    const status = await readFile(`/proc/${child.pid}/status`, "utf8").catch(() => "");
    const hwm = /VmHWM:\s+(\d+)/.exec(status);
    if (hwm) peakKB = Math.max(peakKB, Number(hwm[1]));
  }, everyMs);
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? -1)));
  clearInterval(poll);
  return { peakMB: peakKB / 1024, code };
}
