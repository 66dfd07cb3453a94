import { SaxesParser } from "saxes";
import { CorruptError } from "./limits.js";
import { decodeText, type TextOut } from "./text-io.js";

/**
 * Streams XML through `saxes`, set up by the caller, and hands out what the handlers wrote to
 * `out`. The parser goes on after an error, so that the rest is still read; the first error
 * then ends the document as CorruptError (`unexpected end: …` when it came at the end, as a
 * sampled head does).
 */
export async function* saxText(
  bytes: AsyncIterable<Uint8Array>,
  format: string,
  out: TextOut | undefined,
  setup: (parser: SaxesParser) => void,
): AsyncIterable<Uint8Array> {
  const parser = new SaxesParser({ position: false });
  let first: string | undefined;
  let closing = false;
  parser.on("error", (error) => {
    first ??= `${closing ? "unexpected end: " : ""}${error.message}`;
  });
  setup(parser);
  for await (const text of decodeText(bytes)) {
    parser.write(text);
    if (out?.full) yield out.take() as Buffer;
  }
  closing = true;
  parser.close();
  const rest = out?.take();
  if (rest) yield rest;
  if (first !== undefined) throw new CorruptError(`corrupt ${format}: ${first}`);
}

/** Reads a small XML part whole (a workbook, its relationships, shared strings) into handlers. */
export async function readXml(bytes: AsyncIterable<Uint8Array>, format: string, setup: (parser: SaxesParser) => void) {
  for await (const _ of saxText(bytes, format, undefined, setup)) {
    // nothing is written: the handlers keep what they need
  }
}
