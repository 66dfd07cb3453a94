import { Attempt, aborted, RetryBudget, type RetryContext } from "./retry.js";

/** Opens `[offset, offset + length)` of an object; the answer's body is a Node stream or any async iterable. */
export type OpenRange = (
  offset: number,
  length: number | undefined,
  signal: AbortSignal,
) => Promise<AsyncIterable<Uint8Array> | undefined>;

/**
 * A ranged read with a deadline for the answer and for every chunk after it: a body that stops
 * sending is cut after `timeoutMs` of silence and read again from the first byte not yet
 * delivered, so no byte is lost or given twice. Bytes received reset the failure count: a link
 * that drops every few MiB still finishes a long exhaustive read.
 * Cancellation: the caller's signal aborts the request and the body; the iterator then throws.
 */
export async function* retryingRead(
  open: OpenRange,
  range: { offset: number; length?: number },
  ctx: RetryContext,
): AsyncIterable<Uint8Array> {
  const budget = new RetryBudget(ctx);
  let delivered = 0;
  for (;;) {
    const attempt = new Attempt(ctx.policy.timeoutMs, ctx.signal);
    let body: AsyncIterable<Uint8Array> | undefined;
    let finished = false;
    // A deadline or a cancellation destroys the body with an error, so that a pending chunk rejects.
    const cut = () => destroy(body, attempt.signal.reason);
    attempt.signal.addEventListener("abort", cut, { once: true });
    try {
      const left = range.length === undefined ? undefined : range.length - delivered;
      body = await Promise.race([open(range.offset + delivered, left, attempt.signal), aborted(attempt.signal)]);
      if (attempt.signal.aborted) cut();
      if (!body) return;
      attempt.arm();
      for await (const chunk of body) {
        attempt.arm();
        delivered += chunk.byteLength;
        budget.progressed();
        yield chunk;
      }
      finished = true;
      return;
    } catch (error) {
      destroy(body, error);
      await budget.afterFailure(error, attempt);
    } finally {
      attempt.signal.removeEventListener("abort", cut);
      attempt.end();
      // The consumer stopped early (or an error ended the try): release the socket.
      if (!finished) destroy(body, new Error("read stopped"));
    }
  }
}

/** Destroys a Node stream body with an error (a plain end would read as a complete body). */
function destroy(body: AsyncIterable<Uint8Array> | undefined, reason: unknown): void {
  const stream = body as { destroy?: (e?: Error) => void; destroyed?: boolean } | undefined;
  if (stream?.destroy && !stream.destroyed)
    stream.destroy(reason instanceof Error ? reason : new Error(String(reason ?? "aborted")));
}
