import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";

/** A local test or demo server running in a child process. */
export interface ChildServer {
  port: number;
  child: ChildProcess;
  /** Stops the server: SIGTERM, then SIGKILL after 5 s. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Spawns `node ARGS…` and waits for the first stdout line that `readPort` turns into a port.
 * Our own child scripts print `{"port": N}`; third-party servers print a sentence. The child's
 * stdin stays open: when this process dies without stopping it, stdin closes and it exits too.
 */
export async function startChildServer(
  name: string,
  args: string[],
  readPort: (line: string) => number | undefined = (line) => JSON.parse(line).port,
  timeoutMs = 20_000,
): Promise<ChildServer> {
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "pipe"] });
  let output = "";
  child.stderr?.on("data", (d) => {
    output += String(d);
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = new Promise<number>((resolve, reject) => {
    lines.on("line", (line) => {
      output += `${line}\n`;
      try {
        const port = readPort(line);
        if (port) resolve(port);
      } catch {
        // not the line we wait for
      }
    });
    child.once("exit", (code) =>
      reject(new Error(`[reliquat:demo] ${name} exited with code ${code}: ${output.trim()}`)),
    );
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
  const port = await ready.finally(() => clearTimeout(timer));
  // Keep draining stdout so that a chatty server never blocks on a full pipe.
  child.stdout?.resume();
  return {
    port,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(force);
    },
  };
}
