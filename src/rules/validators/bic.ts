/**
 * BIC, Business Identifier Code (ISO 9362, "code SWIFT"): a bank's address, printed next to an
 * IBAN on every RIB. It names a bank, not a person: it is reported as financial data (it says
 * bank details are there), never as an identifier, and only after a "BIC"/"SWIFT" word or under
 * a BIC column, since any 8 or 11 capitals could be one.
 *
 * Layout: 4 letters (the bank), 2 letters (an ISO 3166 country), 2 letters or digits (the
 * location, whose second character is never the letter O), then optionally 3 (the branch).
 * Worked example (synthetic): `ABCDFRPPXXX`: bank ABCD, France, location PP, head office.
 */

import type { Validation, Validator } from "./index.js";

/** ISO 3166-1 alpha-2 codes, and XK (Kosovo), which SWIFT uses. */
const COUNTRIES = new Set(
  (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
    "KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
    "MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG " +
    "UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW"
  ).split(" "),
);

/** The code at the end of a match ("BIC : ABCDFRPPXXX" → "ABCDFRPPXXX"). */
export function bicOf(raw: string): string {
  return /[A-Z0-9]{8}(?:[A-Z0-9]{3})?$/.exec(raw.trimEnd())?.[0] ?? "";
}

export type BicVerdict = { valid: true } | { valid: false; reason: string };

export function validateBic(code: string): BicVerdict {
  if (!/^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/.test(code)) return { valid: false, reason: "layout" };
  if (!COUNTRIES.has(code.slice(4, 6))) return { valid: false, reason: "country" };
  if (code[7] === "O") return { valid: false, reason: "location" };
  return { valid: true };
}

const BIC_VALID: Validation = { valid: true, confidence: 0.8, reasons: ["BIC layout and country valid"] };

export const bic: Validator = {
  identifier: false,
  normalize: bicOf,
  validate(code) {
    const verdict = validateBic(code);
    return verdict.valid ? BIC_VALID : verdict;
  },
};
