/**
 * A labelled corpus for the quality benchmark: documents in every text format Reliquat reads
 * (plain text, CSV with `;` `,` tab and `|`, in UTF-8, Windows-1252 and UTF-16), with NIRs
 * planted in every written form, decoys of every kind, and medical terms. Each planted value
 * comes with its byte offset, so detections can be matched one by one.
 */

import { seededRandom, spacedNir, syntheticNir } from "../../src/demo/synthetic.js";
import { ibanRemainder } from "../../src/rules/validators/iban.js";
import { nirKey } from "../../src/rules/validators/nir.js";
import { luhnValid } from "../../src/rules/validators/payment-card.js";

export type Label = "nir" | "health" | "financial";
export interface Planted {
  label: Label;
  /** Byte offset and length in the encoded document. */
  offset: number;
  length: number;
}
export interface LabelledDoc {
  name: string;
  bytes: Buffer;
  planted: Planted[];
}

type Encoding = "utf8" | "latin1" | "utf16le";
const NBSP = "\u00a0";

/** Written forms of one NIR. */
export function nirForms(rng: () => number): string[] {
  const nir = syntheticNir(rng);
  const corsicaBody = `${nir.slice(0, 5)}2${rng() < 0.5 ? "A" : "B"}${nir.slice(7, 13)}`;
  const corsica = `${corsicaBody}${String(nirKey(corsicaBody)).padStart(2, "0")}`;
  const overseasBody = `${nir.slice(0, 5)}97${1 + Math.floor(rng() * 6)}${String(1 + Math.floor(rng() * 89)).padStart(2, "0")}${nir.slice(10, 13)}`;
  const overseas = `${overseasBody}${String(nirKey(overseasBody)).padStart(2, "0")}`;
  const sp = spacedNir(nir);
  return [
    nir,
    sp,
    sp.replace(/ /g, "."),
    sp.replace(/ /g, NBSP),
    corsica,
    `${overseas[0]} ${overseas.slice(1, 3)} ${overseas.slice(3, 5)} ${overseas.slice(5, 8)} ${overseas.slice(8, 10)} ${overseas.slice(10, 13)} ${overseas.slice(13)}`,
    `${sp.slice(0, -3)} clé ${nir.slice(13)}`,
  ];
}

/** Numbers that must never be reported as NIRs. */
export function decoys(rng: () => number): string[] {
  const nir = syntheticNir(rng);
  const wrongKey = `${nir.slice(0, 13)}${String(((Number(nir.slice(13)) + 3) % 97) + 1).padStart(2, "0")}`;
  const d = (n: number) => Array.from({ length: n }, () => Math.floor(rng() * 10)).join("");
  return [
    wrongKey,
    `${nir}${d(1)}`, // 16-digit run
    nir.slice(0, 14), // 14-digit run
    `REF${nir}`, // glued to letters
    `${d(3)} ${d(3)} ${d(3)} ${d(5)}`, // SIRET
    `FR76 ${d(4)} ${d(4)} ${d(4)} ${d(4)} ${d(4)} ${d(3)}`, // IBAN
    `3${d(12)}`, // EAN-13
    `4${d(3)} ${d(4)} ${d(4)} ${d(4)}`, // card
    `0${1 + Math.floor(rng() * 7)} ${d(2)} ${d(2)} ${d(2)} ${d(2)}`, // phone
    `${nir.slice(0, 3)}13${nir.slice(5, 13)}${String(nirKey(`${nir.slice(0, 3)}13${nir.slice(5, 13)}`)).padStart(2, "0")}`, // month 13, right key
    grouped(wrongIban(rng)), // IBAN whose check digits fail
    nonLuhnCard(rng), // 16 digits, a card's prefix, Luhn fails
    `${1 + Math.floor(rng() * 9)}${d(9)}`, // 10-digit order number (no word: "commande" would lower a NIR next to it)
  ];
}

const digitsOf = (rng: () => number, n: number) => Array.from({ length: n }, () => Math.floor(rng() * 10)).join("");
const grouped = (s: string) => s.replace(/(.{4})(?=.)/g, "$1 ");

/** A French IBAN with a random BBAN and its right check digits (synthetic: no such bank). */
export function syntheticIban(rng: () => number): string {
  const bban = digitsOf(rng, 23);
  return `FR${String(98 - ibanRemainder(`FR00${bban}`)).padStart(2, "0")}${bban}`;
}

/** The same IBAN with check digits off by one or more: mod 97 fails. */
export function wrongIban(rng: () => number): string {
  const iban = syntheticIban(rng);
  // Check digits run from 02 to 98; an offset of 1 to 95 (mod 97) never lands on the right ones.
  const wrong = 2 + ((Number(iban.slice(2, 4)) - 2 + 1 + Math.floor(rng() * 95)) % 97);
  return `FR${String(wrong).padStart(2, "0")}${iban.slice(4)}`;
}

/** A 16-digit Visa-like number with its right Luhn digit. */
export function syntheticCard(rng: () => number): string {
  const body = `4970${digitsOf(rng, 11)}`;
  for (let k = 0; k < 10; k++) if (luhnValid(`${body}${k}`)) return `${body}${k}`;
  return body;
}

/** A 16-digit number with a card's prefix whose Luhn digit is wrong. */
export function nonLuhnCard(rng: () => number): string {
  const card = syntheticCard(rng);
  return `${card.slice(0, 15)}${(Number(card[15]) + 1 + Math.floor(rng() * 9)) % 10}`;
}

/**
 * Invoices and payment exports (financial, never health): a SIRET, an EAN-13, a valid IBAN and a
 * card number in their own columns, labelled `financial`; near-misses in the same columns (IBAN
 * check digits wrong, Luhn wrong) and order numbers, which must not match.
 */
export function invoiceCorpus(docs = 40, seed = 15): LabelledDoc[] {
  const rng = seededRandom(seed);
  const out: LabelledDoc[] = [];
  for (let i = 0; i < docs; i++) {
    const encoding: Encoding = i % 2 === 0 ? "utf8" : "latin1";
    const segments: (string | [Label, string])[] = ["facture;siret;ean;iban;carte;commande;montant\n"];
    for (let r = 0; r < 20; r++) {
      const good = rng() < 0.6;
      const siret = `${digitsOf(rng, 3)} ${digitsOf(rng, 3)} ${digitsOf(rng, 3)} ${digitsOf(rng, 5)}`;
      const ean = `3${digitsOf(rng, 12)}`;
      const iban: string | [Label, string] = good
        ? ["financial", rng() < 0.5 ? grouped(syntheticIban(rng)) : syntheticIban(rng)]
        : grouped(wrongIban(rng));
      const card: string | [Label, string] = good ? ["financial", grouped(syntheticCard(rng))] : nonLuhnCard(rng);
      const order = `${1 + Math.floor(rng() * 9)}${digitsOf(rng, 9)}`;
      segments.push(
        `F-${digitsOf(rng, 6)};${siret};${ean};`,
        iban,
        ";",
        card,
        `;${order};${digitsOf(rng, 3)},${digitsOf(rng, 2)}\n`,
      );
    }
    out.push(build(`invoice-${encoding}-${i}`, encoding, segments));
  }
  return out;
}

export const TERMS = [
  "grossesse",
  "séropositivité",
  "diabète",
  "hépatite C",
  "schizophrénie",
  "chimiothérapie",
  "VIH",
  "insuline",
  "mucoviscidose",
  "IVG",
];
// Fillers include near-misses that must not count as health terms.
const FILLER = [
  "prélèvement effectué",
  "résultat transmis",
  "dossier archivé",
  "une âme charitable",
  "la TSH de la maison",
  "un prédiabétique",
  "le TP de physique",
  "Ame",
];

/** Builds one document from segments; `mark` segments are planted with a label. */
function build(name: string, encoding: Encoding, segments: (string | [Label, string])[]): LabelledDoc {
  const planted: Planted[] = [];
  const parts: Buffer[] = [];
  let offset = encoding === "utf16le" ? 2 : 0;
  if (encoding === "utf16le") parts.push(Buffer.from([0xff, 0xfe]));
  for (const s of segments) {
    const text = typeof s === "string" ? s : s[1];
    const buf = Buffer.from(text, encoding);
    // UTF-16 is transcoded to UTF-8 before matching: offsets are counted in UTF-8 bytes.
    const length = encoding === "utf16le" ? Buffer.byteLength(text, "utf8") : buf.length;
    if (typeof s !== "string") planted.push({ label: s[0], offset, length });
    offset += length;
    parts.push(buf);
  }
  return { name, bytes: Buffer.concat(parts), planted };
}

export function qualityCorpus(docs = 300, seed = 99): LabelledDoc[] {
  const rng = seededRandom(seed);
  const pick = <T>(list: T[]) => list[Math.floor(rng() * list.length)] as T;
  const out: LabelledDoc[] = [];
  const encodings: Encoding[] = ["utf8", "latin1", "utf16le"];
  for (let i = 0; i < docs; i++) {
    const encoding = encodings[i % 3] as Encoding;
    const csv = i % 2 === 0;
    const delimiter = pick([";", ",", "\t", "|"]);
    const segments: (string | [Label, string])[] = [
      csv ? `${["nom", "identifiant", "commentaire"].join(delimiter)}\n` : "Compte rendu\n\n",
    ];
    for (let r = 0; r < 20; r++) {
      const roll = rng();
      const value: string | [Label, string] =
        roll < 0.4 ? ["nir", pick(nirForms(rng))] : roll < 0.8 ? pick(decoys(rng)) : "";
      const comment: string | [Label, string] = rng() < 0.5 ? ["health", pick(TERMS)] : pick(FILLER);
      if (csv) segments.push(`PATIENT ${r}${delimiter}`, value, delimiter, comment, "\n");
      else segments.push(`Le patient ${r} (n° `, value, ") : ", comment, ".\n\n");
    }
    out.push(build(`${csv ? "csv" : "text"}-${encoding}-${i}`, encoding, segments));
  }
  return out;
}
