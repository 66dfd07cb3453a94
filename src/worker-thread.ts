import { pathToFileURL } from "node:url";
import { Worker, type WorkerOptions } from "node:worker_threads";
import { FROM_SOURCES, packagePath } from "./package-root.js";

/**
 * Starts a worker thread on a module named by its place in the sources (`rules/worker`):
 * `src/rules/worker.ts` under the sources (tests, tsx), where the worker registers tsx's loader
 * before importing, else `dist/rules/worker.js`, which a bundle keeps as an entry point.
 */
export function startWorker(module: string, options: WorkerOptions = {}): Worker {
  const url = pathToFileURL(packagePath(FROM_SOURCES ? "src" : "dist", `${module}${FROM_SOURCES ? ".ts" : ".js"}`));
  if (!FROM_SOURCES) return new Worker(url, options);
  const source = `import("tsx/esm/api").then((api) => { api.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(source, { ...options, eval: true });
}
