/**
 * Group commit on a real SQLite file: transactions that arrive together share one COMMIT, each in
 * its own savepoint, and each is acknowledged only once that COMMIT has returned. Commits are
 * counted on disk, as commit frames in the WAL file, never by time.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Sqlite, { type Database } from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.ts";
import type { Repos, Store } from "../../src/core/ports.ts";
import { openDatabase, openMigrated } from "../../src/store/open.ts";
import { sqliteConnection } from "../../src/store/sqlite-sql.ts";
import { createSqliteStore } from "../../src/store/sqlite-store.ts";
import { tempDir } from "../support/harness.ts";

const at = "2026-11-29T10:00:00.000Z";

/**
 * Commits written to the WAL so far: frames whose header gives the database size after commit (a
 * non-zero word at offset 4) and carries the WAL header's salts (older frames, left from before a
 * checkpoint, carry others). See https://www.sqlite.org/fileformat.html#wal_file_format.
 */
function walCommits(path: string): number {
  let wal: Buffer;
  try {
    wal = readFileSync(`${path}-wal`);
  } catch {
    return 0;
  }
  if (wal.length < 32) return 0;
  const pageSize = wal.readUInt32BE(8);
  const [salt1, salt2] = [wal.readUInt32BE(16), wal.readUInt32BE(20)];
  let commits = 0;
  for (let offset = 32; offset + 24 + pageSize <= wal.length; offset += 24 + pageSize) {
    if (wal.readUInt32BE(offset + 8) !== salt1 || wal.readUInt32BE(offset + 12) !== salt2) break;
    if (wal.readUInt32BE(offset + 4) !== 0) commits++;
  }
  return commits;
}

let temp: ReturnType<typeof tempDir>;
let path: string;
let db: Database;
let store: Store;
let docketId: number;
let memberId: number;

beforeEach(async () => {
  temp = tempDir();
  path = join(temp.dir, "docket.sqlite");
  db = openMigrated(path).db;
  // why: no checkpoint may reset the WAL while commits are being counted in it.
  db.pragma("wal_autocheckpoint = 0");
  store = createSqliteStore(db);
  docketId = (await store.dockets.create({ name: "Coalition", timeZone: "Europe/London", createdAt: at })).id;
  memberId = (await store.members.upsert({ docketId, platform: "slack", userId: "U1", displayName: "Amina" }, at)).id;
});
afterEach(async () => {
  await store.close();
  temp.cleanup();
});

const ask = (tx: Repos, text: string) => tx.questions.insert({ docketId, text, addressee: null, tags: [], neededBy: null, askedBy: memberId, askedAt: at });

/** The questions a second connection to the file sees: only what has been committed. */
function committedTexts(): string[] {
  const other = new Sqlite(path, { readonly: true });
  try {
    return (other.prepare("SELECT text FROM questions ORDER BY number").all() as Array<{ text: string }>).map((r) => r.text);
  } finally {
    other.close();
  }
}

describe("group commit (SQLite)", () => {
  it("transactions started together share one COMMIT; the same started one after another take one each", async () => {
    const before = walCommits(path);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.transaction((tx) => ask(tx, `Together ${i}?`))));
    const together = walCommits(path) - before;
    for (let i = 0; i < 20; i++) await store.transaction((tx) => ask(tx, `Alone ${i}?`));
    const alone = walCommits(path) - before - together;
    // why not exactly 1: a batch also closes after groupCommitLimit.ms, which a loaded machine may reach.
    expect(together).toBeLessThan(5);
    expect(alone).toBe(20);
    expect(committedTexts()).toHaveLength(40);
  });

  it("a command alone commits at once, without waiting a turn of the event loop for company", async () => {
    const order: string[] = [];
    setImmediate(() => order.push("next turn"));
    await store.transaction((tx) => ask(tx, "Alone?")).then(() => order.push("committed"));
    expect(order).toEqual(["committed"]);
  });

  it("when commands are seen arriving together, a batch waits one turn, and one that arrives in it (another request's callback) joins", async () => {
    const before = walCommits(path);
    let late: Promise<unknown> | undefined;
    const first = store.transaction(async (tx) => {
      await ask(tx, "First?");
      // why: a read held up by this batch is the sign of company; the late one models a request read in the same I/O phase.
      void store.questions.get(docketId, 1);
      setImmediate(() => (late = store.transaction((t) => ask(t, "Late?"))));
    });
    await first;
    await late;
    expect(committedTexts()).toEqual(["First?", "Late?"]);
    expect(walCommits(path) - before).toBe(1);
  });

  it("a batch takes at most its member limit, and commits once per batch", async () => {
    const connection = sqliteConnection(db, { members: 5, ms: Number.POSITIVE_INFINITY });
    const before = walCommits(path);
    const numbers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        connection.transaction(async (q) => {
          await q.run("INSERT INTO dockets (name, time_zone, created_at) VALUES (?, 'UTC', ?)", [`Batch ${i}`, at]);
          return i;
        }),
      ),
    );
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(walCommits(path) - before).toBe(4);
  });

  it("numbers questions in the order the transactions arrived, gap-free, as before", async () => {
    const asked = await Promise.all(Array.from({ length: 30 }, (_, i) => store.transaction((tx) => ask(tx, `Q ${i}?`))));
    expect(asked.map((q) => q.number)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(asked.map((q) => q.text)).toEqual(Array.from({ length: 30 }, (_, i) => `Q ${i}?`));
  });

  it("one that throws rolls back alone: its batch-mates are stored, and the next number goes to the next question", async () => {
    const before = walCommits(path);
    const results = await Promise.allSettled([
      store.transaction((tx) => ask(tx, "First?")),
      store.transaction(async (tx) => {
        await ask(tx, "Refused?");
        await tx.audit.record({ docketId, actor: "Amina (slack:U1)", at, action: "question.ask", subject: "Q2", before: null, after: null });
        throw new UserError("test.refused", "refused on purpose");
      }),
      store.transaction((tx) => ask(tx, "Third?")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(results[1]!.status === "rejected" && results[1]!.reason).toBeInstanceOf(UserError);
    expect(results.flatMap((r) => (r.status === "fulfilled" ? [r.value.number] : []))).toEqual([1, 2]);
    expect(committedTexts()).toEqual(["First?", "Third?"]);
    expect(db.prepare("SELECT count(*) AS n FROM audit_events WHERE action = 'question.ask'").get()).toEqual({ n: 0 });
    expect(walCommits(path) - before).toBe(1);
  });

  it("the first of a batch throwing (it runs without a savepoint) rolls back alone too: those queued behind it are stored", async () => {
    const results = await Promise.allSettled([
      store.transaction(async (tx) => {
        await ask(tx, "Refused first?");
        throw new UserError("test.refused", "refused on purpose");
      }),
      store.transaction((tx) => ask(tx, "Second?")),
      store.transaction((tx) => ask(tx, "Third?")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
    expect(committedTexts()).toEqual(["Second?", "Third?"]);
    expect(results.flatMap((r) => (r.status === "fulfilled" ? [r.value.number] : []))).toEqual([1, 2]);
  });

  it("acknowledges a transaction only once its COMMIT returned: another connection already sees it, and it survives reopening", async () => {
    const seenAtAcknowledgment: string[][] = [];
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        store.transaction((tx) => ask(tx, `Durable ${i}?`)).then(() => seenAtAcknowledgment.push(committedTexts())),
      ),
    );
    for (const seen of seenAtAcknowledgment) expect(seen).toHaveLength(10);
    await store.close();
    db = openMigrated(path).db;
    store = createSqliteStore(db);
    expect((await store.questions.list(docketId, { statuses: ["open"], limit: 100 })).total).toBe(10);
  });

  it("a read outside the transactions waits for the open batch: it never sees uncommitted work, and sees committed work", async () => {
    const order: string[] = [];
    let readCommitted: Promise<string | undefined> | undefined;
    let readRolledBack: Promise<string | undefined> | undefined;
    const kept = store.transaction(async (tx) => {
      await ask(tx, "Kept?");
      readCommitted = store.questions.get(docketId, 1).then((q) => (order.push("read"), q?.text));
      return "kept";
    }).then((v) => (order.push("commit"), v));
    const dropped = store.transaction(async (tx) => {
      await ask(tx, "Dropped?");
      readRolledBack = store.questions.get(docketId, 2).then((q) => q?.text);
      throw new UserError("test.refused", "refused on purpose");
    });
    await expect(dropped).rejects.toBeInstanceOf(UserError);
    expect(await kept).toBe("kept");
    expect(await readCommitted).toBe("Kept?");
    expect(await readRolledBack).toBeUndefined();
    expect(order).toEqual(["commit", "read"]);
  });

  it("a failing COMMIT rejects every member of the batch, stores none of them, and the next transaction commits", async () => {
    const file = join(temp.dir, "deferred.sqlite");
    const raw = openDatabase(file);
    try {
      // why a deferred foreign key: SQLite checks it only at COMMIT, which it then refuses, a real failing COMMIT.
      raw.exec("CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED); CREATE TABLE note (text TEXT)");
      const connection = sqliteConnection(raw);
      const results = await Promise.allSettled([
        connection.transaction((q) => q.run("INSERT INTO note (text) VALUES ('kept?')")),
        connection.transaction((q) => q.run("INSERT INTO child (parent_id) VALUES (42)")),
        connection.transaction((q) => q.run("INSERT INTO note (text) VALUES ('also kept?')")),
      ]);
      expect(results.map((r) => r.status)).toEqual(["rejected", "rejected", "rejected"]);
      expect(results.map((r) => (r.status === "rejected" ? (r.reason as { code?: string }).code : undefined))).toEqual(Array(3).fill("SQLITE_CONSTRAINT_FOREIGNKEY"));
      expect(raw.inTransaction).toBe(false);
      expect(raw.prepare("SELECT count(*) AS n FROM note").get()).toEqual({ n: 0 });
      await connection.transaction((q) => q.run("INSERT INTO note (text) VALUES ('after')"));
      expect(raw.prepare("SELECT text FROM note").all()).toEqual([{ text: "after" }]);
    } finally {
      raw.close();
    }
  });
});
