import { residueNote } from "../providers/residue.js";
import type { BucketPosture } from "../providers/types.js";
import type { BucketReport, ExposureFactor } from "../report/types.js";
import { compact } from "./estimate.js";
import type { ScoreContext } from "./exposure.js";
import type { ScoreWeights } from "./weights.js";

const DAY = 86_400_000;
const factor = (name: string, points: number, max: number, facts: string[]): ExposureFactor => ({
  name,
  points: Math.min(max, Math.round(points)),
  max,
  detail: facts.join("; "),
});

/**
 * The strongest category found, plus the most sensitive health groups. Contact and financial
 * data count here, below identity and health data combined, but never as a patient record.
 */
export function sensitivity(b: BucketReport, w: ScoreWeights): ExposureFactor {
  const s = w.sensitivity;
  const t = b.totals;
  const strongest: [number, string][] = [
    [t.patientRecords > 0 ? s.patientRecords : 0, `${t.patientRecords} patient record(s) tie identity to health data`],
    [t.distinctPersons > 0 ? s.nationalId : 0, `${t.findings} valid NIR occurrence(s)`],
    [(t.categories.identity ?? 0) > 0 ? s.identity : 0, `${t.categories.identity ?? 0} name/birth-date signal(s)`],
    [
      (t.categories.financial ?? 0) > 0 ? s.financial : 0,
      `${t.categories.financial ?? 0} bank or card detail(s) (IBAN, payment card, BIC)`,
    ],
    [(t.categories.health ?? 0) > 0 ? s.health : 0, `${t.categories.health ?? 0} health term(s) or value(s)`],
    [
      (t.categories.contact ?? 0) > 0 ? s.contact : 0,
      `${t.categories.contact ?? 0} contact detail(s) (phone, e-mail, postal address)`,
    ],
  ];
  const found = strongest.filter(([p]) => p > 0);
  if (found.length === 0) return factor("sensitivity", 0, s.max, ["nothing sensitive found"]);
  const top = Math.max(...found.map(([p]) => p));
  const groups = s.sensitiveGroups.groups.filter((g) => (t.groups[g] ?? 0) > 0);
  const facts = found.map(([, text]) => text);
  if (groups.length > 0) facts.push(`sensitive health groups: ${groups.join(", ")}`);
  return factor("sensitivity", top + (groups.length > 0 ? s.sensitiveGroups.points : 0), s.max, facts);
}

/** Estimated distinct persons, logarithmic. */
export function volume(b: BucketReport, w: ScoreWeights): ExposureFactor {
  const e = b.totals.estimate;
  const persons = Math.max(b.totals.distinctPersons, e.distinctPersons);
  if (persons === 0) return factor("volume", 0, w.volume.max, ["no distinct person identified"]);
  const points = w.volume.perTenfold * Math.log10(1 + persons) + 0.5;
  const exact = persons === b.totals.distinctPersons && e.distinctPersonsHigh <= persons;
  return factor("volume", points, w.volume.max, [exact ? `${compact(persons)} distinct person(s)` : e.basis]);
}

/** Who can reach the data. Unknown is not private. */
export function accessibility(b: BucketReport, w: ScoreWeights): ExposureFactor {
  const a = w.accessibility;
  const p = b.posture;
  const facts: string[] = [];
  let points = 0;
  const add = (when: boolean, n: number, text: string) => {
    if (!when) return;
    points += n;
    facts.push(text);
  };
  add(p.publicRead === true, a.publicRead, "anyone can read objects");
  add(p.publicList === true, a.publicList, "anyone can list objects");
  add(p.authenticatedUsers === true, a.authenticatedUsers, "any authenticated account can reach it");
  add(p.crossAccount === true, a.crossAccount, "a policy grants other accounts");
  const unknown = unknowns(p);
  add(points === 0 && unknown.length > 0, a.unknown, `unknown (${unknown.join(", ")}): treated as possibly open`);
  if (facts.length === 0) facts.push("not public");
  return factor("accessibility", points, a.max, facts);
}

function unknowns(p: BucketPosture): string[] {
  const fields = {
    "public read": p.publicRead,
    "public list": p.publicList,
    "authenticated users": p.authenticatedUsers,
  };
  return Object.entries(fields)
    .filter(([, v]) => v === "unknown")
    .map(([k]) => k);
}

/** The "forgotten" signal: age, no lifecycle, no owner, a leftover's name, hidden residue. */
export function staleness(b: BucketReport, ctx: ScoreContext): ExposureFactor {
  const s = ctx.weights.staleness;
  const facts: string[] = [];
  let points = 0;
  if (b.newestModified) {
    const newest = Date.parse(b.newestModified);
    const days = Math.floor((ctx.now.getTime() - newest) / DAY);
    const migration = ctx.migrationDate;
    if (migration && newest <= migration.getTime()) {
      // Untouched since the migration: a leftover of it, however recent the migration.
      points += Math.max(0, ...s.days.map((d) => d.points));
      facts.push(
        `nothing written since the migration of ${migration.toISOString().slice(0, 10)} (newest ${days} day(s) ago)`,
      );
    } else {
      points += s.days.find((d) => days > d.over)?.points ?? 0;
      facts.push(`newest object written ${days} day(s) ago${migration ? " (after the migration)" : ""}`);
    }
  } else facts.push("no object dates");
  const p = b.posture;
  if (p.lifecycle === false) {
    points += s.noLifecycle;
    facts.push("no lifecycle rule");
  }
  if (p.ownerTag === false) {
    points += s.noOwnerTag;
    facts.push("no owner tag");
  }
  const name = leftoverName(b, s.names);
  if (name) {
    points += s.suspiciousName;
    facts.push(`named like a leftover ("${name}")`);
  }
  const r = p.residue;
  if (r && r.noncurrentVersions + (r.unfinishedUploads ?? 0) + (r.softDeleted ?? 0) > 0) {
    points += s.residue;
    facts.push(`hidden residue: ${residueNote(r, false)}`);
  }
  return factor("staleness", points, s.max, facts);
}

/** The first leftover word at the start of a name part of the bucket, or of most keys. */
function leftoverName(b: BucketReport, names: string[]): string | undefined {
  const words = new RegExp(`(?:^|[^a-z])(${names.join("|")})`, "i");
  const inBucket = words.exec(b.name.split("/").pop() ?? b.name)?.[1];
  if (inBucket) return inBucket;
  let first: string | undefined;
  let named = 0;
  for (const key of b.objects.keysInOrder()) {
    const m = words.exec(key)?.[1];
    if (!m) continue;
    first ??= m;
    named++;
  }
  return b.objects.length > 0 && named * 2 > b.objects.length ? first : undefined;
}

/** Encryption at rest and versioning that keeps deleted copies alive. */
export function protection(b: BucketReport, w: ScoreWeights): ExposureFactor {
  const p = b.posture;
  const facts: string[] = [];
  let points = 0;
  if (p.encryption === "none") {
    points += w.protection.noEncryption;
    facts.push("no default encryption");
  } else facts.push(`encryption ${p.encryption ?? "unknown"}`);
  if (p.versioning === "enabled" && p.lifecycle !== true) {
    points += w.protection.versionedDeletes;
    facts.push("versioning keeps deleted copies and no lifecycle rule expires them");
  } else if (p.versioning) facts.push(`versioning ${p.versioning}`);
  return factor("protection", points, w.protection.max, facts);
}
