import { TokenType } from "@streamparser/json";
import { type Level, nestedPath } from "./nested-path.js";
import type { TextOut } from "./text-io.js";

/**
 * The ANS OIDs of person identifiers (FR Core, CI-SIS), by their last arc, as labels written into
 * paths: the INS-NIR and INS-NIA, their test OIDs (most ANS examples use them, and a test value is
 * still a person's number somewhere), the legacy INS-C, and the NIR and NIA as social-security
 * numbers.
 */
const INS_OIDS: Record<string, string> = {
  "8": "INS-NIR",
  "9": "INS-NIA",
  "10": "INS-NIR-TEST",
  "11": "INS-NIA-TEST",
  "2": "INS-C",
  "13": "NIR",
  "14": "NIA",
};

/** Identifier systems (FHIR `system`, CDA `root`, `codeSystem`) that say what the value is, bare or as `urn:oid:`. */
export const IDENTIFIER_SYSTEMS: Record<string, string> = Object.fromEntries(
  Object.entries(INS_OIDS).flatMap(([arc, label]) => [
    [`1.2.250.1.213.1.4.${arc}`, label],
    [`urn:oid:1.2.250.1.213.1.4.${arc}`, label],
  ]),
);

interface Frame extends Level {
  array: boolean;
  key: string;
  index: number;
  expectKey: boolean;
  /** Scalars of an object, held until it closes so that `system` is known before `value` is written. */
  scalars: [string, string][];
}

/** Most scalars held for one object before they are written out anyway. */
const MAX_HELD = 64;
/** Below this many open levels, an object's scalars are no longer held while its children are read. */
const HOLD_DEPTH = 24;
const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/**
 * Turns JSON tokens into `path<TAB>value` lines. The elements of the outermost array (rows of
 * an export, a FHIR Bundle's `entry`) are records, separated by a blank line. An identifier
 * whose `system` is the INS-NIR or INS-NIA OID gets it in its path
 * (`$.entry[0].resource.identifier[0]{INS-NIR}.value`), where the NIR rules read it as a header.
 * Deep nesting shortens paths (see nestedPath), never the values read.
 */
export class JsonFlattener {
  private readonly stack: Frame[] = [];
  private arrays = 0;

  constructor(private readonly out: TextOut) {}

  /** Whether a value is still open (the input ended early when it is). */
  get open(): boolean {
    return this.stack.length > 0;
  }

  token(type: TokenType, value: unknown): void {
    const top = this.stack[this.stack.length - 1];
    switch (type) {
      case TokenType.LEFT_BRACE:
      case TokenType.LEFT_BRACKET: {
        const array = type === TokenType.LEFT_BRACKET;
        // Deep down, what an object held is written now rather than kept for every open level.
        if (top && this.stack.length > HOLD_DEPTH && top.scalars.length > 0) this.flush(top);
        const seg = top ? this.childSegment(top) : "";
        this.stack.push({
          array,
          segment: seg,
          path: top ? nestedPath(this.stack, seg, "$", ".") : "$",
          key: "",
          index: 0,
          expectKey: !array,
          scalars: [],
        });
        if (array) this.arrays++;
        return;
      }
      case TokenType.RIGHT_BRACE:
      case TokenType.RIGHT_BRACKET: {
        const closed = this.stack.pop();
        if (!closed || closed.array !== (type === TokenType.RIGHT_BRACKET)) throw new Error("unbalanced brackets");
        if (closed.array) this.arrays--;
        else this.flush(closed);
        if (!closed.array && top && this.parentIsOutermostArray()) this.out.write("\n");
        return;
      }
      case TokenType.COMMA:
        if (top?.array) top.index++;
        else if (top) top.expectKey = true;
        return;
      case TokenType.COLON:
      case TokenType.SEPARATOR:
        return;
      default:
        this.scalar(top, type, value);
    }
  }

  private scalar(top: Frame | undefined, type: TokenType, value: unknown): void {
    if (top && !top.array && top.expectKey) {
      top.key = String(value);
      top.expectKey = false;
      return;
    }
    // null, false and empty strings hold nothing to find; `true` does (`"enceinte": true`).
    if (type === TokenType.NULL || type === TokenType.FALSE || value === "") return;
    const text = String(value);
    if (!top) this.out.field("$", text);
    else if (top.array) this.out.field(this.childPath(top), text);
    else {
      top.scalars.push([top.key, text]);
      if (top.scalars.length >= MAX_HELD) this.flush(top);
    }
  }

  private flush(frame: Frame): void {
    const system = frame.scalars.find(([k]) => k === "system" || k === "root")?.[1];
    const label = system === undefined ? undefined : IDENTIFIER_SYSTEMS[system];
    const base = label ? `${frame.path}{${label}}` : frame.path;
    for (const [key, text] of frame.scalars) this.out.field(`${base}${segment(key)}`, text);
    frame.scalars = [];
  }

  private childPath(top: Frame): string {
    return `${top.path}${this.childSegment(top)}`;
  }

  private childSegment(top: Frame): string {
    return top.array ? `[${top.index}]` : segment(top.key);
  }

  /** The object just closed was an element of the outermost array. */
  private parentIsOutermostArray(): boolean {
    const parent = this.stack[this.stack.length - 1];
    return parent?.array === true && this.arrays === 1;
  }
}

function segment(key: string): string {
  return PLAIN_KEY.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

type Step = { token: TokenType; text: unknown } | { value: unknown };

/**
 * Feeds a parsed value (one NDJSON line) to a flattener as the tokens it was read from. Walks
 * with a stack of its own: recursion overflowed on a line nested a few thousand deep, and the
 * line was then written again as plain text after the fields already written.
 */
export function replay(value: unknown, flattener: JsonFlattener): void {
  const steps: Step[] = [{ value }];
  for (let step = steps.pop(); step; step = steps.pop()) {
    if ("token" in step) {
      flattener.token(step.token, step.text);
      continue;
    }
    const v = step.value;
    if (Array.isArray(v)) {
      flattener.token(TokenType.LEFT_BRACKET, "[");
      steps.push({ token: TokenType.RIGHT_BRACKET, text: "]" });
      for (let i = v.length - 1; i >= 0; i--) {
        steps.push({ value: v[i] });
        if (i > 0) steps.push({ token: TokenType.COMMA, text: "," });
      }
    } else if (v !== null && typeof v === "object") {
      flattener.token(TokenType.LEFT_BRACE, "{");
      steps.push({ token: TokenType.RIGHT_BRACE, text: "}" });
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, x] = entries[i] as [string, unknown];
        steps.push({ value: x }, { token: TokenType.STRING, text: key });
        if (i > 0) steps.push({ token: TokenType.COMMA, text: "," });
      }
    } else if (v === null) flattener.token(TokenType.NULL, null);
    else if (typeof v === "boolean") flattener.token(v ? TokenType.TRUE : TokenType.FALSE, v);
    else flattener.token(typeof v === "number" ? TokenType.NUMBER : TokenType.STRING, v);
  }
}
