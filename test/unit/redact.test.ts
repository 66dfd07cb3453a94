import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { seededRandom, spacedNir, syntheticNir } from "../../src/demo/synthetic.js";
import { redactIdentifiers as redact, redactDeep } from "../../src/redact.js";

/** A Corsican NIR with its right key: 2 53 07 2B 073 004, key 70. */
const CORSICAN = "253072B07300470";
const MAINLAND = "185057800608491";

/** Every written form of a NIR an output must never hold (compact, body, spaced, dotted, encoded). */
function forms(nir: string): string[] {
  const spaced = spacedNir(nir);
  return [
    nir,
    nir.slice(0, 13),
    spaced,
    spaced.replace(/ /g, "."),
    spaced.replace(/ /g, "-"),
    encodeURIComponent(spaced),
    spaced.replace(/ /g, "\u00a0"),
    encodeURIComponent(spaced.replace(/ /g, "\u00a0")),
  ];
}

describe("redaction of names and messages", () => {
  it("masks a NIR in an object key, keeping its first and last character", () => {
    expect(redact("exports/patient_185057800608491.csv")).toBe("exports/patient_1•••••••••••••1.csv");
  });

  it.each([
    ["glued to letters", `nir${CORSICAN}.txt`],
    ["letters after it", `${CORSICAN}v2.csv`],
    ["a JSON key", `$.id${CORSICAN}`],
    ["a zip entry", `export.zip/nir${CORSICAN}.csv`],
    ["followed by .digit", `${CORSICAN}.2021.csv`],
    ["next to a negative word", `facture-${CORSICAN}.txt`],
    ["with a wrong key", `${CORSICAN.slice(0, 13)}99.csv`],
    ["the body alone", `x${CORSICAN.slice(0, 13)}y`],
    ["a spaced Corsican folder", "/srv/2 53 07 2B 073 004 70/a.csv"],
    ["a percent-encoded folder URL", "file:///srv/2%2053%2007%202B%20073%20004%2070/a.csv"],
    ["lower-case 2b", "nir-253072b07300470"],
    ["inside a longer digit run", `9${MAINLAND}4`],
    ["an NBSP-grouped form", "1\u00a085\u00a005\u00a078\u00a0006\u00a0084\u00a091"],
    ["a narrow-NBSP form, URL-encoded", encodeURIComponent("1\u202f85\u202f05\u202f78\u202f006\u202f084\u202f91")],
    ["a form-encoded query", "q=1+85+05+78+006+084+91"],
    ["a folder URL encoded twice (a %20 in the name)", "file:///w/2%252053%252007%25202B%2520073%2520004%252070/"],
    ["two spaces and ' - ' between groups", "1  85  05 - 78 - 006  084 91"],
    ["tabs, thin, ideographic and zero-width spaces, soft hyphens", "1\t85\u200905\u300078\u200b006\u00ad084 91"],
    ["in fullwidth digits", "ｎｉｒ２５３０７２Ｂ０７３００４７０"],
    ["in Arabic-Indic digits", "١٨٥٠٥٧٨٠٠٦٠٨٤٩١.csv"],
  ])("masks a NIR %s", (_, text) => {
    const out = redact(text);
    expect(out).toContain("•");
    for (const form of [...forms(CORSICAN), ...forms(MAINLAND)]) expect(out).not.toContain(form);
    const digits = (t: string) => t.replace(/[^\p{Nd}]/gu, "").length;
    expect(digits(out)).toBeLessThanOrEqual(digits(text) - 10);
  });

  it("leaves runs that cannot hold a 13-character body alone", () => {
    for (const text of ["timeout after 60000 ms", "2021-10-15/export.csv", "HTTP 503, 12 attempts", "id 185057800608"])
      expect(redact(text)).toBe(text);
    // No window starts with a sex digit (1, 2, 3, 4, 7, 8).
    expect(redact("0000000000000000")).toBe("0000000000000000");
    // Redaction is not detection: a SIRET could hold a NIR body, and is masked as well.
    expect(redact("siret 73282932000074")).toBe("siret 7••••••••••••4");
  });

  it("is idempotent and never leaves 13 NIR characters in a row (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.string(), fc.string(), (seed, before, after) => {
        const nir = syntheticNir(seededRandom(seed));
        for (const form of forms(nir)) {
          const out = redact(`${before}${form}${after}`);
          expect(redact(out)).toBe(out);
          expect(out.includes(form)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("masks a NIR after a literal %, whose first digits read as an escape (%20, %25)", () => {
    // fast-check found it: "0%" then a NIR starting with 20 left the NIR whole.
    for (const text of ["0%205037800608412", "taux 5%253072B07300470", "100%2050378006084 12"]) {
      const out = redact(text);
      expect(out).not.toMatch(/[0-9AB]{13}/);
      expect(redact(out)).toBe(out);
    }
  });

  it("walks every string of a nested report, property names included", () => {
    const out = redactDeep({ a: ["x 185057800608491"], b: { c: 3, d: "185057800608491" }, [MAINLAND]: 1 }, redact);
    expect(JSON.stringify(out)).not.toContain("185057800608491");
    expect(out.b.c).toBe(3);
  });
});

describe("redaction leaves our own hashes and the storage's version ids alone", () => {
  it("keeps a GCS generation in versionId and in the URL's versionId query, masking the key before it", () => {
    const out = redactDeep(
      { url: `gs://b/${MAINLAND}.csv?versionId=1764612345678901`, versionId: "1764612345678901" },
      redact,
    );
    expect(out).toEqual({
      url: "gs://b/1•••••••••••••1.csv?versionId=1764612345678901",
      versionId: "1764612345678901",
    });
  });

  it("keeps a finding id and a sample fingerprint even when their hex holds 13 digits in a row", () => {
    const id = `3d1${"2345678901234".repeat(4)}9ffc9`.slice(0, 64);
    const out = redactDeep({ id, samples: [{ fingerprint: "a1234567890123ab", masked: "1•••1" }], key: id }, redact);
    expect(out.id).toBe(id);
    expect(out.samples[0]?.fingerprint).toBe("a1234567890123ab");
    // The same hex as a key name is a name: masked.
    expect(out.key).not.toBe(id);
  });
});
