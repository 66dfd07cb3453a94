import type { Level } from "../config/schema.js";
import type { BucketReport, ExposureFactor } from "../report/types.js";
import { accessibility, protection, sensitivity, staleness, volume } from "./factors.js";
import type { ScoreWeights } from "./weights.js";

/** What the model needs besides the bucket. */
export interface ScoreContext {
  weights: ScoreWeights;
  /** Ages are counted up to this date (the end of the scan). */
  now: Date;
  /** The user's `--migration-date`: data untouched since then is a leftover of that move. */
  migrationDate?: Date;
}

/**
 * The exposure model: five factors from `score/exposure-weights.yaml`, each with its points,
 * its maximum and a sentence. The score is their sum, capped at 100 (the cap is its own line so
 * that the factors always add up to the score). Accessibility, staleness and protection count
 * only once personal data was found: an old public bucket of brochures is not an exposure.
 */
export function exposureScore(bucket: BucketReport, ctx: ScoreContext): BucketReport["exposure"] {
  const found = hasPersonalData(bucket);
  const factors: ExposureFactor[] = [
    sensitivity(bucket, ctx.weights),
    volume(bucket, ctx.weights),
    gate(accessibility(bucket, ctx.weights), found),
    gate(staleness(bucket, ctx), found),
    gate(protection(bucket, ctx.weights), found),
  ];
  const sum = factors.reduce((n, f) => n + f.points, 0);
  if (sum > 100)
    factors.push({ name: "cap", points: 100 - sum, detail: `score capped at 100 (factors add up to ${sum})` });
  const score = Math.min(100, sum);
  return { score, level: levelOf(score, ctx.weights), factors };
}

/**
 * Groups of the financial pack (rules/fr-financial.yaml) that are a person's: an account or a
 * card that passed its checksum. A BIC names a bank, and a hospital's invoices print its own.
 */
export const PERSONAL_FINANCIAL_GROUPS = ["bank-account", "payment-card"] as const;

/**
 * A NIR, a patient record, a name with a birth date, a bank account or a payment card. Contact
 * data alone does not count: a brochure prints its clinic's phone number.
 */
export function hasPersonalData(b: BucketReport): boolean {
  const t = b.totals;
  return (
    t.distinctPersons > 0 ||
    t.patientRecords > 0 ||
    (t.categories.identity ?? 0) > 0 ||
    PERSONAL_FINANCIAL_GROUPS.some((g) => (t.groups[g] ?? 0) > 0)
  );
}

/** The highest level whose threshold `score` reaches. */
export function levelOf(score: number, weights: Pick<ScoreWeights, "levels">): Level {
  const t = weights.levels;
  if (score >= t.critical) return "critical";
  if (score >= t.high) return "high";
  if (score >= t.medium) return "medium";
  if (score >= t.low && score > 0) return "low";
  return "none";
}

function gate(factor: ExposureFactor, found: boolean): ExposureFactor {
  return found ? factor : { ...factor, points: 0, detail: `${factor.detail} (not counted: no personal data found)` };
}
