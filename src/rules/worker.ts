/**
 * A detection worker thread: loads the same rule folders, builds the same hashers (key and
 * seed from the parent), then answers { id, block, layout } with { id, result } or { id, error }.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { TextBlock } from "../extract/text-blocks.js";
import { detectBlock } from "./engine.js";
import { createDistinctHasher, createFingerprinter } from "./fingerprint.js";
import type { Layout } from "./layout.js";
import { loadRules } from "./load.js";

/** A block as posted to a worker: its text, or its bytes (moved) when the text was not made yet. */
export interface SentBlock extends Omit<TextBlock, "text"> {
  text?: string;
  bytes?: Uint8Array;
}

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

/** One block to detect, as the pool posts it (several per message). */
export interface WorkerRequest {
  id: number;
  block: SentBlock;
  layout: Layout;
}

// Each block answered on its own as soon as it is done: a worker that dies fails only the block it was on.
parentPort?.on("message", (requests: WorkerRequest[]) => {
  for (const message of requests) answer(message);
});

function answer(message: WorkerRequest): void {
  try {
    const { bytes, text, ...rest } = message.block;
    const buffer = bytes && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const block: TextBlock = buffer
      ? { ...rest, text: buffer.toString("latin1"), bytes: buffer }
      : { ...rest, text: text ?? "" };
    parentPort?.postMessage({ id: message.id, result: detectBlock(rules, hashers, block, message.layout) });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
}
parentPort?.postMessage({ ready: true });
