// Runs the Firebase Storage emulator (it speaks the GCS JSON API for objects) in its own
// process on 127.0.0.1, without the firebase CLI (which needs Java 21 for the rules runtime).
// The GCS admin API that Reliquat uses never evaluates Firebase security rules, so the rules
// runtime and manager are replaced with no-ops. This relies on firebase-tools internals: the
// package is pinned and a devDependency. Started by src/demo/child-server.ts.
// usage: node lib/gcs-child.mjs [PORT]   (0 or none: a free loopback port)
// Prints one JSON line {"port": N} when ready; stops on SIGTERM or when stdin closes.
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

// The emulator keeps blobs under os.tmpdir()/firebase and deletes that folder when it stops:
// give each instance its own, or stopping one (the demo) wipes another's (the tests').
const own = mkdtempSync(path.join(tmpdir(), "reliquat-gcs-"));
process.env.TMPDIR = own;
const require = createRequire(import.meta.url);
const { StorageEmulator } = require("firebase-tools/lib/emulator/storage/index.js");
const { EmulatorRegistry } = require("firebase-tools/lib/emulator/registry.js");

/** The emulator needs a port up front (0 means "its default"): ask the OS for a free one. */
async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const port = Number(process.argv[2] ?? 0) || (await freePort());
const emulator = new StorageEmulator({
  projectId: "reliquat-demo",
  host: "127.0.0.1",
  port,
  rules: [],
  auto_download: false,
});
emulator._rulesRuntime.start = async () => {};
emulator._rulesRuntime.stop = async () => {};
emulator._rulesManager.start = async () => {};
emulator._rulesManager.stop = async () => {};
await EmulatorRegistry.start(emulator);
process.stdout.write(`${JSON.stringify({ port })}\n`);

let closing = false;
const stop = async () => {
  if (closing) return;
  closing = true;
  await emulator.stop().catch(() => {});
  rmSync(own, { recursive: true, force: true });
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.resume();
