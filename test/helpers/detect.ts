import { textBlocks } from "../../src/extract/text-blocks.js";
import { createObjectDetector } from "../../src/rules/engine.js";
import type { ObjectDetection } from "../../src/rules/finding.js";
import { createDistinctHasher, createFingerprinter } from "../../src/rules/fingerprint.js";
import { loadRules } from "../../src/rules/load.js";

export const rules = await loadRules();

/** Runs the whole engine on `text` written in `encoding`, in chunks of `chunk` bytes. */
export async function detect(
  text: string,
  encoding: "utf8" | "latin1" = "utf8",
  chunk = 4096,
): Promise<ObjectDetection> {
  const bytes = Buffer.from(text, encoding);
  async function* chunks() {
    for (let at = 0; at < bytes.length; at += chunk) yield bytes.subarray(at, at + chunk);
  }
  const detector = createObjectDetector(rules, {
    fingerprint: createFingerprinter("test"),
    distinct: createDistinctHasher(1),
  });
  for await (const block of textBlocks(chunks(), { blockSize: 1024 }).blocks) await detector.push(block);
  return detector.finish();
}

/** Occurrences of one rule (0 when absent). */
export const countOf = (d: ObjectDetection, ruleId: string) => d.findings.find((f) => f.ruleId === ruleId)?.count ?? 0;
