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

/** One group of dictionary terms, e.g. sensitive pathologies, with its weight and needs. */
const termGroupSchema = z
  .object({
    /** Relative weight of the group, for the exposure model (read by the scoring work to come; not used yet). */
    weight: z.number().positive().default(1),
    terms: words,
    /** Acronyms that must keep their case: `AME` must not match "âme". */
    caseSensitive: z.array(z.string().min(1)).default([]),
    /** Count a term of this group only with one of these words nearby (a unit) or under a matching header. */
    requires: contextSchema
      .extend({ headers: z.array(z.string()).default([]) })
      .strict()
      .optional(),
  })
  .strict();

/** `dictionary`: terms by group, matched accent- and case-insensitively with word boundaries. */
export const dictionaryRuleSchema = z
  .object({ ...common, kind: z.literal("dictionary"), groups: z.record(id, termGroupSchema) })
  .strict();

/**
 * `column`: values in columns whose header matches, in delimited files. For example a bare
 * `A+` under `groupe_sanguin`, a CIM-10 code under `diagnostic`, or a NIR split into a
 * 13-character body column and a key column (`keyHeaders`).
 */
export const columnRuleSchema = z
  .object({
    ...common,
    kind: z.literal("column"),
    headers: words,
    keyHeaders: z.array(z.string().min(1)).default([]),
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
