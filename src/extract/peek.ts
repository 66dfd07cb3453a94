import { CorruptError } from "./limits.js";

/** The first bytes of a stream, and the whole stream again (head included). */
export interface Peeked {
  /** At least the size asked for, or all there was. */
  head: Uint8Array;
  /** The head, then the rest; a CorruptError met while reading the head comes after the head. */
  stream: AsyncIterable<Uint8Array>;
  /** Ends the source (an HTTP read) when the stream will not be read. */
  close(): Promise<unknown>;
}

/**
 * Reads at least `size` bytes (or all there is), and gives them back with the whole stream.
 * Bad data met within the head (a small gzip whose CRC is wrong) does not lose the bytes read
 * before it: the error is thrown by `stream` once the head was given. Other errors (the
 * source's, a limit) throw here.
 */
export async function peek(source: AsyncIterable<Uint8Array>, size: number): Promise<Peeked> {
  const it = source[Symbol.asyncIterator]();
  const taken: Uint8Array[] = [];
  let length = 0;
  let done = false;
  let deferred: CorruptError | undefined;
  try {
    while (length < size) {
      const r = await it.next();
      if (r.done) {
        done = true;
        break;
      }
      taken.push(r.value);
      length += r.value.byteLength;
    }
  } catch (error) {
    if (!(error instanceof CorruptError)) throw error;
    deferred = error;
    done = true;
  }
  const head = taken.length === 1 ? (taken[0] as Uint8Array) : Buffer.concat(taken);
  async function* stream(): AsyncIterable<Uint8Array> {
    if (head.length > 0) yield head;
    if (deferred) throw deferred;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { head, stream: stream(), close: async () => it.return?.() };
}
