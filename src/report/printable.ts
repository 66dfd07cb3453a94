/**
 * Characters that must not reach a terminal or a text report raw:
 * - `Cc`: the C0 controls U+0000–U+001F (ESC starts terminal commands: window title, screen
 *   clear, colours; BEL, CR and LF rewrite or split lines), DEL U+007F and the C1 controls
 *   U+0080–U+009F (U+009B is a one-byte CSI for some terminals);
 * - `Cf`: invisible format controls, among them the bidi embeddings, overrides and isolates
 *   U+202A–U+202E and U+2066–U+2069 and the marks U+200E, U+200F, U+061C ("Trojan Source":
 *   a name displayed in an order other than its own), the zero-width characters U+200B–U+200D,
 *   U+2060 and U+FEFF (two names that look the same), soft hyphen U+00AD and the tag
 *   characters U+E0000–U+E007F (hidden text);
 * - `Zl`, `Zp`: U+2028 and U+2029, line breaks to some viewers;
 * - `Cs`: a lone surrogate, which no UTF-8 output can hold;
 * - the backslash itself, so that the escapes below cannot be forged and two different names
 *   never print the same.
 * Left alone on purpose: visible characters of every script, combining marks and variation
 * selectors (an emoji needs U+FE0F), and the mask `•` U+2022.
 */
const UNSAFE = /[\\\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;

/**
 * Makes any string safe to show on one line: every unsafe character (see above) becomes a
 * visible escape in JavaScript notation, `\x1b`, `\u202e`, `\u{e0041}`, and a backslash becomes
 * `\\`. The mapping is one-to-one (it can be decoded back) and leaves all other text as is, so
 * masked identifiers keep their mask. A tab or a newline is escaped too: a multi-line message
 * is split on `\n` first and each line made printable (see {@link printableLines}).
 * Pure and total: never throws.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** {@link printable} on each line of `text`, keeping its `\n` line breaks (stacks, multi-line messages). */
export function printableLines(text: string): string {
  return text.split("\n").map(printable).join("\n");
}

function escapeOne(char: string): string {
  if (char === "\\") return "\\\\";
  const code = char.codePointAt(0) ?? 0;
  const hex = code.toString(16);
  if (code <= 0xff) return `\\x${hex.padStart(2, "0")}`;
  if (code <= 0xffff) return `\\u${hex.padStart(4, "0")}`;
  return `\\u{${hex}}`;
}
