/**
 * Object keys kept as UTF-8 in one growing buffer, with their start offsets: a million keys are
 * then two allocations instead of a million strings for the garbage collector to trace at every
 * major collection (about 64 bytes each as V8 strings, 40 here for a 39-character key).
 */
export class KeyStore {
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private used = 0;
  private starts = new Float64Array(1024);
  private count = 0;
  /** Keys that UTF-8 cannot carry back (a lone surrogate): kept as strings. */
  private readonly odd = new Map<number, string>();

  get length(): number {
    return this.count;
  }

  push(key: string): void {
    if (this.count === this.starts.length) {
      const starts = new Float64Array(this.starts.length * 2);
      starts.set(this.starts);
      this.starts = starts;
    }
    const need = Buffer.byteLength(key);
    if (this.used + need > this.bytes.length) {
      const bytes = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + need));
      this.bytes.copy(bytes, 0, 0, this.used);
      this.bytes = bytes;
    }
    const written = this.bytes.write(key, this.used, "utf8");
    this.starts[this.count] = this.used;
    // A key that is not ASCII must come back equal: lone surrogates do not survive UTF-8.
    if (written !== key.length && this.bytes.toString("utf8", this.used, this.used + written) !== key)
      this.odd.set(this.count, key);
    else this.used += written;
    this.count++;
  }

  /** Bytes held: the buffer and the offsets, growth slack included (odd keys not counted). */
  get retainedBytes(): number {
    return this.bytes.length + this.starts.byteLength;
  }

  get(i: number): string {
    const odd = this.odd.get(i);
    if (odd !== undefined) return odd;
    return this.bytes.toString("utf8", this.starts[i] as number, this.end(i));
  }

  /** Orders keys `i` and `j` by their UTF-8 bytes (code point order, as S3 lists), then by index. */
  compare(i: number, j: number): number {
    if (this.odd.size > 0 && (this.odd.has(i) || this.odd.has(j))) {
      // By code point, as UTF-8 bytes order the others (a lone surrogate sits between U+D7FF and U+E000).
      const order = byCodePoint(this.get(i), this.get(j));
      return order !== 0 ? order : i - j;
    }
    const order = this.bytes.compare(
      this.bytes,
      this.starts[j] as number,
      this.end(j),
      this.starts[i] as number,
      this.end(i),
    );
    return order !== 0 ? order : i - j;
  }

  private end(i: number): number {
    return i + 1 < this.count ? (this.starts[i + 1] as number) : this.used;
  }
}

function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let k = 0; k < Math.min(x.length, y.length); k++) {
    const d = (x[k]?.codePointAt(0) ?? 0) - (y[k]?.codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
