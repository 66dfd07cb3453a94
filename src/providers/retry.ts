import { type ErrorFacts, errorCode, requestVerdict } from "./errors.js";

/**
 * One retry layer for every cloud request (listing pages, ranged reads, posture calls), the
 * same on S3, Azure and GCS: the SDKs' own retries are off. Why our own: the S3 SDK's
 * adaptive mode throttled a scan under 30% `SlowDown` to 2 requests a second and lost objects,
 * its request timeout only logged a warning; Azure's `tryTimeoutInMs` is a server-side
 * parameter, not a client deadline; GCS took 95 s to give up on a refused port.
 */
export interface RetryPolicy {
  /**
   * Deadline of one attempt, in ms: for its answer (response headers), then for each chunk of
   * a streamed body. Enforced by aborting the attempt. Default 30,000.
   */
  timeoutMs: number;
  /** Attempts for failures that may pass (timeouts, resets, refused connections, 5xx), the first included. Default 4. */
  attempts: number;
  /**
   * How long a throttled request (429, 503 SlowDown, ServerBusy) keeps being retried, in ms:
   * throttling is the server asking to come back later, not a failure. Default 120,000.
   */
  throttleBudgetMs: number;
  /** First back-off in ms; doubled at each retry up to `maxDelayMs`, with full jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  timeoutMs: 30_000,
  attempts: 4,
  throttleBudgetMs: 120_000,
  baseDelayMs: 100,
  maxDelayMs: 5_000,
};

/** A policy from a provider's options (`requestTimeoutMs`, `maxAttempts`). */
export function retryPolicy(options: { requestTimeoutMs?: number; maxAttempts?: number }): RetryPolicy {
  return {
    ...DEFAULT_RETRY,
    timeoutMs: options.requestTimeoutMs ?? DEFAULT_RETRY.timeoutMs,
    attempts: options.maxAttempts ?? DEFAULT_RETRY.attempts,
  };
}

/**
 * The policy of posture calls (ACLs, policies, the anonymous probe): throttled for 15 s at most.
 * A posture fact that stays throttled becomes "unknown"; it must not hold the bucket's listing
 * back for the two minutes a read may wait.
 */
export function posturePolicy(policy: RetryPolicy): RetryPolicy {
  return { ...policy, throttleBudgetMs: Math.min(policy.throttleBudgetMs, 15_000) };
}

/** How a provider turns its SDK's errors into facts, and the last error into its own. */
export interface RetryContext {
  policy: RetryPolicy;
  facts(cause: unknown): ErrorFacts;
  /**
   * The error to throw when retries end. `attempts` counts the tries made; `deadline` is set
   * when the caller's signal ended them (an object's time budget) after a failed try.
   */
  fail(cause: unknown, attempts: number, deadline?: string): Error;
  /** The caller's signal: a scan's cancellation or an object's time budget. Never retried past. */
  signal?: AbortSignal;
}

/** Thrown by an attempt whose deadline passed; `TimeoutError` so every layer reads it as a timeout. */
export class AttemptTimeout extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = "TimeoutError";
  }
}

/** One attempt's signal: the caller's, plus a deadline timer that `arm` restarts (per chunk, for bodies). */
export class Attempt {
  readonly controller = new AbortController();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onParent = () => this.controller.abort(this.parent?.reason);

  constructor(
    private readonly ms: number,
    private readonly parent?: AbortSignal,
  ) {
    parent?.addEventListener("abort", this.onParent, { once: true });
    if (parent?.aborted) this.onParent();
    this.arm();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The attempt's own deadline passed (not the caller's). */
  get timedOut(): boolean {
    return this.controller.signal.reason instanceof AttemptTimeout;
  }

  /** Restarts the deadline: called when an answer or a chunk arrives. */
  arm(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new AttemptTimeout(this.ms)), this.ms);
  }

  /** Stops the deadline while the consumer works on a chunk: its time is not the server's. */
  pause(): void {
    clearTimeout(this.timer);
  }

  end(): void {
    clearTimeout(this.timer);
    this.parent?.removeEventListener("abort", this.onParent);
  }
}

/**
 * Tracks the tries of one request and decides after each failure: throw, or wait and retry.
 * Shared by {@link retrying} and the streamed reads of `retry-read.ts`.
 */
export class RetryBudget {
  /** Failures since the last progress: they count against the attempts and set the back-off. */
  private failures = 0;
  private tries = 0;
  private last: unknown;
  /** When the current run of throttled answers began (the throttling budget runs from there), and its length. */
  private throttledSince: number | undefined;
  private throttles = 0;

  constructor(private readonly ctx: RetryContext) {}

  /** Counts a try that made progress (bytes of a body): failures and throttling before it no longer count. */
  progressed(): void {
    this.failures = 0;
    this.throttles = 0;
    this.throttledSince = undefined;
  }

  /** After a failed try: resolves when it is time to retry, or rejects with the error to throw. */
  async afterFailure(error: unknown, attempt: Attempt): Promise<void> {
    const { ctx } = this;
    if (ctx.signal?.aborted && !attempt.timedOut) throw this.stopped(error);
    this.tries++;
    this.last = attempt.timedOut ? attempt.signal.reason : error;
    // An SDK that says "aborted" when nobody aborted lost its connection (Azure, on a reset mid-body).
    if (!attempt.signal.aborted && errorCode(ctx.facts(this.last)) === "aborted")
      this.last = Object.assign(new Error("connection closed mid-answer", { cause: error }), {
        code: "ERR_STREAM_PREMATURE_CLOSE",
      });
    const verdict = requestVerdict(ctx.facts(this.last));
    const { policy } = ctx;
    if (verdict === "fatal") throw ctx.fail(this.last, this.tries);
    const now = Date.now();
    if (verdict === "throttled") {
      this.throttledSince ??= now;
      this.throttles++;
    }
    const spent =
      verdict === "throttled"
        ? now - (this.throttledSince as number) > policy.throttleBudgetMs
        : ++this.failures >= policy.attempts;
    if (spent) throw ctx.fail(this.last, this.tries);
    const streak = this.failures + this.throttles;
    const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(streak - 1, 20));
    await sleep(Math.random() * cap, ctx.signal).catch((reason) => {
      throw this.stopped(reason);
    });
  }

  /**
   * The caller's signal ended the request: its reason as it is, or, after failed tries, the
   * last failure with that reason (a budget that ran out while the server throttled says so).
   */
  private stopped(error: unknown): unknown {
    const { signal } = this.ctx;
    if (this.tries === 0) return signal?.reason ?? error;
    const why = signal?.reason instanceof Error ? signal.reason.message : "aborted";
    return this.ctx.fail(this.last, this.tries, why);
  }
}

/** One call under a provider's retry layer, for posture code: the SDK's own error comes out when it ends. */
export type Retried = <T>(call: (signal: AbortSignal) => Promise<T>) => Promise<T>;

/** A {@link Retried} that runs the call once, with the caller's signal: for callers without a policy (tests). */
export const once =
  (signal?: AbortSignal): Retried =>
  (call) =>
    call(signal ?? new AbortController().signal);

/** Runs `call` with a deadline per attempt and retries what may pass; see {@link RetryPolicy}. */
export async function retrying<T>(call: (signal: AbortSignal) => Promise<T>, ctx: RetryContext): Promise<T> {
  const budget = new RetryBudget(ctx);
  for (;;) {
    const attempt = new Attempt(ctx.policy.timeoutMs, ctx.signal);
    try {
      // A call that ignores its signal (some SDK paths do) still loses the race with the deadline.
      return await Promise.race([call(attempt.signal), aborted(attempt.signal)]);
    } catch (error) {
      await budget.afterFailure(error, attempt);
    } finally {
      attempt.end();
    }
  }
}

/**
 * One call with a deadline and no retry, for calls that make several requests of their own (the
 * Azure management plane's listing): the call's signal aborts at `ms`, and a call that ignores
 * its signal (a TLS handshake that never ends) still loses the race.
 */
export async function withDeadline<T>(call: (signal: AbortSignal) => Promise<T>, ms: number, parent?: AbortSignal) {
  const attempt = new Attempt(ms, parent);
  try {
    return await Promise.race([call(attempt.signal), aborted(attempt.signal)]);
  } finally {
    attempt.end();
  }
}

/** Rejects with the signal's reason when it aborts. */
export function aborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
