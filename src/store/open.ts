import { fileURLToPath } from "node:url";
import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import Sqlite, { type Database } from "better-sqlite3";
import { busyTimeoutMs, DatabaseError, databaseErrorOf, errorCode } from "./database-error.ts";
import { migrate, readMigrations, type MigrationResult } from "./migrate.ts";

/**
 * The repository's `migrations/`, found from src/store (run through tsx) and from dist/src/store
 * (compiled) alike: the SQL files are read in place, never copied into the build.
 */
export const migrationsDir = [new URL("../../migrations", import.meta.url), new URL("../../../migrations", import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((dir) => existsSync(join(dir, "0001_init.sql"))) ?? fileURLToPath(new URL("../../migrations", import.meta.url));

export { DatabaseError } from "./database-error.ts";

/** Where Docket keeps its database when DOCKET_DB is not set (the default in config.ts). */
export const defaultDatabasePath = "./data/docket.sqlite";

/**
 * WAL bound, in pages of 4 KiB: a checkpoint runs once the WAL holds this many, and the WAL file is
 * cut back to `walLimitBytes` after one, so a database's disk footprint is its own size plus about
 * 16 MiB, even after a large import.
 */
export const walAutocheckpointPages = 4000;
export const walLimitBytes = walAutocheckpointPages * 4096;

/**
 * Opens a Docket database with the pragmas design.md §6 asks for: WAL so readers never wait for
 * the writer, FULL sync so an acknowledged command survives power loss, foreign keys enforced,
 * a busy timeout, and a bounded WAL.
 *
 * Refuses, with a `DatabaseError` naming the file and the fix, a path that is a directory, runs
 * through a file, or lies in a directory that does not exist (created only for the default path,
 * since elsewhere a missing directory is far more often a typo than a new docket), a file that is
 * not SQLite's or cannot be written, and one that stays locked.
 */
export function openDatabase(path: string, options: { readonly?: boolean; createDirectory?: boolean } = {}): Database {
  const readonly = options.readonly ?? false;
  if (path !== ":memory:") checkPath(path, { readonly, createDirectory: options.createDirectory ?? isDefaultPath(path) });
  let db: Database | undefined;
  try {
    db = new Sqlite(path, { readonly, fileMustExist: readonly });
    // why: a second Docket process (or a backup) may hold the write lock; the longest write Docket
    // itself runs is a migration or a search catch-up chunk (bounded, see search-catch-up.ts), far
    // under this, so a command waits rather than failing. better-sqlite3 blocks the event loop while
    // it waits, which is why no transaction of Docket's may run long.
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    // why: each checkpoint syncs the database file too, so they should not come every few commands;
    // but a WAL that grows unchecked can fill a small disk, so it is both checkpointed and truncated
    // at about 16 MiB. 4,000 pages, not 2,048: on a quiet machine the shorter interval cost the write
    // path about a sixth (npm run bench -- --write-path, 0.34–0.37 against 0.40–0.42 of a raw insert).
    db.pragma(`wal_autocheckpoint = ${walAutocheckpointPages}`);
    db.pragma(`journal_size_limit = ${walLimitBytes}`);
    const opened = db;
    if (!readonly) whileBusy(() => opened.pragma("journal_mode = WAL"));
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    return db;
  } catch (error) {
    if (db?.open) db.close();
    throw databaseErrorOf(path, error) ?? error;
  }
}

/**
 * Runs a start-up step again while SQLite answers SQLITE_BUSY, for up to the busy timeout.
 * why: two processes opening one new file at the same instant can meet where SQLite returns BUSY at
 * once instead of waiting (switching the file to WAL needs it to itself; a lock upgrade that could
 * deadlock is refused without calling the busy handler). A moment later the other has finished.
 */
function whileBusy<T>(step: () => T): T {
  const until = Date.now() + busyTimeoutMs;
  for (let wait = 5; ; wait = Math.min(wait * 2, 200)) {
    try {
      return step();
    } catch (error) {
      const code = errorCode(error);
      if (!code?.startsWith("SQLITE_BUSY") || Date.now() + wait > until) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, wait);
    }
  }
}

const isDefaultPath = (path: string) => resolve(path) === resolve(defaultDatabasePath);

/** Refuses paths SQLite would fail on with a bare "unable to open database file", before SQLite sees them. */
function checkPath(path: string, options: { readonly: boolean; createDirectory: boolean }): void {
  const file = statOrUndefined(path);
  if (file?.isDirectory())
    throw new DatabaseError("is_directory", path, `${path} is a directory, not a database file: set DOCKET_DB to a file in it, like ${resolve(path, "docket.sqlite")}.`);
  const dir = dirname(resolve(path));
  if (!file) {
    if (options.readonly) throw new DatabaseError("unreadable", path, `There is no database at ${path}: check DOCKET_DB, or restore the file from a backup.`);
    const parent = statOrUndefined(dir);
    if (parent && !parent.isDirectory())
      throw new DatabaseError("not_a_directory", path, `${path} can't be created because ${dir} is a file, not a directory: fix DOCKET_DB.`);
    if (!parent) {
      if (!options.createDirectory)
        throw new DatabaseError(
          "missing_directory", path,
          `${path} does not exist and neither does its directory ${dir}: check DOCKET_DB for a typo (a database that seems gone is usually a path that changed), or create the directory if this is a new docket.`,
        );
      try {
        mkdirSync(dir, { recursive: true });
      } catch (error) {
        throw fileSystemError(path, dir, error);
      }
    }
  }
  if (options.readonly) return;
  for (const target of file ? [path, dir] : [dir]) {
    try {
      // why: SQLite writes a -wal and -shm file beside the database, so the directory must be writable too.
      accessSync(target, constants.W_OK);
    } catch (error) {
      throw fileSystemError(path, target, error);
    }
  }
}

function statOrUndefined(path: string) {
  try {
    return statSync(path);
  } catch (error) {
    const code = errorCode(error);
    if (code === "ENOENT") return undefined;
    if (code === "ENOTDIR")
      throw new DatabaseError("not_a_directory", path, `${path} can't be opened because part of that path is a file, not a directory: fix DOCKET_DB.`);
    throw databaseErrorOf(path, error) ?? error;
  }
}

function fileSystemError(path: string, target: string, error: unknown): Error {
  const code = errorCode(error);
  if (code === "EROFS")
    return new DatabaseError("read_only", path, `${path} can't be written because ${target} is on a read-only filesystem: remount it read-write, or set DOCKET_DB to a writable place.`);
  if (code === "EACCES" || code === "EPERM")
    return new DatabaseError("read_only", path, `${path} can't be written because the user running Docket may not write ${target}: fix the permissions of the file and its directory (SQLite writes a -wal file beside it).`);
  if (code === "ENOTDIR")
    return new DatabaseError("not_a_directory", path, `${path} can't be created because part of that path is a file, not a directory: fix DOCKET_DB.`);
  return databaseErrorOf(path, error) ?? (error instanceof Error ? error : new Error(String(error)));
}

/**
 * What a quick look finds wrong with an open database, or undefined when it looks like Docket's:
 * SQLite's `quick_check` (page structure, which catches scribbled cell pointers; it skips the
 * index-against-table comparison of `integrity_check`, the slow part) and whether its tables are
 * Docket's rather than another application's.
 */
export function sanityProblem(db: Database, path: string): DatabaseError | undefined {
  const problems = (db.pragma("quick_check(3)") as Array<{ quick_check: string }>).map((r) => r.quick_check);
  if (problems.length !== 1 || problems[0] !== "ok") return damaged(path, problems);
  // why: one statement, so one snapshot: another process's migration commits whole, never between the two reads.
  const shape = db
    .prepare(
      `SELECT (SELECT user_version FROM pragma_user_version) AS version,
              (SELECT group_concat(name, ', ') FROM (SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name LIMIT 4)) AS tables,
              EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'dockets') AS docket`,
    )
    .get() as { version: number; tables: string | null; docket: number };
  if (shape.tables !== null && (shape.version === 0 || shape.docket === 0))
    return new DatabaseError(
      "foreign", path,
      `${path} is a SQLite database of another application (tables ${shape.tables}; no Docket schema): set DOCKET_DB to Docket's own file, or to a new path for a new docket.`,
    );
  return undefined;
}

export function damaged(path: string, problems: readonly string[]): DatabaseError {
  const detail = problems.slice(0, 2).map((p) => p.replace(/\s+/g, " ").trim()).join("; ");
  return new DatabaseError("damaged", path, `${path} is damaged (SQLite's check found: ${detail}): restore it from a backup (docket backup makes one), keeping the damaged file aside for inspection.`);
}

/**
 * Opens the database, refuses it if it is damaged or not Docket's (see `sanityProblem`), and brings
 * its schema up to date. Every failure about the file is a `DatabaseError` with the operator's
 * message; a faulty migration file stays a `MigrationError`.
 */
export function openMigrated(path: string): { db: Database; migration: MigrationResult } {
  const db = openDatabase(path);
  try {
    const problem = whileBusy(() => sanityProblem(db, path));
    if (problem) throw problem;
    return { db, migration: whileBusy(() => migrate(db, readMigrations(migrationsDir))) };
  } catch (error) {
    db.close();
    throw databaseErrorOf(path, error) ?? error;
  }
}
