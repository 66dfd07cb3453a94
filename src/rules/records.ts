import type { TextBlock } from "../extract/text-blocks.js";

/** How a text is cut into records. */
export type RecordMode = "line" | "paragraph" | "message";

/** Where a new record starts, for the modes that are not line-based. */
const BOUNDARY: Record<Exclude<RecordMode, "line">, RegExp> = {
  paragraph: /\n[ \t\r]*\n/g,
  // HL7 v2 messages start at MSH; HPRIM patients at P| (segments end with \r, \n or both).
  message: /(?:^|[\r\n])(?:MSH|P)\|/g,
};

/**
 * Groups hits into records — a row of a delimited file or an SQL dump, a paragraph of text, an
 * HL7 message or HPRIM patient — and counts patient records: those where an identity signal (a
 * NIR, a birth date) and a health term appear together. Hits must arrive in offset order.
 */
export class RecordTracker {
  private readonly text: string;
  private cursor = 0;
  private line: number;
  private nextBoundary = -1;
  private identity = false;
  private health = false;
  private patientRecords = 0;

  /** One tracker per block: blocks are detected apart, so a record cut by a block boundary counts as two. */
  constructor(
    private readonly mode: RecordMode,
    block: TextBlock,
  ) {
    this.text = block.text;
    this.line = block.firstLine;
  }

  /** Moves to byte `offset` of the current block, notes the hit's category, and returns its line. */
  advance(offset: number, category: string): number {
    for (
      let nl = this.text.indexOf("\n", this.cursor);
      nl !== -1 && nl < offset;
      nl = this.text.indexOf("\n", nl + 1)
    ) {
      this.line++;
      if (this.mode === "line") this.close();
    }
    if (this.mode !== "line" && this.boundaryBetween(offset)) this.close();
    this.cursor = offset;
    if (category === "national-id" || category === "identity") this.identity = true;
    else if (category === "health") this.health = true;
    return this.line;
  }

  /** Closes the open record and returns the patient-record count. */
  finish(): number {
    this.close();
    return this.patientRecords;
  }

  private boundaryBetween(offset: number): boolean {
    if (this.mode === "line") return false;
    // Cache the next boundary: repeated hits in one long record must not rescan the block.
    if (this.nextBoundary === -1 || this.nextBoundary < this.cursor) {
      const re = BOUNDARY[this.mode];
      re.lastIndex = this.cursor;
      const m = re.exec(this.text);
      this.nextBoundary = m ? m.index : Number.POSITIVE_INFINITY;
    }
    return this.nextBoundary < offset;
  }

  private close(): void {
    if (this.identity && this.health) this.patientRecords++;
    this.identity = false;
    this.health = false;
  }
}
