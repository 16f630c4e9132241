import type pg from "pg";
import type { LockKey, Repos, Store } from "../../core/ports.ts";
import { createRepos } from "../repos.ts";
import type { Sql } from "../sql.ts";
import { pgSearch } from "./pg-search.ts";
import { pgSql } from "./pg-sql.ts";

/**
 * Advisory transaction locks, released at COMMIT or ROLLBACK: a workspace's lock (key space 1, its
 * hashed name) keeps two first commands from creating two dockets, a docket's (key space 2, its
 * id) keeps two writers from taking the same Q or D number.
 */
async function takeLocks(q: Sql, keys: readonly LockKey[]): Promise<void> {
  for (const key of keys) {
    if ("workspace" in key) await q.get("SELECT pg_advisory_xact_lock(1, hashtext(?)) AS locked", [`${key.workspace.platform}:${key.workspace.id}`]);
    else await q.get("SELECT pg_advisory_xact_lock(2, ?) AS locked", [key.docket]);
  }
}

/** The PostgreSQL implementation of every storage port, over a pool of connections to a migrated database. */
export function createPostgresStore(pool: pg.Pool, options: { secretKey?: string } = {}): Store {
  /**
   * Each transaction on its own pooled connection, committed on its own: no group commit here.
   *
   * why not batch as on SQLite: the server already shares one WAL flush among the transactions
   * that commit together (measured on PostgreSQL 15 on the development machine: 1.03–1.08 wal_sync
   * per commit with one in flight, 0.19–0.26 with sixteen, and 6–8× the commits per second). And a
   * batch spanning dockets would hold several dockets' advisory locks in one transaction, taken in
   * arrival order: two replicas batching dockets 1 then 2 and 2 then 1 would deadlock, where one
   * command per transaction takes workspace then docket, always in that order.
   *
   * Runs `fn` again (up to twice) when PostgreSQL chose this transaction as a deadlock's victim: two
   * dockets linking into each other at once lock the same two dockets in opposite orders. Nothing of
   * the victim was stored, and `fn` does database work only (ports.ts), so a second run is safe.
   */
  async function inTransaction<T>(fn: (q: Sql) => Promise<T>, lock: readonly LockKey[] = []): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once(fn, lock);
      } catch (error) {
        if (attempt >= 3 || !(error instanceof Error && "code" in error && error.code === "40P01")) throw error;
      }
    }
  }

  async function once<T>(fn: (q: Sql) => Promise<T>, lock: readonly LockKey[]): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const q = pgSql(client);
      await takeLocks(q, lock);
      const result = await fn(q);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  const inside = (q: Sql): Repos => createRepos(q, { search: pgSearch(q), lock: (keys) => takeLocks(q, keys), atomic: (fn) => fn(q), ...options });
  const shared = pgSql(pool);
  const outside = createRepos(shared, { search: pgSearch(shared), lock: async () => {}, atomic: (fn) => inTransaction(fn), ...options });

  return {
    ...outside,
    engine: "postgres",
    transaction: (fn, opts) => inTransaction((q) => fn(inside(q)), opts?.lock),
    // why: autovacuum keeps PostgreSQL's statistics; there is nothing to do on demand.
    optimize: async () => {},
    async ping() {
      try {
        return (await shared.get<{ one: number }>("SELECT 1 AS one"))?.one === 1;
      } catch {
        return false;
      }
    },
    // why: closing twice (a shutdown after a failed start) is not an error.
    close: async () => {
      if (!pool.ended) await pool.end();
    },
  };
}
