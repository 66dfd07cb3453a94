import { describe, expect, it } from "vitest";
import { createProgress } from "../../src/cli/progress.js";
import type { ObjectReport } from "../../src/report/types.js";
import { fakeTty } from "../helpers/tty.js";

describe("live progress on a TTY", () => {
  // cli-progress redraws on a 100 ms timer: wait past it before each look.
  const redraw = () => new Promise((r) => setTimeout(r, 250));

  it("shows buckets, objects, bytes and rate, then an ETA once the listing is complete", async () => {
    const tty = fakeTty();
    const p = await createProgress(tty.stream);
    const bucket = { provider: "s3", name: "b", url: "s3://b" };
    p.onBucket?.(bucket);
    p.onBytes?.(2048);
    p.onObject?.({} as ObjectReport);
    await redraw();
    expect(tty.text()).toMatch(/bucket 1 s3:\/\/b \| 1\/\? objects \| 2 KiB \| \d+ obj\/s \| ETA listing…/);
    p.onListed?.(bucket, 10);
    p.onObject?.({} as ObjectReport);
    await redraw();
    expect(tty.text()).toMatch(/2\/10 objects .* ETA \d+ s/);
    p.stop();
  });

  it("masks an identifier in a bucket name on the live line", async () => {
    const tty = fakeTty();
    const p = await createProgress(tty.stream, (t) => t.replace(/\d{13,15}/, "1•••••••••••••1"));
    p.onBucket?.({ provider: "s3", name: "x", url: "s3://export-185057800608491" });
    await redraw();
    p.stop();
    expect(tty.text()).toContain("s3://export-1•••••••••••••1");
    expect(tty.text()).not.toContain("185057800608491");
  });

  it("stays silent off a terminal", async () => {
    const writes: string[] = [];
    const p = await createProgress({
      isTTY: false,
      write: (c: string) => writes.push(c) > 0,
    } as unknown as NodeJS.WriteStream);
    p.onObject?.({} as ObjectReport);
    p.stop();
    expect(writes).toEqual([]);
  });
});
