import { existsSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { StateError } from "./errors.js";
import type { StateKeys } from "./keys.js";
import { APPLICATION, MIGRATIONS, SCHEMA_VERSION } from "./schema.js";

export interface OpenOptions {
  /** `--state-reset`: start over, whatever the file holds (a lock held by another scan still refuses). */
  reset?: boolean;
  /** `--checkpoint`: the file serves one run (and its resumptions) and is deleted when that run completes. */
  oneRun?: boolean;
}

/**
 * Opens (or creates) a state file: SQLite in WAL mode, locked for this process alone, its schema
 * migrated forward and checked against `keys`. The lock is SQLite's own exclusive lock, held
 * until `close` or the process's end (a `kill -9` frees it with the file descriptor): a second
 * scan on the same file fails at once and writes nothing.
 * Throws {@link StateError} naming the file for a file in use, not a state, damaged, from a
 * newer Reliquat, or written with another fingerprint key.
 */
export function openState(file: string, keys: StateKeys, options: OpenOptions = {}): Database.Database {
  const fix = `use another --state file, or --state-reset to start over`;
  let db: Database.Database;
  try {
    db = connect(file);
  } catch (error) {
    if (isBusy(error)) throw inUse(file);
    if (!options.reset || !isDamage(error))
      throw new StateError(`${file}: ${describe(error)}; ${fix}`, { cause: error });
    removeFiles(file);
    db = connect(file);
  }
  try {
    if (options.reset) wipe(db);
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > SCHEMA_VERSION)
      throw new StateError(
        `${file} was written by a newer Reliquat (state schema ${version}; this one reads up to ${SCHEMA_VERSION}): upgrade Reliquat, or --state-reset to start over`,
      );
    if (version > 0 && application(db) !== APPLICATION)
      throw new StateError(`${file} is an SQLite file but not a Reliquat state; ${fix}`);
    if (version === 0 && db.prepare("SELECT count(*) AS n FROM sqlite_master").pluck().get() !== 0)
      throw new StateError(`${file} is an SQLite file but not a Reliquat state; ${fix}`);
    migrate(db, version);
    const check = db.prepare("SELECT value FROM meta WHERE name = 'keyCheck'").pluck().get() as string | undefined;
    if (check === undefined) db.prepare("INSERT INTO meta VALUES ('keyCheck', ?)").run(keys.check);
    else if (check !== keys.check)
      throw new StateError(
        `${file} was written with another fingerprint key (RELIQUAT_FINGERPRINT_KEY or fingerprintKey): use that key, or --state-reset to start over`,
      );
    return db;
  } catch (error) {
    db.close();
    if (error instanceof StateError) throw error;
    if (isBusy(error)) throw inUse(file);
    throw new StateError(`${file}: ${describe(error)}; ${fix}`, { cause: error });
  }
}

function connect(file: string): Database.Database {
  // A fresh volume or cache folder: the state's own folder is made (owner only).
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    db.pragma("journal_mode = WAL");
    // A night's work is worth an fsync at each checkpoint, not at each batch of objects.
    db.pragma("synchronous = NORMAL");
    // This run's own tables (the objects seen, the findings to compare) are rebuilt each run: in memory.
    db.pragma("temp_store = MEMORY");
    // Every object is looked up once a run, in listing order, not in the file's: a lookup that
    // missed SQLite's default 2 MB cache cost about 40 µs (measured). Map the file instead.
    db.pragma("mmap_size = 1073741824");
    db.pragma("cache_size = -32768");
    // Takes the exclusive lock now, and reads every page once: a truncated or damaged file fails here.
    db.exec("BEGIN EXCLUSIVE; COMMIT");
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") throw Object.assign(new Error(`damaged (${String(check)})`), { code: "SQLITE_CORRUPT" });
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: Database.Database, from: number): void {
  db.transaction(() => {
    for (let v = from; v < SCHEMA_VERSION; v++) db.exec(MIGRATIONS[v] as string);
    if (from === 0) db.prepare("INSERT INTO meta VALUES ('application', ?)").run(APPLICATION);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  })();
}

function wipe(db: Database.Database): void {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  db.transaction(() => {
    for (const t of tables) db.exec(`DROP TABLE "${t.replace(/"/g, '""')}"`);
    db.pragma("user_version = 0");
  })();
}

function application(db: Database.Database): string | undefined {
  try {
    return db.prepare("SELECT value FROM meta WHERE name = 'application'").pluck().get() as string | undefined;
  } catch {
    return undefined;
  }
}

/** Deletes a state file with its WAL and shared-memory files. */
export function removeState(file: string): void {
  removeFiles(file);
}

function removeFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) rmSync(f);
}

const inUse = (file: string) =>
  new StateError(
    `${file} is in use by another scan (one scan per state file): wait for it to end, or use another --state file`,
  );

const code = (error: unknown) => (error as { code?: string }).code ?? "";
const isBusy = (error: unknown) => /^SQLITE_(BUSY|LOCKED)/.test(code(error));
const isDamage = (error: unknown) => /^SQLITE_(CORRUPT|NOTADB)/.test(code(error));

function describe(error: unknown): string {
  if (code(error).startsWith("SQLITE_NOTADB")) return "not an SQLite file (damaged, or another kind of file)";
  if (isDamage(error)) return "the file is damaged (truncated or overwritten)";
  return error instanceof Error ? error.message : String(error);
}
