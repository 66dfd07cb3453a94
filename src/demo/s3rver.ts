import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { packagePath } from "../package-root.js";
import { startChildServer } from "./child-server.js";

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

const CHILD = packagePath("lib", "s3rver-child.mjs");

/** Starts s3rver on a free loopback port (or `port`) in a fresh temp folder. */
export async function startLocalS3(options: { port?: number; directory?: string } = {}): Promise<LocalS3> {
  const directory = options.directory ?? (await mkdtemp(path.join(tmpdir(), "reliquat-s3-")));
  const server = await startChildServer("s3rver", [
    "--openssl-legacy-provider",
    CHILD,
    directory,
    String(options.port ?? 0),
  ]);
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    port: server.port,
    directory,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    child: server.child,
    async stop() {
      await server.stop();
      if (!options.directory) await rm(directory, { recursive: true, force: true });
    },
  };
}
