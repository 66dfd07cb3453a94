/**
 * A large CP1252 CSV of French patient-like rows for the speed benchmark: about 1% of rows
 * carry a valid NIR, others carry decoys (wrong keys, SIRET, phone numbers, amounts) and
 * accented free text. Written in 1 MiB pieces, never held whole.
 */

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { seededRandom, syntheticNir } from "../../src/demo/synthetic.js";

const SURNAMES = ["MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "PETIT", "DURAND", "LEROY", "MOREAU", "LEFÈVRE"];
const FIRST = ["Léa", "Chloé", "Hélène", "Noémie", "Jérôme", "François", "Gaël", "Benoît", "Zoé", "Théo"];
const COMMENTS = [
  "prélèvement à jeun",
  "résultat normal",
  "contrôle dans 3 mois",
  "bilan sanguin complet",
  "patient vu en consultation",
  "glycémie 5,4 mmol/l",
  "RAS",
  "à revoir avec le médecin",
];

export async function writeSpeedCorpus(
  file: string,
  bytes: number,
  seed = 256,
): Promise<{ rows: number; nirs: number }> {
  const rng = seededRandom(seed);
  const pick = <T>(list: T[]) => list[Math.floor(rng() * list.length)] as T;
  const out = createWriteStream(file);
  let written = 0;
  let rows = 0;
  let nirs = 0;
  let piece = "id;nom;prenom;date_naissance;identifiant;telephone;commentaire\r\n";
  while (written < bytes) {
    const roll = rng();
    let id = "";
    if (roll < 0.01) {
      id = syntheticNir(rng);
      nirs++;
    } else if (roll < 0.03) {
      const n = syntheticNir(rng);
      id = `${n.slice(0, 13)}${String(((Number(n.slice(13)) + 5) % 97) + 1).padStart(2, "0")}`; // wrong key
    } else if (roll < 0.05) id = `${Math.floor(rng() * 1e14)}`.padStart(14, "0"); // SIRET-like
    const phone = `0${1 + Math.floor(rng() * 7)} ${Math.floor(rng() * 1e8)
      .toString()
      .padStart(8, "0")
      .replace(/(..)(?=.)/g, "$1 ")}`;
    piece += `${rows};${pick(SURNAMES)};${pick(FIRST)};${1 + Math.floor(rng() * 28)}/0${1 + Math.floor(rng() * 9)}/19${50 + Math.floor(rng() * 50)};${id};${phone};${pick(COMMENTS)}\r\n`;
    rows++;
    if (piece.length >= 1 << 20) {
      const buf = Buffer.from(piece, "latin1");
      written += buf.length;
      if (!out.write(buf)) await once(out, "drain");
      piece = "";
    }
  }
  out.end(Buffer.from(piece, "latin1"));
  await once(out, "finish");
  return { rows, nirs };
}
