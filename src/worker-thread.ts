import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts a worker thread on a sibling module (`./rules/worker` → `worker.ts` or `worker.js`).
 * Under the TypeScript sources (tests, tsx), the worker registers tsx's loader before importing.
 */
export function startWorker(relative: string, base: string, options: WorkerOptions = {}): Worker {
  const fromSources = base.endsWith(".ts");
  const url = new URL(`${relative}${fromSources ? ".ts" : ".js"}`, base);
  if (!fromSources) return new Worker(url, options);
  const source = `import("tsx/esm/api").then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(source, { ...options, eval: true });
}
