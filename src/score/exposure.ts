import type { Level } from "../config/schema.js";
import type { BucketReport, ExposureFactor } from "../report/types.js";

/**
 * First exposure model: what was found, where, and how forgotten the bucket looks.
 * Each factor is one function returning its points and a sentence; the score is their sum,
 * capped at 100. Staleness and accessibility only count once personal data was found (an
 * identifier or a patient record): an old bucket of health brochures is not an exposure.
 */
export function exposureScore(bucket: BucketReport, now: Date): BucketReport["exposure"] {
  const factors = [identifiers(bucket), patientRecords(bucket), spread(bucket)];
  const found = factors.some((f) => f.points > 0);
  factors.push(health(bucket), staleness(bucket, now, found), accessibility(bucket, found));
  const sum = factors.reduce((n, f) => n + f.points, 0);
  // Points above 100 are shown as a cap, so that the factors always add up to the score.
  if (sum > 100)
    factors.push({ name: "cap", points: 100 - sum, detail: `score capped at 100 (factors add up to ${sum})` });
  const score = Math.min(100, sum);
  return { score, level: levelOf(score), factors };
}

export function levelOf(score: number): Level {
  if (score >= 75) return "critical";
  if (score >= 50) return "high";
  if (score >= 25) return "medium";
  if (score > 0) return "low";
  return "none";
}

/** Up to 50 points, logarithmic in distinct persons: 1 → 4, 10 → 13, 1,000 → 38, 10,000+ → 50. */
function identifiers(b: BucketReport): ExposureFactor {
  const persons = b.totals.distinctPersons;
  const points = persons === 0 ? 0 : Math.min(50, Math.round(12.5 * Math.log10(1 + persons)));
  const detail =
    persons === 0
      ? "no valid national identifier found"
      : `${b.totals.findings} valid NIR occurrence(s), ${persons} distinct person(s)`;
  return { name: "national identifiers", points, detail };
}

/** Up to 20 points for records tying a person to health data: 1 → 3, 10 → 10, 1,000+ → 20. */
function patientRecords(b: BucketReport): ExposureFactor {
  const n = b.totals.patientRecords;
  const points = n === 0 ? 0 : Math.min(20, Math.round(3 + 5.7 * Math.log10(n)));
  const detail =
    n === 0
      ? "no record ties a person to health data"
      : `${n} patient record(s): identity and health data in the same row or paragraph`;
  return { name: "patient records", points, detail };
}

/** Up to 10 points for health vocabulary; alone (a brochure) it keeps a bucket low. */
function health(b: BucketReport): ExposureFactor {
  const n = b.totals.categories.health ?? 0;
  const points = n === 0 ? 0 : Math.min(10, Math.round(2 * Math.log10(1 + n)) + 1);
  return { name: "health data", points, detail: n === 0 ? "no health term found" : `${n} health term(s) or value(s)` };
}

/** Up to 15 points: 3 per object holding identifiers. */
function spread(b: BucketReport): ExposureFactor {
  const n = b.totals.objectsWithFindings;
  return { name: "spread", points: Math.min(15, 3 * n), detail: `${n} object(s) hold identifiers` };
}

/** Up to 25 points for the age of the newest object: nobody has written here for a long time. */
function staleness(b: BucketReport, now: Date, found: boolean): ExposureFactor {
  if (!b.newestModified) return { name: "staleness", points: 0, detail: "no object dates" };
  const days = Math.floor((now.getTime() - Date.parse(b.newestModified)) / 86_400_000);
  const points = days > 365 ? 25 : days > 180 ? 15 : days > 30 ? 8 : 0;
  const detail = `newest object written ${days} day(s) ago`;
  return found
    ? { name: "staleness", points, detail }
    : { name: "staleness", points: 0, detail: `${detail} (not counted: nothing sensitive found)` };
}

/** Up to 10 points when anonymous users can read or list, from the posture. Unknown is not private. */
function accessibility(b: BucketReport, found: boolean): ExposureFactor {
  const { publicRead, publicList } = b.posture;
  const open = publicRead === true || publicList === true;
  const unknown = publicRead === "unknown" || publicList === "unknown";
  const detail = open
    ? "anonymous access possible"
    : unknown
      ? "access unknown (treated as possibly open)"
      : "not public";
  const points = !found ? 0 : open ? 10 : unknown ? 3 : 0;
  return { name: "accessibility", points, detail: found ? detail : `${detail} (not counted: no personal data found)` };
}
