import { z } from "zod";

/** Categories a finding can belong to (the report's `category`). */
export const CATEGORIES = ["national-id", "health", "identity", "contact", "financial"] as const;
export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;

/** One `pattern` rule: regexes whose matches a named TypeScript validator confirms. */
export const patternRuleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "lower-case letters, digits and dashes"),
    name: z.string().min(1),
    category: z.enum(CATEGORIES),
    severity: z.enum(SEVERITIES),
    description: z.string().optional(),
    patterns: z.array(z.string().min(1)).min(1),
    validator: z.string().min(1),
    examples: z.object({
      match: z.array(z.string()).min(1, "every rule needs at least one positive example"),
      noMatch: z.array(z.string()).min(1, "every rule needs at least one negative example"),
    }),
  })
  .strict();

/** A rule pack file: `rules/*.yaml`. */
export const rulePackSchema = z
  .object({
    version: z.literal(1),
    pack: z.string().min(1),
    rules: z.array(patternRuleSchema).min(1),
  })
  .strict();

export type PatternRuleSpec = z.infer<typeof patternRuleSchema>;
export type RulePackSpec = z.infer<typeof rulePackSchema>;
