import { availableParallelism } from "node:os";
import type { Worker } from "node:worker_threads";
import pLimit from "p-limit";
import { startWorker } from "../worker-thread.js";
import { CorruptError } from "./limits.js";
import type { SandboxResult, SandboxTask } from "./sandbox-worker.js";

/** Idle sandbox threads, kept for the next object: starting one and loading pdf.js costs ~150 ms. */
const idle: Worker[] = [];
/** At most one sandbox per core: each holds pdf.js or hyparquet and the bytes it decodes (tens of MB). */
const slots = pLimit(Math.max(1, availableParallelism()));

/**
 * Runs a decoder of untrusted bytes (pdf.js, hyparquet) on a worker thread that can be killed.
 * Such libraries can loop forever on crafted input (hyparquet does on a corrupt RLE run), which
 * no timer in the main thread could stop. Rejects with CorruptError when the decoder fails, and
 * with the signal's reason when it is aborted (the object's time is up): the thread is then
 * terminated, never reused.
 */
export function inSandbox<K extends SandboxTask["kind"]>(
  task: Extract<SandboxTask, { kind: K }>,
  signal: AbortSignal,
  transfer: ArrayBuffer[] = [],
): Promise<Extract<SandboxResult, { kind: K }>> {
  return slots(() => run(task, signal, transfer));
}

function run<K extends SandboxTask["kind"]>(
  task: Extract<SandboxTask, { kind: K }>,
  signal: AbortSignal,
  transfer: ArrayBuffer[],
): Promise<Extract<SandboxResult, { kind: K }>> {
  signal.throwIfAborted();
  const worker = idle.pop() ?? startWorker("extract/sandbox-worker");
  worker.ref(); // a busy sandbox keeps the process alive; an idle one does not
  return new Promise((resolve, reject) => {
    const settle = (reuse: boolean) => {
      worker.removeAllListeners("message").removeAllListeners("error").removeAllListeners("exit");
      signal.removeEventListener("abort", onAbort);
      if (reuse) {
        worker.unref();
        idle.push(worker);
      } else void worker.terminate();
    };
    const onAbort = () => {
      settle(false);
      reject(signal.reason);
    };
    signal.addEventListener("abort", onAbort, { once: true });
    worker.on("message", (m: { result?: SandboxResult; error?: string }) => {
      settle(true);
      if (m.error !== undefined) reject(new CorruptError(`corrupt ${task.kind}: ${m.error}`));
      else resolve(m.result as Extract<SandboxResult, { kind: K }>);
    });
    worker.on("error", (error) => {
      settle(false);
      reject(new CorruptError(`corrupt ${task.kind}: decoder crashed: ${error.message}`));
    });
    worker.on("exit", () => {
      settle(false);
      reject(new CorruptError(`corrupt ${task.kind}: decoder exited`));
    });
    worker.postMessage(task, transfer);
  });
}
