import { hasPersonalData } from "../score/exposure.js";
import type { BucketReport, Report } from "./types.js";

/**
 * Article 33 GDPR evidence: per bucket holding personal data, the facts a DPO needs to notify
 * the CNIL within 72 hours. Built from the redacted report, so it holds no identifier value.
 */
export interface Evidence {
  /** End of the scan the facts come from. */
  observedAt: string;
  rulePacks: string[];
  buckets: EvidenceEntry[];
}

export interface EvidenceEntry {
  bucket: string;
  level: string;
  score: number;
  /**
   * Data categories, in words: "national identifier (NIR)", "health data (pathology-sensitive)",
   * "financial data (IBAN, payment card or BIC)", "contact details (phone, e-mail or postal address)".
   */
  categories: string[];
  persons: { found: number; estimate: number; low: number; high: number; basis: string };
  patientRecords: number;
  /** Who could reach the data, as read from the posture. */
  exposureFacts: string[];
  firstModified?: string;
  lastModified?: string;
  coverage: string;
}

export function buildEvidence(report: Report): Evidence {
  return {
    observedAt: report.finishedAt,
    rulePacks: report.parameters.rulePacks,
    buckets: report.buckets.filter(hasPersonalData).map(entry),
  };
}

/** Categories that entry() puts in words; any other (a user pack's) is listed by its name. */
/** Sub-categories of the financial pack: described with it, not among the health groups. */
const FINANCIAL_GROUPS = new Set(["bank-account", "payment-card", "bank-code"]);
const DESCRIBED = new Set(["national-id", "identity", "health", "financial", "contact"]);

function entry(b: BucketReport): EvidenceEntry {
  const t = b.totals;
  const categories: string[] = [];
  if (t.distinctPersons > 0) categories.push("national identifier (NIR)");
  if ((t.categories.identity ?? 0) > 0) categories.push("identity (name with birth date)");
  if ((t.categories.health ?? 0) > 0) {
    const groups = Object.keys(t.groups)
      .filter((g) => !FINANCIAL_GROUPS.has(g))
      .sort();
    categories.push(`health data${groups.length ? ` (${groups.join(", ")})` : ""}`);
  }
  if ((t.categories.financial ?? 0) > 0) {
    const what = [
      (t.groups["bank-account"] ?? 0) > 0 && "bank account",
      (t.groups["payment-card"] ?? 0) > 0 && "payment card",
      (t.groups["bank-code"] ?? 0) > 0 && "bank code",
    ].filter(Boolean);
    categories.push(`financial data (${what.length ? what.join(", ") : "IBAN, payment card or BIC"})`);
  }
  if ((t.categories.contact ?? 0) > 0) categories.push("contact details (phone, e-mail or postal address)");
  for (const c of Object.keys(t.categories).sort()) if (!DESCRIBED.has(c)) categories.push(c);
  const access = b.exposure.factors.find((f) => f.name === "accessibility")?.detail.split("; ") ?? [];
  const c = b.coverage;
  return {
    bucket: b.url,
    level: b.exposure.level,
    score: b.exposure.score,
    categories,
    persons: {
      found: t.distinctPersons,
      estimate: t.estimate.distinctPersons,
      low: t.estimate.distinctPersonsLow,
      high: t.estimate.distinctPersonsHigh,
      basis: t.estimate.basis,
    },
    patientRecords: t.patientRecords,
    exposureFacts: [...access, ...b.posture.notes],
    ...(b.oldestModified ? { firstModified: b.oldestModified } : {}),
    ...(b.newestModified ? { lastModified: b.newestModified } : {}),
    coverage: `${c.scanned} scanned, ${c.partial} partial, ${c.skipped} skipped of ${c.listed} listed${c.complete ? "" : " (incomplete)"}`,
  };
}
