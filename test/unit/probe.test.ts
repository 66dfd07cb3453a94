import { describe, expect, it } from "vitest";
import { applyProbe } from "../../src/providers/probe.js";
import type { BucketPosture } from "../../src/providers/types.js";

const posture = (p: Partial<BucketPosture>): BucketPosture => ({
  publicRead: "unknown",
  publicList: "unknown",
  notes: [],
  ...p,
});

describe("anonymous probe merged into the posture", () => {
  it("a refused listing wins over a public-looking ACL (e.g. an account-level block), and says so", () => {
    const p = posture({ publicList: true });
    applyProbe(p, false, false, true);
    expect(p.publicList).toBe(false);
    expect(p.notes).toContain("the configuration looks listable by anyone, but the anonymous listing was refused");
  });

  it("a successful read proves the bucket readable; a refused read of one object proves nothing when declared public", () => {
    const readable = posture({ publicRead: false });
    applyProbe(readable, "unknown", true, true);
    expect(readable.publicRead).toBe(true);
    const declared = posture({ publicRead: true });
    applyProbe(declared, false, false, true);
    expect(declared.publicRead).toBe(true);
  });

  it("leaves unknown facts unknown when the probe is inconclusive", () => {
    const p = posture({});
    applyProbe(p, "unknown", "unknown", false);
    expect(p).toMatchObject({ publicRead: "unknown", publicList: "unknown" });
    expect(p.notes).toEqual(["anonymous probe: list inconclusive, read not tried (no object)"]);
  });
});
