import iconv from "iconv-lite";
import type { ByteEncoding, TextBlock } from "../extract/text-blocks.js";
import type { MatchList, SearchSource } from "./automaton/searcher.js";
import type { Layout } from "./layout.js";
import type { RuleSpec } from "./schema.js";

/** One confirmed match in a block, before aggregation. Never leaves the engine unmasked. */
export interface Hit {
  ruleId: string;
  category: string;
  severity: string;
  /** Sub-category for health terms: `pathology-sensitive`, `blood-group`, … */
  group?: string;
  /** Byte offset in the block. */
  offset: number;
  length: number;
  /** Identifiers only: the masked preview (at most 4 characters visible). */
  masked?: string;
  /** Identifiers only: what identifies the person (a NIR's 13-character body), hashed then dropped. */
  person?: string;
  confidence: number;
  reasons: string[];
}

/** The seam for rule kinds: `pattern`, `dictionary`, `column`. */
export interface Rule {
  readonly spec: RuleSpec;
  /** Pack name and file, for messages and the report's rule-pack list. */
  readonly pack: string;
  readonly file: string;
  /**
   * The regexes the rule runs over whole blocks in `enc`, declared so that the engine runs every
   * rule's searches in one pass (automaton/searcher.ts). Same list, same order, on every call.
   */
  searches(enc: ByteEncoding): SearchSource[];
  /**
   * Finds hits in one block and hands each to `emit`. `found(i)` gives the block's matches of
   * the rule's i-th search, exactly as that regex's global `exec` loop would. Pure and
   * synchronous; never throws on any input (a rule that cannot run was refused at load time).
   * Cancellation happens between blocks, in the caller.
   */
  scan(block: TextBlock, layout: Layout, found: (search: number) => MatchList, emit: Emit): void;
}

/** What identifies the person behind an identifier hit; hashed, then dropped. */
export interface IdentifierParts {
  /** The masked preview (at most 4 characters visible). */
  masked: string;
  /** What identifies the person (a NIR's 13-character body). */
  person: string;
}

/**
 * Where a rule reports a hit on bytes [offset, offset + length) of the block. The engine gives
 * each rule its own, which stamps the rule's id, category and severity: a rule never copies
 * them, and a hit that is not an identifier costs no object (a birth date on every row).
 * `reasons` is kept as given: pass a list shared between hits and never changed after.
 * `identifier` is given for identifiers only. Never throws.
 */
export type Emit = (
  offset: number,
  length: number,
  confidence: number,
  reasons: readonly string[],
  group?: string,
  identifier?: IdentifierParts,
) => void;

/** An Emit that makes each hit a whole {@link Hit} of `spec`'s rule: for identifiers, tests and benches, where hits are few. */
export function emitHits(spec: RuleSpec, onHit: (hit: Hit) => void): Emit {
  return (offset, length, confidence, reasons, group, identifier) =>
    onHit({
      ruleId: spec.id,
      category: spec.category,
      severity: spec.severity,
      group,
      offset,
      length,
      masked: identifier?.masked,
      person: identifier?.person,
      confidence,
      reasons: reasons as string[],
    });
}

/** Decodes a byte-string excerpt for a human reason line (a keyword, a header). */
export function decodeExcerpt(bytes: string, enc: ByteEncoding): string {
  if (enc === "utf-8") return Buffer.from(bytes, "latin1").toString("utf8");
  // Latin-1 is Windows-1252 but for 0x80–0x9f, where Windows-1252 puts œ, Œ, ’ and €. Node's
  // TextDecoder("windows-1252") decodes those as Latin-1 control characters: iconv-lite does not.
  return C1.test(bytes) ? iconv.decode(Buffer.from(bytes, "latin1"), "win1252") : bytes;
}
const C1 = /[\x80-\x9f]/;

/** Compiles a source once per encoding, lazily. */
export function perEncoding<T>(build: (enc: ByteEncoding) => T): (enc: ByteEncoding) => T {
  const cache = new Map<ByteEncoding, T>();
  return (enc) => {
    let value = cache.get(enc);
    if (value === undefined) {
      value = build(enc);
      cache.set(enc, value);
    }
    return value;
  };
}
