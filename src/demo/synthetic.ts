/**
 * Synthetic data that looks like what a lab-software migration leaves behind. Every value is
 * generated: names come from short lists of common French names, NIRs are random bodies with
 * a correct key. Every file says it is synthetic in its first line.
 */
import { nirKey } from "../rules/validators/nir.js";

export const SYNTHETIC_MARK = "DONNEES SYNTHETIQUES - generees par Reliquat pour demonstration, aucune personne reelle";

/** A small seeded PRNG (mulberry32): the same seed gives the same files on every machine. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: () => number, list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;
const digits = (rng: () => number, n: number, min = 0, max = 10 ** n - 1) =>
  String(min + Math.floor(rng() * (max - min + 1))).padStart(n, "0");

/** A structurally valid NIR with a correct key (metropolitan département). */
export function syntheticNir(rng: () => number): string {
  const dept = digits(rng, 2, 1, 95);
  const body = `${pick(rng, ["1", "2"])}${digits(rng, 2)}${digits(rng, 2, 1, 12)}${dept === "20" ? "21" : dept}${digits(rng, 3, 1, 999)}${digits(rng, 3, 1, 999)}`;
  return `${body}${String(nirKey(body)).padStart(2, "0")}`;
}

/** The usual spaced form: `1 85 05 78 006 084 91`. */
export function spacedNir(nir: string): string {
  return [
    nir.slice(0, 1),
    nir.slice(1, 3),
    nir.slice(3, 5),
    nir.slice(5, 7),
    nir.slice(7, 10),
    nir.slice(10, 13),
    nir.slice(13),
  ].join(" ");
}

const SURNAMES = [
  "Martin",
  "Bernard",
  "Dubois",
  "Thomas",
  "Robert",
  "Richard",
  "Petit",
  "Durand",
  "Leroy",
  "Moreau",
  "Simon",
  "Laurent",
  "Lefèvre",
  "Michel",
  "Garcia",
  "Fournier",
] as const;
const FIRST = [
  "Léa",
  "Chloé",
  "Manon",
  "Camille",
  "Hélène",
  "Noémie",
  "Lucas",
  "Hugo",
  "Théo",
  "Jérôme",
  "François",
  "Gaël",
  "Benoît",
  "Zoé",
] as const;
const BLOOD = ["O+", "O-", "A+", "A-", "B+", "AB+", "O Rh-", "A Rh+"] as const;
const COMMENTS = [
  "grossesse 12 SA, contrôle bêta-HCG",
  "sérologie VIH négative",
  "suivi diabète, HbA1c 7,2 %",
  "traitement anticoagulant, INR à surveiller",
  "hépatite C, charge virale indétectable",
  "bilan thyroïdien, TSH élevée",
  "",
  "patient sous ALD",
] as const;

/** `n` patient rows of a `;`-separated lab export, with a header line. */
export function patientCsv(
  rng: () => number,
  n: number,
  options: { spaced?: boolean } = {},
): { text: string; nirs: string[] } {
  const header = "nom;prenom;date_naissance;num_secu;groupe_sanguin;medecin_traitant;mutuelle;commentaire";
  const nirs: string[] = [];
  const lines = [`# ${SYNTHETIC_MARK}`, header];
  for (let i = 0; i < n; i++) {
    const nir = syntheticNir(rng);
    nirs.push(nir);
    const birth = `${digits(rng, 2, 1, 28)}/${nir.slice(3, 5)}/19${nir.slice(1, 3)}`;
    const shown = options.spaced ? spacedNir(nir) : nir;
    lines.push(
      [
        pick(rng, SURNAMES).toUpperCase(),
        pick(rng, FIRST),
        birth,
        shown,
        pick(rng, BLOOD),
        `Dr ${pick(rng, SURNAMES)}`,
        pick(rng, ["MGEN", "Harmonie", "CMU-C", "aucune"]),
        pick(rng, COMMENTS),
      ].join(";"),
    );
  }
  return { text: `${lines.join("\r\n")}\r\n`, nirs };
}

/** Numbers that look like NIRs but are not: wrong keys, SIRET, card-like runs. */
export function decoyText(rng: () => number, n: number): string {
  const lines = [`# ${SYNTHETIC_MARK}`, "facture;siret;montant;reference_commande"];
  for (let i = 0; i < n; i++) {
    const nir = syntheticNir(rng);
    const wrongKey = `${nir.slice(0, 13)}${String(((Number(nir.slice(13)) + 1) % 97) + 1).padStart(2, "0")}`;
    lines.push(`F-${digits(rng, 6)};${digits(rng, 14)};${digits(rng, 3)},${digits(rng, 2)};${wrongKey}`);
  }
  return `${lines.join("\n")}\n`;
}
