import type { TextBlock } from "../extract/text-blocks.js";
import { insideBase64 } from "./base64.js";
import type { BlockResult, Hashers, ObjectDetection, RuleFinding, SampleLocation } from "./finding.js";
import { type Layout, sniffLayout } from "./layout.js";
import { fieldAt, shownField } from "./locate.js";
import { DetectionMerger } from "./merge.js";
import { RecordTally } from "./records.js";
import { ruleSearches, type SearchEngine } from "./searches.js";
import { decodeExcerpt, type Emit, emitHits, type Hit, type Rule } from "./types.js";

/**
 * Runs every rule on one block and aggregates its hits as they come: no hit list, no sort (a
 * birth date on every row made a million hits per 64 MB, kept alive long enough to be copied
 * by the garbage collector). Identifiers, which are rare, are held back and sorted, so that a
 * column rule and a pattern rule seeing the same NIR count once and samples come in order.
 * Blocks are independent: rows never span blocks, and a paragraph cut by a block boundary
 * counts as two records.
 */
export function detectBlock(
  rules: Rule[],
  hashers: Hashers,
  block: TextBlock,
  layout: Layout,
  maxSamples = 3,
  engine: SearchEngine = "automaton",
): BlockResult {
  const mode =
    layout.kind === "delimited" ? "line" : layout.kind === "fields" ? "paragraph" : (layout.records ?? "paragraph");
  const records = new RecordTally(mode, block);
  // A block's sets are bounded by its size: plain Sets here, DistinctCounter once merged per object.
  type BlockFinding = Omit<RuleFinding, "distinctHashes"> & { distinctHashes: Set<number> };
  const byRule = new Map<string, BlockFinding>();
  const identifiers: Hit[] = [];
  // Distinct health terms by their bytes, lower-cased: the same few spellings recur thousands of times.
  const termHashes = new Map<string, number>();
  const findingOf = (rule: { id: string; category: string; severity: string }): BlockFinding => {
    let f = byRule.get(rule.id);
    if (!f) {
      f = {
        ruleId: rule.id,
        category: rule.category,
        severity: rule.severity,
        count: 0,
        distinct: 0,
        confidence: 0,
        reasons: [],
        samples: [],
        distinctHashes: new Set(),
      };
      byRule.set(rule.id, f);
    }
    return f;
  };
  const count = (
    f: BlockFinding,
    offset: number,
    group: string | undefined,
    confidence: number,
    reasons: readonly string[],
  ) => {
    f.count++;
    records.note(offset, f.category);
    if (group) {
      f.groups ??= {};
      f.groups[group] = (f.groups[group] ?? 0) + 1;
    }
    if (confidence > f.confidence) {
      f.confidence = confidence;
      f.reasons = reasons as string[];
    }
  };
  // Positions in rewritten text (flattened JSON, SQL rows) would point nowhere in the object:
  // the path and field say where instead.
  const locate = (offset: number): SampleLocation => {
    const line = records.lineAt(offset);
    const location: SampleLocation = block.rewritten ? {} : { line, offset: block.byteOffset + offset };
    if (block.path !== undefined) location.path = block.path;
    const field = fieldAt(layout, block.text, offset, line, (b) => decodeExcerpt(b, block.encoding));
    if (field !== undefined) location.field = shownField(field);
    return location;
  };
  // Each rule's own emit, stamping its id, category and severity.
  const emitFor = (rule: Rule): Emit => {
    const { spec } = rule;
    let f: BlockFinding | undefined;
    // Identifiers, which are rare, are held back whole (see the sort below).
    const holdBack = emitHits(spec, (hit) => identifiers.push(hit));
    return (offset, length, confidence, reasons, group, identifier) => {
      // Inside an embedded payload, letters and digits are noise, not text.
      if (insideBase64(block.text, offset, length)) return;
      if (identifier) {
        holdBack(offset, length, confidence, reasons, group, identifier);
        return;
      }
      f ??= findingOf(spec);
      count(f, offset, group, confidence, reasons);
      // Other values (birth dates) are not tracked: a set per row would cost more than it tells.
      if (spec.category !== "health") return;
      const raw = block.text.slice(offset, offset + length);
      let h = termHashes.get(raw);
      if (h === undefined) {
        h = hashers.distinct(raw.toLowerCase());
        termHashes.set(raw, h);
      }
      f.distinctHashes.add(h);
      // A reviewer sees why a file counts as health: the term, where it is, and why it counted.
      if (f.samples.length < maxSamples)
        f.samples.push({
          masked: decodeExcerpt(raw, block.encoding),
          fingerprint: hashers.fingerprint(spec.id, raw.toLowerCase()),
          location: locate(offset),
          reasons: [...reasons],
        });
    };
  };
  const { searcher, offsets } = ruleSearches(rules, block.encoding, engine);
  const found = searcher.search(block.text, block.bytes);
  rules.forEach((rule, r) => {
    const first = offsets[r] as number;
    rule.scan(block, layout, (i) => found.matches(first + i), emitFor(rule));
  });

  const persons = new Set<number>();
  identifiers.sort((a, b) => a.offset - b.offset || b.confidence - a.confidence);
  let lastOffset = -1;
  for (const hit of identifiers) {
    // One identifier, one hit: a column rule and a pattern rule may both see the same NIR.
    if (hit.offset === lastOffset) continue;
    lastOffset = hit.offset;
    const f = findingOf({ id: hit.ruleId, category: hit.category, severity: hit.severity });
    count(f, hit.offset, hit.group, hit.confidence, hit.reasons);
    const h = hashers.distinct(hit.person as string);
    f.distinctHashes.add(h);
    if (hit.category === "national-id") persons.add(h);
    if (f.samples.length >= maxSamples) continue;
    f.samples.push({
      masked: hit.masked ?? "",
      fingerprint: hashers.fingerprint(hit.ruleId, hit.person as string),
      location: locate(hit.offset),
      reasons: [...hit.reasons],
    });
  }
  const categories: Record<string, number> = {};
  for (const f of byRule.values()) categories[f.category] = (categories[f.category] ?? 0) + f.count;
  return {
    findings: [...byRule.values()].map((f) => ({ ...f, distinctHashes: [...f.distinctHashes] })),
    patientRecords: records.count(),
    persons: [...persons],
    categories,
  };
}

/** Runs a block's detection somewhere: inline, or on a worker thread. */
export type BlockRunner = (block: TextBlock, layout: Layout) => Promise<BlockResult>;

/** Detection over one object's blocks, in order, with up to `ahead` blocks in flight. */
export interface ObjectDetector {
  /** Starts a document (the object, an archive entry, a sheet): its layout is given, or sniffed from its first block. */
  startDocument(layout?: Layout): void;
  push(block: TextBlock): Promise<void>;
  finish(): Promise<ObjectDetection>;
}

/**
 * `ahead`: 16, so that a read's blocks (four of 64 KiB for workers) reach the pool together and
 * go in one message; with 4, the detector waited on the oldest block before the next came, and
 * most messages carried one block (1 → 2 workers: 1.0× instead of 1.1×).
 */
export function createObjectDetector(
  rules: Rule[],
  hashers: Hashers,
  runner?: BlockRunner,
  ahead = 16,
): ObjectDetector {
  const merger = new DetectionMerger();
  const run: BlockRunner = runner ?? (async (block, layout) => detectBlock(rules, hashers, block, layout));
  const inFlight: Promise<BlockResult>[] = [];
  let layout: Layout | undefined;
  return {
    startDocument(given) {
      layout = given;
    },
    async push(block) {
      layout ??= sniffLayout(block.text.slice(0, 16 * 1024), (b) => decodeExcerpt(b, block.encoding));
      const pending = run(block, layout);
      pending.catch(() => {}); // awaited in order below
      inFlight.push(pending);
      while (inFlight.length >= ahead) merger.add(await (inFlight.shift() as Promise<BlockResult>));
    },
    async finish() {
      while (inFlight.length > 0) merger.add(await (inFlight.shift() as Promise<BlockResult>));
      return merger.finish();
    },
  };
}
