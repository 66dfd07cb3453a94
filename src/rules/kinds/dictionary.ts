import type { TextBlock } from "../../extract/text-blocks.js";
import { foldTerm } from "../../fold.js";
import type { MatchList, SearchSource } from "../automaton/searcher.js";
import { spellTerm, trieSource, wordEnd, wordStart } from "../byte-regex.js";
import { type ContextMatcher, contextMatcher } from "../context.js";
import { fieldPath, headerAt, headerMatcher, type Layout, normalizeHeader } from "../layout.js";
import type { DictionaryRuleSpec } from "../schema.js";
import { decodeExcerpt, type Emit, perEncoding, type Rule } from "../types.js";

interface GroupInfo {
  name: string;
  requires?: {
    context: ContextMatcher;
    isHeader: (header: string | undefined) => boolean;
    window: number;
    /** Index of its context words among the rule's searches. */
    search: number;
  };
}

/**
 * A `dictionary` rule: every term of every group in one trie-shaped regex (one for the
 * case-insensitive terms, one for the case-sensitive acronyms); a match maps back to its
 * group through the folded term.
 */
export function compileDictionaryRule(spec: DictionaryRuleSpec, pack: string, file: string): Rule {
  const groupOf = new Map<string, GroupInfo>();
  const spelled: string[] = [];
  const exact: string[] = [];
  for (const [name, g] of Object.entries(spec.groups)) {
    const info: GroupInfo = {
      name,
      requires: g.requires && {
        context: contextMatcher(g.requires.words, g.requires.window),
        isHeader: headerMatcher(g.requires.headers.map(normalizeHeader)),
        window: g.requires.window,
        search: 0, // numbered below, after the term searches
      },
    };
    const sensitive = new Set(g.caseSensitive);
    for (const term of new Set([...g.terms, ...g.caseSensitive])) {
      (sensitive.has(term) ? exact : spelled).push(spellTerm(term, sensitive.has(term)));
      groupOf.set(foldTerm(term, sensitive.has(term)), info);
    }
  }
  const termSearch = (terms: string[], caseSensitive: boolean) =>
    perEncoding((enc): SearchSource | undefined =>
      terms.length === 0
        ? undefined
        : {
            // Acronyms (the case-sensitive terms) take `_` as part of their word: not the TS of IVL_TS.
            source: `${wordStart(enc, caseSensitive)}(?:${trieSource(terms, enc, caseSensitive)})${wordEnd(enc, caseSensitive)}`,
            flags: "g",
          },
    );
  const termSearches = [termSearch(spelled, false), termSearch(exact, true)];
  const contexts = [...new Set([...groupOf.values()])].flatMap((g) => (g.requires ? [g.requires] : []));
  contexts.forEach((r, i) => {
    r.search = 2 + i;
  });
  // Always two term searches (one may match nothing), so that the numbering is fixed.
  const searches = (enc: TextBlock["encoding"]): SearchSource[] => [
    ...termSearches.map((t) => t(enc) ?? { source: "[^\\s\\S]", flags: "g" }),
    ...contexts.map((r) => r.context.search(enc)),
  ];
  // Matched bytes → group and reason, cached: the same few spellings recur thousands of times.
  const seen = new Map<string, { group: GroupInfo; reason: string; reasons: readonly string[] } | null>();
  const lookup = (matched: string, enc: TextBlock["encoding"]) => {
    const key = `${enc}\0${matched}`;
    let found = seen.get(key);
    if (found === undefined) {
      const text = decodeExcerpt(matched, enc);
      const group = groupOf.get(foldTerm(text, true)) ?? groupOf.get(foldTerm(text));
      found = null;
      if (group) {
        // One reason list per spelling, shared by its hits.
        const reason = `term '${text}' (${group.name})`;
        found = { group, reason, reasons: [reason] };
      }
      if (seen.size < 10_000) seen.set(key, found);
    }
    return found;
  };

  return {
    spec,
    pack,
    file,
    searches,
    scan(block: TextBlock, layout: Layout, matchesOf: (i: number) => MatchList, emit: Emit) {
      for (let t = 0; t < 2; t++) {
        const matches = matchesOf(t);
        for (let k = 0; k < matches.length; k += 2) {
          const index = matches[k] as number;
          const text = block.text.slice(index, matches[k + 1]);
          const found = lookup(text, block.encoding);
          if (!found) continue;
          // An acronym in a machine value (`xsi:type="TS"`, a code, an identifier) is not prose.
          if (t === 1 && layout.kind === "fields" && machineField(fieldPath(block.text, index))) continue;
          const { group } = found;
          let reasons = found.reasons;
          if (group.requires) {
            const header = headerAt(layout, block.text, index, (b) => decodeExcerpt(b, block.encoding));
            const byHeader = group.requires.isHeader(header);
            const word = byHeader
              ? undefined
              : group.requires.context.find(
                  matchesOf(group.requires.search),
                  block.text,
                  index,
                  text.length,
                  block.encoding,
                  true,
                );
            if (!byHeader && !word) continue;
            reasons = [
              found.reason,
              byHeader ? `header '${header}'` : `'${word}' within ${group.requires.window} chars`,
            ];
          }
          emit(index, text.length, group.requires ? 0.8 : 0.7, reasons, group.name);
        }
      }
    },
  };
}

/**
 * XML attributes and JSON keys whose values are types, codes or identifiers, never prose: CDA
 * datatypes (`xsi:type`), coded values (`code`, `codeSystem`), ids (`root`, `extension`), HL7
 * class, mood and type codes, FHIR `system`, `resourceType`, `reference`. `displayName` and
 * `value` stay prose: they hold the human label and the result.
 */
const MACHINE_FIELD =
  /(?:^|[/.@])(?:xsi:type|type|code|codeSystem|codeSystemName|codeSystemVersion|root|extension|classCode|moodCode|typeCode|determinerCode|use|mediaType|representation|unit|nullFlavor|operator|system|resourceType|reference|id)$/;

function machineField(path: string | undefined): boolean {
  return path !== undefined && MACHINE_FIELD.test(path.replace(/\[[0-9]+\]$/, ""));
}
