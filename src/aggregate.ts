import type { BucketPosture, BucketRef } from "./providers/types.js";
import { ObjectList } from "./report/object-list.js";
import type { BucketReport, BucketTotals, ObjectReport } from "./report/types.js";
import { DistinctCounter, SKETCH_ERROR_95 } from "./rules/distinct.js";
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
 * objects (by in-memory hash, in bounded memory), patient records, and an estimate for what
 * was not read: the bytes after a sampled head, and the objects listed but not read.
 */
export class BucketAggregator {
  readonly report: BucketReport;
  private readonly persons: DistinctCounter;
  private personsInObjects = 0;
  /** Listed entries with no content of their own (a symlink, a pipe): not part of the population. */
  private empty = 0;
  private readonly persons_ = new SampleEstimator();
  private readonly records = new SampleEstimator();
  private sampled = 0;

  /**
   * @param bucket with its redacted URL: objects added are redacted already.
   * @param exactPersons distinct persons counted exactly before a HyperLogLog estimate (tests lower it).
   */
  constructor(
    bucket: BucketRef,
    posture: BucketPosture,
    private readonly findingsOnly: boolean,
    exactPersons?: number,
  ) {
    this.persons = new DistinctCounter(exactPersons);
    this.report = {
      url: bucket.url,
      provider: bucket.provider,
      name: bucket.name,
      exposure: { score: 0, level: "none", factors: [] },
      posture,
      coverage: { listed: 0, scanned: 0, partial: 0, skipped: 0, complete: true, errors: [] },
      totals: emptyTotals(),
      objects: new ObjectList(bucket.url),
    };
  }

  /** Notes a listed object's date (before it is scanned); `empty` for an entry with no content (a link). */
  listed(modified?: Date, empty = false): void {
    const r = this.report;
    r.coverage.listed++;
    if (empty) this.empty++;
    if (!modified) return;
    const iso = modified.toISOString();
    if (!r.newestModified || iso > r.newestModified) r.newestModified = iso;
    if (!r.oldestModified || iso < r.oldestModified) r.oldestModified = iso;
  }

  /** Adds one finished object. */
  add(object: ObjectReport, persons: DistinctCounter): void {
    const { coverage, totals } = this.report;
    coverage[object.coverage]++;
    if (object.carriedForward) coverage.carriedForward = (coverage.carriedForward ?? 0) + 1;
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
    this.persons.addAll(persons);
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
    const found = this.persons.size;
    totals.distinctPersons = found;
    // Past the exact limit the count is a HyperLogLog estimate: its error widens the interval.
    const error = this.persons.exact ? 0 : SKETCH_ERROR_95;
    if (error > 0) totals.distinctPersonsError = Math.round(error * 1000) / 1000;
    const floor = Math.round(found * (1 - error));
    // The same person in several objects is counted once: shrink the summed estimate alike.
    const shrink = this.personsInObjects === 0 ? 1 : found / this.personsInObjects;
    const population = coverage.listed - this.empty;
    const persons = this.persons_.estimate(population, floor, shrink);
    const records = this.records.estimate(population, totals.patientRecords);
    const read = this.persons_.count;
    // A sketched count is itself uncertain: the interval holds its error whatever the sampling says.
    const low = error > 0 ? Math.min(persons.low, floor) : persons.low;
    const high = Math.max(persons.high, Math.round(found * (1 + error)));
    const exact = this.sampled === 0 && read >= population && error === 0;
    const sketch = error > 0 ? `, counted with a HyperLogLog sketch (±${(error * 100).toFixed(1)}% at 95%)` : "";
    totals.estimate = {
      distinctPersons: Math.max(persons.value, found),
      distinctPersonsLow: low,
      distinctPersonsHigh: high,
      patientRecords: records.value,
      basis: exact
        ? "exact: every object listed was read whole"
        : `≈ ${compact(Math.max(persons.value, found))} person(s) (95% CI ${compact(low)}–${compact(high)}), from ${read} of ${population} object(s)${this.sampled > 0 ? `, ${this.sampled} read in part and scaled by size / bytes read` : ""}${sketch}`,
    };
    this.report.objects.sort();
    return this.report;
  }
}
