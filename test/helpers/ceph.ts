/**
 * A disposable Ceph RGW (scripts/ceph-rgw.sh) for the tests' global setup and the benchmarks:
 * undefined when the Debian packages are not installed (`npm run setup:system`).
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const SCRIPT = fileURLToPath(new URL("../../scripts/ceph-rgw.sh", import.meta.url));

export interface CephRgw {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Stops the daemons and removes their folder; never throws. */
  stop(): Promise<void>;
}

export const cephInstalled = () => existsSync("/usr/bin/radosgw") && existsSync("/usr/bin/ceph-mon");

/** Starts a one-node cluster in a fresh temp folder (about 12 s); undefined when not installed. */
export async function startCeph(): Promise<CephRgw | undefined> {
  if (!cephInstalled()) return undefined;
  const dir = await mkdtemp(path.join(tmpdir(), "reliquat-ceph-"));
  const port = await freePortPair();
  const { stdout } = await run("bash", [SCRIPT, "start", dir, String(port)], { timeout: 90_000 });
  const [endpoint, accessKeyId, secretAccessKey] = stdout.trim().split(/\s+/) as [string, string, string];
  return {
    endpoint,
    accessKeyId,
    secretAccessKey,
    async stop() {
      await run("bash", [SCRIPT, "stop", dir]).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A free port P whose companion P + 1000 (Ceph's monitor) is free too. */
async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const port = await listenFree(0);
    if (port + 1000 < 65535 && (await listenFree(port + 1000).catch(() => 0)) !== 0) return port;
  }
  throw new Error("no free port pair for Ceph");
}

function listenFree(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const found = (server.address() as { port: number }).port;
      server.close(() => resolve(found));
    });
  });
}
