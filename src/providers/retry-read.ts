import { Attempt, aborted, RetryBudget, type RetryContext } from "./retry.js";

/** An answer to a ranged read: its body, and the offset of its first byte as the server says (Content-Range). */
export interface RangeAnswer {
  body: AsyncIterable<Uint8Array>;
  /** The first byte's offset; the requested one when the server does not say, 0 when it ignored the range. */
  start: number;
}

/** Opens `[offset, offset + length)` of an object; `undefined` when there is nothing to read. */
export type OpenRange = (
  offset: number,
  length: number | undefined,
  signal: AbortSignal,
) => Promise<RangeAnswer | undefined>;

/** A range to read; `size` (the listed object size) tells how many bytes a whole answer holds. */
export interface ReadSpan {
  offset: number;
  length?: number;
  size?: number;
}

/**
 * A ranged read with a deadline for the answer and for every chunk after it: a body that stops
 * sending is cut after `timeoutMs` of silence and read again from the first byte not yet
 * delivered, so no byte is lost or given twice. An answer that ends before the bytes asked for
 * (a clean close mid-body) is read on the same way, and one that starts before them (a server
 * that ignored the range) is skipped up to them; nothing past the range is given. Bytes
 * received reset the failure count: a link that drops every few MiB still finishes a long
 * exhaustive read.
 * Cancellation: the caller's signal aborts the request and the body; the iterator then throws.
 */
export async function* retryingRead(open: OpenRange, span: ReadSpan, ctx: RetryContext): AsyncIterable<Uint8Array> {
  const budget = new RetryBudget(ctx);
  const total = expectedLength(span);
  let delivered = 0;
  for (;;) {
    const attempt = new Attempt(ctx.policy.timeoutMs, ctx.signal);
    let body: AsyncIterable<Uint8Array> | undefined;
    let ended = false;
    // A deadline or a cancellation destroys the body with an error, so that a pending chunk rejects.
    const cut = () => destroy(body, attempt.signal.reason);
    attempt.signal.addEventListener("abort", cut, { once: true });
    try {
      const want = span.offset + delivered;
      const left = total === undefined ? span.length : total - delivered;
      const answer = await Promise.race([open(want, left, attempt.signal), aborted(attempt.signal)]);
      if (!answer) return;
      body = answer.body;
      if (attempt.signal.aborted) cut();
      let skip = want - answer.start;
      if (skip < 0) throw shortAnswer(`the answer starts at byte ${answer.start}, after byte ${want}`);
      attempt.arm();
      let surplus = 0;
      for await (let chunk of body) {
        if (total !== undefined && delivered >= total) {
          // Past the range: read the body to its end, so that its connection goes back to the
          // pool (a body destroyed before its end closes the socket: a new TCP and TLS handshake
          // per object), but not an endless one.
          surplus += chunk.byteLength;
          if (surplus > SURPLUS_LIMIT) break;
          continue;
        }
        if (skip > 0) {
          const dropped = Math.min(skip, chunk.byteLength);
          skip -= dropped;
          chunk = chunk.subarray(dropped);
        }
        if (total !== undefined && chunk.byteLength > total - delivered) chunk = chunk.subarray(0, total - delivered);
        if (chunk.byteLength > 0) {
          delivered += chunk.byteLength;
          budget.progressed();
          attempt.pause();
          yield chunk;
        }
        attempt.arm();
      }
      ended = true;
      if (total !== undefined && delivered < total)
        throw shortAnswer(`the answer ended after ${delivered} of ${total} bytes`);
      return;
    } catch (error) {
      destroy(body, error);
      // Every byte asked for was delivered: a failure while waiting for the body's end loses nothing.
      if (total !== undefined && delivered >= total && !ctx.signal?.aborted) return;
      await budget.afterFailure(error, attempt);
    } finally {
      attempt.signal.removeEventListener("abort", cut);
      attempt.end();
      // The consumer stopped early, the range was full, or an error ended the try: release the socket.
      if (!ended) destroy(body, new Error("read stopped"));
    }
  }
}

/** Bytes past the range read to reach a body's end before giving up on its connection. */
const SURPLUS_LIMIT = 64 * 1024;

/**
 * Where an answer starts: the first byte of its Content-Range (`bytes 100-199/1000`); 0 for a
 * 200 without one when a range was asked (the server sent the whole object); else as asked.
 */
export function answerStart(contentRange: string | undefined, status: number | undefined, asked: number): number {
  const first = contentRange ? /^bytes (\d+)-/.exec(contentRange)?.[1] : undefined;
  if (first !== undefined) return Number(first);
  return status === 200 ? 0 : asked;
}

/** The bytes a whole answer holds: the range asked, within the object's listed size when known. */
function expectedLength(span: ReadSpan): number | undefined {
  const rest = span.size !== undefined && span.size > 0 ? Math.max(0, span.size - span.offset) : undefined;
  if (span.length === undefined) return rest;
  return rest === undefined ? span.length : Math.min(span.length, rest);
}

/** An answer cut short without an error: read again, like a reset (ERR_STREAM_PREMATURE_CLOSE). */
function shortAnswer(what: string): Error {
  return Object.assign(new Error(`connection closed mid-answer: ${what}`), { code: "ERR_STREAM_PREMATURE_CLOSE" });
}

/** Destroys a Node stream body with an error (a plain end would read as a complete body). */
function destroy(body: AsyncIterable<Uint8Array> | undefined, reason: unknown): void {
  const stream = body as { destroy?: (e?: Error) => void; destroyed?: boolean } | undefined;
  if (stream?.destroy && !stream.destroyed)
    stream.destroy(reason instanceof Error ? reason : new Error(String(reason ?? "aborted")));
}
