import { describe, expect, it } from "vitest";
import { maskNir, nirKey, normalizeNir, validateNir } from "../../src/rules/validators/nir.js";

describe("NIR validator", () => {
  it("computes the key as 97 − (body mod 97)", () => {
    expect(nirKey("1850578006084")).toBe(91);
    expect(97 - (1850578006084 % 97)).toBe(91);
  });

  it("reads 2A as 19 and 2B as 18 for the key", () => {
    expect(nirKey("185052A006084")).toBe(nirKey("1850519006084"));
    expect(nirKey("185052B006084")).toBe(nirKey("1850518006084"));
    expect(validateNir(`185052A006084${nirKey("185052A006084")}`)).toEqual({ valid: true, provisional: false });
    expect(validateNir(`185052B006084${nirKey("185052B006084")}`).valid).toBe(true);
  });

  it("accepts the worked example and rejects its neighbours with a wrong key", () => {
    expect(validateNir("185057800608491")).toEqual({ valid: true, provisional: false });
    for (const key of ["90", "92", "00", "98"]) expect(validateNir(`1850578006084${key}`).valid).toBe(false);
  });

  const withKey = (body: string) => `${body}${String(nirKey(body)).padStart(2, "0")}`;

  it.each([
    ["month 13", "1851378006084", "month"],
    ["month 19", "1851978006084", "month"],
    ["month 43", "1854378006084", "month"],
    ["month 00", "1850078006084", "month"],
    ["sex 0", "0850578006084", "sex digit"],
    ["sex 5", "5850578006084", "sex digit"],
    ["sex 9", "9850578006084", "sex digit"],
    ["commune 000", "1850578000084", "commune"],
    ["order 000", "1850578006000", "order number"],
    ["département 00", "1850500006084", "département"],
    ["département 96", "1850596006084", "département"],
    ["overseas 979", "1850597906084", "département"],
    ["overseas commune 95", "1850597195084", "commune"],
    ["abroad country 000", "1850599000084", "country code"],
  ])("rejects an impossible structure with a right key: %s", (_, body, reason) => {
    expect(validateNir(withKey(body))).toEqual({ valid: false, reason });
  });

  it.each([
    ["month 20 (unknown)", "1852078006084"],
    ["month 35 (special)", "1853578006084"],
    ["month 99 (unknown)", "1859978006084"],
    ["overseas 971, commune 12", "2901297112345"],
    ["born abroad, country 352", "1850599352084"],
    ["born abroad, country 999 (unknown: ANS test identities)", "1850599999084"],
    ["Corsica before 1976 (20)", "1850520123084"],
  ])("accepts a possible structure: %s", (_, body) => {
    expect(validateNir(withKey(body)).valid).toBe(true);
  });

  it("marks sex digits 3, 4, 7 and 8 as provisional registrations", () => {
    for (const sex of "3478")
      expect(validateNir(withKey(`${sex}850578006084`))).toEqual({ valid: true, provisional: true });
  });

  it("normalises spaces, dots, dashes, NBSP and narrow NBSP", () => {
    expect(normalizeNir("1 85 05 78 006 084 91")).toBe("185057800608491");
    expect(normalizeNir("1.85.05.78.006.084.91")).toBe("185057800608491");
    expect(normalizeNir("1-85-05-2a-006-084-35")).toBe("185052A00608435");
    expect(normalizeNir("1\u00A085\u202F05 78 006 084 91")).toBe("185057800608491");
  });

  it("masks all but 2 of 15 characters", () => {
    const masked = maskNir("185057800608491");
    expect(masked).toBe("1•••••••••••••1");
    expect(masked.replace(/•/g, "").length).toBeLessThanOrEqual(4);
  });
});
