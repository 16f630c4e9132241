import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "better-sqlite3";
import { FixedClock } from "../../src/core/clock.ts";
import type { Invocation } from "../../src/core/context.ts";
import { commands } from "../../src/core/commands/registry.ts";
import { createCore, type Core } from "../../src/core/core.ts";
import { createDispatcher } from "../../src/core/dispatch.ts";
import type { TypedText } from "../../src/core/events.ts";
import { typed } from "./typed.ts";
import type { Docket } from "../../src/core/types.ts";
import type { Command } from "../../src/core/vocabulary.ts";
import type { Store } from "../../src/core/ports.ts";
import { replyToText, type Reply } from "../../src/core/reply.ts";
import { silentLogger } from "../../src/log.ts";
import { openMigrated } from "../../src/store/open.ts";
import { createSqliteStore } from "../../src/store/sqlite-store.ts";
import { openPostgres } from "../../src/store/postgres/open-postgres.ts";
import { createPostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { postgresTestStore, testEngine } from "./test-engine.ts";

/** A temporary directory removed by `cleanup`. */
export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "docket-test-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Harness {
  dir: string;
  path: string;
  db: Database;
  store: Store;
  clock: FixedClock;
  /** The core's one face, as adapters see it. */
  core: Core;
  /** The whole vocabulary. */
  commands: readonly Command[];
  /** Runs command text as `who` (default: the admin `alice` in workspace T1, channel C1), through the same parse-check-run path as `handle`. */
  run(text: TypedText, who?: Who): Promise<Reply>;
  /** Runs command text as this exact invocation. */
  runAs(invocation: Invocation, text: TypedText): Promise<Reply>;
  /** The docket a workspace (default T1 on Slack) is bound to. */
  docketOf(who?: Who): Promise<Docket | undefined>;
  text(text: TypedText, who?: Who): Promise<string>;
  /** Runs a command that must succeed, so a story's set-up fails loudly where it goes wrong. */
  ok(text: TypedText, who?: Who): Promise<Reply>;
  /** Row counts of every domain table plus the audit log, for "changes nothing" assertions. */
  snapshot(): Record<string, unknown>;
  /** Another store on the same database, as a second process or a restarted Docket would open it; closed with the harness. */
  reopen(): Store;
  close(): void;
}

/** Who runs a command in a test: an actor, in a workspace (default T1 on Slack) and channel (default C1). */
export type Who = { id?: string; displayName?: string; isPlatformAdmin?: boolean; roleIds?: readonly string[]; workspace?: string; channel?: string; platform?: Invocation["workspace"]["platform"] };

export function invocation(who: Who = {}): Invocation {
  const workspace = who.workspace ?? "T1";
  return {
    workspace: { platform: who.platform ?? "slack", id: workspace, name: `Coalition ${workspace}` },
    channel: { id: who.channel ?? "C1" },
    actor: { id: who.id ?? "alice", displayName: who.displayName ?? who.id ?? "alice", role: { isPlatformAdmin: who.isPlatformAdmin ?? true, roleIds: who.roleIds ?? [] } },
  };
}

/** A real SQLite file in a temporary directory, a core over it, and a clock the test moves. */
export function harness(options: { now?: string; timeZone?: string; commandName?: string; secretKey?: string } = {}): Harness {
  const { dir, cleanup } = tempDir();
  const path = join(dir, "docket.sqlite");
  // why: the same stories on both engines; on PostgreSQL `db` reads rows through psql (test-engine.ts).
  const keyed = options.secretKey ? { secretKey: options.secretKey } : {};
  const opened = testEngine === "postgres" ? postgresTestStore(keyed) : ((sqlite) => ({ db: sqlite, store: createSqliteStore(sqlite, keyed), url: "" }))(openMigrated(path).db);
  const { db, store } = opened;
  const others: Store[] = [];
  let pgTables: string[] | undefined;
  const clock = new FixedClock(options.now ?? "2026-11-29T10:00:00Z");
  const settings = { commandName: options.commandName ?? "docket", defaultTimeZone: options.timeZone ?? "Europe/London" };
  const core = createCore({ store, clock, settings, log: silentLogger });
  const dispatcher = createDispatcher({ store, clock, settings, log: silentLogger, commands });
  const run: Harness["run"] = (text, who = {}) => dispatcher.runText(invocation(who), typeof text === "string" ? typed(text) : text);
  return {
    dir, path, db, store, clock, core, run, commands,
    runAs: (inv, text) => dispatcher.runText(inv, typeof text === "string" ? typed(text) : text),
    docketOf: (who = {}) => dispatcher.docketOf(invocation(who).workspace),
    text: async (text, who) => replyToText(await run(text, who)),
    async ok(text, who) {
      const r = await run(text, who);
      if (r.error) throw new Error(`${text} → ${replyToText(r)}`);
      return r;
    },
    snapshot() {
      // The search index is derived data that `search` brings up to date; the docket is everything else.
      if (testEngine === "postgres") {
        // why one query for the rows: each read through psql is a process of its own; the tables, which no test changes, are read once.
        const tables = (pgTables ??= (db.prepare("SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'docket_schema' ORDER BY table_name").all() as Array<{ name: string }>).map((t) => t.name));
        const all = (t: string) => `(SELECT coalesce(json_agg(x ORDER BY x.id), '[]') FROM (SELECT * FROM ${t}) x)`;
        const row = db.prepare(`SELECT json_build_object(${tables.map((t) => `'${t}', (SELECT count(*) FROM ${t})`).join(", ")}, 'audit', ${all("audit_events")}, 'questions', ${all("questions")}, 'deadlines', ${all("deadlines")}, 'subscriptions', ${all("subscriptions")}) AS s`).get() as { s: Record<string, unknown> };
        return row.s;
      }
      const tables = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_%'").all() as Array<{ name: string }>).map((t) => t.name);
      return {
        ...Object.fromEntries(tables.map((t) => [t, (db.prepare(`SELECT count(*) AS n FROM "${t}"`).get() as { n: number }).n])),
        audit: db.prepare("SELECT * FROM audit_events ORDER BY id").all(),
        questions: db.prepare("SELECT * FROM questions ORDER BY id").all(),
        deadlines: db.prepare("SELECT * FROM deadlines ORDER BY id").all(),
        subscriptions: db.prepare("SELECT * FROM subscriptions ORDER BY id").all(),
      };
    },
    reopen() {
      const other = testEngine === "postgres" ? createPostgresStore(openPostgres(opened.url, { max: 4 }), keyed) : createSqliteStore(openMigrated(path).db, keyed);
      others.push(other);
      return other;
    },
    close() {
      for (const other of others.splice(0)) void other.close();
      if (testEngine === "postgres") void store.close();
      else db.close();
      cleanup();
    },
  };
}
