import { maskNir, normalizeNir, validateNir } from "./nir.js";

/** What a validator says of one regex match. */
export type Validation = { valid: true; confidence: number; reasons: string[] } | { valid: false; reason: string };

/** A named check that rules refer to from YAML (`validator: nir`). Code lives here, never in YAML. */
export interface Validator {
  /** Canonical form used for fingerprints and masking (separators removed, upper case). */
  normalize(raw: string): string;
  /** Confirms a normalised match; never throws. */
  validate(normalized: string): Validation;
  /** A preview that shows at most 4 characters of the value. */
  mask(normalized: string): string;
}

const nir: Validator = {
  normalize: normalizeNir,
  validate(value) {
    const verdict = validateNir(value);
    if (!verdict.valid) return { valid: false, reason: verdict.reason };
    return verdict.provisional
      ? {
          valid: true,
          confidence: 0.7,
          reasons: ["key valid", "provisional registration number (sex digit 3, 4, 7 or 8)"],
        }
      : { valid: true, confidence: 0.9, reasons: ["key valid", "structure valid"] };
  },
  mask: maskNir,
};

/** Validator name → implementation. Adding one is one entry here. */
export const validators: Record<string, Validator> = { nir };
