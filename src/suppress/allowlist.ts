import { z } from "zod";
import { ConfigError } from "../config/errors.js";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date as YYYY-MM-DD");

/**
 * One allowlist entry of the config. It suppresses the findings of a bucket, of a prefix in a
 * bucket, of a rule, or of a rule in a bucket. A reason and an expiry date are mandatory, so
 * that an exception is a decision someone owns and revisits.
 */
export const allowEntrySchema = z
  .object({
    /** `s3://name`, `azure://account/container`, `file:///path`, or just the bucket name. */
    bucket: z.string().min(1).optional(),
    /** Key prefix inside `bucket`. */
    prefix: z.string().min(1).optional(),
    /** Rule id, e.g. `fr-birth-date`. */
    rule: z.string().min(1).optional(),
    /** Why this is accepted, for the next auditor (at least 3 characters). */
    reason: z.string().min(3),
    /** The last day it holds (YYYY-MM-DD); after it the scan refuses to start until it is renewed or removed. */
    expires: isoDate,
  })
  .strict()
  .refine((e) => e.bucket || e.rule, { message: "an entry needs a bucket or a rule" })
  .refine((e) => !e.prefix || e.bucket, { message: "a prefix needs a bucket", path: ["prefix"] });

export type AllowEntry = z.infer<typeof allowEntrySchema>;

/** Throws {@link ConfigError} (exit 2) for the first entry whose `expires` date has passed. */
export function checkAllowlist(entries: AllowEntry[], today: Date): void {
  const day = today.toISOString().slice(0, 10);
  for (const [i, e] of entries.entries()) {
    if (e.expires < day) {
      const what = [e.bucket && `bucket ${e.bucket}`, e.prefix && `prefix ${e.prefix}`, e.rule && `rule ${e.rule}`]
        .filter(Boolean)
        .join(", ");
      throw new ConfigError(
        `allowlist entry #${i + 1} (${what}) expired on ${e.expires}: review it, then renew its date or remove it`,
      );
    }
  }
}

/** Whether `entry` covers this rule in this object. */
export function allows(entry: AllowEntry, bucketUrl: string, bucketName: string, key: string, ruleId: string): boolean {
  if (entry.rule && entry.rule !== ruleId) return false;
  if (entry.bucket && entry.bucket.replace(/\/+$/, "") !== bucketUrl && entry.bucket !== bucketName) return false;
  return !entry.prefix || key.startsWith(entry.prefix);
}
