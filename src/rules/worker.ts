/**
 * A detection worker thread: loads the same rule folders, builds the same hashers (key and
 * seed from the parent), then answers { id, block, layout } with { id, result } or { id, error }.
 */
import { parentPort, workerData } from "node:worker_threads";
import { detectBlock } from "./engine.js";
import { createDistinctHasher, createFingerprinter } from "./fingerprint.js";
import { loadRules } from "./load.js";

export interface WorkerInit {
  ruleDirs: string[];
  fingerprintKey: string;
  distinctSeed: number;
}

const init = workerData as WorkerInit;
const rules = await loadRules(init.ruleDirs);
const hashers = {
  fingerprint: createFingerprinter(init.fingerprintKey),
  distinct: createDistinctHasher(init.distinctSeed),
};

parentPort?.on(
  "message",
  (message: { id: number; block: Parameters<typeof detectBlock>[2]; layout: Parameters<typeof detectBlock>[3] }) => {
    try {
      parentPort?.postMessage({ id: message.id, result: detectBlock(rules, hashers, message.block, message.layout) });
    } catch (error) {
      parentPort?.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
    }
  },
);
parentPort?.postMessage({ ready: true });
