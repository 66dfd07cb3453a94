import { describe, expect, it } from "vitest";
import type { ObjectRef } from "../../src/providers/types.js";
import { ByteBudget, formatBytes, planRead } from "../../src/sample/plan.js";

const obj = (size: number, storageClass?: string): ObjectRef => ({
  bucket: { provider: "s3", name: "b", url: "s3://b" },
  key: "k",
  size,
  storageClass,
});
const MiB = 1024 * 1024;

describe("read planning", () => {
  it("reads the head of a large object and says so", () => {
    const plan = planRead(obj(3.2 * 1024 * MiB), { exhaustive: false, sampleBytes: MiB }, new ByteBudget(0));
    expect(plan).toEqual({ kind: "read", offset: 0, length: MiB, partialReason: "head 1 MiB of 3.2 GiB" });
  });

  it("reads a small object whole, with no partial reason", () => {
    expect(planRead(obj(4096), { exhaustive: false, sampleBytes: MiB }, new ByteBudget(0))).toEqual({
      kind: "read",
      offset: 0,
      length: 4096,
    });
  });

  it("reads everything with --exhaustive", () => {
    expect(planRead(obj(5 * 1024 * MiB), { exhaustive: true, sampleBytes: MiB }, new ByteBudget(0))).toMatchObject({
      length: 5 * 1024 * MiB,
    });
  });

  it("skips archived storage classes before any read", () => {
    expect(planRead(obj(10, "GLACIER"), { exhaustive: false, sampleBytes: MiB }, new ByteBudget(0))).toMatchObject({
      kind: "skip",
      reason: expect.stringMatching(/archived storage class \(GLACIER\)/),
    });
  });

  it("shares the --max-bytes budget across objects, then skips", () => {
    const budget = new ByteBudget(1500);
    const opts = { exhaustive: false, sampleBytes: MiB };
    expect(planRead(obj(1000), opts, budget)).toEqual({ kind: "read", offset: 0, length: 1000 });
    expect(planRead(obj(1000), opts, budget)).toMatchObject({
      length: 500,
      partialReason: "byte budget (--max-bytes): head 500 B of 1000 B",
    });
    expect(planRead(obj(1000), opts, budget)).toEqual({ kind: "skip", reason: "byte budget (--max-bytes) spent" });
  });

  it("formats sizes in binary units", () => {
    expect([0, 1023, 1024, 1536, MiB, 3435973837].map(formatBytes)).toEqual([
      "0 B",
      "1023 B",
      "1 KiB",
      "1.5 KiB",
      "1 MiB",
      "3.2 GiB",
    ]);
  });
});
