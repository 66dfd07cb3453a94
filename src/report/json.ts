import { randomUUID } from "node:crypto";
import type { Reporter } from "./index.js";
import type { Report } from "./types.js";

/** Text handed to the writer at a time: large enough to make few writes, small enough to stay flat. */
const CHUNK = 64 * 1024;

/**
 * The documented JSON contract (`docs/report.schema.json`), pretty-printed. Streamed: a bucket
 * of a million objects is written object by object, never as one string (V8 caps strings at
 * 512 MiB, and the whole text would double the scan's memory). The text is the same as
 * `JSON.stringify(report, null, 2)`.
 */
export const jsonReporter: Reporter = {
  name: "json",
  render: (report) => [...streamJson(report)].join(""),
  stream: streamJson,
};

function* streamJson(report: Report): Iterable<string> {
  // Each bucket's objects become a placeholder no key can hold; the skeleton is small.
  const nonce = randomUUID();
  const marker = (i: number) => `@objects:${nonce}:${i}@`;
  const skeleton = { ...report, buckets: report.buckets.map((b, i) => ({ ...b, objects: marker(i) })) };
  const text = `${JSON.stringify(skeleton, null, 2)}\n`;
  let from = 0;
  for (const [i, bucket] of report.buckets.entries()) {
    const at = text.indexOf(`"${marker(i)}"`, from);
    const indent = at - text.lastIndexOf("\n", at) - 1 - '"objects": '.length;
    yield text.slice(from, at);
    from = at + marker(i).length + 2;
    if (bucket.objects.length === 0) {
      yield "[]";
      continue;
    }
    const pad = " ".repeat(indent + 2);
    let out = "[\n";
    let first = true;
    for (const o of bucket.objects) {
      out += `${first ? "" : ",\n"}${pad}${JSON.stringify(o, null, 2).replaceAll("\n", `\n${pad}`)}`;
      first = false;
      if (out.length >= CHUNK) {
        yield out;
        out = "";
      }
    }
    yield `${out}\n${" ".repeat(indent)}]`;
  }
  yield text.slice(from);
}
