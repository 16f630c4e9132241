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
 * How many transactions may share one COMMIT, and for how long a batch may keep taking more: enough
 * to spread one fsync over the commands that arrive together, little enough that the first of them
 * waits at most a few milliseconds of the others' work for its acknowledgment.
 */
export const groupCommitLimit = { members: 64, ms: 8 };

interface Member {
  fn: (q: Sql) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * One better-sqlite3 connection behind the async `Sql` shape, with group commit. SQLite runs each
 * statement at once (the promise is already settled), so what there is to arrange is who uses the
 * connection when.
 *
 * Transactions that arrive together share one BEGIN IMMEDIATE … COMMIT, and so one fsync
 * (synchronous = FULL stays): each runs alone, one after the other (SQLite has one writer), every one
 * after the first in its own SAVEPOINT. One that throws is rolled back (to its savepoint, or the
 * first with the whole transaction, which holds only it) and rejects at once, leaving its
 * batch-mates' work in place; one that succeeds resolves only once the shared COMMIT has returned,
 * so an acknowledged command is a durable one. Transactions queued meanwhile join the open batch;
 * it commits when none is waiting (checked after a setImmediate, so commands read in the same I/O
 * poll phase join, whenever commands are seen to arrive together) or at `groupCommitLimit`. If the COMMIT fails, every member rejects: none of
 * them is stored.
 *
 * Outside work (`gated`, `exclusive`) waits while a batch is open, as it waited for an open
 * transaction before; the batch's own members use `direct`.
 */
export function sqliteConnection(db: Database, limit: { members: number; ms: number } = groupCommitLimit) {
  const sql = statementCache(db);
  const begin = db.prepare("BEGIN IMMEDIATE");
  const commit = db.prepare("COMMIT");
  const rollback = db.prepare("ROLLBACK");
  const savepoint = db.prepare("SAVEPOINT docket_member");
  const release = db.prepare("RELEASE docket_member");
  const rollbackTo = db.prepare("ROLLBACK TO docket_member");
  const waiting: Member[] = [];
  /** Set while a batch holds the connection; settles when it has committed or rolled back. */
  let open: Promise<void> | undefined;
  /** Outside work waiting for the open batch to end, and how many members the last batch had: signs that commands are arriving together. */
  let held = 0;
  let lastBatch = 0;

  const direct: Sql = {
    engine: "sqlite",
    get: async <R = Row>(text: string, params?: Params) => sql(text).get(...bind(params)) as R | undefined,
    all: async <R = Row>(text: string, params?: Params) => sql(text).all(...bind(params)) as R[],
    run: async (text: string, params?: Params) => sql(text).run(...bind(params)).changes,
  };

  /**
   * Runs `work` (synchronous SQLite calls) once no batch holds the connection.
   *
   * why wait for the whole batch, not just for the member running now: between two members the
   * connection sees the batch's writes before they are committed. A read served then could show a
   * question whose asker has not been told "Added Q7" and that a crash would take back (its number
   * then given to another question), or a digest claim that never happened. Waiting keeps every read
   * to committed, acknowledged data, at the cost of at most one batch (`groupCommitLimit`) of delay.
   */
  async function exclusive<T>(work: () => T): Promise<T> {
    // why: the check and the work in one continuation, so no batch can begin between them.
    if (open) {
      held++;
      while (open) await open;
      held--;
    }
    return work();
  }

  const gated: Sql = {
    engine: "sqlite",
    get: <R = Row>(text: string, params?: Params) => exclusive(() => sql(text).get(...bind(params)) as R | undefined),
    all: <R = Row>(text: string, params?: Params) => exclusive(() => sql(text).all(...bind(params)) as R[]),
    run: (text: string, params?: Params) => exclusive(() => sql(text).run(...bind(params)).changes),
  };

  // why: a full disk gets the operator's message naming the file; the core tells the member and logs this.
  const failure = (error: unknown) => (errorCode(error) === "SQLITE_FULL" ? (databaseErrorOf(db.name, error) ?? error) : error);

  /** Undoes one member's work; false when SQLite has already rolled back the whole transaction (it does on some errors, a full disk among them). */
  function undoMember(): boolean {
    if (!db.inTransaction) return false;
    try {
      rollbackTo.run();
      release.run();
      return true;
    } catch {
      abandon();
      return false;
    }
  }

  /** Rolls the whole transaction back, if SQLite has not already. */
  function abandon(): void {
    try {
      if (db.inTransaction) rollback.run();
    } catch {
      // why: nothing more can be undone from here; the members are rejected, and the next BEGIN says what is wrong.
    }
  }

  async function batch(): Promise<void> {
    let done!: () => void;
    open = new Promise((resolve) => (done = resolve));
    const stored: Array<{ member: Member; value: unknown }> = [];
    try {
      try {
        // why: IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read.
        begin.run();
      } catch (error) {
        // why only the first: the rest try again in a batch of their own, as each would have alone.
        waiting.shift()?.reject(failure(error));
        return;
      }
      const started = performance.now();
      let taken = 0;
      const full = () => taken >= limit.members || performance.now() - started >= limit.ms;
      for (;;) {
        const member = waiting.shift();
        if (!member) {
          // why not always wait: a turn of the event loop costs a command alone about a tenth of its
          // time (npm run bench -- --write-path), so a batch waits for company only when there are
          // signs of it: work held up by this batch, a batch-mate already, or a last batch shared.
          if (held === 0 && taken <= 1 && lastBatch <= 1) break;
          // why setImmediate: requests read in this I/O poll phase reach the store before it runs, and join.
          await new Promise((resolve) => setImmediate(resolve));
          if (waiting.length === 0) break;
          continue;
        }
        taken++;
        // why: the first member has no batch-mate to protect, so a command alone pays for no savepoint; should it fail, the whole transaction is its own.
        const alone = stored.length === 0;
        try {
          if (!alone) savepoint.run();
          const value = await member.fn(direct);
          if (!alone) release.run();
          stored.push({ member, value });
        } catch (error) {
          // why at once: nothing of it is stored, whatever becomes of the batch.
          member.reject(failure(error));
          if (alone || !undoMember()) {
            abandon();
            for (const { member: mate } of stored.splice(0)) mate.reject(failure(error));
            return;
          }
        }
        if (full()) break;
      }
      try {
        commit.run();
      } catch (error) {
        // why: a COMMIT refused (a deferred constraint, a full disk) may leave the transaction open.
        abandon();
        for (const { member } of stored.splice(0)) member.reject(failure(error));
        return;
      }
      lastBatch = stored.length;
      for (const { member, value } of stored.splice(0)) member.resolve(value);
    } catch (error) {
      // why: should anything above throw unforeseen, no member may be left waiting, nor acknowledged.
      abandon();
      for (const { member } of stored.splice(0)) member.reject(failure(error));
    } finally {
      open = undefined;
      done();
      // why setImmediate: outside work woken by `done` (reads, a search, close) runs before the next batch takes the connection.
      if (waiting.length > 0) setImmediate(() => void (open === undefined && waiting.length > 0 && batch()));
    }
  }

  function transaction<T>(fn: (q: Sql) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      waiting.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (open === undefined) void batch();
    });
  }

  return { direct, gated, exclusive, transaction };
}
