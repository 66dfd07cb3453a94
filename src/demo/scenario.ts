import { readdir, utimes } from "node:fs/promises";
import path from "node:path";
import { CreateBucketCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { LocalS3 } from "./s3rver.js";
import { decoyText, patientCsv, SYNTHETIC_MARK, seededRandom, spacedNir, syntheticNir } from "./synthetic.js";

export interface DemoObject {
  key: string;
  body: Buffer;
}
export interface DemoBucket {
  name: string;
  /** When the bucket was last written; the demo backdates its objects to this date. */
  modified: Date;
  objects: DemoObject[];
}

/** A forgotten migration bucket and two harmless ones. Deterministic: seed 2021. */
export function demoBuckets(now = new Date()): DemoBucket[] {
  const rng = seededRandom(2021);
  const latin1 = (s: string) => Buffer.from(s, "latin1"); // CP1252 and Latin-1 agree on French letters
  const labA = patientCsv(rng, 400);
  const labB = patientCsv(rng, 250, { spaced: true });
  const sqlRows = Array.from(
    { length: 120 },
    (_, i) =>
      `INSERT INTO patients (id, nir, nom, commentaire) VALUES (${i + 1}, '${syntheticNir(rng)}', 'PATIENT ${i + 1}', 'bilan sanguin');`,
  );
  const hprim = Array.from(
    { length: 60 },
    () => `P|1||${spacedNir(syntheticNir(rng))}|DURAND^JEAN||19700101|M\r\nOBX|1|NM|GLY^Glycémie||5.4|mmol/l\r`,
  );
  return [
    {
      name: "labo-migration-2021-export",
      modified: new Date("2021-06-14T09:30:00Z"),
      objects: [
        { key: "LISEZMOI_SYNTHETIQUE.txt", body: Buffer.from(`${SYNTHETIC_MARK}\n`) },
        { key: "export/patients_labo_A.csv", body: latin1(labA.text) },
        { key: "export/patients_labo_B.csv", body: Buffer.from(labB.text) },
        { key: "backup/dump_patients.sql", body: Buffer.from(`-- ${SYNTHETIC_MARK}\n${sqlRows.join("\n")}\n`) },
        { key: "hprim/resultats_2021-03.hpr", body: latin1(`H|${SYNTHETIC_MARK}\r${hprim.join("")}`) },
        { key: "tmp/transfert.log", body: Buffer.from(`# ${SYNTHETIC_MARK}\n${"copie terminee\n".repeat(50)}`) },
      ],
    },
    {
      name: "site-web-assets",
      modified: new Date(now.getTime() - 3 * 86_400_000),
      objects: [
        {
          key: "brochures/diabete.txt",
          body: Buffer.from(
            `${SYNTHETIC_MARK}\nLe diabète de type 2 se surveille par l'HbA1c. Parlez-en à votre médecin traitant.\n`,
          ),
        },
        { key: "css/site.css", body: Buffer.from(`/* ${SYNTHETIC_MARK} */ body { color: #123456; }\n`) },
      ],
    },
    {
      name: "compta-factures-2026",
      modified: new Date(now.getTime() - 20 * 86_400_000),
      objects: [{ key: "factures/2026-10.csv", body: Buffer.from(decoyText(rng, 200)) }],
    },
  ];
}

/** Creates the buckets over the S3 API, then backdates s3rver's stored files (its API cannot set dates). */
export async function seedDemo(s3: LocalS3, buckets: DemoBucket[]): Promise<void> {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: s3.credentials,
  });
  try {
    for (const bucket of buckets) {
      await client.send(new CreateBucketCommand({ Bucket: bucket.name }));
      for (const o of bucket.objects)
        await client.send(new PutObjectCommand({ Bucket: bucket.name, Key: o.key, Body: o.body }));
      await backdate(path.join(s3.directory, bucket.name), bucket.modified);
    }
  } finally {
    client.destroy();
  }
}

async function backdate(dir: string, when: Date): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) await utimes(path.join(entry.parentPath, entry.name), when, when);
  }
}
