/**
 * The two implementations of the loop behind one interface, for runner.ts: WebAssembly
 * (scan.as.ts) over its linear memory, TypeScript (loop.ts) over typed arrays laid out alike.
 */
import { readFileSync } from "node:fs";
import { scan1, scanStreams } from "./loop.js";
import type { DfaTables } from "./runner.js";

/** One loop with its buffers: input, pairs out, control words (see scan.as.ts). */
export interface Kernel {
  /** Makes `bytes` the input; false when the memory cannot grow to hold it. */
  load(bytes: Uint8Array): boolean;
  /** scan1 over the input, resuming from ctl. */
  one(from: number, to: number, state: number, cap: number): number;
  /** The interleaved loop over one chunk. */
  many(from: number, len: number, state: number): number;
  /** The memory, as i32s (a new view after load()). */
  readonly mem: () => Int32Array;
  /** Index in mem() of the pairs written by the last call. */
  readonly outAt: number;
  /** Index in mem() of the control words. */
  readonly ctlAt: number;
  /** 1: one() is the loop; else many(), with that many streams. */
  readonly streams: number;
}

/** A compiled WebAssembly.Module (typed here: the project's lib has no WebAssembly). */
export type WasmModule = object;

/** The part of the WebAssembly JS API used here. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
}

const WA = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

interface Scan {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  heapBase(): number;
  scan1(...args: number[]): number;
  scan4(...args: number[]): number;
  scan8(...args: number[]): number;
}

const fileModules = new Map<string, WasmModule | string>();

/**
 * The module to instantiate: the one given, or `file`'s (compiled once per process), or the
 * reason why there is none (missing, unreadable, invalid). Throws only for given bytes that do
 * not compile.
 */
export function wasmModule(file: string, option: WasmModule | Uint8Array | undefined): WasmModule | string {
  if (!WA) return "no WebAssembly in this Node (--jitless?)";
  if (option instanceof Uint8Array) return new WA.Module(option);
  if (option) return option;
  let module = fileModules.get(file);
  if (module === undefined) {
    try {
      module = new WA.Module(readFileSync(file));
    } catch (error) {
      module = `${file}: ${(error as Error).message}`;
    }
    fileModules.set(file, module);
  }
  return module;
}

/** The TypeScript loop, with `chunk` pairs out. Never throws. */
export function tsKernel(t: DfaTables, chunk: number, streams: number): Kernel {
  const mem = new Int32Array(4 * chunk + 16);
  const reg = mem.subarray(2 * chunk, 4 * chunk);
  const out = mem.subarray(0, 2 * chunk);
  const ctl = mem.subarray(4 * chunk);
  let inp: Uint8Array = new Uint8Array(0);
  const { table, classes, firstOutput } = t;
  return {
    mem: () => mem,
    streams,
    outAt: 0,
    ctlAt: 4 * chunk,
    load(bytes) {
      inp = bytes;
      return true;
    },
    one: (from, to, state, cap) => scan1(inp, from, to, state, table, classes, firstOutput, out, cap, ctl),
    many: (from, len, state) => scanStreams(streams, inp, from, len, state, table, classes, firstOutput, reg, out, ctl),
  };
}

/**
 * An instance of `module` holding the tables, laid out as scan.as.ts expects (control words at
 * 1024, classes at 2048, table at 4096, scaled to byte offsets). Throws a RangeError when memory
 * cannot grow, an Error when the module's static data reaches the control words.
 */
export function wasmKernel(t: DfaTables, chunk: number, streams: number, module: WasmModule): Kernel {
  const x = new (WA as WasmApi).Instance(module, {}).exports as unknown as Scan;
  if (x.heapBase() > 1024) throw new Error(`static data up to ${x.heapBase()}, over the control words`);
  const ctl = 1024;
  const tab = 4096;
  const entries = t.next ? t.next.length : t.table.length;
  const reg = tab + ((entries * 4 + 15) & ~15);
  const out = reg + chunk * 8;
  const inp = out + chunk * 8;
  const grow = (bytes: number) => {
    const need = Math.ceil((bytes - x.memory.buffer.byteLength) / 65536);
    if (need > 0) x.memory.grow(need);
  };
  grow(inp);
  const words = new Int32Array(x.memory.buffer);
  for (let b = 0; b < 256; b++) words[512 + b] = (t.classes[b] as number) * 4;
  if (t.next) {
    const { next } = t;
    const scale = t.width * 4;
    for (let i = 0; i < entries; i++) words[tab / 4 + i] = (next[i] as number) * scale;
  } else for (let i = 0; i < entries; i++) words[tab / 4 + i] = (t.table[i] as number) * 4;
  const many = streams === 8 ? x.scan8 : x.scan4;
  const first = t.firstOutput * 4;
  let view = new Int32Array(x.memory.buffer);
  return {
    mem: () => view,
    streams,
    outAt: out / 4,
    ctlAt: ctl / 4,
    load(bytes) {
      try {
        grow(inp + bytes.length);
      } catch {
        return false;
      }
      new Uint8Array(x.memory.buffer).set(bytes, inp);
      view = new Int32Array(x.memory.buffer);
      return true;
    },
    one: (from, to, state, cap) => x.scan1(inp, from, to, state, first, out, cap, ctl),
    many: (from, len, state) => many(inp, from, len, state, first, reg, out, ctl),
  };
}
