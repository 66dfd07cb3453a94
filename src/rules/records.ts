import type { TextBlock } from "../extract/text-blocks.js";

/** How a text is cut into records. */
export type RecordMode = "line" | "paragraph" | "message";

/** Where a new record starts, for the modes that are not line-based: a blank line, an HL7 MSH or HPRIM P segment. */
const BOUNDARY: Record<Exclude<RecordMode, "line">, RegExp> = {
  paragraph: /\n[ \t\r]*\n/g,
  // HL7 v2 messages start at MSH; HPRIM patients at P| (segments end with \r, \n or both).
  message: /(?:^|[\r\n])(?:MSH|P)\|/g,
};

/**
 * Counts patient records in one block: records — a row of a delimited file or an SQL dump, a
 * paragraph of text, an HL7 message or HPRIM patient — where an identity signal (a NIR, a
 * birth date) and a health term appear together. Hits are noted in any order; records are
 * worked out once, at the end, and only when the block has both kinds of signal (a file of
 * dates without any health term costs no boundary search).
 */
export class RecordTally {
  private readonly identity: number[] = [];
  private readonly health: number[] = [];
  private newlines: number[] | undefined;

  /** One tally per block: blocks are detected apart, so a record cut by a block boundary counts as two. */
  constructor(
    private readonly mode: RecordMode,
    private readonly block: TextBlock,
  ) {}

  /** Notes a hit at byte `offset` of the block. */
  note(offset: number, category: string): void {
    if (category === "national-id" || category === "identity") this.identity.push(offset);
    else if (category === "health") this.health.push(offset);
  }

  /** The 1-based line of byte `offset` in the object. */
  lineAt(offset: number): number {
    return this.block.firstLine + countBelow(this.lines(), offset);
  }

  /** Newline offsets, found once per block: for sample lines and line records alike. */
  private lines(): number[] {
    this.newlines ??= newlineOffsets(this.block.text);
    return this.newlines;
  }

  /** Records holding both an identity signal and a health term. */
  count(): number {
    if (this.identity.length === 0 || this.health.length === 0) return 0;
    const bounds = this.mode === "line" ? this.lines() : boundaries(this.block.text, BOUNDARY[this.mode]);
    // 1: an identity signal; 2: counted as a patient record.
    const flags = new Uint8Array(bounds.length + 1);
    eachRecord(bounds, this.identity, (record) => {
      flags[record] = 1;
    });
    let n = 0;
    eachRecord(bounds, this.health, (record) => {
      if (flags[record] !== 1) return;
      flags[record] = 2;
      n++;
    });
    return n;
  }
}

/**
 * Visits the record index of each offset. A rule's hits come in order, so a cursor walks the
 * bounds once per rule; a step back (the next rule's hits) costs one binary search. A callback,
 * not a generator: this runs once per hit (a birth date on every row).
 */
function eachRecord(bounds: number[], offsets: number[], visit: (record: number) => void): void {
  let record = 0;
  let previous = -1;
  for (const offset of offsets) {
    if (offset < previous) record = countBelow(bounds, offset);
    else while (record < bounds.length && (bounds[record] as number) < offset) record++;
    previous = offset;
    visit(record);
  }
}

/** Offsets of the newlines in `text`, by indexOf (memchr speed; a regex loop costs a call per row). */
function newlineOffsets(text: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) out.push(i);
  return out;
}

/** Offsets where `re` matches in `text`, in order. */
function boundaries(text: string, re: RegExp): number[] {
  const out: number[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    out.push(m.index);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/** How many of the sorted `bounds` lie strictly below `offset`: the record (or line) index. */
function countBelow(bounds: number[], offset: number): number {
  let lo = 0;
  let hi = bounds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((bounds[mid] as number) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
