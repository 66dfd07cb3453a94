/**
 * Base64 runs: an embedded PDF or image (HL7 v2 OBX-5, FHIR `Attachment.data`, a CDA
 * `nonXMLBody`) is letters, digits, `+` and `/`, in which "7SA/" reads as pregnancy weeks and
 * "/VIH+" as a term. Text rules skip hits inside such a run; decoding the payload is the
 * extractors' job. Issue 15, defect 3.
 */

/** A run at least this long (line breaks not counted) can be base64; shorter, it is a word or a token. */
const MIN_RUN = 64;
/** How far each side of a hit is looked at: a hit with this much alphabet on both sides is inside a run. */
const REACH = 128;

/** 1 upper, 2 lower, 3 digit, 4 `+` or `/`, 5 CR or LF (crossed when a wrapped payload goes on), 0 other. */
const CLASS = new Uint8Array(256);
for (let b = 0; b < 256; b++) {
  const c = String.fromCharCode(b);
  CLASS[b] = /[A-Z]/.test(c)
    ? 1
    : /[a-z]/.test(c)
      ? 2
      : /[0-9]/.test(c)
        ? 3
        : /[+/]/.test(c)
          ? 4
          : /[\r\n]/.test(c)
            ? 5
            : 0;
}

/**
 * True when bytes [offset, offset + length) of `text` (one char per byte) lie inside a base64
 * run: at least MIN_RUN alphabet characters around them, possibly wrapped over lines, that
 * change class (digit, upper, lower, symbol) at least at every other character. Random bytes
 * encoded change class at 64% of characters (1 − (26² + 26² + 10² + 2²) / 64²); a path or a
 * camelCase name about a third, a column of numbers (one NIR per line) almost never, so they
 * stay text. Costs a few steps for a hit
 * between spaces or delimiters; at most 2 × REACH for a hit inside a run.
 */
export function insideBase64(text: string, offset: number, length: number): boolean {
  let start = offset;
  const floor = Math.max(0, offset - REACH);
  while (start > floor && (CLASS[text.charCodeAt(start - 1) & 0xff] as number) !== 0) start--;
  let end = offset + length;
  const ceiling = Math.min(text.length, end + REACH);
  while (end < ceiling && (CLASS[text.charCodeAt(end) & 0xff] as number) !== 0) end++;
  if (end - start < MIN_RUN) return false;
  let run = 0;
  let changes = 0;
  let last = 0;
  for (let i = start; i < end; i++) {
    const k = CLASS[text.charCodeAt(i) & 0xff] as number;
    if (k === 5) continue;
    if (k === 0) return false; // the hit itself holds a space or a delimiter: not a payload
    if (last !== 0 && k !== last) changes++;
    last = k;
    run++;
  }
  return run >= MIN_RUN && changes * 2 >= run;
}
