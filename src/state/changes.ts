import type Database from "better-sqlite3";
import { LEVELS, type Level } from "../config/schema.js";
import type { BucketReport, Changes, FindingChange } from "../report/types.js";
import type { StateKeys } from "./keys.js";

/** Entries kept in each list of the change summary; the counts are whole. */
const LIST_LIMIT = 1000;

/**
 * What changed in each bucket since it was last scanned on this state: findings new and gone
 * (by finding id, which is stable across runs), objects removed, the level moved. The diff runs
 * in SQLite (a temporary table of this run's findings) so that a million findings do not sit
 * in memory. A bucket whose listing was not whole only adds: what was not listed is not gone.
 */
export class ChangeTracker {
  private run = 0;
  private since: string | undefined;
  private readonly out: Changes = {
    counts: { newFindings: 0, resolvedFindings: 0, removedObjects: 0 },
    newFindings: [],
    resolvedFindings: [],
    removedObjects: [],
    levelChanges: [],
  };

  constructor(
    private readonly db: Database.Database,
    readonly keys: StateKeys,
  ) {
    db.exec("CREATE TEMP TABLE IF NOT EXISTS current (id TEXT PRIMARY KEY, url TEXT, rule TEXT, count INTEGER)");
  }

  begin(run: number): void {
    this.run = run;
  }

  /** One bucket, once per run, with the reports of every target that named it. */
  bucketDone(bucket: Buffer, reports: BucketReport[], whole: boolean): void {
    const db = this.db;
    const first = reports[0];
    if (!first) return;
    // The bucket's level is its highest over the targets (LEVELS runs from critical down).
    const top = reports.reduce((a, b) =>
      LEVELS.indexOf(b.exposure.level) < LEVELS.indexOf(a.exposure.level) ? b : a,
    ).exposure;
    db.transaction(() => {
      db.exec("DELETE FROM temp.current");
      const add = db.prepare("INSERT OR REPLACE INTO temp.current VALUES (?, ?, ?, ?)");
      for (const report of reports)
        for (const o of report.objects.withFindings())
          for (const f of o.findings) add.run(f.id, o.url, f.ruleId, f.count);
      const before = db.prepare("SELECT url, level, run FROM buckets WHERE id = ?").get(bucket) as
        | { url: string; level: Level; run: number }
        | undefined;
      if (before) this.compared(before.run);
      const fresh = before
        ? "FROM temp.current WHERE id NOT IN (SELECT id FROM findings WHERE bucket = ?)"
        : "FROM temp.current WHERE ? IS NOT NULL";
      this.list("newFindings", fresh, bucket);
      if (whole) {
        this.list(
          "resolvedFindings",
          "FROM findings WHERE bucket = ? AND id NOT IN (SELECT id FROM temp.current)",
          bucket,
        );
        this.removeUnseen(bucket);
        db.prepare("DELETE FROM findings WHERE bucket = ? AND id NOT IN (SELECT id FROM temp.current)").run(bucket);
      }
      // Unchanged rows are left as they are: a nightly run mostly finds what it found the night before.
      db.prepare(
        "INSERT INTO findings SELECT ?, id, url, rule, count FROM temp.current WHERE true ON CONFLICT (bucket, id) DO UPDATE SET url = excluded.url, rule = excluded.rule, count = excluded.count WHERE url <> excluded.url OR rule <> excluded.rule OR count <> excluded.count",
      ).run(bucket);
      if (before && before.level !== top.level)
        this.out.levelChanges.push({ bucket: first.url, from: before.level, to: top.level });
      db.prepare("INSERT OR REPLACE INTO buckets VALUES (?, ?, ?, ?, ?)").run(
        bucket,
        first.url,
        top.level,
        top.score,
        this.run,
      );
    })();
  }

  result(): Changes {
    // Up first, the largest moves first: a bucket that went up a level is the morning's news.
    const rank = (l: Level) => LEVELS.length - LEVELS.indexOf(l);
    this.out.levelChanges.sort((a, b) => rank(b.to) - rank(b.from) - (rank(a.to) - rank(a.from)));
    return { ...(this.since ? { since: this.since } : {}), ...this.out };
  }

  private list(which: "newFindings" | "resolvedFindings", from: string, bucket: Buffer): void {
    const n = this.db.prepare(`SELECT count(*) ${from}`).pluck().get(bucket) as number;
    this.out.counts[which] += n;
    const room = LIST_LIMIT - this.out[which].length;
    if (n > room) this.out.truncated = true;
    if (room <= 0 || n === 0) return;
    const rows = this.db
      .prepare(`SELECT id, url, rule AS ruleId, count ${from} ORDER BY url, rule LIMIT ?`)
      .all(bucket, room) as FindingChange[];
    this.out[which].push(...rows);
  }

  /** Objects of the bucket not listed in this run: gone from the storage, so from the state. */
  private removeUnseen(bucket: Buffer): void {
    // Written this run (seen = run), or listed this run and carried forward (temp.seen).
    const where = "FROM objects WHERE bucket = ? AND seen <> ? AND id NOT IN (SELECT id FROM temp.seen)";
    const n = this.db.prepare(`SELECT count(*) ${where}`).pluck().get(bucket, this.run) as number;
    this.out.counts.removedObjects += n;
    const room = LIST_LIMIT - this.out.removedObjects.length;
    if (n > room) this.out.truncated = true;
    if (room > 0 && n > 0) {
      const urls = this.db
        .prepare(`SELECT json_extract(report, '$.url') AS url ${where} ORDER BY url LIMIT ?`)
        .pluck()
        .all(bucket, this.run, room) as string[];
      this.out.removedObjects.push(...urls);
    }
    this.db.prepare(`DELETE ${where}`).run(bucket, this.run);
  }

  private compared(run: number): void {
    const at = this.db.prepare("SELECT started_at FROM runs WHERE id = ?").pluck().get(run) as string | undefined;
    if (at && (!this.since || at < this.since)) this.since = at;
  }
}
