/**
 * French postal addresses (norme AFNOR NF Z 10-011): a street number, a street type (rue,
 * avenue, boulevard, chemin, impasse, allée, place, route…), the street's name, then a 5-digit
 * postcode and the town. Contact data: personal data when it sits next to a person.
 *
 * Postcode: the first two digits are the département (01–95; 20 for Corsica, 2A and 2B being
 * 20xxx; 97 and 98 overseas), 00 does not exist. Decided: a street without its postcode
 * (`12 rue des Lilas`, an `adresse` column whose postcode is in a `code_postal` column) counts
 * at low confidence, so only under an address column or next to an address word; a postcode
 * or a town alone is not an address and is not counted. The match spans at most 150
 * characters: a number and a street type far before a postcode are two different things.
 */

import type { Validation, Validator } from "./index.js";

/** The postcode and town that end a full address: `, 75011 Paris`. */
const POSTCODE_TOWN = /[\s,-]([0-9]{5})\s+(\S+)$/;

export type AddressVerdict = { valid: true; postcode: boolean } | { valid: false; reason: string };

/** Whether a 5-digit French postcode can exist (its département). */
export function postcodeValid(code: string): boolean {
  const dept = Number(code.slice(0, 2));
  return dept >= 1 && dept <= 95 ? true : dept === 97 || dept === 98;
}

/** Checks an address as matched. */
export function validateAddress(raw: string): AddressVerdict {
  if (raw.length > 150) return { valid: false, reason: "too long for one address" };
  const end = POSTCODE_TOWN.exec(raw);
  if (!end) return { valid: true, postcode: false };
  return postcodeValid(end[1] as string) ? { valid: true, postcode: true } : { valid: false, reason: "postcode" };
}

/**
 * Shows the street type and the postcode's département only: `•• rue ••••, 75••• •••`. The type is
 * found as the first word after the number; the rest is masked whatever it is.
 */
export function maskAddress(raw: string): string {
  const type = /^[0-9]+[^\s,]*,?\s+(\S+)/.exec(raw)?.[1] ?? "";
  const end = POSTCODE_TOWN.exec(raw);
  const street = `•• ${/^[A-Za-z.]{1,10}$/.test(type) ? type.toLowerCase() : "•••"} ••••`;
  return end ? `${street}, ${(end[1] as string).slice(0, 2)}••• •••` : street;
}

const FULL: Validation = { valid: true, confidence: 0.8, reasons: ["street, postcode and town"] };
const STREET: Validation = {
  valid: true,
  confidence: 0.45,
  reasons: ["street without postcode: counts only with an address word or column"],
};

export const postalAddress: Validator = {
  identifier: true,
  // An HL7 v2 address (XAD: street^other^city^state^postcode^country…, repeated with ~) as written.
  normalize: (raw) => {
    if (!raw.includes("^")) return raw.trim();
    const c = (raw.split("~")[0] as string).split("^");
    return [c[0], c[4], c[2]]
      .filter((x) => x?.trim())
      .join(" ")
      .trim();
  },
  validate(raw) {
    const verdict = validateAddress(raw);
    if (!verdict.valid) return verdict;
    return verdict.postcode ? FULL : STREET;
  },
  mask: maskAddress,
  // Case, spacing and commas vary between two writings of one address.
  person: (raw) => raw.toLowerCase().replace(/[\s,]+/g, " "),
};
