import type { TextBlock } from "../../extract/text-blocks.js";
import { sniffLayout } from "../layout.js";
import type { RuleSpec } from "../schema.js";
import { ruleSearches } from "../searches.js";
import { decodeExcerpt, emitHits, type Hit, type Rule } from "../types.js";
import { compileColumnRule } from "./column.js";
import { compileDictionaryRule } from "./dictionary.js";
import { compilePatternRule } from "./pattern.js";

type Compiler<K extends RuleSpec["kind"]> = (spec: Extract<RuleSpec, { kind: K }>, pack: string, file: string) => Rule;

/** Rule kind → compiler. Adding a kind is one file plus one line here (and its schema). */
export const ruleKinds: { [K in RuleSpec["kind"]]: Compiler<K> } = {
  pattern: compilePatternRule,
  dictionary: compileDictionaryRule,
  column: compileColumnRule,
};

export function compileRule(spec: RuleSpec, pack: string, file: string): Rule {
  return (ruleKinds[spec.kind] as Compiler<typeof spec.kind>)(spec as never, pack, file);
}

const single = new WeakMap<Rule, Rule[]>();

/** Runs one rule alone on a plain string, as UTF-8 bytes, with the layout sniffed from it. */
export function hitsInText(rule: Rule, text: string): Hit[] {
  const block: TextBlock = {
    text: Buffer.from(text, "utf8").toString("latin1"),
    encoding: "utf-8",
    byteOffset: 0,
    firstLine: 1,
  };
  const hits: Hit[] = [];
  let alone = single.get(rule);
  if (!alone) {
    alone = [rule];
    single.set(rule, alone);
  }
  const { searcher } = ruleSearches(alone, "utf-8");
  const found = searcher.search(block.text, block.bytes);
  rule.scan(
    block,
    sniffLayout(block.text, (b) => decodeExcerpt(b, "utf-8")),
    (i) => found.matches(i),
    emitHits(rule.spec, (h) => hits.push(h)),
  );
  return hits;
}
