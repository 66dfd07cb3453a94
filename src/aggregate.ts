import type { BucketPosture, BucketRef } from "./providers/types.js";
import type { BucketReport, BucketTotals, ObjectReport } from "./report/types.js";
import { compact, SampleEstimator } from "./score/estimate.js";

/** Totals of a bucket before any object. */
export function emptyTotals(): BucketTotals {
  return {
    findings: 0,
    distinctPersons: 0,
    patientRecords: 0,
    objectsWithFindings: 0,
    objectsWithAnyFinding: 0,
    categories: {},
    groups: {},
    bytesRead: 0,
    estimate: { distinctPersons: 0, distinctPersonsLow: 0, distinctPersonsHigh: 0, patientRecords: 0, basis: "" },
  };
}

/**
 * Per-bucket totals as objects complete: coverage counts, findings, distinct persons across
 * objects (by in-memory hash), patient records, and an estimate for what was not read: the
 * bytes after a sampled head, and the objects listed but not read.
 */
export class BucketAggregator {
  readonly report: BucketReport;
  private readonly persons = new Set<number>();
  private personsInObjects = 0;
  private readonly persons_ = new SampleEstimator();
  private readonly records = new SampleEstimator();
  private sampled = 0;

  constructor(
    bucket: BucketRef,
    posture: BucketPosture,
    private readonly findingsOnly: boolean,
  ) {
    this.report = {
      url: bucket.url,
      provider: bucket.provider,
      name: bucket.name,
      exposure: { score: 0, level: "none", factors: [] },
      posture,
      coverage: { listed: 0, scanned: 0, partial: 0, skipped: 0, complete: true, errors: [] },
      totals: emptyTotals(),
      objects: [],
    };
  }

  /** Notes a listed object's date (before it is scanned). */
  listed(modified?: Date): void {
    const r = this.report;
    r.coverage.listed++;
    if (!modified) return;
    const iso = modified.toISOString();
    if (!r.newestModified || iso > r.newestModified) r.newestModified = iso;
    if (!r.oldestModified || iso < r.oldestModified) r.oldestModified = iso;
  }

  /** Adds one finished object. */
  add(object: ObjectReport, persons: Set<number>): void {
    const { coverage, totals } = this.report;
    coverage[object.coverage]++;
    if (object.error) coverage.complete = false;
    totals.bytesRead += object.bytesRead;
    totals.findings += object.categories["national-id"] ?? 0;
    totals.patientRecords += object.patientRecords;
    for (const [category, n] of Object.entries(object.categories))
      totals.categories[category] = (totals.categories[category] ?? 0) + n;
    for (const finding of object.findings)
      for (const [group, n] of Object.entries(finding.groups ?? {}))
        totals.groups[group] = (totals.groups[group] ?? 0) + n;
    if (persons.size > 0) totals.objectsWithFindings++;
    if (object.findings.length > 0) totals.objectsWithAnyFinding++;
    for (const p of persons) this.persons.add(p);
    // A sampled object is scaled by size / bytes read: persons and records grow with the bytes.
    const scale = object.bytesRead > 0 && object.bytesRead < object.size ? object.size / object.bytesRead : 1;
    if (scale > 1) this.sampled++;
    if (object.bytesRead > 0 || object.coverage === "scanned") {
      this.personsInObjects += object.distinctPersons;
      this.persons_.add(object.distinctPersons * scale);
      this.records.add(object.patientRecords * scale);
    }
    if (!this.findingsOnly || object.findings.length > 0) this.report.objects.push(object);
  }

  /** Final totals; objects sorted by key. */
  finish(): BucketReport {
    const { totals, coverage } = this.report;
    totals.distinctPersons = this.persons.size;
    // The same person in several objects is counted once: shrink the summed estimate alike.
    const shrink = this.personsInObjects === 0 ? 1 : this.persons.size / this.personsInObjects;
    const persons = this.persons_.estimate(coverage.listed, this.persons.size, shrink);
    const records = this.records.estimate(coverage.listed, totals.patientRecords);
    const read = this.persons_.count;
    const exact = this.sampled === 0 && read >= coverage.listed;
    totals.estimate = {
      distinctPersons: persons.value,
      distinctPersonsLow: persons.low,
      distinctPersonsHigh: persons.high,
      patientRecords: records.value,
      basis: exact
        ? "exact: every object listed was read whole"
        : `≈ ${compact(persons.value)} person(s) (95% CI ${compact(persons.low)}–${compact(persons.high)}), from ${read} of ${coverage.listed} object(s)${this.sampled > 0 ? `, ${this.sampled} read in part and scaled by size / bytes read` : ""}`,
    };
    this.report.objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return this.report;
  }
}
