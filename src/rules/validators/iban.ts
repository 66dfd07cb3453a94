/**
 * IBAN, International Bank Account Number (ISO 13616-1; the SWIFT IBAN registry keeps each
 * country's length). Personal data when the account is a person's (GDPR art. 4(1)); not a
 * special category, but "financial data" in the CNIL's and the EDPB's breach assessments.
 *
 * Layout: a 2-letter country code, 2 check digits, then the country's BBAN (11 to 30 letters
 * and digits, a fixed length per country: FR 27 in all, DE 22, BE 16, NO 15, LC 32). Written
 * compact or in groups of 4 (`FR76 1234 5678 …`).
 *
 * Check (ISO 7064 MOD 97-10): move the first 4 characters to the end, read each letter as a
 * number (A = 10 … Z = 35), and the whole number mod 97 must be 1. Check digits 00, 01 and 99
 * cannot come out of the computation.
 *
 * Worked example (synthetic): `FR86 1234 5678 9001 2345 6789 A12` → `12345678900123456789A12FR86`
 * → `123456789001234567891012152786` (A = 10, F = 15, R = 27) → mod 97 = 1, so it is valid;
 * `FR87 …` with the same BBAN gives 2 and is not.
 */

import type { Validation, Validator } from "./index.js";

/** Country → total IBAN length, from the SWIFT IBAN registry (release 2024). */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/** ISO 7064 MOD 97-10 of an IBAN (compact, upper case): 1 when its check digits are right. */
export function ibanRemainder(iban: string): number {
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (let i = 0; i < moved.length; i++) {
    const c = moved.charCodeAt(i);
    // Letters are two digits (A = 10 … Z = 35), digits one.
    rest = c >= 65 ? (rest * 100 + c - 55) % 97 : (rest * 10 + c - 48) % 97;
  }
  return rest;
}

export type IbanVerdict = { valid: true } | { valid: false; reason: string };

/** Checks a compact, upper-case IBAN: known country, its length, BBAN characters, check digits. */
export function validateIban(iban: string): IbanVerdict {
  const length = IBAN_LENGTHS[iban.slice(0, 2)];
  if (length === undefined) return { valid: false, reason: "country" };
  if (iban.length !== length) return { valid: false, reason: "length" };
  if (!/^[A-Z]{2}[0-9]{2}[0-9A-Z]+$/.test(iban)) return { valid: false, reason: "characters" };
  return ibanRemainder(iban) === 1 ? { valid: true } : { valid: false, reason: "check digits" };
}

/**
 * Drops a leading label (a pattern in free text matches `IBAN : FR76…` from its label), then
 * separators (spaces, dots, dashes, NBSP in any encoding), and upper-cases.
 */
export function normalizeIban(raw: string): string {
  return raw
    .toUpperCase()
    .replace(LABEL, "")
    .replace(/[^0-9A-Z]/g, "");
}
const LABEL = /^\s*(?:IBAN|RIB)\b[^0-9A-Z]*/;

/** Keeps the country code and the last 4 characters, as a bank statement does: `FR•••••••••••••••••••••9A12`. */
export function maskIban(iban: string): string {
  return `${iban.slice(0, 2)}${"•".repeat(Math.max(0, iban.length - 6))}${iban.slice(-4)}`;
}

const IBAN_VALID: Validation = { valid: true, confidence: 0.9, reasons: ["IBAN check digits valid (mod 97)"] };

export const iban: Validator = {
  identifier: true,
  normalize: normalizeIban,
  validate(value) {
    const verdict = validateIban(value);
    return verdict.valid ? IBAN_VALID : verdict;
  },
  mask: maskIban,
  person: (value) => value,
};
