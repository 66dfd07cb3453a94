// @ts-nocheck: AssemblyScript, not TypeScript; compiled by scripts/build-wasm.ts, never imported.
/**
 * The DFA run-time loop in WebAssembly. JS lays out linear memory (kernels.ts): classes at CLS
 * and the table at TAB, both scaled to byte offsets so that a step is two loads with constant
 * offsets (30% faster than scaling in the loop); states in and out of these functions are in
 * that scale, states in pairs are not. `inp` is the input, `out` i32 pairs (end, state), `ctl`
 * a few i32s of control. No allocation, no runtime (--runtime stub). loop.ts holds the same
 * code in TypeScript over plain premultiplied tables: the two must stay alike.
 *
 * Interleaving (scan4, scan8): a chunk [from, from+len) is cut into K segments [p_k, p_k+1);
 * stream 0 starts at the carried true state, streams k > 0 at state 0, all K run in one loop
 * (K independent load chains hide the latency of the dependent table load), each writing its
 * own hits into its own region of `reg`. Then fixup() makes the result exact, segment by
 * segment, with `a` = the true state at p_k:
 *   a and b (b from 0, i.e. stream k's own states) step together from p_k, emitting a's hits
 *   (the true ones), until a === b at some j, or until p_k+1. If a === b at j: the DFA is
 *   deterministic, so stream k's state equals the true state at every position from j on;
 *   stream k's hits with end > j are exact and are copied after the emitted ones (ends <= j),
 *   and the true state at p_k+1 is stream k's last state. Otherwise all of stream k's hits are
 *   dropped (every true hit of the segment was emitted) and a is the true state at p_k+1.
 * Induction on k (base: stream 0 starts at the true state) gives every segment's true hits,
 * each end once (segments partition the ends), in end order, as one stream would report them.
 * A segment of n bytes has at most n hits, so a region never overflows (its size is its
 * segment's length) and neither does `out` (len pairs): no resumption is needed within a chunk.
 */

/** The 256 byte classes, each as i32 class × 4 (a byte offset into a table row). */
const CLS: usize = 2048;
/** The table, each entry as a byte offset (premultiplied state × 4), until `inp`, `reg`, `out`. */
const TAB: usize = 4096;

/** The end of the module's static data (≤ 1024: the control words go there, then CLS, TAB). */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * One stream from `state` over bytes [from, to) of `inp`: writes (end, state) pairs to `out`,
 * stops early once `cap` pairs are written. Stores at `ctl` the stop position and the state
 * there (call again from them to resume). Returns the number of pairs.
 */
export function scan1(inp: usize, from: i32, to: i32, state: i32, first: i32, out: usize, cap: i32, ctl: usize): i32 {
  let s = state;
  let n = 0;
  let i = from;
  while (i < to) {
    s = step(s, i, inp);
    i++;
    if (s >= first) {
      store<i32>(out + ((<usize>n) << 3), i);
      store<i32>(out + ((<usize>n) << 3), s >> 2, 4);
      n++;
      if (n === cap) break;
    }
  }
  store<i32>(ctl, i);
  store<i32>(ctl, s, 4);
  return n;
}

/** The state after byte `p` of `inp`, from state `s`. */
function step(s: i32, p: i32, inp: usize): i32 {
  return load<i32>(<usize>(s + load<i32>((<usize>load<u8>(inp + <usize>p)) << 2, CLS)), TAB);
}

/**
 * Makes the K regions exact (see the file comment) into `out`. `ctl` holds, per stream k, its
 * last state at ctl[k] and its hit count at ctl[K+k]. Stores the chunk's true last state at
 * ctl[0]. Returns the number of pairs in `out`.
 */
function fixup(K: i32, inp: usize, from: i32, len: i32, seg: i32, first: i32, reg: usize, out: usize, ctl: usize): i32 {
  let n = load<i32>(ctl + ((<usize>K) << 2));
  memory.copy(out, reg, (<usize>n) << 3);
  let a = load<i32>(ctl);
  for (let k = 1; k < K; k++) {
    const p = from + k * seg;
    const end = k === K - 1 ? from + len : p + seg;
    let b = 0;
    let j = p;
    while (a !== b && j < end) {
      a = step(a, j, inp);
      b = step(b, j, inp);
      j++;
      if (a >= first) {
        store<i32>(out + ((<usize>n) << 3), j);
        store<i32>(out + ((<usize>n) << 3), a >> 2, 4);
        n++;
      }
    }
    if (a !== b) continue; // never met: every true hit of the segment is emitted, a is true at end
    const r = reg + ((<usize>(k * seg)) << 3);
    const m = load<i32>(ctl + ((<usize>(K + k)) << 2));
    let q = 0;
    while (q < m && load<i32>(r + ((<usize>q) << 3)) <= j) q++;
    memory.copy(out + ((<usize>n) << 3), r + ((<usize>q) << 3), (<usize>(m - q)) << 3);
    n += m - q;
    a = load<i32>(ctl + ((<usize>k) << 2));
  }
  store<i32>(ctl, a);
  return n;
}

/** Writes the pair (end, s) at cursor `o` when `s` is an output state; returns the next cursor. */
function hit(o: usize, end: i32, s: i32, first: i32): usize {
  if (s < first) return o;
  store<i32>(o, end);
  store<i32>(o, s >> 2, 4);
  return o + 8;
}

/**
 * Four interleaved streams over bytes [from, from+len) of `inp`, stream 0 from `state`; `reg`
 * and `out` each hold `len` pairs, `ctl` 8 i32s. Writes the exact pairs to `out`, stores the
 * last state at ctl[0]. Returns the number of pairs.
 */
export function scan4(
  inp: usize,
  from: i32,
  len: i32,
  state: i32,
  first: i32,
  reg: usize,
  out: usize,
  ctl: usize,
): i32 {
  const seg = len >> 2;
  const p1 = from + seg,
    p2 = p1 + seg,
    p3 = p2 + seg;
  const r1 = reg + ((<usize>seg) << 3),
    r2 = r1 + ((<usize>seg) << 3),
    r3 = r2 + ((<usize>seg) << 3);
  let s0 = state,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let o0 = reg,
    o1 = r1,
    o2 = r2,
    o3 = r3;
  let t = 0;
  for (; t < seg; t++) {
    s0 = step(s0, from + t, inp);
    s1 = step(s1, p1 + t, inp);
    s2 = step(s2, p2 + t, inp);
    s3 = step(s3, p3 + t, inp);
    o0 = hit(o0, from + t + 1, s0, first);
    o1 = hit(o1, p1 + t + 1, s1, first);
    o2 = hit(o2, p2 + t + 1, s2, first);
    o3 = hit(o3, p3 + t + 1, s3, first);
  }
  for (; p3 + t < from + len; t++) {
    s3 = step(s3, p3 + t, inp);
    o3 = hit(o3, p3 + t + 1, s3, first);
  }
  store<i32>(ctl, s0);
  store<i32>(ctl, s1, 4);
  store<i32>(ctl, s2, 8);
  store<i32>(ctl, s3, 12);
  store<i32>(ctl, <i32>((o0 - reg) >> 3), 16);
  store<i32>(ctl, <i32>((o1 - r1) >> 3), 20);
  store<i32>(ctl, <i32>((o2 - r2) >> 3), 24);
  store<i32>(ctl, <i32>((o3 - r3) >> 3), 28);
  return fixup(4, inp, from, len, seg, first, reg, out, ctl);
}

/** As scan4, with eight streams; `ctl` holds 16 i32s. */
export function scan8(
  inp: usize,
  from: i32,
  len: i32,
  state: i32,
  first: i32,
  reg: usize,
  out: usize,
  ctl: usize,
): i32 {
  const seg = len >> 3;
  const w = (<usize>seg) << 3;
  const p1 = from + seg,
    p2 = p1 + seg,
    p3 = p2 + seg,
    p4 = p3 + seg,
    p5 = p4 + seg,
    p6 = p5 + seg,
    p7 = p6 + seg;
  let s0 = state,
    s1 = 0,
    s2 = 0,
    s3 = 0,
    s4 = 0,
    s5 = 0,
    s6 = 0,
    s7 = 0;
  let o0 = reg,
    o1 = reg + w,
    o2 = o1 + w,
    o3 = o2 + w,
    o4 = o3 + w,
    o5 = o4 + w,
    o6 = o5 + w,
    o7 = o6 + w;
  let t = 0;
  for (; t < seg; t++) {
    s0 = step(s0, from + t, inp);
    s1 = step(s1, p1 + t, inp);
    s2 = step(s2, p2 + t, inp);
    s3 = step(s3, p3 + t, inp);
    s4 = step(s4, p4 + t, inp);
    s5 = step(s5, p5 + t, inp);
    s6 = step(s6, p6 + t, inp);
    s7 = step(s7, p7 + t, inp);
    o0 = hit(o0, from + t + 1, s0, first);
    o1 = hit(o1, p1 + t + 1, s1, first);
    o2 = hit(o2, p2 + t + 1, s2, first);
    o3 = hit(o3, p3 + t + 1, s3, first);
    o4 = hit(o4, p4 + t + 1, s4, first);
    o5 = hit(o5, p5 + t + 1, s5, first);
    o6 = hit(o6, p6 + t + 1, s6, first);
    o7 = hit(o7, p7 + t + 1, s7, first);
  }
  for (; p7 + t < from + len; t++) {
    s7 = step(s7, p7 + t, inp);
    o7 = hit(o7, p7 + t + 1, s7, first);
  }
  store<i32>(ctl, s0);
  store<i32>(ctl, s1, 4);
  store<i32>(ctl, s2, 8);
  store<i32>(ctl, s3, 12);
  store<i32>(ctl, s4, 16);
  store<i32>(ctl, s5, 20);
  store<i32>(ctl, s6, 24);
  store<i32>(ctl, s7, 28);
  store<i32>(ctl, <i32>((o0 - reg) >> 3), 32);
  store<i32>(ctl, <i32>((o1 - reg - w) >> 3), 36);
  store<i32>(ctl, <i32>((o2 - reg - 2 * w) >> 3), 40);
  store<i32>(ctl, <i32>((o3 - reg - 3 * w) >> 3), 44);
  store<i32>(ctl, <i32>((o4 - reg - 4 * w) >> 3), 48);
  store<i32>(ctl, <i32>((o5 - reg - 5 * w) >> 3), 52);
  store<i32>(ctl, <i32>((o6 - reg - 6 * w) >> 3), 56);
  store<i32>(ctl, <i32>((o7 - reg - 7 * w) >> 3), 60);
  return fixup(8, inp, from, len, seg, first, reg, out, ctl);
}
