/**
 * The state file's schema, by version (SQLite's `user_version`). A migration takes a file from
 * the version before it to its own; a file is migrated forward on opening, never back: a file
 * from a newer Reliquat is refused.
 */
export const MIGRATIONS: string[] = [
  // 1: objects by keyed id, with their redacted report and sealed persons; runs; the last
  // complete run's findings and bucket levels, to tell what changed. \`objects\` is a rowid
  // table: its rows (a report is about 1 KB) would spill to overflow pages in a WITHOUT ROWID
  // one, which took 5 KB a row (measured), against 1.3 KB here.
  `CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
   CREATE TABLE runs (
     id INTEGER PRIMARY KEY,
     started_at TEXT NOT NULL,
     finished_at TEXT,
     status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'interrupted')),
     params TEXT NOT NULL
   );
   CREATE TABLE objects (
     row INTEGER PRIMARY KEY,
     id BLOB NOT NULL UNIQUE,
     bucket BLOB NOT NULL,
     revision BLOB NOT NULL,
     params TEXT NOT NULL,
     read_at TEXT NOT NULL,
     seen INTEGER NOT NULL,
     report TEXT NOT NULL,
     persons BLOB,
     suppressed TEXT
   );
   CREATE INDEX objects_by_bucket ON objects (bucket, seen);
   CREATE TABLE buckets (
     id BLOB PRIMARY KEY,
     url TEXT NOT NULL,
     level TEXT NOT NULL,
     score REAL NOT NULL,
     run INTEGER NOT NULL
   ) WITHOUT ROWID;
   CREATE TABLE findings (
     bucket BLOB NOT NULL,
     id TEXT NOT NULL,
     url TEXT NOT NULL,
     rule TEXT NOT NULL,
     count INTEGER NOT NULL,
     PRIMARY KEY (bucket, id)
   ) WITHOUT ROWID;`,
];

/** The schema this build writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Stored in `meta`, so that another SQLite file is not taken for a state. */
export const APPLICATION = "reliquat-state";
