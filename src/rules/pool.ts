import type { ResourceLimits, Worker } from "node:worker_threads";
import { blockBytes, type TextBlock } from "../extract/text-blocks.js";
import { startWorker } from "../worker-thread.js";
import type { BlockRunner } from "./engine.js";
import type { BlockResult } from "./finding.js";
import type { Layout } from "./layout.js";
import type { SentBlock, WorkerInit, WorkerRequest } from "./worker.js";

/** Workers replaced in one pool before it gives up (a worker that cannot even start would loop). */
const MAX_REPLACEMENTS = 8;
/** Blocks per message at most. */
const BATCH = 8;

interface Pending {
  block: TextBlock;
  layout: Layout;
  resolve: (r: BlockResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Blocks sent to this worker and not answered yet: a worker that dies fails these only. */
  pending: Map<number, Pending>;
  /** The error the worker reported before exiting (out of memory, an uncaught exception). */
  error?: Error;
}

/**
 * Spreads block detection over worker threads. Blocks go to the least busy worker; each
 * object still merges its blocks in order. Small blocks are not worth a round trip (about
 * 50 µs): the caller runs them inline.
 *
 * A worker that exits (out of memory under its limits, a crash, terminated from outside)
 * fails the block it was working on, so only that block's object ends `partial:
 * detection-error …`; it is replaced, and the blocks queued behind it go to the others.
 * After {@link MAX_REPLACEMENTS} replacements, blocks are refused with an error rather than
 * sent to a worker that will not answer.
 */
export class DetectionPool {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private replacements = 0;
  private closing = false;

  /** @param resourceLimits per worker, over the default (a bounded young generation); tests lower the heap. */
  constructor(
    size: number,
    private readonly init: WorkerInit,
    private readonly resourceLimits: ResourceLimits = {},
  ) {
    for (let i = 0; i < size; i++) this.slots.push(this.start());
  }

  /** A runner for createObjectDetector. Rejects, never hangs, when the block's worker dies. */
  runner(): BlockRunner {
    return (block: TextBlock, layout: Layout) =>
      new Promise<BlockResult>((resolve, reject) => this.send({ block, layout, resolve, reject }));
  }

  /** The running threads (tests kill one). */
  threads(): Worker[] {
    return this.slots.map((s) => s.worker);
  }

  /** Stops the threads; blocks still pending are rejected. */
  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  /** Blocks waiting to be sent: the blocks of one read go in one message (a round trip is about 50 µs). */
  private batch: Pending[] = [];
  private flushing = false;

  private send(p: Pending): void {
    this.batch.push(p);
    if (this.batch.length >= BATCH) this.flush();
    else if (!this.flushing) {
      this.flushing = true;
      // After the blocks made from the same read, which come within microtasks of each other.
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushing = false;
    const batch = this.batch;
    this.batch = [];
    if (batch.length === 0) return;
    if (this.slots.length === 0) {
      const why = this.closing ? "the pool is closed" : `${this.replacements} workers died`;
      for (const p of batch) p.reject(new Error(`[reliquat:detect] no detection worker is running (${why})`));
      return;
    }
    const slot = this.slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    // Held while it owes an answer: an idle worker must not keep the process alive, but a busy
    // one must, or the process ends (exit 0) with the block's promise pending.
    slot.worker.ref();
    const messages: WorkerRequest[] = [];
    const moved: ArrayBuffer[] = [];
    for (const p of batch) {
      const id = this.nextId++;
      slot.pending.set(id, p);
      const { block, layout } = p;
      const bytes = blockBytes(block);
      const sent: SentBlock = { encoding: block.encoding, byteOffset: block.byteOffset, firstLine: block.firstLine };
      if (block.path !== undefined) sent.path = block.path;
      if (block.rewritten) sent.rewritten = true;
      if (bytes === undefined) sent.text = block.text;
      else {
        // A copy of its own, moved: the block's bytes may share memory with the next ones.
        sent.bytes = new Uint8Array(bytes);
        moved.push(sent.bytes.buffer as ArrayBuffer);
      }
      messages.push({ id, block: sent, layout });
    }
    slot.worker.postMessage(messages, moved);
  }

  private start(): Slot {
    // A bounded young generation: the default reserves more per thread than --exhaustive scans may
    // cost, and 8 MB made detection 18% slower (a scavenge every few blocks; measured on figure 4).
    const worker = startWorker("rules/worker", {
      workerData: this.init,
      resourceLimits: { maxYoungGenerationSizeMb: 32, ...this.resourceLimits },
    });
    const slot: Slot = { worker, pending: new Map() };
    worker.on("message", (m: { id?: number; result?: BlockResult; error?: string }) => {
      if (m.id === undefined) return;
      const p = slot.pending.get(m.id);
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) worker.unref();
      if (m.error !== undefined) p?.reject(new Error(`[reliquat:detect] worker failed: ${m.error}`));
      else p?.resolve(m.result as BlockResult);
    });
    // Node emits `error` (if any) and then always `exit`: the slot is settled on `exit`.
    worker.on("error", (error) => {
      slot.error = error;
    });
    worker.on("exit", (code) => this.exited(slot, code));
    worker.unref();
    return slot;
  }

  private exited(slot: Slot, code: number): void {
    const why = this.closing
      ? "the pool was closed"
      : slot.error
        ? `worker died: ${slot.error.message}`
        : `worker exited with code ${code}`;
    // A worker answers in order: the oldest block was the one it died on; the others never started.
    const [culprit, ...queued] = [...slot.pending.entries()].sort(([a], [b]) => a - b).map(([, p]) => p);
    slot.pending.clear();
    culprit?.reject(new Error(`[reliquat:detect] ${why}`));
    const at = this.slots.indexOf(slot);
    if (at >= 0) {
      if (this.closing || this.replacements >= MAX_REPLACEMENTS) this.slots.splice(at, 1);
      else {
        this.replacements++;
        this.slots[at] = this.start();
      }
    }
    for (const p of queued) {
      if (this.closing) p.reject(new Error(`[reliquat:detect] ${why}`));
      else this.send(p);
    }
  }
}
