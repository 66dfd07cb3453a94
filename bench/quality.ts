/**
 * `npm run bench:quality`: precision and recall per category on the labelled corpus of
 * test/corpus/quality-corpus.ts. A detection counts as right when it overlaps a planted value
 * of its category. Goal: 100% NIR precision, ≥ 99.5% NIR recall.
 */

import { textBlocks } from "../src/extract/text-blocks.js";
import { createDistinctHasher, createFingerprinter } from "../src/rules/fingerprint.js";
import { sniffLayout } from "../src/rules/layout.js";
import { loadRules } from "../src/rules/load.js";
import { ruleSearches } from "../src/rules/searches.js";
import { decodeExcerpt, emitHits } from "../src/rules/types.js";
import { type LabelledDoc, qualityCorpus } from "../test/corpus/quality-corpus.js";
import { structuredCorpus } from "../test/corpus/structured-corpus.js";
import { scanInMemory } from "../test/helpers/memory.js";
import { benchRealworld, formatRealworld } from "./realworld.js";

const rules = await loadRules();
const categoryOf: Record<string, "nir" | "health" | undefined> = { "national-id": "nir", health: "health" };

/** Every hit of every rule in one document, with its category and byte span in the document. */
export async function documentHits(
  bytes: Uint8Array,
  with_: typeof rules = rules,
): Promise<{ category: string; offset: number; length: number }[]> {
  async function* one() {
    yield bytes;
  }
  const out: { category: string; offset: number; length: number }[] = [];
  let layout: ReturnType<typeof sniffLayout> | undefined;
  for await (const block of textBlocks(one()).blocks) {
    layout ??= sniffLayout(block.text, (b) => decodeExcerpt(b, block.encoding));
    const { searcher, offsets } = ruleSearches(with_, block.encoding);
    const found = searcher.search(block.text);
    for (const [r, rule] of with_.entries()) {
      const first = offsets[r] as number;
      rule.scan(
        block,
        layout,
        (i) => found.matches(first + i),
        emitHits(rule.spec, (h) =>
          out.push({ category: h.category, offset: block.byteOffset + h.offset, length: h.length }),
        ),
      );
    }
  }
  return out;
}

async function hitsOf(doc: LabelledDoc): Promise<{ label: string; offset: number; length: number }[]> {
  return (await documentHits(doc.bytes)).flatMap((h) => {
    const label = categoryOf[h.category];
    return label ? [{ label, offset: h.offset, length: h.length }] : [];
  });
}

/**
 * Structured formats (JSON, XML, SQL, HPRIM, xlsx, docx, PDF, Parquet, archives) through the
 * real object pipeline; scored by distinct persons, since extraction rewrites offsets.
 */
export async function benchStructuredQuality(docs = 110) {
  const hashers = { fingerprint: createFingerprinter("quality"), distinct: createDistinctHasher(7) };
  const s = { tp: 0, fp: 0, fn: 0 };
  const misses: string[] = [];
  for (const doc of await structuredCorpus(docs)) {
    const persons = new Set((await scanInMemory(doc.bytes, rules, { hashers })).persons.values());
    const planted = new Set(doc.persons.map((p) => hashers.distinct(p)));
    for (const p of planted)
      if (persons.has(p)) s.tp++;
      else {
        s.fn++;
        if (misses.length < 5) misses.push(`nir missed in ${doc.name}`);
      }
    for (const p of persons)
      if (!planted.has(p)) {
        s.fp++;
        if (misses.length < 10) misses.push(`nir false positive in ${doc.name}`);
      }
  }
  const row = {
    label: "nir (structured formats, by person)",
    precision: s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp),
    recall: s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn),
    ...s,
  };
  return { rows: [row], misses };
}

export async function benchQuality(docs = 300) {
  const stats: Record<string, { tp: number; fp: number; fn: number }> = {
    nir: { tp: 0, fp: 0, fn: 0 },
    health: { tp: 0, fp: 0, fn: 0 },
  };
  const misses: string[] = [];
  for (const doc of qualityCorpus(docs)) {
    const hits = await hitsOf(doc);
    const overlaps = (a: { offset: number; length: number }, b: { offset: number; length: number }) =>
      a.offset < b.offset + b.length && b.offset < a.offset + a.length;
    for (const label of ["nir", "health"] as const) {
      const planted = doc.planted.filter((p) => p.label === label);
      const found = hits.filter((h) => h.label === label);
      const s = stats[label] as { tp: number; fp: number; fn: number };
      for (const p of planted) {
        if (found.some((h) => overlaps(h, p))) s.tp++;
        else {
          s.fn++;
          if (misses.length < 5) misses.push(`${label} missed in ${doc.name} at ${p.offset}`);
        }
      }
      // Hits of the same value from two rules (NIR and body) overlap one planted value: count once.
      for (const h of found)
        if (!planted.some((p) => overlaps(h, p))) {
          s.fp++;
          if (misses.length < 10) misses.push(`${label} false positive in ${doc.name} at ${h.offset}`);
        }
    }
  }
  const rows = Object.entries(stats).map(([label, s]) => ({
    label,
    precision: s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp),
    recall: s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn),
    ...s,
  }));
  return { rows, misses };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = await benchQuality(Number(process.env.QUALITY_DOCS ?? 300));
  const structured = await benchStructuredQuality();
  const rows = [...text.rows, ...structured.rows];
  const misses = [...text.misses, ...structured.misses];
  for (const r of rows) {
    const goal = r.label.startsWith("nir")
      ? ` (goal: precision 100%, recall ≥ 99.5%) ${r.precision === 1 && r.recall >= 0.995 ? "PASS" : "MISS"}`
      : "";
    console.log(
      `${r.label}: precision ${(r.precision * 100).toFixed(2)}%, recall ${(r.recall * 100).toFixed(2)}% (tp ${r.tp}, fp ${r.fp}, fn ${r.fn})${goal}`,
    );
  }
  for (const m of misses) console.log(`  ${m}`);
  for (const line of formatRealworld(await benchRealworld())) console.log(line);
}
