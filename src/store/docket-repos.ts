import type { AdminStore, AuditStore, DocketStore, MemberStore, WorkspaceStore } from "../core/ports.ts";
import { dialect } from "./dialect.ts";
import { adminOf, docketOf, num, optStr, str, workspaceOf } from "./rows.ts";
import type { Row, Sql } from "./sql.ts";

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));
/**
 * Raises a docket's version: every write to what replicas keep in memory (its deadlines, admins,
 * name, workspace bindings) calls this in its own method, so no caller can forget it. why in the
 * repositories: a transaction that changes one of those commits the new version with the change.
 */
export const bumpVersion = (q: Sql, docketId: number): Promise<number> => q.run("UPDATE dockets SET version = version + 1 WHERE id = ?", [docketId]);

const parsed = (text: unknown) => (typeof text === "string" ? (JSON.parse(text) as unknown) : null);

export function docketRepos(q: Sql): { dockets: DocketStore; workspaces: WorkspaceStore; members: MemberStore; admins: AdminStore; audit: AuditStore } {
  const dockets: DocketStore = {
    get: async (id) => {
      const row = await q.get("SELECT * FROM dockets WHERE id = ?", [id]);
      return row && docketOf(row);
    },
    list: async () => (await q.all("SELECT * FROM dockets ORDER BY id")).map(docketOf),
    async create(d) {
      const row = await q.get<{ id: number }>("INSERT INTO dockets (name, time_zone, created_at) VALUES (?, ?, ?) RETURNING id", [d.name, d.timeZone, d.createdAt]);
      return { id: row!.id, ...d };
    },
    async rename(id, name) {
      await q.run("UPDATE dockets SET name = ?, version = version + 1 WHERE id = ?", [name, id]);
    },
  };

  const workspaces: WorkspaceStore = {
    async find(platform, externalId) {
      const row = await q.get("SELECT * FROM workspaces WHERE platform = ? AND external_id = ?", [platform, externalId]);
      return row && workspaceOf(row);
    },
    async docket(platform, externalId) {
      const row = await q.get(
        "SELECT d.id, d.name, d.time_zone, d.created_at, d.version FROM workspaces w JOIN dockets d ON d.id = w.docket_id WHERE w.platform = ? AND w.external_id = ?",
        [platform, externalId],
      );
      return row && { docket: docketOf(row), version: num(row, "version") };
    },
    async bind(w, at) {
      await q.run("INSERT INTO workspaces (platform, external_id, name, docket_id, created_at) VALUES (?, ?, ?, ?, ?)", [w.platform, w.externalId, w.name, w.docketId, at]);
      await bumpVersion(q, w.docketId);
    },
    forDocket: async (docketId) => (await q.all("SELECT * FROM workspaces WHERE docket_id = ? ORDER BY created_at, platform DESC, external_id", [docketId])).map(workspaceOf),
  };

  const members: MemberStore = {
    async upsert(m, seenAt) {
      // why: most commands come from a member already known by that name; reading first spares the commit a page write.
      const known = await q.get<{ id: number; display_name: string }>("SELECT id, display_name FROM members WHERE docket_id = ? AND platform = ? AND user_id = ?", [m.docketId, m.platform, m.userId]);
      if (known && known.display_name === m.displayName) return { id: known.id, ...m };
      const row = await q.get<{ id: number }>(
        `INSERT INTO members (docket_id, platform, user_id, display_name, seen_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (docket_id, platform, user_id) DO UPDATE SET display_name = excluded.display_name, seen_at = excluded.seen_at
         RETURNING id`,
        [m.docketId, m.platform, m.userId, m.displayName, seenAt],
      );
      return { id: row!.id, ...m };
    },
  };

  const admins: AdminStore = {
    list: async (docketId) => (await q.all("SELECT * FROM admins WHERE docket_id = ? ORDER BY added_at, ref_id", [docketId])).map(adminOf),
    async add(docketId, t, addedBy, at) {
      await q.run(
        `INSERT INTO admins (docket_id, kind, platform, ref_id, label, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (docket_id, kind, platform, ref_id) DO UPDATE SET label = excluded.label, added_by = excluded.added_by, added_at = excluded.added_at`,
        [docketId, t.kind, t.platform, t.id, t.label, addedBy, at],
      );
      await bumpVersion(q, docketId);
    },
    async remove(docketId, t) {
      const removed = (await q.run("DELETE FROM admins WHERE docket_id = ? AND kind = ? AND platform = ? AND ref_id = ?", [docketId, t.kind, t.platform, t.id])) > 0;
      if (removed) await bumpVersion(q, docketId);
      return removed;
    },
    async includes(docketId, platform, userId, roleIds) {
      if (await q.get("SELECT 1 AS one FROM admins WHERE docket_id = ? AND platform = ? AND kind = 'member' AND ref_id = ?", [docketId, platform, userId])) return true;
      if (roleIds.length === 0) return false;
      const roles = dialect.inTextList(q, "ref_id", roleIds);
      return (await q.get(`SELECT 1 AS one FROM admins WHERE docket_id = ? AND platform = ? AND kind = 'role' AND ${roles.sql}`, [docketId, platform, roles.param])) !== undefined;
    },
  };

  const audit: AuditStore = {
    async record(e) {
      await q.run("INSERT INTO audit_events (docket_id, actor, at, action, subject, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)", [
        e.docketId, e.actor, e.at, e.action, e.subject, json(e.before), json(e.after),
      ]);
    },
    async forSubject(docketId, subject) {
      return (await q.all("SELECT * FROM audit_events WHERE docket_id = ? AND subject = ? ORDER BY id", [docketId, subject])).map(auditOf);
    },
    count: async (docketId) =>
      (docketId === undefined
        ? await q.get<{ n: number }>("SELECT count(*) AS n FROM audit_events")
        : await q.get<{ n: number }>("SELECT count(*) AS n FROM audit_events WHERE docket_id = ?", [docketId]))!.n,
  };

  return { dockets, workspaces, members, admins, audit };
}

export const auditOf = (row: Row) => ({
  id: num(row, "id"), docketId: num(row, "docket_id"), actor: str(row, "actor"), at: str(row, "at"), action: str(row, "action"),
  subject: optStr(row, "subject"), before: parsed(row.before), after: parsed(row.after),
});
