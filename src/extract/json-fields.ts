import { TokenType } from "@streamparser/json";
import type { TextOut } from "./text-io.js";

/** FHIR identifier systems that say the value is a NIR (INS-NIR) or a provisional NIA (INS-NIA). */
export const IDENTIFIER_SYSTEMS: Record<string, string> = {
  "urn:oid:1.2.250.1.213.1.4.8": "INS-NIR",
  "urn:oid:1.2.250.1.213.1.4.9": "INS-NIA",
  "1.2.250.1.213.1.4.8": "INS-NIR",
  "1.2.250.1.213.1.4.9": "INS-NIA",
};

interface Frame {
  array: boolean;
  path: string;
  key: string;
  index: number;
  expectKey: boolean;
  /** Scalars of an object, held until it closes so that `system` is known before `value` is written. */
  scalars: [string, string][];
}

/** Most scalars held for one object before they are written out anyway. */
const MAX_HELD = 64;
const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;

/**
 * Turns JSON tokens into `path<TAB>value` lines. The elements of the outermost array (rows of
 * an export, a FHIR Bundle's `entry`) are records, separated by a blank line. An identifier
 * whose `system` is the INS-NIR or INS-NIA OID gets it in its path
 * (`$.entry[0].resource.identifier[0]{INS-NIR}.value`), where the NIR rules read it as a header.
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
        this.stack.push({
          array,
          path: top ? this.childPath(top) : "$",
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
    return top.array ? `${top.path}[${top.index}]` : `${top.path}${segment(top.key)}`;
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

/** Feeds a parsed value (one NDJSON line) to a flattener as the tokens it was read from. */
export function replay(value: unknown, flattener: JsonFlattener): void {
  if (Array.isArray(value)) {
    flattener.token(TokenType.LEFT_BRACKET, "[");
    value.forEach((v, i) => {
      if (i > 0) flattener.token(TokenType.COMMA, ",");
      replay(v, flattener);
    });
    flattener.token(TokenType.RIGHT_BRACKET, "]");
  } else if (value !== null && typeof value === "object") {
    flattener.token(TokenType.LEFT_BRACE, "{");
    Object.entries(value).forEach(([k, v], i) => {
      if (i > 0) flattener.token(TokenType.COMMA, ",");
      flattener.token(TokenType.STRING, k);
      replay(v, flattener);
    });
    flattener.token(TokenType.RIGHT_BRACE, "}");
  } else if (value === null) flattener.token(TokenType.NULL, null);
  else if (typeof value === "boolean") flattener.token(value ? TokenType.TRUE : TokenType.FALSE, value);
  else flattener.token(typeof value === "number" ? TokenType.NUMBER : TokenType.STRING, value);
}
