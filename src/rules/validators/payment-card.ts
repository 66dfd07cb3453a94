/**
 * Payment card numbers (PAN, ISO/IEC 7812). Personal financial data; PCI DSS forbids storing
 * them in clear, and a leak is notifiable whatever else the file holds.
 *
 * Layout: 13 to 19 digits, the first 6 to 8 the issuer (IIN), the last the Luhn check digit.
 * Accepted issuers and lengths (prefix → lengths):
 *
 * | network                 | prefixes                                  | lengths |
 * |-------------------------|-------------------------------------------|---------|
 * | Visa (and CB co-badged) | 4                                         | 16, 19 (13: old cards) |
 * | Mastercard              | 51–55, 2221–2720                          | 16      |
 * | American Express        | 34, 37                                    | 15      |
 * | Diners Club             | 36, 38, 39, 300–305                       | 16–19 (14: old cards) |
 * | Discover                | 6011, 644–649, 65                         | 16–19   |
 * | JCB                     | 3528–3589                                 | 16–19   |
 * | UnionPay                | 62                                        | 16–19   |
 * | Maestro                 | 50, 56–58, 6304, 6759, 6761–6763          | 16–19   |
 * | Mir                     | 2200–2204                                 | 16–19   |
 *
 * Decided: 13- and 14-digit numbers (old Visa, old Diners) count at low confidence, so only with
 * a card word or column nearby: a SIRET is 14 digits and passes Luhn by law, an EAN-13 or a
 * GTIN-14 passes it once in ten, and either may start like a card.
 *
 * Luhn: from the right, double every second digit (subtracting 9 above 9); the sum must end in 0.
 * Worked example (synthetic): `4970 7418 5296 3070`, read from the right: 0, 7→14→5, 0, 3→6,
 * 6, 9→18→9, 2, 5→10→1, 8, 1→2, 4, 7→14→5, 0, 7→14→5, 9, 4→8 sum to 70, so it is valid;
 * `… 3071` sums to 71 and is not.
 */

import type { Validation, Validator } from "./index.js";

/** Luhn (mod 10) check of a digit string. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const LONG = [16, 17, 18, 19];

/** [first prefix, last prefix (inclusive, same width), lengths] per network. */
const ISSUERS: readonly [string, string, readonly number[]][] = [
  ["4", "4", [13, 16, 19]],
  ["51", "55", [16]],
  ["2221", "2720", [16]],
  ["34", "34", [15]],
  ["37", "37", [15]],
  ["300", "305", [14, ...LONG]],
  ["36", "36", [14, ...LONG]],
  ["38", "39", [14, ...LONG]],
  ["6011", "6011", LONG],
  ["644", "649", LONG],
  ["65", "65", LONG],
  ["3528", "3589", LONG],
  ["62", "62", LONG],
  ["50", "50", LONG],
  ["56", "58", LONG],
  ["6304", "6304", LONG],
  ["6759", "6759", LONG],
  ["6761", "6763", LONG],
  ["2200", "2204", LONG],
];

/** Whether a known network issues numbers of this prefix and length. */
export function knownIssuer(digits: string): boolean {
  return ISSUERS.some(([from, to, lengths]) => {
    const prefix = digits.slice(0, from.length);
    return prefix >= from && prefix <= to && lengths.includes(digits.length);
  });
}

export type CardVerdict = { valid: true; short: boolean } | { valid: false; reason: string };

/** Checks a card number, digits only: length, issuer, Luhn, and not one digit repeated. */
export function validateCard(digits: string): CardVerdict {
  if (!/^[0-9]{13,19}$/.test(digits)) return { valid: false, reason: "layout" };
  if (!knownIssuer(digits)) return { valid: false, reason: "issuer" };
  if (/^(.)\1+$/.test(digits.slice(1))) return { valid: false, reason: "one digit repeated" };
  if (!luhnValid(digits)) return { valid: false, reason: "Luhn" };
  return { valid: true, short: digits.length < 15 };
}

/** Keeps the last 4 digits, as a receipt does: `••••••••••••3070`. */
export function maskCard(digits: string): string {
  return `${"•".repeat(Math.max(0, digits.length - 4))}${digits.slice(-4)}`;
}

const CARD_VALID: Validation = { valid: true, confidence: 0.85, reasons: ["Luhn valid", "known issuer prefix"] };
const CARD_SHORT: Validation = {
  valid: true,
  confidence: 0.4,
  reasons: ["Luhn valid", "known issuer prefix", "13 or 14 digits: counts only with a card word or column"],
};

export const paymentCard: Validator = {
  identifier: true,
  normalize: (raw) => raw.replace(/[^0-9]/g, ""),
  validate(value) {
    const verdict = validateCard(value);
    if (!verdict.valid) return verdict;
    return verdict.short ? CARD_SHORT : CARD_VALID;
  },
  mask: maskCard,
  person: (value) => value,
};
