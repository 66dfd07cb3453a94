/**
 * French NIR ("numéro de sécurité sociale", numéro d'inscription au répertoire, INSEE).
 *
 * Legal basis: décret n° 82-103 (RNIPP); its use is restricted by CNIL délibération 2019-055,
 * which makes it one of the most sensitive identifiers under GDPR art. 87.
 *
 * Layout of the 15 characters (13-character body + 2-digit key):
 *
 * | pos   | content          | accepted                                                    |
 * |-------|------------------|-------------------------------------------------------------|
 * | 1     | sex              | 1, 2; 3, 4, 7, 8 for persons being registered (provisional) |
 * | 2–3   | year of birth    | 00–99                                                       |
 * | 4–5   | month of birth   | 01–12, 20, 30–42, 50–99 (unknown or special)                |
 * | 6–7   | département      | 01–95, 2A, 2B, 20 (Corsica before 1976), 97x/98x, 99        |
 * | 8–10  | commune          | 001–999 (overseas: dept takes 3 digits, commune 01–90)      |
 * |       | (dept 99)        | country, 001–999 (see below)                                |
 * | 11–13 | order number     | 001–999                                                     |
 * | 14–15 | key              | 97 − (N mod 97), N = body with 2A→19, 2B→18                 |
 *
 * Born abroad (département 99): positions 8–10 are the country of the INSEE geographic code
 * (COG: 99100–99990, the continent first). Decided: any code 001–999 is accepted, only 000 is
 * not. 999 (country unknown) is not in the COG but is written in practice and in the ANS test
 * identities, with valid keys; a valid key is the stronger evidence (a random number passes it
 * once in 97), and a NIR wrongly refused is a person not counted.
 *
 * Worked example (synthetic): body `1 85 05 78 006 084`, N = 1850578006084,
 * N mod 97 = 6, key = 97 − 6 = 91, so `185057800608491` is valid.
 */

/** The body as a number for the key: 2A → 19 and 2B → 18. Fits in a JS Number (< 2^53). */
export function nirKey(body13: string): number {
  const digits = body13.toUpperCase().replace("2A", "19").replace("2B", "18");
  return 97 - (Number(digits) % 97);
}

export type NirVerdict = { valid: true; provisional: boolean } | { valid: false; reason: string };

const MONTH_OK = (m: number) => (m >= 1 && m <= 12) || m === 20 || (m >= 30 && m <= 42) || m >= 50;

/** Checks structure and key of a normalised NIR: 15 characters, separators removed, upper case. */
export function validateNir(nir: string): NirVerdict {
  if (!/^[0-9]{5}(?:[0-9]{2}|2[AB])[0-9]{8}$/.test(nir)) return { valid: false, reason: "layout" };
  const sex = nir[0] as string;
  if (!"123478".includes(sex)) return { valid: false, reason: "sex digit" };
  if (!MONTH_OK(Number(nir.slice(3, 5)))) return { valid: false, reason: "month" };
  const structure = checkPlace(nir.slice(5, 13));
  if (structure) return { valid: false, reason: structure };
  const key = Number(nir.slice(13));
  if (key < 1 || key > 97 || key !== nirKey(nir.slice(0, 13))) return { valid: false, reason: "key" };
  return { valid: true, provisional: !"12".includes(sex) };
}

/** Département, commune and order number (positions 6–13); returns why they are impossible, or undefined. */
function checkPlace(place: string): string | undefined {
  const dept = place.slice(0, 2);
  const order = Number(place.slice(5, 8));
  if (order === 0) return "order number";
  if (dept === "2A" || dept === "2B") return Number(place.slice(2, 5)) === 0 ? "commune" : undefined;
  const d = Number(dept);
  if (d === 97 || d === 98) {
    const dept3 = Number(place.slice(0, 3));
    const commune = Number(place.slice(3, 5));
    const deptOk = (dept3 >= 971 && dept3 <= 978) || (dept3 >= 984 && dept3 <= 989);
    if (!deptOk) return "département";
    return commune >= 1 && commune <= 90 ? undefined : "commune";
  }
  const commune = Number(place.slice(2, 5));
  if (d === 99) return commune >= 1 ? undefined : "country code";
  if (d < 1 || d > 95) return "département";
  return commune === 0 ? "commune" : undefined;
}

/**
 * Keeps the NIR characters of a match: digits and the A/B of Corsica. Drops separators (spaces,
 * dots, dashes, NBSP in any encoding) and the words of written-out keys ("clé 91").
 */
export function normalizeNir(raw: string): string {
  if (raw.length === 15 && /^[0-9]{5}(?:[0-9]{2}|2[AB])[0-9]{8}$/.test(raw)) return raw;
  const upper = raw.toUpperCase();
  const corsica = /^(?:[0-9][^0-9A-Z]*){5}2([AB])/.exec(upper);
  const digits = upper.replace(/[^0-9]/g, "");
  return corsica ? `${digits.slice(0, 5)}2${corsica[1]}${digits.slice(6)}` : digits;
}

/** Shows the sex digit and the last key digit only: `1•••••••••••••1`. Two of 15 characters. */
export function maskNir(nir: string): string {
  return `${nir[0]}${"•".repeat(nir.length - 2)}${nir[nir.length - 1]}`;
}
