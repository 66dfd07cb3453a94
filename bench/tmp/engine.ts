import { readFileSync } from "node:fs";
import { textBlocks } from "../../src/extract/text-blocks.js";
import { detectBlock } from "../../src/rules/engine.js";
import { createDistinctHasher, createFingerprinter } from "../../src/rules/fingerprint.js";
import { sniffLayout } from "../../src/rules/layout.js";
import { loadRules } from "../../src/rules/load.js";
import { decodeExcerpt, type Hit } from "../../src/rules/types.js";

const rules = await loadRules();
const hashers = { fingerprint: createFingerprinter("k"), distinct: createDistinctHasher(1) };
const buf = readFileSync("/tmp/speed/patients_export.csv");
const blocks = [];
for await (const b of textBlocks((async function* () { yield buf; })()).blocks) blocks.push(b);
const layout = sniffLayout(blocks[0].text.slice(0, 16384), (b) => decodeExcerpt(b, blocks[0].encoding));
const only = process.argv[2];
for (let round = 0; round < 3; round++) {
  const per = new Map<string, number>();
  const t0 = performance.now();
  if (only === "rules") {
    for (const block of blocks)
      for (const rule of rules) {
        const t = performance.now();
        rule.scan(block, layout, (_h: Hit) => {});
        per.set(rule.spec.id, (per.get(rule.spec.id) ?? 0) + performance.now() - t);
      }
  } else for (const block of blocks) detectBlock(rules, hashers, block, layout);
  const s = (performance.now() - t0) / 1000;
  console.log(`round ${round}: ${s.toFixed(2)} s, ${(buf.length / 1048576 / s).toFixed(1)} MB/s`, only === "rules" ? [...per].map(([k, v]) => `${k}=${v.toFixed(0)}`).join(" ") : "");
}
