import type { Database } from "better-sqlite3";
import type { Repos, Store } from "../core/ports.ts";
import { errorCode } from "./database-error.ts";
import { createRepos } from "./repos.ts";
import { sqliteConnection } from "./sqlite-sql.ts";
import { sqliteSearch } from "./sqlite-search.ts";

/** The SQLite implementation of every storage port, over one open, migrated database. */
export function createSqliteStore(db: Database, options: { secretKey?: string } = {}): Store {
  const connection = sqliteConnection(db);
  const search = sqliteSearch(db, connection.exclusive);
  // why: BEGIN IMMEDIATE already serialises every writer of the file, in this process and in others.
  const lock = async () => {};
  const inside: Repos = createRepos(connection.direct, { search, lock, atomic: (fn) => fn(connection.direct), ...options });
  const outside: Repos = createRepos(connection.gated, { search, lock, atomic: (fn) => connection.transaction(fn), ...options });
  return {
    ...outside,
    engine: "sqlite",
    transaction: (fn) => connection.transaction(() => fn(inside)),
    // why: without statistics SQLite may sort a large filtered list instead of walking it in order (SQLite's advice: optimize periodically).
    optimize: () =>
      connection.exclusive(() => {
        try {
          db.pragma("optimize=0x10002");
        } catch (error) {
          // why: statistics only speed queries up; on a full disk Docket should still start and serve
          // reads, and each command that needs to save tells its member and logs it for the operator.
          if (errorCode(error) !== "SQLITE_FULL") throw error;
        }
      }),
    ping: () =>
      connection.exclusive(() => {
        try {
          return db.prepare("SELECT 1").pluck().get() === 1;
        } catch {
          return false;
        }
      }),
    close: () => connection.exclusive(() => void (db.open && db.close())),
  };
}
