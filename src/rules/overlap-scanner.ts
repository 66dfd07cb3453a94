/**
 * Runs one global regex over text that arrives in pieces, so that a match straddling two
 * pieces is found exactly once, with the same result as one pass over the whole text.
 *
 * Each window is `carry + piece`. Only matches starting before `window.length - lookahead`
 * are settled; later ones wait for the next piece, which brings their right context. The
 * carry keeps `lookbehind` characters before the settled frontier for the regex's
 * look-behind. A match that spans the frontier moves the next search past its end, exactly
 * as a single pass would.
 */
export interface RawMatch {
  /** The matched text. */
  text: string;
  /** Absolute character offset of the match in the whole text. */
  offset: number;
  /** 1-based line of the match start. */
  line: number;
}

export class OverlapScanner {
  private carry = "";
  private carryStart = 0;
  private frontier = 0;
  private resumeAt = 0;
  private line = 1;
  private linesCountedTo = 0;

  /**
   * @param regex a global (`g`) regex; its matches must be shorter than `lookahead`.
   * @param onMatch called once per match, in order.
   */
  constructor(
    private readonly regex: RegExp,
    private readonly onMatch: (m: RawMatch) => void,
    private readonly lookahead = 64,
    private readonly lookbehind = 16,
  ) {
    if (!regex.global) throw new Error("OverlapScanner needs a global regex");
  }

  /** Feeds the next piece of text. */
  push(piece: string): void {
    this.scan(this.carry + piece, false);
  }

  /** Settles everything that is left; call once, at the end of the text. */
  finish(): void {
    this.scan(this.carry, true);
    this.carry = "";
  }

  private scan(window: string, final: boolean): void {
    const start = this.carryStart;
    const limit = final ? window.length : window.length - this.lookahead;
    const from = Math.max(this.frontier, this.resumeAt) - start;
    if (limit > from) {
      this.regex.lastIndex = from;
      for (let m = this.regex.exec(window); m !== null; m = this.regex.exec(window)) {
        if (m.index >= limit) break;
        this.countLines(window, start, m.index);
        this.onMatch({ text: m[0], offset: start + m.index, line: this.line });
        this.resumeAt = start + m.index + m[0].length;
        if (m[0].length === 0) this.regex.lastIndex++;
      }
      this.countLines(window, start, limit);
      this.frontier = start + limit;
    }
    const cut = Math.max(0, limit - this.lookbehind);
    this.carry = window.slice(cut);
    this.carryStart = start + cut;
  }

  /** Advances the line counter to window position `to`. */
  private countLines(window: string, start: number, to: number): void {
    let i = window.indexOf("\n", this.linesCountedTo - start);
    while (i !== -1 && i < to) {
      this.line++;
      i = window.indexOf("\n", i + 1);
    }
    this.linesCountedTo = start + to;
  }
}
