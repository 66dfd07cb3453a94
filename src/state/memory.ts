import type Database from "better-sqlite3";
import type { BucketRef, ObjectRef } from "../providers/types.js";
import type { BucketReport, ObjectReport } from "../report/types.js";
import type { DistinctCounter } from "../rules/distinct.js";
import type { Suppressed } from "../suppress/suppressor.js";
import { ChangeTracker } from "./changes.js";
import type { StateKeys } from "./keys.js";
import { type OpenOptions, openState, removeState } from "./store.js";
import type { Recalled, ScanMemory } from "./types.js";

/** Finished objects are written in batches: this many, or after this long, whichever comes first. */
const BATCH = 16;
const BATCH_MS = 50;
/** Seen marks go to a temporary table, which a crash loses anyway: written in larger batches. */
const SEEN_BATCH = 1024;

interface Row {
  revision: Buffer;
  params: string;
  read_at: string;
  report: string;
  persons: Buffer | null;
  suppressed: string | null;
}

/**
 * The state store behind incremental runs: an object whose revision (ETag, generation, size
 * and mtime) and result parameters match its row is carried forward; others are read and
 * written back as they finish, in small transactions, so that a run killed midway resumes
 * with at most a batch or two read again.
 */
export class StateMemory implements ScanMemory {
  readonly distinctSeed: number;
  private readonly db: Database.Database;
  private readonly changes: ChangeTracker;
  private run = 0;
  private completed = false;
  private params = "";
  private pending: (() => void)[] = [];
  private seen: Buffer[] = [];
  private readonly bucketIds = new Map<string, Buffer>();
  /** Buckets done this run, by id: their changes are worked out at `finish`. */
  private readonly done = new Map<
    string,
    { id: Buffer; reports: BucketReport[]; listedWhole: boolean; cutShort: boolean }
  >();
  private readonly objectIds = new WeakMap<ObjectRef, Buffer>();
  private lastFlush = Date.now();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly select: Database.Statement<[Buffer], Row>;
  private readonly markSeen: Database.Statement<[Buffer]>;
  private readonly upsert: Database.Statement;
  private readonly flushAll: () => void;

  /** Opens `file`; throws `StateError` (exit 2) when it cannot be used. */
  constructor(
    private readonly file: string,
    private readonly keys: StateKeys,
    private readonly options?: OpenOptions,
  ) {
    this.db = openState(file, keys, options);
    this.distinctSeed = keys.distinctSeed;
    this.changes = new ChangeTracker(this.db, keys);
    this.select = this.db.prepare(
      "SELECT revision, params, read_at, report, persons, suppressed FROM objects WHERE id = ?",
    );
    // Seen this run, kept apart from the rows: an UPDATE rewrites a 1 KB row (58 µs an object,
    // measured), an insert here costs a few µs. Only this run's removals need it.
    this.db.exec("CREATE TEMP TABLE IF NOT EXISTS seen (id BLOB PRIMARY KEY) WITHOUT ROWID");
    this.markSeen = this.db.prepare("INSERT OR IGNORE INTO temp.seen VALUES (?)");
    this.upsert = this.db.prepare(
      "INSERT INTO objects (id, bucket, revision, params, read_at, seen, report, persons, suppressed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET bucket = excluded.bucket, revision = excluded.revision, params = excluded.params, read_at = excluded.read_at, seen = excluded.seen, report = excluded.report, persons = excluded.persons, suppressed = excluded.suppressed",
    );
    // Both lists are cleared only once every write ran: a write that throws rolls the whole
    // transaction back, and what it held must still be written (INSERT OR IGNORE, UPSERT: again is safe).
    this.flushAll = this.db.transaction(() => {
      for (const id of this.seen) this.markSeen.run(id);
      for (const write of this.pending) write();
      this.seen = [];
      this.pending = [];
    });
  }

  begin(params: string, startedAt: Date): void {
    this.params = params;
    const insert = this.db.prepare("INSERT INTO runs (started_at, status, params) VALUES (?, 'running', ?)");
    this.run = Number(insert.run(startedAt.toISOString(), params).lastInsertRowid);
    this.changes.begin(this.run);
  }

  recall(obj: ObjectRef): Recalled | undefined {
    const id = this.objectId(obj);
    const row = this.select.get(id);
    if (!row) return undefined;
    // Listed this time: not removed, even when it must be read again and that read fails.
    this.seen.push(id);
    if (this.seen.length >= SEEN_BATCH) this.flush();
    if (obj.revision === undefined && obj.lastModified === undefined) return undefined;
    if (row.params !== this.params || !row.revision.equals(this.revisionId(obj))) return undefined;
    const report = JSON.parse(row.report) as ObjectReport;
    const carried: ObjectReport = { ...report, carriedForward: true, readAt: row.read_at };
    const persons = this.keys.open(row.persons ?? Buffer.from([0]));
    const suppressed = row.suppressed ? (JSON.parse(row.suppressed) as Suppressed) : undefined;
    return { report: carried, persons, ...(suppressed ? { suppressed } : {}) };
  }

  remember(obj: ObjectRef, report: ObjectReport, persons: DistinctCounter, suppressed?: Suppressed): void {
    // A failure, or a limit of this run alone (the byte budget), is read again next time.
    if (report.error || report.reason?.includes("--max-bytes")) return;
    const row = [
      this.objectId(obj),
      this.bucketId(obj.bucket),
      this.revisionId(obj),
      this.params,
      new Date().toISOString(),
      this.run,
      JSON.stringify(report),
      persons.size > 0 ? this.keys.seal(persons) : null,
      suppressed ? JSON.stringify(suppressed) : null,
    ];
    this.queue(() => this.upsert.run(...row));
  }

  bucketDone(bucket: BucketRef, report: BucketReport, prefix?: string): void {
    this.flush();
    const id = this.bucketId(bucket);
    const key = id.toString("hex");
    const done = this.done.get(key) ?? { id, reports: [], listedWhole: false, cutShort: false };
    const complete = report.coverage.complete && !report.coverage.truncated;
    done.reports.push(report);
    done.listedWhole ||= complete && !prefix;
    done.cutShort ||= !complete;
    this.done.set(key, done);
  }

  finish(finishedAt: Date) {
    this.flush();
    // Once per bucket, over all its targets: `s3://b/export/` alone, or before `s3://b`, must not
    // take the rest of the bucket for removed, nor its findings for resolved.
    for (const d of this.done.values()) this.changes.bucketDone(d.id, d.reports, d.listedWhole && !d.cutShort);
    this.endRun("complete", finishedAt);
    this.completed = true;
    return this.options?.oneRun ? undefined : this.changes.result();
  }

  interrupt(finishedAt: Date): void {
    this.flush();
    this.endRun("interrupted", finishedAt);
  }

  close(): void {
    clearTimeout(this.timer);
    if (this.db.open) {
      this.flush();
      this.db.close();
    }
    // A checkpoint whose run completed has nothing left to resume.
    if (this.options?.oneRun && this.completed) removeState(this.file);
  }

  private endRun(status: string, at: Date): void {
    this.db.prepare("UPDATE runs SET status = ?, finished_at = ? WHERE id = ?").run(status, at.toISOString(), this.run);
  }

  private queue(write: () => void): void {
    this.pending.push(write);
    if (this.pending.length >= BATCH || Date.now() - this.lastFlush >= BATCH_MS) this.flush();
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), BATCH_MS).unref();
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.lastFlush = Date.now();
    if ((this.pending.length > 0 || this.seen.length > 0) && this.db.open) this.flushAll();
  }

  private bucketId(bucket: BucketRef): Buffer {
    const name = `${bucket.provider}\0${bucket.name}`;
    let id = this.bucketIds.get(name);
    if (!id) {
      id = this.keys.id("bucket", bucket.provider, bucket.name);
      this.bucketIds.set(name, id);
    }
    return id;
  }

  /** Computed once per listed object: recall and remember both need it. */
  private objectId(obj: ObjectRef): Buffer {
    let id = this.objectIds.get(obj);
    if (!id) {
      id = this.keys.id("object", obj.bucket.provider, obj.bucket.name, obj.key, obj.versionId ?? "");
      this.objectIds.set(obj, id);
    }
    return id;
  }

  /** A revision hashed with the key too: an ETag is an MD5 of the contents, and a tiny object could be guessed from it. */
  private revisionId(obj: ObjectRef): Buffer {
    const revision = obj.revision ?? `${obj.lastModified?.getTime() ?? "?"}`;
    return this.keys.id("revision", revision, String(obj.size));
  }
}
