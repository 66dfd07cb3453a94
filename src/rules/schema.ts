import { z } from "zod";

/** Categories a finding can belong to (the report's `category`). */
export const CATEGORIES = ["national-id", "health", "identity", "contact", "financial"] as const;
export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;

const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and dashes");
const words = z.array(z.string().min(1)).min(1);

/** Words looked for around a match, within `window` characters either side. */
const contextSchema = z.object({ words, window: z.number().int().positive().max(400).default(60) }).strict();

const examples = z
  .object({
    match: z.array(z.string()).min(1, "every rule needs at least one positive example"),
    noMatch: z.array(z.string()).min(1, "every rule needs at least one negative example"),
  })
  .strict();

const common = {
  id,
  name: z.string().min(1),
  category: z.enum(CATEGORIES),
  severity: z.enum(SEVERITIES),
  description: z.string().optional(),
  examples,
};

/**
 * `pattern`: regexes (with macros {sep} {sp} {fold:…} {<} {>}) confirmed by a named
 * TypeScript validator. Context words and column headers raise confidence; negative context
 * lowers it. With `requires: context`, a match counts only with a keyword or a header.
 */
export const patternRuleSchema = z
  .object({
    ...common,
    kind: z.literal("pattern"),
    patterns: z.array(z.string().min(1)).min(1),
    /**
     * Ignored since every search runs in one automaton pass (src/rules/automaton): accepted so
     * that packs written for the regex engine still load.
     */
    prefilter: z.string().min(1).optional(),
    /**
     * `prefix`: the shared automaton looks for the patterns' leading literal bytes only (a label,
     * `IBAN`), and the regex reads the rest from each one found. For patterns whose value part
     * (an IBAN of any country after its label) would take the automaton past its limit. Every
     * alternative must start with at least 3 fixed bytes, else the rule runs as its own regex.
     */
    automaton: z.enum(["full", "prefix"]).default("full"),
    validator: z.string().min(1).default("none"),
    caseSensitive: z.boolean().default(true),
    context: contextSchema.optional(),
    negativeContext: contextSchema.optional(),
    headers: z.array(z.string().min(1)).default([]),
    requires: z.enum(["none", "context"]).default("none"),
    /** Findings below this confidence are dropped. */
    minConfidence: z.number().min(0).max(1).default(0.5),
    /** Sub-category reported with health matches (e.g. `blood-group`). */
    group: z.string().optional(),
  })
  .strict();

/**
 * What a dictionary group's term needs to count; any one of these suffices:
 * - `words`: one of them within `window` bytes, on the same line (a unit: `TSH 4,5 mUI/l`);
 * - `headers`: the term sits under a matching column, key or path (`libelle_analyse`);
 * - `nearTerm: true`: a counted term of a group of the same rule that needs no other term
 *   itself lies within `window` bytes (on the same row in a delimited file): "traitement" next
 *   to "insuline" counts, "traitement de texte" does not. Generic words (diagnostic, examen,
 *   antécédents…) are health words only next to a health word.
 */
const groupRequiresSchema = z
  .object({
    words: z.array(z.string().min(1)).default([]),
    window: z.number().int().positive().max(400).default(60),
    headers: z.array(z.string()).default([]),
    nearTerm: z.boolean().default(false),
  })
  .strict()
  .refine((r) => r.words.length > 0 || r.headers.length > 0 || r.nearTerm, {
    message: "needs words, headers or nearTerm: true",
  });

/** One group of dictionary terms, e.g. sensitive pathologies, with its weight and needs. */
const termGroupSchema = z
  .object({
    /** Relative weight of the group, for the exposure model (read by the scoring work to come; not used yet). */
    weight: z.number().positive().default(1),
    terms: words,
    /** Acronyms that must keep their case: `AME` must not match "âme". */
    caseSensitive: z.array(z.string().min(1)).default([]),
    /** Count a term of this group only with a unit word nearby, under a header, or next to another term. */
    requires: groupRequiresSchema.optional(),
  })
  .strict();

/**
 * `dictionary`: terms by group, matched accent- and case-insensitively with word boundaries.
 * A group with `requires.nearTerm` needs at least one group of the rule without it.
 */
export const dictionaryRuleSchema = z
  .object({
    ...common,
    kind: z.literal("dictionary"),
    groups: z.record(id, termGroupSchema),
    /**
     * Fields whose terms do not count, matched as the header's last parts (`patient_nom`): a
     * name column's "Goutte" is someone's name, a catalogue's "Doliprane" under `nom` no patient's.
     */
    skipHeaders: z.array(z.string().min(1)).default([]),
  })
  .strict();

/**
 * `column`: values in fields whose header matches: columns of delimited files, paths of JSON
 * and XML (`name_family`), HL7 v2 fields (`pid_5`). For example a bare `A+` under
 * `groupe_sanguin`, a name under `nom`, or a NIR split into a 13-character body column and a
 * key column (`keyHeaders`, delimited files only). `headerMatch`: `part` (default) lets a header
 * name the field anywhere among its `_`-separated parts (`num_secu_patient`); `suffix` only as
 * its last parts (`patient_nom` but not `nom_produit`). `skipWhenHeaders`: in a delimited file
 * with one of these columns, the rule does not run (names, where a NIR or birth-date column
 * already marks every row as a person's: a check per row doubled the time of a 4-million-row export).
 */
export const columnRuleSchema = z
  .object({
    ...common,
    kind: z.literal("column"),
    headers: words,
    keyHeaders: z.array(z.string().min(1)).default([]),
    headerMatch: z.enum(["part", "suffix"]).default("part"),
    /** Delimited files: the rule does not run when one of these columns is there (it already marks each row). */
    skipWhenHeaders: z.array(z.string().min(1)).default([]),
    value: z.string().min(1),
    validator: z.string().min(1).default("none"),
    group: z.string().optional(),
  })
  .strict();

export const ruleSchema = z.discriminatedUnion("kind", [patternRuleSchema, dictionaryRuleSchema, columnRuleSchema]);

/** A rule pack file: `rules/*.yaml`. */
export const rulePackSchema = z
  .object({ version: z.literal(1), pack: z.string().min(1), rules: z.array(ruleSchema).min(1) })
  .strict();

export type PatternRuleSpec = z.infer<typeof patternRuleSchema>;
export type DictionaryRuleSpec = z.infer<typeof dictionaryRuleSchema>;
export type ColumnRuleSpec = z.infer<typeof columnRuleSchema>;
export type RuleSpec = z.infer<typeof ruleSchema>;
export type RulePackSpec = z.infer<typeof rulePackSchema>;
