import { describe, expect, it } from "vitest";
import { seededRandom } from "../../src/demo/synthetic.js";
import { validateBic } from "../../src/rules/validators/bic.js";
import { maskIban, validateIban } from "../../src/rules/validators/iban.js";
import { validators } from "../../src/rules/validators/index.js";
import { luhnValid, maskCard, validateCard } from "../../src/rules/validators/payment-card.js";
import { phoneDigits, validatePhone } from "../../src/rules/validators/phone.js";
import { maskAddress, validateAddress } from "../../src/rules/validators/postal-address.js";
import { exposureScore } from "../../src/score/exposure.js";
import { loadWeights } from "../../src/score/weights.js";
import { bucket, totals } from "../helpers/report.js";

// Every value below is synthetic: made-up bank codes and card numbers given their check digits.
describe("IBAN (ISO 13616, mod 97)", () => {
  it("accepts an IBAN whose check digits make the number 1 mod 97, at its country's length", () => {
    expect(validateIban("FR8612345678900123456789A12")).toEqual({ valid: true });
    expect(validateIban("DE60123456780012345678")).toEqual({ valid: true });
    expect(validateIban("NO2812345678901")).toEqual({ valid: true });
  });

  it("rejects wrong check digits, a wrong length and an unknown country", () => {
    expect(validateIban("FR8712345678900123456789A12")).toMatchObject({ valid: false, reason: "check digits" });
    expect(validateIban("FR8612345678900123456789A1")).toMatchObject({ valid: false, reason: "length" });
    expect(validateIban("XX60123456780012345678")).toMatchObject({ valid: false, reason: "country" });
  });

  it("masks all but the country code and the last 4 characters", () => {
    expect(maskIban("FR8612345678900123456789A12")).toBe("FR•••••••••••••••••••••9A12");
  });
});

describe("payment cards (Luhn and issuer)", () => {
  it("accepts a Luhn-valid number of a known network and length", () => {
    expect(luhnValid("4970741852963070")).toBe(true);
    expect(validateCard("4970741852963070")).toEqual({ valid: true, short: false });
    expect(validateCard("378274185296303")).toEqual({ valid: true, short: false });
  });

  it("rejects a Luhn failure, an unknown prefix and a wrong length for the network", () => {
    expect(validateCard("4970741852963071")).toMatchObject({ valid: false, reason: "Luhn" });
    expect(validateCard("9970741852963076")).toMatchObject({ valid: false, reason: "issuer" });
    expect(validateCard("49707418529630701")).toMatchObject({ valid: false, reason: "issuer" });
  });

  it("marks 13- and 14-digit numbers as short (a SIRET's length), and masks all but the last 4", () => {
    expect(validateCard("30567418529634")).toEqual({ valid: true, short: true });
    expect(maskCard("4970741852963070")).toBe("••••••••••••3070");
  });
});

describe("French phone numbers", () => {
  it("reads national, +33, +33 (0) and 0033 forms, after a phone word too", () => {
    for (const raw of [
      "06 12 34 56 78",
      "+33 6 12 34 56 78",
      "+33 (0)6 12 34 56 78",
      "0033 6 12 34 56 78",
      "Tél : 06.12.34.56.78",
    ])
      expect(phoneDigits(raw)).toBe("612345678");
  });

  it("refuses service numbers and placeholders, and tells a compact number apart", () => {
    expect(validatePhone("08 00 12 34 56")).toMatchObject({ valid: false });
    expect(validatePhone("01 23 45 67 89")).toMatchObject({ valid: false, reason: "placeholder" });
    expect(validatePhone("0612345678")).toEqual({ valid: true, mobile: true, compact: true });
    expect(validatePhone("01 42 68 53 27")).toEqual({ valid: true, mobile: false, compact: false });
  });
});

describe("postal addresses and BIC", () => {
  it("checks the postcode's département and masks all but the street type and département", () => {
    expect(validateAddress("12 rue de la Paix, 75002 Paris")).toEqual({ valid: true, postcode: true });
    expect(validateAddress("12 rue de la Paix")).toEqual({ valid: true, postcode: false });
    expect(validateAddress("12 rue de la Paix, 00123 Nulle")).toMatchObject({ valid: false, reason: "postcode" });
    expect(maskAddress("12 rue de la Paix, 75002 Paris")).toBe("•• rue ••••, 75••• •••");
  });

  it("checks a BIC's country and location", () => {
    expect(validateBic("ABCDFRPPXXX")).toEqual({ valid: true });
    expect(validateBic("ABCDQQPPXXX")).toMatchObject({ valid: false, reason: "country" });
    expect(validateBic("ABCDFRPO")).toMatchObject({ valid: false, reason: "location" });
  });
});

describe("exposure: contact and financial data", () => {
  it("count in sensitivity below identity with health; without an account or a card they never open the access factors", async () => {
    const weights = await loadWeights();
    const ctx = { weights, now: new Date("2026-11-28T00:00:00Z") };
    const invoices = bucket({
      url: "s3://factures",
      posture: { publicRead: true, publicList: true, notes: [] },
      totals: totals({ categories: { financial: 40, contact: 12 } }),
      newestModified: "2019-01-01T00:00:00Z",
    });
    const scored = exposureScore(invoices, ctx);
    const sensitivity = scored.factors.find((f) => f.name === "sensitivity");
    expect(sensitivity?.points).toBe(weights.sensitivity.financial);
    expect(sensitivity?.detail).toMatch(/40 bank or card detail\(s\).*12 contact detail\(s\)/);
    expect(scored.factors.find((f) => f.name === "accessibility")?.detail).toMatch(/not counted/);
  });
});

describe("the phone column's fast path", () => {
  it("gives validatePhone's verdict on every generated number", () => {
    const random = seededRandom(11);
    const digit = () => String(Math.floor(random() * 10));
    const seps = ["", " ", ".", "-", "\u00a0"];
    let checked = 0;
    for (let n = 0; n < 20_000; n++) {
      const count = 8 + Math.floor(random() * 4);
      const sep = seps[Math.floor(random() * seps.length)] as string;
      const lead = random() < 0.8 ? "0" : digit();
      let raw = lead;
      for (let i = 1; i < count; i++) raw += (i % 2 === 0 ? sep : "") + (random() < 0.1 ? lead : digit());
      const slow = validatePhone(raw);
      const fast = validators["fr-phone"]?.validate(raw);
      expect(fast?.valid, raw).toBe(slow.valid);
      if (slow.valid && fast?.valid) {
        expect(fast.confidence, raw).toBe(slow.compact ? 0.45 : 0.8);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });
});
