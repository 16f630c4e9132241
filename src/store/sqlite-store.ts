import type { Database } from "better-sqlite3";
import type { AdminStore, AuditStore, DocketStore, MemberStore, Store, WorkspaceStore } from "../core/ports.ts";
import { databaseErrorOf, errorCode } from "./database-error.ts";
import { sqliteDeliveries } from "./sqlite-deliveries.ts";
import { sqlitePlatformState } from "./sqlite-platform-state.ts";
import { sqliteQuestions } from "./sqlite-questions.ts";
import { sqliteSchedule } from "./sqlite-schedule.ts";
import { sqliteSnapshots } from "./sqlite-snapshots.ts";
import { adminOf, docketOf, workspaceOf } from "./rows.ts";
import { num, statementCache, str, type Row } from "./statements.ts";

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
const parsed = (text: unknown) => (typeof text === "string" ? (JSON.parse(text) as unknown) : null);

/** The SQLite implementation of every storage port, over one open, migrated database. */
export function createSqliteStore(db: Database, options: { secretKey?: string } = {}): Store {
  const sql = statementCache(db);

  const dockets: DocketStore = {
    get: (id) => {
      const row = sql("SELECT * FROM dockets WHERE id = ?").get(id) as Row | undefined;
      return row && docketOf(row);
    },
    list: () => (sql("SELECT * FROM dockets ORDER BY id").all() as Row[]).map(docketOf),
    create(d) {
      const { lastInsertRowid } = sql("INSERT INTO dockets (name, time_zone, created_at) VALUES (?, ?, ?)").run(d.name, d.timeZone, d.createdAt);
      return { id: Number(lastInsertRowid), ...d };
    },
    rename(id, name) {
      sql("UPDATE dockets SET name = ? WHERE id = ?").run(name, id);
    },
  };

  const workspaces: WorkspaceStore = {
    find(platform, externalId) {
      const row = sql("SELECT * FROM workspaces WHERE platform = ? AND external_id = ?").get(platform, externalId) as Row | undefined;
      return row && workspaceOf(row);
    },
    bind(w, at) {
      sql("INSERT INTO workspaces (platform, external_id, name, docket_id, created_at) VALUES (?, ?, ?, ?, ?)").run(w.platform, w.externalId, w.name, w.docketId, at);
    },
    forDocket: (docketId) => (sql("SELECT * FROM workspaces WHERE docket_id = ? ORDER BY platform, external_id").all(docketId) as Row[]).map(workspaceOf),
  };

  const members: MemberStore = {
    upsert(m, seenAt) {
      // why: most commands come from a member already known by that name; reading first spares the commit a page write.
      const known = sql("SELECT id, display_name FROM members WHERE docket_id = ? AND platform = ? AND user_id = ?").get(m.docketId, m.platform, m.userId) as
        | { id: number; display_name: string }
        | undefined;
      if (known && known.display_name === m.displayName) return { id: known.id, ...m };
      const row = sql(
        `INSERT INTO members (docket_id, platform, user_id, display_name, seen_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (docket_id, platform, user_id) DO UPDATE SET display_name = excluded.display_name, seen_at = excluded.seen_at
         RETURNING id`,
      ).get(m.docketId, m.platform, m.userId, m.displayName, seenAt) as { id: number };
      return { id: row.id, ...m };
    },
  };

  const admins: AdminStore = {
    list: (docketId) => (sql("SELECT * FROM admins WHERE docket_id = ? ORDER BY added_at, ref_id").all(docketId) as Row[]).map(adminOf),
    add(docketId, t, addedBy, at) {
      sql("INSERT OR REPLACE INTO admins (docket_id, kind, platform, ref_id, label, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)").run(docketId, t.kind, t.platform, t.id, t.label, addedBy, at);
    },
    remove: (docketId, t) => sql("DELETE FROM admins WHERE docket_id = ? AND kind = ? AND platform = ? AND ref_id = ?").run(docketId, t.kind, t.platform, t.id).changes > 0,
    includes(docketId, platform, userId, roleIds) {
      const member = sql("SELECT 1 FROM admins WHERE docket_id = ? AND platform = ? AND kind = 'member' AND ref_id = ?").get(docketId, platform, userId);
      if (member) return true;
      const role = sql("SELECT 1 FROM admins WHERE docket_id = ? AND platform = ? AND kind = 'role' AND ref_id IN (SELECT value FROM json_each(?))");
      return roleIds.length > 0 && role.get(docketId, platform, JSON.stringify(roleIds)) !== undefined;
    },
  };

  const audit: AuditStore = {
    record(e) {
      sql("INSERT INTO audit_events (docket_id, actor, at, action, subject, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)").run(
        e.docketId, e.actor, e.at, e.action, e.subject, json(e.before), json(e.after),
      );
    },
    forSubject(docketId, subject) {
      return (sql("SELECT * FROM audit_events WHERE docket_id = ? AND subject = ? ORDER BY id").all(docketId, subject) as Row[]).map((row) => ({
        id: num(row, "id"), docketId: num(row, "docket_id"), actor: str(row, "actor"), at: str(row, "at"), action: str(row, "action"),
        subject: row.subject as string | null, before: parsed(row.before), after: parsed(row.after),
      }));
    },
    count: (docketId) =>
      (docketId === undefined
        ? (sql("SELECT count(*) AS n FROM audit_events").get() as { n: number })
        : (sql("SELECT count(*) AS n FROM audit_events WHERE docket_id = ?").get(docketId) as { n: number })
      ).n,
  };

  let depth = 0;
  const store: Store = {
    // why: without statistics SQLite may sort a large filtered list instead of walking it in order (SQLite's advice: optimize periodically).
    optimize() {
      try {
        db.pragma("optimize=0x10002");
      } catch (error) {
        // why: statistics only speed queries up; on a full disk Docket should still start and serve
        // reads, and each command that needs to save tells its member and logs it for the operator.
        if (errorCode(error) !== "SQLITE_FULL") throw error;
      }
    },
    transaction<T>(fn: () => T): T {
      if (depth > 0) return fn();
      depth++;
      try {
        // why: IMMEDIATE takes the write lock up front, so two processes never deadlock upgrading a read.
        return db.transaction(fn).immediate();
      } catch (error) {
        // why: a full disk gets the operator's message naming the file; the core tells the member and logs this.
        throw errorCode(error) === "SQLITE_FULL" ? (databaseErrorOf(db.name, error) ?? error) : error;
      } finally {
        depth--;
      }
    },
    dockets,
    workspaces,
    members,
    admins,
    audit,
    ...sqliteQuestions(db),
    ...sqliteSchedule(db),
    snapshots: sqliteSnapshots(db),
    deliveries: sqliteDeliveries(db),
    platformState: sqlitePlatformState(db, options.secretKey),
  };
  return store;
}
