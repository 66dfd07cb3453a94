/**
 * Child of figure 8: extracts one file through the real extraction layer (openObject, then
 * text blocks), without detection, and prints wall time, CPU time, bytes out and peak RSS as JSON.
 * Usage: tsx bench/extract-one.ts FILE
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { openObject } from "../src/extract/documents.js";
import { DEFAULT_EXPAND_LIMITS } from "../src/extract/limits.js";
import { textBlocks } from "../src/extract/text-blocks.js";

const file = process.argv[2] as string;
const { size } = await stat(file);
const handle = await open(file);
const ranges = {
  size,
  async *read(offset: number, length: number) {
    for (let at = offset; at < offset + length; ) {
      const want = Math.min(1 << 20, offset + length - at);
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(want), 0, want, at);
      if (bytesRead === 0) return;
      at += bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  },
};
const limits = { ...DEFAULT_EXPAND_LIMITS, maxExpandedBytes: 8 * 1024 ** 3, maxRatio: 10_000 };
const started = performance.now();
const cpu = process.cpuUsage();
const opened = openObject(createReadStream(file, { highWaterMark: 1 << 20 }), limits, {
  ranges,
  budget: Number.POSITIVE_INFINITY,
  signal: new AbortController().signal,
});
let out = 0;
let documents = 0;
for await (const doc of opened.documents) {
  documents++;
  for await (const block of textBlocks(doc.bytes).blocks) out += block.text.length;
}
const used = process.cpuUsage(cpu);
await handle.close();
console.log(
  JSON.stringify({
    wallS: (performance.now() - started) / 1000,
    cpuS: (used.user + used.system) / 1e6,
    inBytes: size,
    outBytes: out,
    documents,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    formats: opened.formats(),
  }),
);
