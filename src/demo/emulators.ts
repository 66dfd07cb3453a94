import { createRequire } from "node:module";
import { packagePath } from "../package-root.js";
import { startChildServer } from "./child-server.js";

/** A local emulator: its endpoint and how to stop it. */
export interface LocalEmulator {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** Azurite's well-known development account (public, documented by Microsoft). */
export const AZURITE_ACCOUNT = {
  name: "devstoreaccount1",
  key: "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
};

/**
 * Azurite's Blob service in memory on a free loopback port. `--skipApiVersionCheck` because the
 * SDK's API version is newer than Azurite's; `--disableTelemetry` so that it calls no one.
 */
export async function startAzurite(): Promise<LocalEmulator & { connectionString: string }> {
  const main = createRequire(import.meta.url).resolve("azurite/dist/src/blob/main.js");
  const server = await startChildServer(
    "azurite",
    [main, "--blobHost", "127.0.0.1", "--blobPort", "0", "--inMemoryPersistence", "--extentMemoryLimit", "1024"].concat(
      ["--silent", "--skipApiVersionCheck", "--disableTelemetry"],
    ),
    (line) => Number(/listens on https?:\/\/[^:]+:(\d+)/.exec(line)?.[1]) || undefined,
  );
  const endpoint = `http://127.0.0.1:${server.port}/${AZURITE_ACCOUNT.name}`;
  return {
    endpoint,
    port: server.port,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT.name};AccountKey=${AZURITE_ACCOUNT.key};BlobEndpoint=${endpoint};`,
    stop: () => server.stop(),
  };
}

/** The Firebase Storage emulator (GCS JSON API for objects), see lib/gcs-child.mjs. */
export async function startGcsEmulator(): Promise<LocalEmulator> {
  const script = packagePath("lib", "gcs-child.mjs");
  const server = await startChildServer("gcs emulator", [script]);
  return { endpoint: `http://127.0.0.1:${server.port}`, port: server.port, stop: () => server.stop() };
}
