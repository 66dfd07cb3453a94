import { createHmac, randomBytes } from "node:crypto";

/**
 * Keyed fingerprints of identifier values, so that findings can be counted and compared
 * without storing the value. With the default per-run key, fingerprints cannot be compared
 * across runs, nor brute-forced offline from a leaked report (a NIR has only ~10^13 values).
 */
export type Fingerprinter = (ruleId: string, normalizedValue: string) => string;

/** `key` from the config or `RELIQUAT_FINGERPRINT_KEY`; a random per-run key otherwise. */
export function createFingerprinter(key?: string): Fingerprinter {
  const secret = key && key.length > 0 ? Buffer.from(key, "utf8") : randomBytes(32);
  return (ruleId, value) => createHmac("sha256", secret).update(`${ruleId}\0${value}`).digest("hex").slice(0, 24);
}
