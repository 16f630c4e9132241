import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../src/core/commands/registry.ts";
import { createDispatcher } from "../../src/core/dispatch.ts";
import { replyToText } from "../../src/core/reply.ts";
import { silentLogger } from "../../src/log.ts";
import { DatabaseError, databaseErrorOf } from "../../src/store/database-error.ts";
import { migrate, MigrationError, readMigrations } from "../../src/store/migrate.ts";
import { migrationsDir, openDatabase, openMigrated, walAutocheckpointPages, walLimitBytes } from "../../src/store/open.ts";
import { catchUpChunkRows, createSearchCatchUp } from "../../src/store/search-catch-up.ts";
import { harness, invocation, tempDir, type Harness } from "../support/harness.ts";

let h: Harness;
beforeEach(() => (h = harness()));
afterEach(() => h.close());

describe("the search catch-up works in short transactions", () => {
  it("a search with nothing left to index takes no write lock, so another process's long write does not hold it up", async () => {
    await h.ok('ask "What does membership cost?"');
    await h.ok("search membership");
    const other = new Sqlite(h.path);
    other.pragma("busy_timeout = 0");
    other.exec("BEGIN IMMEDIATE");
    try {
      h.db.pragma("busy_timeout = 0");
      expect(await h.text("search membership")).toContain("Q1");
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
  });

  it("a backlog of 450 rows is indexed in chunks of at most 200, each its own transaction, and search then finds them all", async () => {
    for (let i = 1; i <= 300; i++) await h.ok(`ask "Question ${i} about membership fees"`);
    for (let i = 1; i <= 150; i++) await h.ok(`note Q${i} "membership note ${i}"`);
    // why: each advance of a mark is the end of a chunk's work on one kind; counting them (not timing) shows the chunking.
    const advances: number[] = [];
    h.db.function("record_advance", (to: unknown) => void advances.push(Number(to)));
    h.db.exec("CREATE TEMP TRIGGER record_progress AFTER UPDATE ON search_progress BEGIN SELECT record_advance(new.last_id); END");
    const indexed = createSearchCatchUp(h.db)();
    expect(indexed).toBe(450);
    expect(catchUpChunkRows).toBe(200);
    // 300 questions, then 150 notes: questions 1–200 | questions 201–300 and notes 1–100 | notes 101–150.
    expect(advances).toEqual([200, 300, 100, 150]);
    const rows = h.db.prepare("SELECT kind, count(*) AS n FROM search_index GROUP BY kind ORDER BY kind").all();
    expect(rows).toEqual([{ kind: "note", n: 150 }, { kind: "question", n: 300 }]);
    expect(await h.text("search membership")).toMatch(/^The first 20 matches for "membership"/);
  });

  it("a chunk that fails leaves the earlier chunks indexed and the rest for the next catch-up", async () => {
    for (let i = 1; i <= 30; i++) await h.ok(`ask "Question ${i} on accreditation"`);
    const catchUp = createSearchCatchUp(h.db, 10);
    h.db.exec("CREATE TEMP TRIGGER stop_at_21 BEFORE UPDATE ON search_progress WHEN new.last_id > 20 BEGIN SELECT RAISE(ABORT, 'interrupted'); END");
    expect(() => catchUp()).toThrow(/interrupted/);
    expect(h.db.prepare("SELECT count(*) AS n FROM search_index").get()).toEqual({ n: 20 });
    h.db.exec("DROP TRIGGER stop_at_21");
    expect(catchUp()).toBe(10);
    expect(h.db.prepare("SELECT count(*) AS n FROM search_index").get()).toEqual({ n: 30 });
  });
});

describe("a full disk", () => {
  it("a member's command gets \"Docket can't save right now\", nothing changes, and the operator gets a disk-full log line", async () => {
    await h.ok('ask "Is there space?"');
    // why: max_page_count makes SQLite answer SQLITE_FULL at the next page the file needs, as a full disk does;
    // the pages already there still have room for a few rows, so ask until one needs a new page.
    const pages = h.db.pragma("page_count", { simple: true }) as number;
    h.db.pragma(`max_page_count = ${pages}`);
    const logged: string[] = [];
    const core = createDispatcher({ store: h.store, clock: h.clock, settings: { commandName: "docket", defaultTimeZone: "UTC" }, log: { ...silentLogger, error: (message) => void logged.push(message) }, commands });
    const ask = () => core.runText(invocation(), `ask "${"A long question that needs room. ".repeat(25)}"`);
    let before = h.snapshot();
    let reply = await ask();
    for (let i = 0; i < 50 && !reply.error; i++) {
      before = h.snapshot();
      reply = await ask();
    }
    expect(reply.error?.code).toBe("storage.full");
    expect(replyToText(reply)).toContain("Docket can't save right now");
    expect(h.snapshot()).toEqual(before);
    expect(logged).toEqual([expect.stringMatching(/^disk full: Docket can't save; free space on the disk/)]);
    expect(await h.text("show Q1")).toContain("Is there space?");
  });

  it("migrating on a full disk is not blamed on a migration file: the operator is told to free space", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const db = openDatabase(join(dir, "docket.sqlite"));
      db.pragma("max_page_count = 3");
      let thrown: unknown;
      try {
        migrate(db, readMigrations(migrationsDir));
      } catch (error) {
        thrown = error;
      }
      expect(thrown).not.toBeInstanceOf(MigrationError);
      expect(databaseErrorOf(join(dir, "docket.sqlite"), thrown)?.message).toMatch(/docket\.sqlite is full, so Docket can't save: free space on that disk/);
      expect(db.pragma("user_version", { simple: true })).toBe(0);
      db.close();
    } finally {
      cleanup();
    }
  });
});

describe("two connections migrating one new file", () => {
  it("the second to take the lock finds the schema current and applies nothing", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, "docket.sqlite");
      const first = openDatabase(path);
      const second = openDatabase(path);
      const migrations = readMigrations(migrationsDir);
      // why: the second saw version 0 before the first committed, which is what made it fail before.
      expect(second.pragma("user_version", { simple: true })).toBe(0);
      expect(migrate(first, migrations).applied).toHaveLength(migrations.length);
      expect(migrate(second, migrations)).toEqual({ from: migrations.length, to: migrations.length, applied: [] });
      first.close();
      second.close();
    } finally {
      cleanup();
    }
  });

  it("openMigrated refuses another application's database without touching it", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const path = join(dir, "other.sqlite");
      const other = new Sqlite(path);
      other.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY)");
      other.close();
      expect(() => openMigrated(path)).toThrow(DatabaseError);
      const again = new Sqlite(path);
      expect(again.pragma("user_version", { simple: true })).toBe(0);
      expect(again.prepare("SELECT name FROM sqlite_schema").all()).toEqual([{ name: "invoices" }]);
      again.close();
    } finally {
      cleanup();
    }
  });
});

describe("the WAL is bounded", () => {
  it("checkpoints every 4,000 pages and truncates the WAL back to about 16 MiB after one", async () => {
    expect(h.db.pragma("wal_autocheckpoint", { simple: true })).toBe(walAutocheckpointPages);
    expect(h.db.pragma("journal_size_limit", { simple: true })).toBe(walLimitBytes);
    expect(walLimitBytes).toBe(4000 * 4096);
  });
});
