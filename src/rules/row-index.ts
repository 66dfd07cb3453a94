/**
 * Where a delimited block's lines begin and which of its delimiters count (not inside quotes),
 * built once per block and shared by every rule that asks for a column: the pattern and
 * dictionary rules' headers, each column rule's cells. Before, each asked on its own, with
 * indexOf from the previous match or row (ColumnCursor.at 366 ms and the column rules' row
 * loops 284 ms of 3.7 CPU-s on a 64 MB cut; building the index costs 130 ms of it).
 */

/** A block's lines and counted delimiters. Quotes toggle as in columnAt: per line, from its start. */
export class RowIndex {
  /** Per line, its first byte; then text.length + 1. */
  readonly lineStart: Int32Array;
  /** Per line, the index in `delims` of its first counted delimiter; then delims' length. */
  readonly lineDelim: Int32Array;
  /** Offsets of the counted delimiters, in order. */
  readonly delims: Int32Array;
  readonly lines: number;

  constructor(
    readonly text: string,
    readonly delimiter: string,
  ) {
    // Scratch sized for the worst case (every byte a delimiter or a newline), then copied out
    // exactly: growing arrays cost as much as the search itself.
    const size = text.length + 2;
    const fresh = () => ({ delims: new Int32Array(size), starts: new Int32Array(size), firsts: new Int32Array(size) });
    // Kept for the next block up to a size; a rare long-line block (up to 1 MiB) gets its own.
    if (scratch.delims.length < size && size <= SCRATCH_KEPT) scratch = fresh();
    const { delims, starts, firsts } = size <= SCRATCH_KEPT ? scratch : fresh();
    let lines = 0;
    let n = 0;
    const d = delimiter.charCodeAt(0);
    // indexOf per delimiter and per newline: 110 ms on the 64 MB cut, against 300-360 ms for a
    // loop over its bytes or chars (V8 runs a branchy byte loop at about 5 ns a byte here).
    let quote = text.indexOf('"');
    for (let start = 0; start <= text.length; ) {
      const nl = text.indexOf("\n", start);
      const end = nl < 0 ? text.length : nl;
      firsts[lines] = n;
      starts[lines++] = start;
      if (quote >= 0 && quote < start) quote = text.indexOf('"', start);
      if (quote < 0 || quote >= end)
        for (let i = text.indexOf(delimiter, start); i !== -1 && i < end; i = text.indexOf(delimiter, i + 1))
          delims[n++] = i;
      else {
        let quoted = false;
        for (let i = start; i < end; i++) {
          const c = text.charCodeAt(i);
          if (c === 0x22) quoted = !quoted;
          else if (c === d && !quoted) delims[n++] = i;
        }
      }
      start = end + 1;
    }
    this.lines = lines;
    starts[lines] = text.length + 1;
    firsts[lines] = n;
    this.lineStart = starts.slice(0, lines + 1);
    this.lineDelim = firsts.slice(0, lines + 1);
    this.delims = delims.slice(0, n);
  }

  /** The line holding byte `offset` (a newline belongs to the line it ends), searched from `hint`. */
  lineOf(offset: number, hint = 0): number {
    const starts = this.lineStart;
    let lo = hint >= 0 && hint < this.lines && (starts[hint] as number) <= offset ? hint : 0;
    // Matches mostly come in order, a few lines apart: step first, then bisect.
    for (let step = 0; step < 4; step++) {
      if ((starts[lo + 1] as number) > offset) return lo;
      lo++;
    }
    let hi = this.lines - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Counted delimiters of `line` before `offset`: the column of the byte there. */
  columnIn(line: number, offset: number): number {
    const first = this.lineDelim[line] as number;
    let lo = first;
    let hi = this.lineDelim[line + 1] as number;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.delims[mid] as number) < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo - first;
  }
}

let last: RowIndex | undefined;
/** Entries of the scratch arrays kept between blocks (3 × 1 MiB): blocks are 64 KiB and a line. */
const SCRATCH_KEPT = 1 << 18;
/** Reused by every index built (see the constructor). */
let scratch = { delims: new Int32Array(0), starts: new Int32Array(0), firsts: new Int32Array(0) };

/**
 * The index of `text`: the last one built when it is the same text (rules run one block at a
 * time, each asking many times), else a new one. Never throws.
 */
export function rowIndex(text: string, delimiter: string): RowIndex {
  if (last?.text !== text || last.delimiter !== delimiter) last = new RowIndex(text, delimiter);
  return last;
}

/** columnAt for many offsets of one text, increasing or not, through the block's RowIndex. */
export class ColumnCursor {
  private line = 0;

  at(text: string, offset: number, delimiter: string): number {
    const index = rowIndex(text, delimiter);
    this.line = index.lineOf(offset, this.line);
    return index.columnIn(this.line, offset);
  }
}
