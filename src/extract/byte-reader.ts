/**
 * Pull reads over a byte stream for a decoder that parses framing itself (gzip members): whole
 * chunks, exact counts, and bytes given back. Counts each chunk it takes from the source once.
 * One chunk is read ahead, so that the source's next read overlaps the decoding of this one.
 */
export class ByteReader {
  private readonly it: AsyncIterator<Uint8Array>;
  private readonly back: Uint8Array[] = [];
  private done = false;
  private ahead: Promise<IteratorResult<Uint8Array>> | undefined;

  /** `onChunk` is told the size of each chunk taken from `source` (the compressed-bytes counter). */
  constructor(
    source: AsyncIterable<Uint8Array>,
    private readonly onChunk: (bytes: number) => void,
  ) {
    this.it = source[Symbol.asyncIterator]();
  }

  /** The next bytes (given back first), or undefined at the end. Fails as the source fails. */
  async chunk(): Promise<Uint8Array | undefined> {
    const given = this.back.pop();
    if (given) return given;
    if (this.done) return undefined;
    for (;;) {
      const r = await (this.ahead ?? this.it.next());
      this.ahead = undefined;
      if (r.done) {
        this.done = true;
        return undefined;
      }
      this.onChunk(r.value.byteLength);
      this.readAhead();
      if (r.value.byteLength > 0) return r.value;
    }
  }

  private readAhead(): void {
    const next = this.it.next();
    // Its failure is thrown by the chunk() that takes it, not left unhandled meanwhile.
    next.catch(() => undefined);
    this.ahead = next;
  }

  /** Gives bytes back: the next `chunk()` returns them. */
  unshift(bytes: Uint8Array): void {
    if (bytes.byteLength > 0) this.back.push(bytes);
  }

  /** Exactly `n` bytes, or fewer when the stream ends first. */
  async exact(n: number): Promise<Buffer> {
    const parts: Uint8Array[] = [];
    let have = 0;
    while (have < n) {
      const chunk = await this.chunk();
      if (!chunk) break;
      const take = Math.min(n - have, chunk.byteLength);
      parts.push(chunk.subarray(0, take));
      this.unshift(chunk.subarray(take));
      have += take;
    }
    return Buffer.concat(parts);
  }

  /** Skips bytes up to and including the next zero byte; false when the stream ends first. */
  async skipPastZero(): Promise<boolean> {
    for (let chunk = await this.chunk(); chunk; chunk = await this.chunk()) {
      const at = chunk.indexOf(0);
      if (at >= 0) {
        this.unshift(chunk.subarray(at + 1));
        return true;
      }
    }
    return false;
  }

  /** Reads the rest of the stream: how many bytes there were, and whether all were zero. */
  async drain(): Promise<{ bytes: number; zeros: boolean }> {
    let bytes = 0;
    let zeros = true;
    for (let chunk = await this.chunk(); chunk; chunk = await this.chunk()) {
      bytes += chunk.byteLength;
      if (zeros && chunk.some((b) => b !== 0)) zeros = false;
    }
    return { bytes, zeros };
  }

  /** Ends the source early (an HTTP read) when the rest will not be read. */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.ahead?.catch(() => undefined);
    await this.it.return?.();
  }
}
