import type { Worker } from "node:worker_threads";
import { blockBytes, type TextBlock } from "../extract/text-blocks.js";
import { startWorker } from "../worker-thread.js";
import type { BlockResult, BlockRunner } from "./engine.js";
import type { Layout } from "./layout.js";
import type { SentBlock, WorkerInit } from "./worker.js";

/**
 * Spreads block detection over worker threads. Blocks go to the least busy worker; each
 * object still merges its blocks in order. Small blocks are not worth a round trip (about
 * 50 µs): the caller runs them inline.
 */
export class DetectionPool {
  private readonly workers: { worker: Worker; busy: number; alive: boolean }[] = [];
  private readonly pending = new Map<number, { resolve: (r: BlockResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  constructor(size: number, init: WorkerInit) {
    for (let i = 0; i < size; i++) {
      // A bounded young generation: the default reserves more per thread than --exhaustive scans may
      // cost, and 8 MB made detection 18% slower (a scavenge every few blocks; measured on figure 4).
      const worker = startWorker("./worker", import.meta.url, {
        workerData: init,
        resourceLimits: { maxYoungGenerationSizeMb: 32 },
      });
      const slot = { worker, busy: 0, alive: true };
      worker.on("message", (m: { id?: number; result?: BlockResult; error?: string }) => {
        if (m.id === undefined) return;
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        slot.busy--;
        if (m.error !== undefined) p?.reject(new Error(`[reliquat:detect] worker failed: ${m.error}`));
        else p?.resolve(m.result as BlockResult);
      });
      worker.on("error", (error) => {
        for (const p of this.pending.values())
          p.reject(new Error(`[reliquat:detect] worker crashed: ${error.message}`));
        this.pending.clear();
      });
      worker.unref();
      this.workers.push(slot);
    }
  }

  /** A runner for createObjectDetector. */
  runner(): BlockRunner {
    return (block: TextBlock, layout: Layout) =>
      new Promise<BlockResult>((resolve, reject) => {
        const alive = this.workers.filter((w) => w.alive);
        if (alive.length === 0) return reject(new Error("[reliquat:detect] no detection worker is running"));
        const slot = alive.reduce((a, b) => (b.busy < a.busy ? b : a));
        const id = this.nextId++;
        this.pending.set(id, { resolve, reject });
        slot.busy++;
        const bytes = blockBytes(block);
        const sent: SentBlock = { encoding: block.encoding, byteOffset: block.byteOffset, firstLine: block.firstLine };
        if (block.path !== undefined) sent.path = block.path;
        if (bytes === undefined) sent.text = block.text;
        // A copy of its own, moved: the block's bytes may share memory with the next ones.
        else sent.bytes = new Uint8Array(bytes);
        slot.worker.postMessage({ id, block: sent, layout }, sent.bytes ? [sent.bytes.buffer as ArrayBuffer] : []);
      });
  }

  /** Stops the threads. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
