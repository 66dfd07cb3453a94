import type { Level } from "../config/schema.js";
import type { BucketReport, ExposureFactor } from "../report/types.js";

/**
 * First exposure model: what was found, where, and how forgotten the bucket looks.
 * Each factor is one function returning its points and a sentence; the score is their sum,
 * capped at 100. Staleness only counts once something sensitive was found: an old bucket
 * of brochures is not an exposure.
 */
export function exposureScore(bucket: BucketReport, now: Date): BucketReport["exposure"] {
  const factors = [identifiers(bucket), spread(bucket)];
  const found = factors.some((f) => f.points > 0);
  factors.push(staleness(bucket, now, found), accessibility(bucket, found));
  const score = Math.min(
    100,
    factors.reduce((sum, f) => sum + f.points, 0),
  );
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
  return { name: "accessibility", points, detail: found ? detail : `${detail} (not counted: nothing sensitive found)` };
}
