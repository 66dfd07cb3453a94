/**
 * Bytes → blocks of complete lines, as "byte strings" (one char per byte, via latin1Slice).
 *
 * Why byte strings: decoding UTF-8 into JS strings costs more than the matching itself
 * (226 vs 770–1,000 MB/s measured on French text); latin1Slice is a plain copy. Rules are
 * compiled once per encoding so that an accented letter matches its bytes: `é` is \xE9 in
 * Windows-1252 and \xC3\xA9 in UTF-8 (see rules/byte-regex.ts). Offsets are byte offsets.
 *
 * Blocks end at a newline, so no match that stays within a line is ever cut in two; a line
 * longer than `maxLine` is cut at a delimiter that no identifier contains.
 */
import { isUtf8 } from "node:buffer";
import { TextDecoder } from "node:util";

/** How the bytes of a block are to be read by the rules. */
export type ByteEncoding = "utf-8" | "windows-1252";
/** What the object was written in (UTF-16 is transcoded to UTF-8 bytes before matching). */
export type SourceEncoding = ByteEncoding | "utf-16le" | "utf-16be";

export interface TextBlock {
  /** One char per byte. */
  text: string;
  encoding: ByteEncoding;
  /** Byte offset of the block in the (transcoded) stream. */
  byteOffset: number;
  /** 1-based line number of the block's first line. */
  firstLine: number;
  /** Path inside the object when the text is an archive entry. */
  path?: string;
  /**
   * The extractor wrote this text (flattened JSON or XML, SQL rows, sheet rows, a PDF page):
   * its lines and byte offsets are not the object's, so samples leave them out.
   */
  rewritten?: boolean;
  /** The same bytes as `text`, when at hand: the automaton reads them rather than encoding the text again. */
  readonly bytes?: Uint8Array;
}

/**
 * A block whose text is made on first use. A detection worker gets the bytes instead: one
 * copy moved to it, rather than a string made here, cloned, and rebuilt there. With two
 * workers on two cores, the main thread's work per block takes its share of a worker's core.
 */
class ByteBlock implements TextBlock {
  private made: string | undefined;
  readonly path?: string;
  readonly rewritten?: boolean;

  constructor(
    readonly bytes: Buffer,
    readonly encoding: ByteEncoding,
    readonly byteOffset: number,
    readonly firstLine: number,
    path: string | undefined,
    rewritten: boolean,
  ) {
    if (path !== undefined) this.path = path;
    if (rewritten) this.rewritten = true;
  }

  get text(): string {
    this.made ??= this.bytes.toString("latin1");
    return this.made;
  }

  /** The bytes, while no text was made from them (then sending them is cheaper than the text). */
  unmade(): Buffer | undefined {
    return this.made === undefined ? this.bytes : undefined;
  }
}

/** A block's length in bytes, without making its text. */
export function blockLength(block: TextBlock): number {
  return block instanceof ByteBlock ? block.bytes.length : block.text.length;
}

/** A block's bytes when its text was not made yet (see ByteBlock), else undefined. */
export function blockBytes(block: TextBlock): Buffer | undefined {
  return block instanceof ByteBlock ? block.unmade() : undefined;
}

export interface BlockOptions {
  /**
   * Target block size in bytes. Default 64 KiB: a block's text is then a string V8 allocates in
   * its young generation and collects at once; from 128 KiB on, each is a large object that
   * lives until a full collection (measured at 256 KiB: 12% more CPU on figure 3's file, and 30 MB
   * more peak RSS over 16 objects at once).
   */
  blockSize?: number;
  /** Longest line kept whole; longer ones are cut at a delimiter. Default 1 MiB. */
  maxLine?: number;
  /** Path inside the object, copied to every block (archive entries). */
  path?: string;
  /** The extractor wrote the text: see TextBlock.rewritten. */
  rewritten?: boolean;
}

export interface BlockStream {
  encoding(): SourceEncoding;
  blocks: AsyncIterable<TextBlock>;
}

const NEWLINE = 0x0a;
/** Bytes no identifier or term contains: safe places to cut an over-long line. */
const SAFE_CUT = new Set([0x3b, 0x7c, 0x09, 0x22, 0x7b, 0x7d, 0x3c, 0x3e, 0x5b, 0x5d, 0x0d]);

export function textBlocks(bytes: AsyncIterable<Uint8Array>, options: BlockOptions = {}): BlockStream {
  const blockSize = options.blockSize ?? 64 * 1024;
  const maxLine = Math.max(options.maxLine ?? 1024 * 1024, blockSize);
  let source: SourceEncoding = "utf-8";

  async function* blocks(): AsyncIterable<TextBlock> {
    let pending: Buffer = Buffer.alloc(0);
    let encoding: ByteEncoding = "utf-8";
    let byteOffset = 0;
    let line = 1;
    let started = false;
    let utf16: TextDecoder | undefined;
    let validated = 0; // bytes of `pending` already known to be valid UTF-8

    let parts: Buffer[] = [];
    let partsLength = 0;
    /** Moves the waiting chunks to `pending`, checking that they are still UTF-8. */
    const absorb = () => {
      if (parts.length === 0) return;
      pending = pending.length === 0 && parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat([pending, ...parts]);
      parts = [];
      partsLength = 0;
      if (encoding === "utf-8") {
        const complete = completeUtf8Length(pending);
        if (isUtf8(pending.subarray(validated, complete))) validated = complete;
        else {
          // Not UTF-8 after all: the rest is read as Windows-1252. Blocks already emitted were valid UTF-8.
          encoding = "windows-1252";
          source = source === "utf-8" ? "windows-1252" : source;
        }
      }
    };

    const emit = (end: number): TextBlock => {
      const piece = pending.subarray(0, end);
      const block = new ByteBlock(piece, encoding, byteOffset, line, options.path, options.rewritten === true);
      line += countNewlines(piece);
      byteOffset += end;
      pending = pending.subarray(end);
      validated = Math.max(0, validated - end);
      return block;
    };

    try {
      for await (const raw of bytes) {
        let chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
        if (!started) {
          started = true;
          if (chunk[0] === 0xff && chunk[1] === 0xfe) source = "utf-16le";
          else if (chunk[0] === 0xfe && chunk[1] === 0xff) source = "utf-16be";
          if (source !== "utf-8") utf16 = new TextDecoder(source);
          else if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
        }
        if (utf16) chunk = Buffer.from(utf16.decode(chunk, { stream: true }), "utf8");
        // Chunks wait in a list until a block's worth has come: concatenating each small chunk
        // (16 KiB from zlib) onto the pending bytes copied every block many times over.
        parts.push(chunk);
        partsLength += chunk.length;
        if (pending.length + partsLength < blockSize) continue;
        absorb();
        while (pending.length >= blockSize) {
          // The last newline within blockSize, else the first one after it (a long line).
          let nl = pending.lastIndexOf(NEWLINE, blockSize - 1);
          if (nl < 0) nl = pending.indexOf(NEWLINE, blockSize);
          if (nl >= 0 && nl < maxLine) yield emit(nl + 1);
          else if (pending.length > maxLine) yield emit(safeCut(pending.subarray(0, maxLine)));
          else break;
        }
      }
    } catch (error) {
      // What was read before a failure (a dead server, a corrupt gzip) is still scanned.
      absorb();
      if (pending.length > 0) yield emit(pending.length);
      throw error;
    }
    absorb();
    if (pending.length > 0) yield emit(pending.length);
  }
  return { encoding: () => source, blocks: blocks() };
}

function countNewlines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(NEWLINE); i !== -1; i = buf.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

/** Length of `buf` without a trailing, incomplete UTF-8 sequence (a chunk may end mid-character). */
export function completeUtf8Length(buf: Buffer): number {
  for (let back = 1; back <= Math.min(3, buf.length); back++) {
    const byte = buf[buf.length - back] as number;
    if ((byte & 0xc0) !== 0x80) {
      const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
      return need > back ? buf.length - back : buf.length;
    }
  }
  return buf.length;
}

function safeCut(buf: Buffer): number {
  for (let i = buf.length - 1; i > buf.length / 2; i--) if (SAFE_CUT.has(buf[i] as number)) return i + 1;
  return buf.length; // no delimiter in the second half: a value may be cut, which is reported as-is
}
