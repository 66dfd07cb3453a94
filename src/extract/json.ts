import { Tokenizer } from "@streamparser/json";
import { Payloads } from "./embedded.js";
import { JsonFlattener, replay } from "./json-fields.js";
import { CorruptError } from "./limits.js";
import { decodeText, headText, TextOut } from "./text-io.js";
import type { Extractor } from "./types.js";

/** NDJSON: the first line is a whole JSON object and the next line starts another. */
function isNdjson(head: string): boolean {
  const nl = head.indexOf("\n");
  if (nl < 0) return false;
  try {
    JSON.parse(head.slice(0, nl));
  } catch {
    return false;
  }
  return /^\s*[{[]/.test(head.slice(nl + 1));
}

/** `{` then a key or `}`, or `[` then a value or `]` (or the end of a short head). */
const LOOKS_JSON = /^\s*(?:\{\s*(?:["}]|$)|\[\s*(?:[{["\]0-9-]|true|false|null|$))/;

/**
 * JSON and NDJSON, FHIR included, as `path<TAB>value` lines (see JsonFlattener). A JSON
 * document streams through the `@streamparser/json` tokenizer, never whole in memory; NDJSON
 * is parsed line by line, and a line that is not JSON is scanned as plain text.
 */
export const jsonExtractor: Extractor = {
  format: "json",
  container: false,
  // What follows the first bracket too: an INI file's `[Beneficiaire1]` is text, not corrupt JSON
  // (it was partial, and its NIRs went unread).
  detect: (head) => LOOKS_JSON.test(headText(head)),
  async *extract(source, ctx) {
    const ndjson = isNdjson(headText(source.head));
    // FHIR Attachment.data and Binary.data: base64 documents, opened after the resource.
    const payloads = new Payloads();
    yield {
      path: source.path,
      layout: { kind: "fields" },
      bytes: ndjson ? ndjsonLines(source.stream, payloads) : tokens(source.stream, payloads),
    };
    yield* payloads.documents(source.path);
    if (payloads.droppedReason) ctx.partial(payloads.droppedReason);
  },
};

async function* tokens(bytes: AsyncIterable<Uint8Array>, payloads: Payloads): AsyncIterable<Uint8Array> {
  const out = new TextOut(payloads);
  const flattener = new JsonFlattener(out);
  const tokenizer = new Tokenizer({ separator: "" });
  // Numbers keep their digits: a NIR written as a number must not become 1.85e14.
  (tokenizer as unknown as { parseNumber: (s: string) => string }).parseNumber = (s) => s;
  tokenizer.onToken = ({ token, value }) => flattener.token(token, value);
  const fail = (error: unknown): never => {
    throw new CorruptError(`corrupt json: ${(error as Error).message}`, { cause: error });
  };
  for await (const text of decodeText(bytes)) {
    try {
      tokenizer.write(text);
    } catch (error) {
      const rest = out.take();
      if (rest) yield rest;
      fail(error);
    }
    if (out.full) yield out.take() as Buffer;
  }
  const rest = out.take();
  if (rest) yield rest;
  if (flattener.open) fail(new Error("unexpected end of input"));
}

async function* ndjsonLines(bytes: AsyncIterable<Uint8Array>, payloads: Payloads): AsyncIterable<Uint8Array> {
  const out = new TextOut(payloads);
  let carry = "";
  const line = (text: string) => {
    if (text.trim() === "") return;
    try {
      replay(JSON.parse(text), new JsonFlattener(out));
    } catch {
      out.write(`${text}\n`); // not JSON: scanned as it is
    }
    out.write("\n");
  };
  for await (const text of decodeText(bytes)) {
    const lines = (carry + text).split("\n");
    carry = lines.pop() ?? "";
    for (const l of lines) line(l);
    if (out.full) yield out.take() as Buffer;
  }
  line(carry);
  const rest = out.take();
  if (rest) yield rest;
}
