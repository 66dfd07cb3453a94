/**
 * The DFA run-time loop in plain TypeScript: the fallback when WebAssembly is not there, and the
 * reference the WebAssembly loop (scan.as.ts) is tested against. Same contract, same code, with
 * typed arrays for its linear memory. Why the interleaved form is exact: see scan.as.ts.
 */

/**
 * One stream from `state` over `inp[from, to)`: writes (end, state) pairs to `out`, stops
 * early once `cap` pairs are written; sets ctl[0], ctl[1] to the stop position and the state
 * there (call again from them to resume). Returns the number of pairs. Never throws.
 */
export function scan1(
  inp: Uint8Array,
  from: number,
  to: number,
  state: number,
  tab: Int32Array,
  cls: Uint8Array,
  first: number,
  out: Int32Array,
  cap: number,
  ctl: Int32Array,
): number {
  let s = state;
  let n = 0;
  let i = from;
  while (i < to) {
    s = tab[s + (cls[inp[i] as number] as number)] as number;
    i++;
    if (s >= first) {
      out[2 * n] = i;
      out[2 * n + 1] = s;
      n++;
      if (n === cap) break;
    }
  }
  ctl[0] = i;
  ctl[1] = s;
  return n;
}

/**
 * `k` interleaved streams over `inp[from, from+len)`, stream 0 from `state`: writes the exact
 * pairs (as scan1 would) to `out`, using `reg` (both hold `len` pairs) and `ctl` (2k numbers)
 * as scratch; sets ctl[0] to the last state. Returns the number of pairs. Never throws.
 */
export function scanStreams(
  k: number,
  inp: Uint8Array,
  from: number,
  len: number,
  state: number,
  tab: Int32Array,
  cls: Uint8Array,
  first: number,
  reg: Int32Array,
  out: Int32Array,
  ctl: Int32Array,
): number {
  const seg = Math.floor(len / k);
  const s = new Int32Array(k);
  const o = new Int32Array(k); // region cursors, in i32s
  s[0] = state;
  for (let j = 0; j < k; j++) o[j] = 2 * j * seg;
  let t = 0;
  if (k === 4) t = lockstep4(inp, from, seg, tab, cls, first, reg, s, o);
  for (; t < seg; t++)
    for (let j = 0, p = from + t; j < k; j++, p += seg) {
      const q = tab[(s[j] as number) + (cls[inp[p] as number] as number)] as number;
      s[j] = q;
      if (q >= first) {
        const c = o[j] as number;
        reg[c] = p + 1;
        reg[c + 1] = q;
        o[j] = c + 2;
      }
    }
  const last = k - 1;
  const m = scan1(
    inp,
    from + last * seg + t,
    from + len,
    s[last] as number,
    tab,
    cls,
    first,
    reg.subarray(o[last] as number),
    len,
    ctl,
  );
  s[last] = ctl[1] as number;
  o[last] = (o[last] as number) + 2 * m;
  // fixup(), as in scan.as.ts
  let n = (o[0] as number) / 2;
  out.set(reg.subarray(0, 2 * n));
  let a = s[0] as number;
  for (let j = 1; j < k; j++) {
    const p = from + j * seg;
    const end = j === last ? from + len : p + seg;
    let b = 0;
    let i = p;
    while (a !== b && i < end) {
      a = tab[a + (cls[inp[i] as number] as number)] as number;
      b = tab[b + (cls[inp[i] as number] as number)] as number;
      i++;
      if (a >= first) {
        out[2 * n] = i;
        out[2 * n + 1] = a;
        n++;
      }
    }
    if (a !== b) continue; // never met: every true hit of the segment is out, a is true at end
    let r = 2 * j * seg;
    while (r < (o[j] as number) && (reg[r] as number) <= i) r += 2;
    out.set(reg.subarray(r, o[j] as number), 2 * n);
    n += ((o[j] as number) - r) / 2;
    a = s[j] as number;
  }
  ctl[0] = a;
  return n;
}

/** scanStreams' lockstep loop for 4 streams, in locals (about twice the generic one's speed). Returns seg. */
function lockstep4(
  inp: Uint8Array,
  p0: number,
  seg: number,
  tab: Int32Array,
  cls: Uint8Array,
  first: number,
  reg: Int32Array,
  s: Int32Array,
  o: Int32Array,
): number {
  let [s0, s1, s2, s3] = s as unknown as [number, number, number, number];
  let [o0, o1, o2, o3] = o as unknown as [number, number, number, number];
  for (let p = p0, end = p0 + seg; p < end; p++) {
    s0 = tab[s0 + (cls[inp[p] as number] as number)] as number;
    s1 = tab[s1 + (cls[inp[p + seg] as number] as number)] as number;
    s2 = tab[s2 + (cls[inp[p + 2 * seg] as number] as number)] as number;
    s3 = tab[s3 + (cls[inp[p + 3 * seg] as number] as number)] as number;
    o0 = hit(reg, o0, p + 1, s0, first);
    o1 = hit(reg, o1, p + seg + 1, s1, first);
    o2 = hit(reg, o2, p + 2 * seg + 1, s2, first);
    o3 = hit(reg, o3, p + 3 * seg + 1, s3, first);
  }
  s.set([s0, s1, s2, s3]);
  o.set([o0, o1, o2, o3]);
  return seg;
}

/** Writes (end, q) at `o` when q is an output state; returns the next cursor. */
function hit(reg: Int32Array, o: number, end: number, q: number, first: number): number {
  if (q < first) return o;
  reg[o] = end;
  reg[o + 1] = q;
  return o + 2;
}
