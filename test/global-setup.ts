/**
 * Starts the servers the tests need, on free loopback ports, and stops them afterwards:
 * s3rver, Azurite and the Firebase Storage emulator for GCS (npm, always) and Ceph RGW (Debian
 * packages, when installed). Tests read their
 * addresses with `inject("servers")`.
 */
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { TestProject } from "vitest/node";
import { type LocalEmulator, startAzurite, startGcsEmulator } from "../src/demo/emulators.js";
import { type LocalS3, startLocalS3 } from "../src/demo/s3rver.js";

const run = promisify(execFile);
export const SETUP_HINT = "npm run setup:system";

export interface S3Server {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
}
export interface Servers {
  s3rver: S3Server;
  /** Azurite's blob endpoint (with the account) and a connection string for its dev account. */
  azurite: { endpoint: string; connectionString: string };
  /** The Firebase Storage emulator's endpoint (GCS JSON API). */
  gcs: { endpoint: string };
  /** Undefined when Ceph is not installed; `cephMissing` then says why. */
  ceph?: S3Server;
  cephMissing?: string;
}

declare module "vitest" {
  export interface ProvidedContext {
    servers: Servers;
  }
}

export default async function setup(project: TestProject) {
  const [s3rver, azurite, gcs]: [LocalS3, LocalEmulator & { connectionString: string }, LocalEmulator] =
    await Promise.all([startLocalS3(), startAzurite(), startGcsEmulator()]);
  const servers: Servers = {
    s3rver: { endpoint: s3rver.endpoint, ...s3rver.credentials },
    azurite: { endpoint: azurite.endpoint, connectionString: azurite.connectionString },
    gcs: { endpoint: gcs.endpoint },
  };
  let cephDir: string | undefined;
  const script = path.resolve("scripts/ceph-rgw.sh");
  if (existsSync("/usr/bin/radosgw") && existsSync("/usr/bin/ceph-mon")) {
    cephDir = await mkdtemp(path.join(tmpdir(), "reliquat-ceph-"));
    const port = await freePortPair();
    const { stdout } = await run("bash", [script, "start", cephDir, String(port)], { timeout: 90_000 });
    const [endpoint, accessKeyId, secretAccessKey] = stdout.trim().split(/\s+/);
    servers.ceph = {
      endpoint: endpoint as string,
      accessKeyId: accessKeyId as string,
      secretAccessKey: secretAccessKey as string,
    };
  } else {
    servers.cephMissing = `Ceph RGW is not installed; install it with: ${SETUP_HINT}`;
    if (process.env.RELIQUAT_REQUIRE_SYSTEM) throw new Error(servers.cephMissing);
    console.warn(`\n[reliquat tests] ${servers.cephMissing}. Access-control tests will be SKIPPED.\n`);
  }
  project.provide("servers", servers);

  return async () => {
    await Promise.all([s3rver.stop(), azurite.stop(), gcs.stop()]);
    if (cephDir) {
      await run("bash", [script, "stop", cephDir]).catch(() => {});
      await rm(cephDir, { recursive: true, force: true });
    }
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
