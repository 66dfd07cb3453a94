import { decodeText, TextOut } from "./text-io.js";
import type { Extractor } from "./types.js";

/** The twelve header lines of an HPRIM Médecins file, in order (lines 13+ are the report). */
const HEADER = [
  "titre",
  "nom",
  "prenom",
  "adresse_1",
  "adresse_2",
  "code_postal_ville",
  "date_naissance",
  "matricule_secu",
  "reference_dossier",
  "date_examen",
  "correspondant",
  "medecin",
];
const MARK = /\*{4}(?:LAB|FIN|FINFICHIER)\*{4}/;
const END = /^\s*\*{4}(?:FIN|FINFICHIER)\*{4}/;

/**
 * HPRIM Médecins (`.hpr`, lab results sent to GPs): twelve header lines with no labels (name,
 * first name, address, birth date, NIR…), then the report and its `****LAB****` blocks of
 * `RES|…` lines, until `****FIN****`. Written as `path<TAB>value` lines, so that line 8 reads
 * as a `matricule_secu` header (a bare 13-digit NIR there is one) and line 7 as a birth date;
 * each patient, up to its end mark, is one record.
 */
export const hprimExtractor: Extractor = {
  format: "hprim",
  container: false,
  extensions: ["hpr", "hprim"],
  detect: (head) => MARK.test(Buffer.from(head).toString("latin1")),
  async *extract(source) {
    yield { path: source.path, layout: { kind: "fields" }, bytes: fields(source.stream) };
  },
};

async function* fields(bytes: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  const out = new TextOut();
  let carry = "";
  let n = 0; // line number within the current patient
  const line = (raw: string) => {
    const text = raw.replace(/\r$/, "");
    n++;
    if (END.test(text)) {
      out.write("\n"); // the record ends
      n = 0;
    } else if (n <= HEADER.length) {
      if (text.trim()) out.field(`header/${HEADER[n - 1]}`, text.trim());
    } else if (text.trim()) {
      const res = /^RES\|/.exec(text);
      out.field(res ? `RES line ${n}` : `report line ${n}`, text);
    }
  };
  for await (const text of decodeText(bytes)) {
    const lines = (carry + text).split("\n");
    carry = lines.pop() ?? "";
    for (const l of lines) line(l);
    if (out.full) yield out.take() as Buffer;
  }
  if (carry) line(carry);
  const rest = out.take();
  if (rest) yield rest;
}
