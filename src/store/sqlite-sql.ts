import type { Database, Statement } from "better-sqlite3";
import { databaseErrorOf, errorCode } from "./database-error.ts";
import type { Params, Row, Sql } from "./sql.ts";

/** Prepares each SQL text once per database; better-sqlite3 statements are reusable. */
export function statementCache(db: Database): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}

const bind = (params: Params | undefined): unknown[] => (params === undefined ? [] : Array.isArray(params) ? params : [params]);

/**
 * One better-sqlite3 connection behind the async `Sql` shape. SQLite runs each statement at once
 * (the promise is already settled), so the only thing to arrange is that nothing else uses the
 * connection while a transaction is open: outside work waits for it (`gated`), the transaction's
 * own work does not (`direct`). Transactions queue one behind the other.
 */
export function sqliteConnection(db: Database) {
  const sql = statementCache(db);
  const begin = db.prepare("BEGIN IMMEDIATE");
  const commit = db.prepare("COMMIT");
  const rollback = db.prepare("ROLLBACK");
  let open: Promise<void> | undefined;

  const direct: Sql = {
    engine: "sqlite",
    get: async <R = Row>(text: string, params?: Params) => sql(text).get(...bind(params)) as R | undefined,
    all: async <R = Row>(text: string, params?: Params) => sql(text).all(...bind(params)) as R[],
    run: async (text: string, params?: Params) => sql(text).run(...bind(params)).changes,
  };

  /** Runs `work` (synchronous SQLite calls) once no transaction holds the connection. */
  async function exclusive<T>(work: () => T): Promise<T> {
    // why: the check and the work in one continuation, so no transaction can begin between them.
    while (open) await open;
    return work();
  }

  const gated: Sql = {
    engine: "sqlite",
    get: <R = Row>(text: string, params?: Params) => exclusive(() => sql(text).get(...bind(params)) as R | undefined),
    all: <R = Row>(text: string, params?: Params) => exclusive(() => sql(text).all(...bind(params)) as R[]),
    run: (text: string, params?: Params) => exclusive(() => sql(text).run(...bind(params)).changes),
  };

  async function transaction<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    // why: the check and the claim in one continuation; awaiting a helper here would let two waiters both pass.
    while (open) await open;
    let done!: () => void;
    open = new Promise((resolve) => (done = resolve));
    try {
      // why: IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read.
      begin.run();
      const result = await fn(direct);
      commit.run();
      return result;
    } catch (error) {
      if (db.inTransaction) rollback.run();
      // why: a full disk gets the operator's message naming the file; the core tells the member and logs this.
      throw errorCode(error) === "SQLITE_FULL" ? (databaseErrorOf(db.name, error) ?? error) : error;
    } finally {
      open = undefined;
      done();
    }
  }

  return { direct, gated, exclusive, transaction };
}
