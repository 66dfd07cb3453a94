import { describe, expect, it } from "vitest";
import { requestVerdict } from "../../src/providers/errors.js";
import { type RetryContext, retrying, withDeadline } from "../../src/providers/retry.js";

const policy = { timeoutMs: 200, attempts: 3, throttleBudgetMs: 1500, baseDelayMs: 1, maxDelayMs: 20 };
const ctx = (over: Partial<RetryContext> = {}): RetryContext => ({
  policy,
  facts: (e) => e as { status?: number; name?: string; code?: string },
  fail: (cause, attempts, deadline) =>
    Object.assign(new Error(`failed after ${attempts}${deadline ? `: ${deadline}` : ""}`), { cause }),
  ...over,
});

describe("which failures are retried", () => {
  it.each([
    [{ status: 429 }, "throttled"],
    [{ status: 503, name: "SlowDown" }, "throttled"],
    [{ status: 503, name: "backendError" }, "throttled"],
    [{ status: 503, code: "ServerBusy" }, "throttled"],
    [{ status: 500 }, "retry"],
    [{ code: "ECONNRESET" }, "retry"],
    [{ code: "ECONNREFUSED" }, "retry"],
    [{ name: "TimeoutError" }, "retry"],
    [{ status: 403, name: "AccessDenied" }, "fatal"],
    [{ status: 404, name: "NoSuchKey" }, "fatal"],
    [{ status: 501, name: "NotImplemented" }, "fatal"],
    [{ status: 400 }, "fatal"],
    [{ name: "AbortError" }, "fatal"],
  ])("%j is %s", (facts, verdict) => {
    expect(requestVerdict(facts)).toBe(verdict);
  });
});

describe("the retry layer", () => {
  it("retries failures that may pass up to its attempts, and says how many", async () => {
    let calls = 0;
    const failing = () => {
      calls++;
      return Promise.reject({ code: "ECONNRESET" });
    };
    await expect(retrying(failing, ctx())).rejects.toThrow("failed after 3");
    expect(calls).toBe(3);
  });

  it("keeps retrying throttled calls for its time budget, whatever the attempt count", async () => {
    let calls = 0;
    const result = await retrying(
      () => (++calls < 10 ? Promise.reject({ status: 503, name: "SlowDown" }) : Promise.resolve("ok")),
      ctx(),
    );
    expect(result).toBe("ok");
    expect(calls).toBe(10);
  });

  it("does not retry a refusal", async () => {
    let calls = 0;
    await expect(
      retrying(() => {
        calls++;
        return Promise.reject({ status: 403 });
      }, ctx()),
    ).rejects.toThrow("failed after 1");
    expect(calls).toBe(1);
  });

  it("aborts an attempt that never answers at its deadline, then retries it", async () => {
    let calls = 0;
    const seen: boolean[] = [];
    const result = await retrying((signal) => {
      calls++;
      if (calls === 1)
        return new Promise((_, reject) =>
          signal.addEventListener("abort", () => {
            seen.push(true);
            reject(signal.reason);
          }),
        );
      return Promise.resolve(calls);
    }, ctx());
    expect(result).toBe(2);
    expect(seen).toEqual([true]);
  });

  it("stops at the caller's deadline and names the last failure", async () => {
    const caller = AbortSignal.timeout(300);
    const throttled = () => Promise.reject({ status: 429 });
    await expect(retrying(throttled, ctx({ signal: caller }))).rejects.toThrow(/failed after \d+: .*timed out|aborted/);
  });
});

describe("one call with a deadline (the Azure management plane's account read)", () => {
  it("rejects with a timeout when the call ignores its signal and never settles", async () => {
    const started = Date.now();
    await expect(withDeadline(() => new Promise(() => {}), 100)).rejects.toMatchObject({ name: "TimeoutError" });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("passes the caller's cancellation on", async () => {
    const caller = new AbortController();
    setTimeout(() => caller.abort(new Error("interrupted")), 20);
    await expect(withDeadline(() => new Promise(() => {}), 10_000, caller.signal)).rejects.toThrow("interrupted");
  });
});
