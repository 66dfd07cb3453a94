/**
 * A person's name in a field that names it (a `nom` or `prenom` column, FHIR `name.family`,
 * CDA `patient/name/given`, HL7 v2 PID-5). The field decides that it is a name; this only keeps
 * out what no one is called: numbers, codes, placeholders. Identity, not a national identifier:
 * counted, never sampled nor hashed (so never printed), never as persons. Not an identifier
 * for speed too: a name column has a value on every row, and holding each back cost more than
 * the rest of the detection.
 *
 * Values arrive as byte strings (one char per byte, UTF-8 or Windows-1252): bytes from 0x80 up
 * are accented letters or the typographic apostrophe in either encoding.
 */
import type { Validation, Validator } from "./index.js";

/** Letters of either case, accented bytes, and what joins names: space, hyphen, apostrophe, dot. */
const NAME = /^[A-Za-z\x80-\xff][A-Za-z\x80-\xff '.-]*$/;
/** What an empty field holds in exports. */
const PLACEHOLDERS = new Set([
  "null",
  "none",
  "nil",
  "n/a",
  "na",
  "nc",
  "inconnu",
  "inconnue",
  "anonyme",
  "xxx",
  "xx",
  "x",
]);
const TWO_LETTERS = /[A-Za-z][^A-Za-z]*[A-Za-z]/;
const NAMED: Validation = { valid: true, confidence: 0.6, reasons: ["name in a name field"] };

export const personName: Validator = {
  identifier: false,
  // HL7 v2 writes a name as components (`DUPONT^JEAN^^^^^L`): one name, its parts spaced.
  normalize: (raw) =>
    /[\^&\t]|\s\s/.test(raw)
      ? raw
          .replace(/[\^&]+/g, " ")
          .trim()
          .replace(/\s+/g, " ")
      : raw,
  validate(value) {
    if (value.length < 2 || value.length > 60) return { valid: false, reason: "length" };
    if (!NAME.test(value)) return { valid: false, reason: "not a name" };
    if (!TWO_LETTERS.test(value)) return { valid: false, reason: "too few letters" };
    if (PLACEHOLDERS.has(value.toLowerCase())) return { valid: false, reason: "placeholder" };
    return NAMED;
  },
};

/**
 * "Delphine Vigneau, 32 ans": a name written out with an age, in prose (a SAMU call's free text).
 * The rule's match is the age alone (", 32 ans"), its name checked in a look-behind: the name is
 * never read, so it can be neither shown nor counted apart.
 */
export const namedAge: Validator = {
  identifier: false,
  normalize: (raw) => raw,
  validate(value) {
    const age = Number(/([0-9]{1,3}) ans$/.exec(value)?.[1]);
    return age >= 0 && age <= 120 ? NAMED_AGE : { valid: false, reason: "age" };
  },
};
const NAMED_AGE: Validation = { valid: true, confidence: 0.6, reasons: ["first name, name and age"] };
