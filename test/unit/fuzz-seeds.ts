import { spawnSync } from "node:child_process";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { tarOf, zipOf } from "../helpers/archives.js";
import { docxOf, pdfOf, xlsxOf } from "../helpers/office.js";

const csv = Buffer.from("nom;nir;commentaire\nA;185057800608491;grossesse\nB;269054958815780;diabète\n".repeat(20));
const nir = "185057800608491";
const { parquetWriteBuffer } = await import("hyparquet-writer");
const bzip2 = spawnSync("bzip2", ["-c"], { input: csv });
/** A valid sample of every format with an extractor. */
const seeds = [
  csv,
  gzipSync(csv),
  gzipSync(await tarOf({ "a.csv": csv, "b/c.txt": "VIH" })),
  await zipOf({ "a.csv": csv, "in.zip": await zipOf({ "b.txt": "VIH" }) }),
  Buffer.from(
    JSON.stringify({
      resourceType: "Bundle",
      entry: [{ resource: { identifier: [{ system: "urn:oid:1.2.250.1.213.1.4.8", value: nir }] } }],
    }),
  ),
  Buffer.from(`${JSON.stringify({ nir, note: "VIH" })}\n${JSON.stringify({ nir, note: "grossesse" })}\n`),
  Buffer.from(
    `<?xml version="1.0"?><ClinicalDocument><id root="1.2.250.1.213.1.4.8" extension="${nir}"/><text>VIH</text></ClinicalDocument>`,
  ),
  Buffer.from(
    `CREATE TABLE p (nir char(15), note text);\nINSERT INTO p VALUES ('${nir}','VIH'),('${nir}','l''asthme');\n`,
  ),
  Buffer.from(`MSH|^~\\&|LAB\rPID|1||${nir}^^^INS||DUPONT\rOBX|1|TX|VIH\r`),
  await xlsxOf({
    P: [
      ["nir", "note"],
      [nir, "VIH"],
    ],
  }),
  await docxOf([`NIR ${nir} VIH`, [["nir"], [nir]]]),
  await pdfOf([[`NIR ${nir}`, "VIH"]]),
  Buffer.from(parquetWriteBuffer({ columnData: [{ name: "nir", data: [nir, nir], type: "STRING" }] })),
  ...(bzip2.error ? [] : [bzip2.stdout as Buffer]),
];

/** Flips, cuts or splices bytes of a valid sample. */
export const mutated = fc
  .tuple(
    fc.constantFrom(...seeds),
    fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
    fc.nat(),
    fc.boolean(),
  )
  .map(([seed, flips, cut, truncate]) => {
    const b = Buffer.from(seed);
    for (const [at, value] of flips) b[at % b.length] = value;
    return truncate ? b.subarray(0, cut % (b.length + 1)) : b;
  });
