/**
 * Starts the servers the tests need, on free loopback ports, and stops them afterwards:
 * s3rver, Azurite and the Firebase Storage emulator for GCS (npm, always) and Ceph RGW (Debian
 * packages, when installed). Tests read their
 * addresses with `inject("servers")`.
 */
import type { TestProject } from "vitest/node";
import { type LocalEmulator, startAzurite, startGcsEmulator } from "../src/demo/emulators.js";
import { type LocalS3, startLocalS3 } from "../src/demo/s3rver.js";
import { startCeph } from "./helpers/ceph.js";

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
  const ceph = await startCeph();
  if (ceph) {
    servers.ceph = { endpoint: ceph.endpoint, accessKeyId: ceph.accessKeyId, secretAccessKey: ceph.secretAccessKey };
  } else {
    servers.cephMissing = `Ceph RGW is not installed; install it with: ${SETUP_HINT}`;
    if (process.env.RELIQUAT_REQUIRE_SYSTEM) throw new Error(servers.cephMissing);
    console.warn(`\n[reliquat tests] ${servers.cephMissing}. Access-control tests will be SKIPPED.\n`);
  }
  project.provide("servers", servers);

  return async () => {
    await Promise.all([s3rver.stop(), azurite.stop(), gcs.stop()]);
    await ceph?.stop();
  };
}
