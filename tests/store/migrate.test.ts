import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Database } from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrate, MigrationError, readMigrations } from "../../src/store/migrate.ts";
import { DatabaseError, migrationsDir, openDatabase, openMigrated } from "../../src/store/open.ts";
import { tempDir } from "../support/harness.ts";

let temp: ReturnType<typeof tempDir>;
let open: Database[];
beforeEach(() => {
  temp = tempDir();
  open = [];
});
afterEach(() => {
  for (const db of open) if (db.open) db.close();
  temp.cleanup();
});

/** A migrations folder holding these files, in a fresh place. */
function folder(files: Record<string, string>, name = "migrations"): string {
  const dir = join(temp.dir, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, sql] of Object.entries(files)) writeFileSync(join(dir, file), sql);
  return dir;
}

function database(name = "docket.sqlite"): Database {
  const db = openDatabase(join(temp.dir, name));
  open.push(db);
  return db;
}

const version = (db: Database) => db.pragma("user_version", { simple: true }) as number;
const tables = (db: Database) =>
  (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map((t) => t.name);

/** The MigrationError a call throws, so its message can be read. */
function refusal(call: () => unknown): MigrationError {
  try {
    call();
  } catch (error) {
    if (error instanceof MigrationError) return error;
    throw error;
  }
  throw new Error("expected a MigrationError, but nothing was thrown");
}

const first = { "0001_members.sql": "-- why: people\nCREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT NOT NULL) STRICT;" };
const second = { "0002_notes.sql": "-- why: notes\nCREATE TABLE notes (id INTEGER PRIMARY KEY, member INTEGER REFERENCES members (id), text TEXT) STRICT;" };
const third = { "0003_member_email.sql": "-- why: email\nALTER TABLE members ADD COLUMN email TEXT;" };

describe("a fresh database", () => {
  it("gets every migration, in order, and user_version = their count", async () => {
    const db = database();
    const result = migrate(db, readMigrations(folder({ ...third, ...first, ...second })));
    expect(result).toEqual({ from: 0, to: 3, applied: ["0001_members", "0002_notes", "0003_member_email"] });
    expect(version(db)).toBe(3);
    expect(tables(db)).toEqual(["members", "notes"]);
    expect((db.prepare("SELECT name FROM pragma_table_info('members')").all() as Array<{ name: string }>).map((c) => c.name)).toEqual(["id", "name", "email"]);
  });

  it("running again applies nothing", async () => {
    const db = database();
    const migrations = readMigrations(folder({ ...first, ...second }));
    migrate(db, migrations);
    expect(migrate(db, migrations)).toEqual({ from: 2, to: 2, applied: [] });
    expect(version(db)).toBe(2);
  });

  it("files that are not .sql are ignored", async () => {
    const migrations = readMigrations(folder({ ...first, "README.md": "# notes", ".DS_Store": "" }));
    expect(migrations.map((m) => m.name)).toEqual(["members"]);
  });

  it("an empty folder is no migrations at all", async () => {
    const db = database();
    expect(migrate(db, readMigrations(folder({})))).toEqual({ from: 0, to: 0, applied: [] });
  });
});

describe("an existing database", () => {
  it("gets only the new migrations later, and keeps its data", async () => {
    const db = database();
    const dir = folder(first);
    migrate(db, readMigrations(dir));
    db.prepare("INSERT INTO members (name) VALUES (?)").run("Amina");
    expect(version(db)).toBe(1);

    for (const [file, sql] of Object.entries({ ...second, ...third })) writeFileSync(join(dir, file), sql);
    const result = migrate(db, readMigrations(dir));
    expect(result).toEqual({ from: 1, to: 3, applied: ["0002_notes", "0003_member_email"] });
    expect(version(db)).toBe(3);
    expect(db.prepare("SELECT id, name, email FROM members").all()).toEqual([{ id: 1, name: "Amina", email: null }]);
  });

  it("keeps its version across closing and opening the file again", async () => {
    const path = join(temp.dir, "reopened.sqlite");
    const db = openDatabase(path);
    migrate(db, readMigrations(folder(first)));
    db.close();
    const again = openDatabase(path);
    open.push(again);
    expect(version(again)).toBe(1);
  });
});

describe("a migrations folder that is wrong is refused, saying what to do", () => {
  it("a gap in the numbers: 0001 and 0003", async () => {
    const error = refusal(() => readMigrations(folder({ ...first, ...third })));
    expect(error.message).toMatch(/^Migration 0002 is missing before /);
    expect(error.message).toContain("migrations must be numbered 0001, 0002, … without gaps");
  });

  // Questionable (src/store/migrate.ts:35): the message names the next migration as `3_member_email`,
  // which is neither its number as written (0003) nor its file name, so it is harder to find.
  it("the gap message names the file after the gap as it is written", async () => {
    expect(refusal(() => readMigrations(folder({ ...first, ...third }))).message).toContain("0003_member_email");
  });

  it("a folder starting at 0002", async () => {
    expect(refusal(() => readMigrations(folder(second))).message).toMatch(/^Migration 0001 is missing before /);
  });

  it("two migrations with the same number", async () => {
    const error = refusal(() => readMigrations(folder({ ...first, ...second, "0002_reminders.sql": "CREATE TABLE reminders (id INTEGER);" })));
    expect(error.message).toBe("Two migrations are numbered 2 (notes and reminders): renumber one of them.");
  });

  it.each(["2_notes.sql", "0002-notes.sql", "0002_Notes.sql", "00002_notes.sql", "0002_notes.SQL.sql", "0002_.sql", "0002 notes.sql"])(
    "a misnamed file: %s",
    (file) => {
      const error = refusal(() => readMigrations(folder({ ...first, [file]: "SELECT 1;" })));
      expect(error.message).toBe(`Migration file ${file} is misnamed: name it like 0002_add_reminders.sql.`);
    },
  );

  it("a database newer than the code", async () => {
    const db = database();
    db.pragma("user_version = 5");
    const error = refusal(() => migrate(db, readMigrations(folder({ ...first, ...second }))));
    expect(error.message).toBe(
      `The database ${join(temp.dir, "docket.sqlite")} is at schema version 5, newer than this Docket knows (2): upgrade Docket, or restore a backup made by this version.`,
    );
    expect(version(db)).toBe(5);
    expect(tables(db)).toEqual([]);
  });

  it("openMigrated refuses a newer database too, and leaves it as it was", async () => {
    const path = join(temp.dir, "newer.sqlite");
    const db = openDatabase(path);
    db.pragma("user_version = 99");
    db.close();
    expect(() => openMigrated(path)).toThrow(MigrationError);
    const again = openDatabase(path);
    open.push(again);
    expect(version(again)).toBe(99);
    expect(tables(again)).toEqual([]);
  });
});

describe("a migration that fails", () => {
  const failing = { "0002_notes.sql": "CREATE TABLE notes (id INTEGER PRIMARY KEY);\nINSERT INTO no_such_table VALUES (1);" };

  it("rolls back every pending migration: no version change, no partial tables", async () => {
    const db = database();
    expect(() => migrate(db, readMigrations(folder({ ...first, ...failing })))).toThrow(/no such table: no_such_table/);
    expect(version(db)).toBe(0);
    expect(tables(db)).toEqual([]);
  });

  it("on an existing database, leaves the applied ones and their data as they were", async () => {
    const db = database();
    const dir = folder(first);
    migrate(db, readMigrations(dir));
    db.prepare("INSERT INTO members (name) VALUES ('Amina')").run();
    writeFileSync(join(dir, "0002_notes.sql"), failing["0002_notes.sql"]);
    writeFileSync(join(dir, "0003_member_email.sql"), third["0003_member_email.sql"]);

    expect(() => migrate(db, readMigrations(dir))).toThrow();
    expect(version(db)).toBe(1);
    expect(tables(db)).toEqual(["members"]);
    expect(db.prepare("SELECT * FROM members").all()).toEqual([{ id: 1, name: "Amina" }]);
  });

  // Questionable (src/store/migrate.ts:61): the SQLite error escapes as is ("no such table: …"),
  // so an operator reading the start-up failure is not told which migration file broke.
  it("says which migration file failed", async () => {
    const db = database();
    expect(() => migrate(db, readMigrations(folder({ ...first, ...failing })))).toThrow(/0002_notes/);
  });
});

describe("the real migrations and openDatabase", () => {
  it("the migrations folder is numbered without gaps and every file says why", async () => {
    const migrations = readMigrations(migrationsDir);
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(migrations.length).toBe(readdirSync(migrationsDir).filter((f) => f.endsWith(".sql")).length);
    for (const m of migrations) expect(m.sql, m.name).toMatch(/^-- why: /);
  });

  it("apply cleanly to a fresh database with foreign keys checked", async () => {
    const db = database();
    const migrations = readMigrations(migrationsDir);
    const result = migrate(db, migrations);
    expect(result.from).toBe(0);
    expect(result.to).toBe(migrations.length);
    expect(version(db)).toBe(migrations.length);
    expect(tables(db)).toEqual(expect.arrayContaining(["dockets", "workspaces", "members", "questions", "answers", "notes", "deadlines", "subscriptions", "admins", "audit_events", "search_index", "digest_deliveries"]));
    expect(db.pragma("foreign_key_check")).toEqual([]);
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
  });

  it("openMigrated brings a fresh file to the latest version, and a second open applies nothing", async () => {
    const path = join(temp.dir, "docket.sqlite");
    const { db, migration } = openMigrated(path);
    expect(migration.applied).toEqual(readMigrations(migrationsDir).map((m) => `${String(m.version).padStart(4, "0")}_${m.name}`));
    db.close();
    const second = openMigrated(path);
    open.push(second.db);
    expect(second.migration.applied).toEqual([]);
  });

  it("openDatabase sets WAL, synchronous FULL, foreign keys on and a busy timeout", async () => {
    const db = database();
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("synchronous", { simple: true })).toBe(2);
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(db.pragma("busy_timeout", { simple: true })).toBeGreaterThan(0);
  });

  it("openDatabase refuses a file whose folder does not exist, since a mistyped path would look like a lost docket", async () => {
    const path = join(temp.dir, "data", "nested", "docket.sqlite");
    expect(() => openDatabase(path)).toThrow(DatabaseError);
    expect(() => openDatabase(path)).toThrow(/check DOCKET_DB for a typo/);
    expect(readdirSync(temp.dir)).toEqual([]);
  });

  it("openDatabase creates the folder when asked to (as it is for the default path, ./data/docket.sqlite)", async () => {
    const db = openDatabase(join(temp.dir, "data", "nested", "docket.sqlite"), { createDirectory: true });
    open.push(db);
    expect(readdirSync(join(temp.dir, "data", "nested"))).toContain("docket.sqlite");
  });

  it("0004 gives up the retry of a digest an older Docket half-posted, since it kept no parts to resume from", async () => {
    const db = database();
    const migrations = readMigrations(migrationsDir);
    migrate(db, migrations.slice(0, 3));
    db.exec(`INSERT INTO dockets (id, name, time_zone, created_at) VALUES (1, 'Coalition', 'UTC', '2026-11-01T00:00:00.000Z');
      INSERT INTO subscriptions (id, docket_id, platform, workspace_id, channel_id, time, time_zone, days, active_since, created_at, updated_at)
        VALUES (1, 1, 'slack', 'T1', 'C1', '09:00', 'UTC', 'mon,tue,wed,thu,fri,sat,sun', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z');
      INSERT INTO digest_deliveries (subscription_id, local_date, slot_at, state, attempts, retry_at, parts_sent, updated_at) VALUES
        (1, '2026-11-29', '2026-11-29T09:00:00.000Z', 'failed', 1, '2026-11-29T09:01:00.000Z', 0, '2026-11-29T09:00:00.000Z'),
        (1, '2026-11-30', '2026-11-30T09:00:00.000Z', 'failed', 1, '2026-11-30T09:01:00.000Z', 2, '2026-11-30T09:00:00.000Z');`);
    migrate(db, migrations);
    expect(db.prepare("SELECT local_date, retry_at FROM digest_deliveries ORDER BY local_date").all()).toEqual([
      { local_date: "2026-11-29", retry_at: "2026-11-29T09:01:00.000Z" },
      { local_date: "2026-11-30", retry_at: null },
    ]);
    expect((db.prepare("SELECT name FROM pragma_table_info('digest_deliveries')").all() as Array<{ name: string }>).map((c) => c.name)).not.toContain("parts_sent");
  });

  it("foreign keys are enforced in the real schema", async () => {
    const { db } = openMigrated(join(temp.dir, "fk.sqlite"));
    open.push(db);
    expect(() => db.prepare("INSERT INTO members (docket_id, platform, user_id, display_name, seen_at) VALUES (42, 'slack', 'U1', 'x', 'now')").run()).toThrow(/FOREIGN KEY/);
  });
});
