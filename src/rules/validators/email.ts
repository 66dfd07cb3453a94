/**
 * E-mail addresses (RFC 5321 mailbox, the dot-atom form people write). Contact data: personal
 * data when it names a person (`prenom.nom@…`), not a special category.
 *
 * The rule (rules/fr-contact.yaml) matches the "@" alone and checks the address around it with
 * look-arounds: a local part of 1–64 letters, digits and `. _ % + -` starting with a letter or
 * digit; a domain of labels and a top-level domain of 2–24 letters that is not a file extension
 * (`logo@2x.png` is a file). Matching the whole address took the one-pass automaton past its
 * limit (an unanchored run of letters doubles most of its states).
 *
 * Decided: the address is counted, never kept: it is not an identifier here (no sample, no
 * distinct count), since the match holds only the "@".
 */

import type { Validation, Validator } from "./index.js";

const EMAIL: Validation = { valid: true, confidence: 0.8, reasons: ["e-mail address (local part and domain checked)"] };

export const email: Validator = {
  identifier: false,
  normalize: (raw) => raw,
  validate: () => EMAIL,
  always: EMAIL,
};
