import { REDACTED } from "../redact.js";
import { KeyStore } from "./key-store.js";
import type { CoverageStatus, ObjectReport } from "./types.js";

const COVERAGE: CoverageStatus[] = ["scanned", "partial", "skipped"];
/** The optional fields a plain object may carry, in the order `scanObject` writes them. */
const TAIL = ["encoding", "format", "expandedBytes", "entries", "reason", "error", "carriedForward", "readAt"] as const;
const HEAD = ["url", "key", "size", "lastModified", "coverage", "bytesRead", "patientRecords", "distinctPersons"];

/**
 * A bucket's object reports, in little memory: a million objects are the normal case for a
 * hospital's nightly scan, and one `ObjectReport` costs about 1 KB as a JavaScript object. An
 * object without findings is kept as columns (its key, three numbers, small codes for the
 * strings that recur: encoding, format, reason); the others, which reporters read in full,
 * are kept as they are. Iterating gives every object back, equal to what was pushed, in the
 * order given by `sort` (by key) or else in the order pushed.
 */
export class ObjectList implements Iterable<ObjectReport> {
  /** Objects are added redacted (scan-bucket.ts): a whole-report redaction passes the list by. */
  readonly [REDACTED] = true;
  private readonly keys = new KeyStore();
  private numbers = new Float64Array(1024 * 5);
  private codes = new Int32Array(1024 * 5);
  /** Objects kept whole (findings, a version, an unusual shape), by index. */
  private readonly whole = new Map<number, ObjectReport>();
  private readonly strings: string[] = [];
  private readonly stringIds = new Map<string, number>();
  private order: Uint32Array | undefined;

  /** @param baseUrl the bucket's URL: a plain object's `url` is `baseUrl/key`. */
  constructor(private readonly baseUrl: string) {}

  /** A list holding `objects`, in that order (reports built by hand, tests). */
  static of(baseUrl: string, objects: Iterable<ObjectReport> = []): ObjectList {
    const list = new ObjectList(baseUrl);
    for (const o of objects) list.push(o);
    return list;
  }

  get length(): number {
    return this.keys.length;
  }

  /** Memory held by the columns and keys, growth slack included, and how many objects are kept whole. */
  footprint(): { columnBytes: number; whole: number } {
    return {
      columnBytes: this.keys.retainedBytes + this.numbers.byteLength + this.codes.byteLength,
      whole: this.whole.size,
    };
  }

  push(o: ObjectReport): void {
    const i = this.keys.length;
    this.keys.push(o.key);
    this.order = undefined;
    if (!this.isPlain(o)) {
      this.whole.set(i, o);
      return;
    }
    if (this.codes.length < (i + 1) * 5) {
      this.numbers = grown(this.numbers);
      this.codes = grown(this.codes);
    }
    const modified = o.lastModified === undefined ? Number.NaN : Date.parse(o.lastModified);
    const readAt = o.readAt === undefined ? Number.NaN : Date.parse(o.readAt);
    this.numbers.set([o.size, modified, o.bytesRead, o.expandedBytes ?? -1, readAt], i * 5);
    const id = (s: string | undefined) => (s === undefined ? -1 : this.intern(s));
    const flags =
      ("lastModified" in o ? 1 : 0) |
      (o.error ? 2 : 0) |
      (COVERAGE.indexOf(o.coverage) << 2) |
      (o.carriedForward ? 16 : 0);
    const tail = [id(o.encoding), id(o.format), o.entries ?? -1, id(o.reason)];
    this.codes.set([flags, ...tail], i * 5);
  }

  /** Sorts by key (UTF-8 byte order, as S3 lists), as reports list objects (a permutation: nothing is copied). */
  sort(): void {
    const order = new Uint32Array(this.keys.length).map((_, i) => i);
    order.sort((a, b) => this.keys.compare(a, b));
    this.order = order;
  }

  *[Symbol.iterator](): IterableIterator<ObjectReport> {
    for (let j = 0; j < this.keys.length; j++) yield this.rebuild(this.index(j));
  }

  /** The object at position `j` (negative counts from the end), like `Array.prototype.at`. */
  at(j: number): ObjectReport | undefined {
    const n = this.keys.length;
    const k = j < 0 ? n + j : j;
    return k >= 0 && k < n ? this.rebuild(this.index(k)) : undefined;
  }

  /** Objects with at least one finding, in order: the ones SARIF and baselines read. Plain ones are never rebuilt. */
  *withFindings(): IterableIterator<ObjectReport> {
    for (let j = 0; j < this.keys.length; j++) {
      const o = this.whole.get(this.index(j));
      if (o && o.findings.length > 0) yield o;
    }
  }

  /** The keys, in order, without rebuilding the objects. */
  *keysInOrder(): IterableIterator<string> {
    for (let j = 0; j < this.keys.length; j++) yield this.keys.get(this.index(j));
  }

  some(match: (o: ObjectReport) => unknown): boolean {
    return this.find(match) !== undefined;
  }

  filter(keep: (o: ObjectReport) => unknown): ObjectReport[] {
    return [...this].filter(keep);
  }

  find(match: (o: ObjectReport) => unknown): ObjectReport | undefined {
    for (const o of this) if (match(o)) return o;
    return undefined;
  }

  map<T>(f: (o: ObjectReport) => T): T[] {
    return [...this].map(f);
  }

  flatMap<T>(f: (o: ObjectReport) => T | T[]): T[] {
    return [...this].flatMap(f);
  }

  /** JSON.stringify gives the array the report schema documents. */
  toJSON(): ObjectReport[] {
    return [...this];
  }

  private index(j: number): number {
    return this.order ? (this.order[j] as number) : j;
  }

  private rebuild(i: number): ObjectReport {
    const kept = this.whole.get(i);
    if (kept) return kept;
    const key = this.keys.get(i);
    const [size, modified, bytesRead, expanded, readAt] = this.numbers.subarray(
      i * 5,
      i * 5 + 5,
    ) as unknown as number[];
    const [flags, encoding, format, entries, reason] = this.codes.subarray(i * 5, i * 5 + 5) as unknown as number[];
    const o: Record<string, unknown> = { url: `${this.baseUrl}/${key}`, key, size };
    if ((flags as number) & 1)
      o.lastModified = Number.isNaN(modified) ? undefined : new Date(modified as number).toISOString();
    Object.assign(o, {
      coverage: COVERAGE[((flags as number) >> 2) & 3],
      bytesRead,
      patientRecords: 0,
      distinctPersons: 0,
    });
    Object.assign(o, { categories: {}, findings: [] });
    if ((encoding as number) >= 0) o.encoding = this.strings[encoding as number];
    if ((format as number) >= 0) o.format = this.strings[format as number];
    if ((expanded as number) >= 0) o.expandedBytes = expanded;
    if ((entries as number) >= 0) o.entries = entries;
    if ((reason as number) >= 0) o.reason = this.strings[reason as number];
    if ((flags as number) & 2) o.error = true;
    if ((flags as number) & 16) o.carriedForward = true;
    if (!Number.isNaN(readAt)) o.readAt = new Date(readAt as number).toISOString();
    return o as unknown as ObjectReport;
  }

  /** Whether `o` has exactly the shape `at` rebuilds: same fields, same order, nothing else. */
  private isPlain(o: ObjectReport): boolean {
    if (o.findings.length > 0 || o.patientRecords !== 0 || o.distinctPersons !== 0) return false;
    if (Object.keys(o.categories).length > 0 || o.url !== `${this.baseUrl}/${o.key}`) return false;
    if (o.error !== undefined && o.error !== true) return false;
    if (o.carriedForward !== undefined && o.carriedForward !== true) return false;
    if (o.readAt !== undefined && !isIso(o.readAt)) return false;
    const keys = Object.keys(o);
    const head = "lastModified" in o ? HEAD : HEAD.filter((k) => k !== "lastModified");
    const expected = [...head, "categories", "findings", ...TAIL.filter((k) => k in o)];
    if (keys.length !== expected.length || keys.some((k, i) => k !== expected[i])) return false;
    if (o.lastModified !== undefined && !isIso(o.lastModified)) return false;
    const numeric = (v: unknown) => v === undefined || (typeof v === "number" && v >= 0 && v < 2 ** 31);
    const text = (v: unknown) => v === undefined || typeof v === "string";
    return text(o.encoding) && text(o.format) && text(o.reason) && numeric(o.expandedBytes) && numeric(o.entries);
  }

  private intern(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(s);
      // Reasons carry sizes ("head 1 MiB of 3.2 GiB"): a few thousand distinct at most in practice.
      this.stringIds.set(s, id);
    }
    return id;
  }
}

function grown<T extends Float64Array | Int32Array>(a: T): T {
  const bigger = new (a.constructor as new (n: number) => T)(a.length * 2);
  bigger.set(a);
  return bigger;
}

/** A date that survives a trip through its epoch milliseconds. */
function isIso(s: unknown): boolean {
  return typeof s === "string" && !Number.isNaN(Date.parse(s)) && new Date(Date.parse(s)).toISOString() === s;
}
