import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { RetryContext } from "../../src/providers/retry.js";
import { answerStart, type OpenRange, retryingRead } from "../../src/providers/retry-read.js";

const OBJECT = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
const ctx = (timeoutMs = 500): RetryContext => ({
  policy: { timeoutMs, attempts: 4, throttleBudgetMs: 1000, baseDelayMs: 1, maxDelayMs: 5 },
  facts: (e) => e as { code?: string },
  fail: (cause, attempts) => Object.assign(new Error(`failed after ${attempts}`), { cause }),
});
const chunks = (buf: Buffer, size = 100) =>
  Readable.from(Array.from({ length: Math.ceil(buf.length / size) }, (_, i) => buf.subarray(i * size, (i + 1) * size)));

async function read(open: OpenRange, span: { offset: number; length?: number; size?: number }, c = ctx()) {
  const parts: Uint8Array[] = [];
  for await (const part of retryingRead(open, span, c)) parts.push(part);
  return Buffer.concat(parts);
}

describe("ranged reads under the retry layer", () => {
  it("reads an answer that ended early without an error again, from the first byte missing", async () => {
    const asked: number[] = [];
    const open: OpenRange = async (offset, length) => {
      asked.push(offset);
      const end = length === undefined ? OBJECT.length : offset + length;
      // The first answer closes cleanly after 450 bytes.
      const body = OBJECT.subarray(offset, asked.length === 1 ? offset + 450 : end);
      return { body: chunks(body), start: offset };
    };
    expect((await read(open, { offset: 0, size: OBJECT.length })).equals(OBJECT)).toBe(true);
    expect(asked).toEqual([0, 450]);
  });

  it("reads a whole answer to its end, and gives up on a body that never ends without a retry", async () => {
    const whole = chunks(OBJECT);
    const bodies = [whole];
    let opened = 0;
    const open: OpenRange = async () => {
      opened++;
      // Every byte, then silence: no end event, as a server with a wrong Content-Length gives.
      const hanging = new Readable({ read() {} });
      hanging.push(OBJECT);
      bodies.push(hanging);
      return { body: opened === 1 ? whole : hanging, start: 0 };
    };
    expect((await read(open, { offset: 0, size: OBJECT.length })).equals(OBJECT)).toBe(true);
    // Read to its end (not destroyed at its last byte, which closes an HTTP socket).
    expect(whole.readableEnded).toBe(true);
    expect((await read(open, { offset: 0, size: OBJECT.length }, ctx(100))).equals(OBJECT)).toBe(true);
    expect(opened).toBe(2);
    expect(bodies[2]?.destroyed).toBe(true);
  });

  it("skips what a server that ignored the range sends before it, and gives nothing past it", async () => {
    const open: OpenRange = async () => ({ body: chunks(OBJECT, 64), start: 0 });
    expect(
      (await read(open, { offset: 300, length: 200, size: OBJECT.length })).equals(OBJECT.subarray(300, 500)),
    ).toBe(true);
  });

  it("re-reads after a reset without giving a byte twice, even when the second answer is the whole object", async () => {
    let n = 0;
    const open: OpenRange = async (offset) => {
      n++;
      if (n === 1) {
        const body = new Readable({ read() {} });
        body.push(OBJECT.subarray(0, 300));
        setTimeout(() => body.destroy(Object.assign(new Error("reset"), { code: "ECONNRESET" })), 5);
        return { body, start: 0 };
      }
      // The server now ignores the range: 200 with every byte.
      return { body: chunks(OBJECT), start: answerStart(undefined, 200, offset) };
    };
    expect((await read(open, { offset: 0, size: OBJECT.length })).equals(OBJECT)).toBe(true);
    expect(n).toBe(2);
  });

  it("does not count the consumer's time against the server's deadline", async () => {
    let opens = 0;
    const open: OpenRange = async (offset) => {
      opens++;
      return { body: chunks(OBJECT.subarray(offset)), start: offset };
    };
    const parts: Uint8Array[] = [];
    for await (const part of retryingRead(open, { offset: 0, size: OBJECT.length }, ctx(100))) {
      parts.push(part);
      await new Promise((r) => setTimeout(r, 150)); // slower than the deadline, per chunk
    }
    expect(Buffer.concat(parts).equals(OBJECT)).toBe(true);
    expect(opens).toBe(1);
  });

  it("reads Content-Range's first byte, and a 200 without it as the whole object", () => {
    expect(answerStart("bytes 100-199/1000", 206, 100)).toBe(100);
    expect(answerStart(undefined, 200, 100)).toBe(0);
    expect(answerStart(undefined, 206, 100)).toBe(100);
  });
});
