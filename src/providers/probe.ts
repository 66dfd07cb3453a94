import type { BucketPosture, ProviderErrorCode, Tri } from "./types.js";

/**
 * Runs one anonymous request: true when it succeeds, false when refused with one of the
 * `refusals` codes, "unknown" otherwise (network, server error). Throws only on cancellation.
 */
export async function probeOutcome(
  call: () => Promise<unknown>,
  code: (cause: unknown) => ProviderErrorCode,
  refusals: ProviderErrorCode[],
  signal?: AbortSignal,
): Promise<Tri> {
  try {
    await call();
    return true;
  } catch (cause) {
    signal?.throwIfAborted();
    return refusals.includes(code(cause)) ? false : "unknown";
  }
}

/**
 * Merges an anonymous probe into the posture and notes it. The listing probe answers for the
 * whole bucket, so it wins both ways when conclusive (an account-level block can make a
 * public-looking ACL harmless, and the reverse). The read probe tried one object only: it can
 * prove a bucket readable, never prove every object private.
 */
export function applyProbe(p: BucketPosture, list: Tri, read: Tri, triedRead: boolean): void {
  const word = (t: Tri) => (t === true ? "allowed" : t === false ? "refused" : "inconclusive");
  p.notes.push(`anonymous probe: list ${word(list)}, read ${triedRead ? word(read) : "not tried (no object)"}`);
  if (list !== "unknown") {
    if (p.publicList === true && list === false)
      p.notes.push("the configuration looks listable by anyone, but the anonymous listing was refused");
    p.publicList = list;
  }
  if (read === true) p.publicRead = true;
  else if (p.publicRead === "unknown" && read === false) p.publicRead = false;
}
