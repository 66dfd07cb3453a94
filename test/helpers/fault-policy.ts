/**
 * The fault proxy's policy: what to inject, and the seeded draws that make a run replayable.
 * The fault of the n-th request is a pure function of the seed and n ({@link plannedFault}).
 */
import { seededRandom } from "../../src/demo/synthetic.js";
import type { RequestKind } from "./fault-protocols.js";

export type FaultKind =
  | "throttle"
  | "reset-before-headers"
  | "reset-mid-body"
  | "latency"
  | "hang"
  | "hang-body"
  | "kill";

/** A request as a policy's predicates see it. */
export interface SeenRequest {
  method: string;
  /** Path and query as received, e.g. `/bucket?list-type=2&continuation-token=…`. */
  url: string;
  kind: RequestKind;
  /** A listing request that carries a continuation token, marker or page token (page 2 onwards). */
  nextPage: boolean;
  /** 1-based index among all requests since the last `set()`. */
  n: number;
  /** 1-based index among requests of the same kind since the last `set()`. */
  nOfKind: number;
}

/** Chooses requests: `(req, n)` with `n === req.n`. */
export type Select = (req: SeenRequest, n: number) => boolean;

/** What to inject. Every field is optional: `{}` forwards everything untouched. */
export interface FaultPolicy {
  /** Seed of the per-request draws. Default 1. */
  seed?: number;
  /** Fraction (0..1) of requests answered with the protocol's throttling error. Default 0. */
  throttle?: number;
  /** Status of throttling answers: 503 (S3 `SlowDown`, Azure `ServerBusy`, GCS `backendError`) or 429. Default 429 for GCS, else 503. */
  throttleStatus?: 503 | 429;
  /** Fraction (0..1) of connections reset, drawn apart from the throttled ones (the two never overlap). Default 0. */
  reset?: number;
  /** Where a reset happens: before any header, after the headers and half the body, or either (drawn). Default `either`. */
  resetAt?: "headers" | "body" | "either";
  /** Delay before forwarding, in ms. Default 0. */
  latencyMs?: number;
  /** Fraction (0..1) of requests delayed by `latencyMs`. Default 1. */
  latencyRate?: number;
  /** Requests always answered with throttling (e.g. every read), whatever the draws. */
  throttleWhen?: Select;
  /** Requests accepted and never answered (no header ever sent) until `kill()` or `close()`. */
  hang?: Select;
  /** Requests answered with headers and half the body, then nothing, until `kill()` or `close()`. */
  hangBody?: Select;
  /** The request that kills the proxy as `kill()` does (its own connection included). */
  kill?: Select;
}

/** The draws of request `n` under `policy`: which random fault, if any, and whether it is delayed. */
export function plannedFault(
  policy: FaultPolicy,
  n: number,
): { fault?: "throttle" | "reset-before-headers" | "reset-mid-body"; delayed: boolean } {
  // mulberry32's first draws of nearby seeds are correlated (runs of 4 resets in a row at 10%):
  // the seed is mixed first (murmur3's finalizer).
  const rng = seededRandom(mix(Math.imul(n, 0x9e3779b1) + Math.imul(policy.seed ?? 1, 0x85ebca6b)));
  const [pick, where, late] = [rng(), rng(), rng()];
  const delayed = (policy.latencyMs ?? 0) > 0 && late < (policy.latencyRate ?? 1);
  const throttle = policy.throttle ?? 0;
  if (pick < throttle) return { fault: "throttle", delayed };
  if (pick >= throttle + (policy.reset ?? 0)) return { delayed };
  const at = policy.resetAt ?? "either";
  const body = at === "body" || (at === "either" && where < 0.5);
  return { fault: body ? "reset-mid-body" : "reset-before-headers", delayed };
}

function mix(h: number): number {
  let x = h >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/** Matches the k-th request (1-based) of a kind since the last `set()`, e.g. `nth("read", 3)`. */
export const nth =
  (kind: RequestKind, k: number): Select =>
  (req) =>
    req.kind === kind && req.nOfKind === k;

/** Matches only the first request that `select` matches (a retry of it passes). */
export function once(select: Select): Select {
  let fired = false;
  return (req, n) => {
    if (fired || !select(req, n)) return false;
    fired = true;
    return true;
  };
}
