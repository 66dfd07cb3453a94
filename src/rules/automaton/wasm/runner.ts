/**
 * Runs a byte-class DFA (premultiplied table, outputs from `firstOutput` on) over blocks and
 * reports (end, state) for every byte after which the state has outputs. In WebAssembly
 * (scan.as.ts, built by scripts/build-wasm.ts) when it loads, else in TypeScript (loop.ts):
 * same results either way. Tables are copied into the module's memory once per runner, each
 * block once per run(); hits come in batches of pairs, not one callback per hit.
 */
import { packagePath } from "../../../package-root.js";
import { type Kernel, tsKernel, type WasmModule, wasmKernel, wasmModule } from "./kernels.js";

/** Where scripts/build-wasm.ts writes the module and the runner reads it (sources and build alike). */
export const WASM_FILE = packagePath("dist/rules/automaton/wasm/scan.wasm");

/** A compiled DFA, as the automaton compiler gives it. */
export interface DfaTables {
  /** Byte → class, 256 entries. */
  classes: Uint8Array;
  /** Number of classes (1..256): a state's row length. */
  width: number;
  /** Next states, premultiplied (state × width): next = table[state + classes[byte]]; start 0. */
  table: Int32Array;
  /** Premultiplied: every state from it on has outputs (table.length: none has). */
  firstOutput: number;
  /**
   * The same next states as state indices, when at hand: then they are what is checked and what
   * the WebAssembly loop copies, and `table` is read only if the TypeScript loop runs (a stored
   * table builds it on first read: see cache.ts).
   */
  next?: Uint16Array | Int32Array;
}

/** How a runner runs; the defaults are the fastest measured (bench/wasm-loop.ts). */
export interface RunnerOptions {
  /** Interleaved streams per chunk (see scan.as.ts); 4 by default (1.8 to 2 times 1's speed). */
  streams?: 1 | 4 | 8;
  /** "ts" forces the TypeScript loop; a module or its bytes replaces WASM_FILE. */
  wasm?: "ts" | WasmModule | Uint8Array;
  /** Bytes per chunk: the most pairs per batch (64 KiB by default). */
  chunk?: number;
}

/** A DFA ready to run over blocks, its tables in place. */
export interface Runner {
  /** Which loop runs. */
  readonly engine: "wasm" | "ts";
  /** Why the TypeScript loop runs instead of WebAssembly ("ts" asked, file missing, compile error). */
  readonly fallback: string | undefined;
  /**
   * Scans `bytes` from state 0 and passes the hits, in order, as batches of [end, state, ...];
   * a batch is a view valid only during the call. Throws only what `onHits` throws.
   */
  run(bytes: Uint8Array, onHits: (pairs: Int32Array) => void): void;
}

/** Throws a RangeError unless `t` is a well-formed table (every entry a state, every class a column). */
function check(t: DfaTables): void {
  const { classes, width, firstOutput, next } = t;
  const fail = (why: string) => {
    throw new RangeError(`[reliquat] DFA tables: ${why}`);
  };
  if (classes.length !== 256) fail("classes must have 256 entries");
  if (!Number.isInteger(width) || width < 1 || width > 256) fail(`width ${width} not in 1..256`);
  const n = next ? next.length : t.table.length;
  if (n === 0 || n % width !== 0) fail("table length not a multiple of width");
  if (!Number.isInteger(firstOutput) || firstOutput < 0 || firstOutput > n) fail("firstOutput out of range");
  for (const c of classes) if (c >= width) fail(`class ${c} >= width ${width}`);
  // Indexed, not for-of: this runs once per start, mostly before the JIT, where the iterator
  // made it 17 ms of a one-file scan's 250 for the built-in tables.
  if (next) {
    const states = n / width;
    for (let i = 0; i < n; i++) {
      const e = next[i] as number;
      if (e < 0 || e >= states) fail(`entry ${e} is not a state`);
    }
    return;
  }
  const { table } = t;
  for (let i = 0; i < n; i++) {
    const e = table[i] as number;
    if (e < 0 || e >= n || e % width !== 0) fail(`entry ${e} is not a state`);
  }
}

/**
 * A runner for `tables`. Never fails over WebAssembly: when its module is missing or does not
 * instantiate, the runner is the TypeScript one and says why in `fallback` (the caller logs it
 * once). Throws a RangeError for malformed tables, and whatever compiling `options.wasm` throws.
 */
export function createRunner(tables: DfaTables, options: RunnerOptions = {}): Runner {
  check(tables);
  const streams = options.streams ?? 4;
  const chunk = options.chunk ?? 1 << 16;
  let ts: Kernel | undefined;
  // Fallen back, TypeScript runs one stream: interleaving does not pay there (bench/wasm-loop.ts).
  const tsK = () => (ts ??= tsKernel(tables, chunk, options.wasm === "ts" ? streams : 1));
  let kernel: Kernel | undefined;
  let fallback: string | undefined = options.wasm === "ts" ? "TypeScript loop asked for" : undefined;
  if (!fallback) {
    const module = wasmModule(WASM_FILE, options.wasm === "ts" ? undefined : options.wasm);
    if (typeof module === "string") fallback = module;
    else
      try {
        kernel = wasmKernel(tables, chunk, streams, module);
      } catch (error) {
        fallback = `WebAssembly: ${(error as Error).message}`;
      }
  }
  return {
    engine: kernel ? "wasm" : "ts",
    fallback,
    run(bytes, onHits) {
      let k = kernel ?? tsK();
      if (!k.load(bytes)) {
        k = tsK(); // past what wasm32 memory holds
        k.load(bytes);
      }
      const n = bytes.length;
      const batch = (count: number) => {
        if (count > 0) onHits(k.mem().subarray(k.outAt, k.outAt + 2 * count));
      };
      let state = 0;
      if (k.streams === 1)
        for (let pos = 0; pos < n; ) {
          const count = k.one(pos, n, state, chunk);
          pos = k.mem()[k.ctlAt] as number;
          state = k.mem()[k.ctlAt + 1] as number;
          batch(count);
        }
      else
        for (let from = 0; from < n; from += chunk) {
          const count = k.many(from, Math.min(chunk, n - from), state);
          state = k.mem()[k.ctlAt] as number;
          batch(count);
        }
    },
  };
}

/** All the hits of `bytes`, as [end, state, ...]. Throws as run() does. */
export function collectHits(runner: Runner, bytes: Uint8Array): Int32Array {
  const parts: Int32Array[] = [];
  let total = 0;
  runner.run(bytes, (pairs) => {
    parts.push(pairs.slice());
    total += pairs.length;
  });
  const all = new Int32Array(total);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}
