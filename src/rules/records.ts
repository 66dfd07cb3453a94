import type { TextBlock } from "../extract/text-blocks.js";

/**
 * Groups hits into records — a row of a delimited file, a paragraph of text — and counts
 * patient records: those where an identity signal (a NIR, a birth date) and a health term
 * appear together. Hits must arrive in offset order within a block, blocks in order.
 */
export class RecordTracker {
  private text = "";
  private cursor = 0;
  private line = 1;
  private nextBlank = -1;
  private identity = false;
  private health = false;
  private patientRecords = 0;

  constructor(private readonly mode: "line" | "paragraph") {}

  /** Starts a block. Rows never span blocks (blocks end at a newline); paragraphs may. */
  startBlock(block: TextBlock): void {
    if (this.mode === "line" || /\n[ \t\r]*\n[ \t\r]*$/.test(this.text.slice(-8))) this.close();
    this.text = block.text;
    this.cursor = 0;
    this.line = block.firstLine;
    this.nextBlank = -1;
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
    if (this.mode === "paragraph" && this.blankBetween(offset)) this.close();
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

  private blankBetween(offset: number): boolean {
    // Cache the next blank line: repeated hits in one long paragraph must not rescan the block.
    if (this.nextBlank === -1 || this.nextBlank < this.cursor) {
      const re = /\n[ \t\r]*\n/g;
      re.lastIndex = this.cursor;
      const m = re.exec(this.text);
      this.nextBlank = m ? m.index : Number.POSITIVE_INFINITY;
    }
    return this.nextBlank < offset;
  }

  private close(): void {
    if (this.identity && this.health) this.patientRecords++;
    this.identity = false;
    this.health = false;
  }
}
