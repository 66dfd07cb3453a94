import { bic } from "./bic.js";
import { email } from "./email.js";
import { iban } from "./iban.js";
import { maskNir, nirKey, normalizeNir, validateNir } from "./nir.js";
import { paymentCard } from "./payment-card.js";
import { namedAge, personName } from "./person-name.js";
import { frPhone } from "./phone.js";
import { postalAddress } from "./postal-address.js";

/**
 * What a validator says of one regex match. Valid verdicts are shared constants (one per kind of
 * verdict): callers never mutate them, and rules cache reason lists by their identity.
 */
export type Validation =
  | { valid: true; confidence: number; reasons: readonly string[] }
  | { valid: false; reason: string };

const NIR_VALID: Validation = { valid: true, confidence: 0.9, reasons: ["key valid", "structure valid"] };
const NIR_PROVISIONAL: Validation = {
  valid: true,
  confidence: 0.7,
  reasons: ["key valid", "provisional registration number (sex digit 3, 4, 7 or 8)"],
};
const BODY_VALID: Validation = { valid: true, confidence: 0.5, reasons: ["NIR body without key: structure valid"] };
const INS_KEY_INVALID: Validation = {
  valid: true,
  confidence: 0.2,
  reasons: ["INS by OID, key invalid", "structure valid"],
};
const PATTERN: Validation = { valid: true, confidence: 0.8, reasons: ["pattern"] };

/** A named check that rules refer to from YAML (`validator: nir`). Code lives here, never in YAML. */
export type Validator = IdentifierValidator | ValueValidator;

interface ValidatorBase {
  /** Canonical form used for fingerprints and masking (separators removed, upper case). */
  normalize(raw: string): string;
  /** Confirms a normalised match; never throws. */
  validate(normalized: string): Validation;
  /** Set when every match gets this verdict: the rule then never reads the matched text (a date on every row). */
  readonly always?: Validation;
}

/**
 * Matches are identifiers: hashed, masked and sampled, and counted as distinct values; as
 * persons only in the `national-id` category (engine.ts).
 */
export interface IdentifierValidator extends ValidatorBase {
  identifier: true;
  /** A preview that shows at most 4 characters of the value that tell it apart (an IBAN adds its country code). */
  mask(normalized: string): string;
  /** The part that identifies the person, for distinct counting (a NIR's body, not its key). */
  person(normalized: string): string;
}

/** Matches are counted, never sampled nor hashed (names, phones, dates): nothing to mask. */
export interface ValueValidator extends ValidatorBase {
  identifier: false;
}

const nir: Validator = {
  identifier: true,
  normalize: normalizeNir,
  validate(value) {
    const verdict = validateNir(value);
    if (!verdict.valid) return { valid: false, reason: verdict.reason };
    return verdict.provisional ? NIR_PROVISIONAL : NIR_VALID;
  },
  mask: maskNir,
  person: (value) => value.slice(0, 13),
};

/** A 13-character NIR body without its key: structure only, so it needs context to count. */
const nirBody: Validator = {
  identifier: true,
  normalize: normalizeNir,
  validate(value) {
    if (value.length !== 13) return { valid: false, reason: "layout" };
    // Validate the structure with the right key appended: only the key is unknown.
    const verdict = validateNir(`${value}${String(nirKey(value)).padStart(2, "0")}`);
    if (!verdict.valid) return { valid: false, reason: verdict.reason };
    return BODY_VALID;
  },
  mask: maskNir,
  person: (value) => value,
};

/**
 * A 15-character NIR whose structure is possible but whose key fails: what an INS field holds in
 * test data, after a typo or with an old key. Only the rule that requires an INS label (an OID
 * or an INS column) uses it; a valid key is `nir`'s, so the two never count the same value.
 */
const insKeyInvalid: Validator = {
  identifier: true,
  normalize: normalizeNir,
  validate(value) {
    if (value.length !== 15) return { valid: false, reason: "layout" };
    const body = value.slice(0, 13);
    const right = String(nirKey(body)).padStart(2, "0");
    if (value.slice(13) === right) return { valid: false, reason: "key valid (the nir validator's)" };
    const verdict = validateNir(`${body}${right}`);
    if (!verdict.valid) return { valid: false, reason: verdict.reason };
    return INS_KEY_INVALID;
  },
  mask: maskNir,
  person: (value) => value.slice(0, 13),
};

/** No check: the pattern says it all (health expressions, blood groups). */
const none: Validator = {
  identifier: false,
  normalize: (raw) => raw,
  validate: () => PATTERN,
  always: PATTERN,
};

/** Validator name → implementation. Adding one is one entry here. */
export const validators: Record<string, Validator> = {
  nir,
  "nir-body": nirBody,
  "ins-key-invalid": insKeyInvalid,
  iban,
  "payment-card": paymentCard,
  bic,
  "fr-phone": frPhone,
  email,
  "postal-address": postalAddress,
  "person-name": personName,
  "named-age": namedAge,
  none,
};
