import { fileURLToPath } from "node:url";
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import Sqlite, { type Database } from "better-sqlite3";
import { migrate, readMigrations, type MigrationResult } from "./migrate.ts";

/**
 * The repository's `migrations/`, found from src/store (run through tsx) and from dist/src/store
 * (compiled) alike: the SQL files are read in place, never copied into the build.
 */
export const migrationsDir = [new URL("../../migrations", import.meta.url), new URL("../../../migrations", import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((dir) => existsSync(join(dir, "0001_init.sql"))) ?? fileURLToPath(new URL("../../migrations", import.meta.url));

/**
 * Opens a Docket database with the pragmas design.md §6 asks for: WAL so readers never wait for
 * the writer, FULL sync so an acknowledged command survives power loss, foreign keys enforced,
 * a short busy timeout because better-sqlite3 blocks the event loop while it waits, and fewer,
 * larger checkpoints.
 */
export function openDatabase(path: string, options: { readonly?: boolean } = {}): Database {
  if (path !== ":memory:" && !options.readonly) mkdirSync(dirname(path), { recursive: true });
  const db = new Sqlite(path, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma("busy_timeout = 250");
  // why: each checkpoint syncs the database file too; a longer WAL (up to ~16 MB) between them keeps
  // a command's commit to one fsync far more often, at no cost to readers of a database this size.
  db.pragma("wal_autocheckpoint = 4000");
  if (!options.readonly) db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.pragma("foreign_keys = ON");
  return db;
}

export function openMigrated(path: string): { db: Database; migration: MigrationResult } {
  const db = openDatabase(path);
  try {
    return { db, migration: migrate(db, readMigrations(migrationsDir)) };
  } catch (error) {
    db.close();
    throw error;
  }
}
