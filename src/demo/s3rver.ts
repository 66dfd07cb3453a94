import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** A running local S3 server; s3rver checks signatures against these credentials. */
export interface LocalS3 {
  endpoint: string;
  port: number;
  /** s3rver's storage folder (the demo backdates files there to simulate old objects). */
  directory: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  child: ChildProcess;
  /** Stops the server and removes its folder. */
  stop(): Promise<void>;
}

const CHILD = fileURLToPath(new URL("../../lib/s3rver-child.mjs", import.meta.url));

/** Starts s3rver on a free loopback port (or `port`) in a fresh temp folder. */
export async function startLocalS3(options: { port?: number; directory?: string } = {}): Promise<LocalS3> {
  const directory = options.directory ?? (await mkdtemp(path.join(tmpdir(), "reliquat-s3-")));
  const child = spawn(process.execPath, ["--openssl-legacy-provider", CHILD, directory, String(options.port ?? 0)], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += String(d);
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const ready = new Promise<number>((resolve, reject) => {
    lines.once("line", (line) => resolve(JSON.parse(line).port));
    child.once("exit", (code) =>
      reject(new Error(`[reliquat:demo] s3rver exited with code ${code}: ${stderr.trim()}`)),
    );
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  const port = await ready.finally(() => clearTimeout(timer));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    directory,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = once(child, "exit");
        child.kill("SIGTERM");
        const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
        await exited;
        clearTimeout(force);
      }
      if (!options.directory) await rm(directory, { recursive: true, force: true });
    },
  };
}
