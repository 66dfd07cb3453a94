import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { compileScanWasm } from "../../scripts/build-wasm.js";
import { wasmModule } from "../../src/rules/automaton/wasm/kernels.js";
import {
  collectHits,
  createRunner,
  type DfaTables,
  type RunnerOptions,
} from "../../src/rules/automaton/wasm/runner.js";

/** A seeded generator of integers in [0, n). */
function rng(seed: number) {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) % n) as number;
  };
}

/** The naive loop: one stream, the definition of the result. */
function reference(t: DfaTables, bytes: Uint8Array): Int32Array {
  const out: number[] = [];
  let s = 0;
  for (let i = 0; i < bytes.length; i++) {
    s = t.table[s + (t.classes[bytes[i] as number] as number)] as number;
    if (s >= t.firstOutput) out.push(i + 1, s);
  }
  return Int32Array.from(out);
}

function randomTables(r: (n: number) => number, states: number, width: number, outputs: number): DfaTables {
  const classes = Uint8Array.from({ length: 256 }, () => r(width));
  const table = Int32Array.from({ length: states * width }, () => r(states) * width);
  return { classes, width, table, firstOutput: (states - outputs) * width };
}

/** A literal of `n` bytes 'a': a chain of n+1 states that only a non-'a' byte breaks. */
function chain(n: number): DfaTables {
  const classes = new Uint8Array(256);
  classes[97] = 1;
  const table = new Int32Array((n + 1) * 2);
  for (let s = 0; s <= n; s++) table[s * 2 + 1] = Math.min(s + 1, n) * 2;
  return { classes, width: 2, table, firstOutput: n * 2 };
}

/** Counts bytes modulo `m`, outputs at m-1: a permutation, so two streams never meet. */
function counter(m: number): DfaTables {
  const table = Int32Array.from({ length: m }, (_, s) => (s + 1) % m);
  return { classes: new Uint8Array(256), width: 1, table, firstOutput: m - 1 };
}

let wasm: Uint8Array;
beforeAll(() => {
  wasm = compileScanWasm();
});

/** Every runner variant: both engines, 1, 4 and 8 streams, small chunks (many resumptions) and the default. */
function variants(): RunnerOptions[] {
  const out: RunnerOptions[] = [];
  for (const engine of ["ts", "wasm"] as const)
    for (const streams of [1, 4, 8] as const)
      for (const chunk of [61, 4096, undefined]) out.push({ streams, chunk, wasm: engine === "ts" ? "ts" : wasm });
  return out;
}

function expectSame(t: DfaTables, bytes: Uint8Array, only?: RunnerOptions[]) {
  const want = reference(t, bytes);
  for (const options of only ?? variants()) {
    const runner = createRunner(t, options);
    expect(runner.engine).toBe(options.wasm === "ts" ? "ts" : "wasm");
    const got = collectHits(runner, bytes);
    let diff = got.length === want.length ? -1 : Math.min(got.length, want.length);
    for (let i = 0; diff < 0 && i < want.length; i++) if (got[i] !== want[i]) diff = i;
    const where = `${runner.engine} ×${options.streams} chunk ${options.chunk}, ${bytes.length} bytes`;
    expect({ where, diff, got: got.length }).toEqual({ where, diff: -1, got: want.length });
  }
}

const randomBytes = (r: (n: number) => number, n: number, alphabet = 256) =>
  Uint8Array.from({ length: n }, () => r(alphabet));

describe("DFA run-time loop: WebAssembly, TypeScript and the naive loop agree", () => {
  it("on random tables and inputs of every awkward size", () => {
    const r = rng(1);
    const sizes = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 60, 61, 62, 122, 487, 488, 489, 4095, 4096, 4097];
    for (let round = 0; round < 12; round++) {
      const t = randomTables(r, 1 + r(300), 1 + r(40), r(4) === 0 ? 0 : 1 + r(20));
      for (const n of [...sizes, 65535, 65536, 65537, 1 + r(200_000)]) expectSame(t, randomBytes(r, n, 1 + r(256)));
    }
  });

  it("on 4 MiB with a hit on every byte (millions of pairs, many batches)", () => {
    const r = rng(2);
    const t = randomTables(r, 50, 8, 50);
    expectSame(t, randomBytes(r, 4 << 20));
  });

  it("on long chains that cross every stream boundary", () => {
    const r = rng(3);
    for (const n of [1, 5, 60, 1000, 20_000]) {
      const t = chain(n);
      for (const size of [100, 4096, 70_000, 300_000]) {
        const bytes = Uint8Array.from({ length: size }, () => (r(5000) === 0 ? 98 : 97));
        expectSame(t, bytes);
        expectSame(t, new Uint8Array(size).fill(97)); // never broken: streams never meet
      }
    }
  });

  it("on permutations, where a stream never meets the true state", () => {
    const r = rng(4);
    for (const m of [2, 3, 7, 61, 4096, 7919]) expectSame(counter(m), randomBytes(r, 200_000));
  });

  it("on 4 MiB of random text over a sparse random table", () => {
    const r = rng(5);
    const t = randomTables(r, 3000, 60, 400);
    for (let s = 0; s < t.table.length; s++) if (r(10) !== 0) t.table[s] = r(4) * t.width; // mostly back to low states
    expectSame(t, randomBytes(r, 4 << 20, 60), [
      { streams: 1, wasm },
      { streams: 4, wasm },
      { streams: 8, wasm },
    ]);
  });
});

describe("DFA runner contract", () => {
  it("reports why it runs TypeScript, and rejects malformed tables", () => {
    const t = chain(3);
    const ts = createRunner(t, { wasm: "ts" });
    expect([ts.engine, ts.fallback]).toEqual(["ts", "TypeScript loop asked for"]);
    expect(createRunner(t, { wasm }).fallback).toBeUndefined();
    expect(wasmModule("/nonexistent/scan.wasm", undefined)).toMatch(/^\/nonexistent\/scan.wasm: ENOENT/);
    expect(wasmModule(fileURLToPath(import.meta.url), undefined)).toMatch(/CompileError|magic/i);
    expect(() => createRunner(t, { wasm: new Uint8Array([0, 97, 115, 109]) })).toThrow();
    expect(() => createRunner({ ...t, table: Int32Array.of(0, 3) })).toThrow(RangeError);
    expect(() => createRunner({ ...t, classes: new Uint8Array(256).fill(2) })).toThrow(RangeError);
    expect(() => createRunner({ ...t, firstOutput: 99 })).toThrow(RangeError);
  });
});
