import type { LinkStore, NumberMap } from "../core/ports.ts";
import { bumpVersion } from "./docket-repos.ts";
import { num, optStr, str } from "./rows.ts";
import type { Row, Sql } from "./sql.ts";

/** A history row's subject that names a question or a deadline: `Q12`, `D3`. */
const numberedSubject = /^([QD])(\d+)$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A history row's before/after JSON with its needed-by deadline renumbered, so `show` tells an edit of "needed by" with the deadline's new number. */
function renumberNeededBy(text: unknown, dOff: number): unknown {
  if (typeof text !== "string" || dOff === 0) return text ?? null;
  const value: unknown = JSON.parse(text);
  if (!isRecord(value) || !isRecord(value.neededBy) || value.neededBy.kind !== "deadline" || typeof value.neededBy.deadlineNumber !== "number") return text;
  return JSON.stringify({ ...value, neededBy: { ...value.neededBy, deadlineNumber: value.neededBy.deadlineNumber + dOff } });
}

/**
 * Link codes, attempts and the moves between dockets, written once for both engines. Copies are
 * INSERT … SELECT statements, so a docket of any size moves in a handful of statements; new rows
 * get new ids, which SQLite's search catch-up indexes like any new row (PostgreSQL's search columns
 * are generated with the row).
 */
export function linkRepos(q: Sql): LinkStore {
  const highest = async (table: "questions" | "deadlines", docketId: number) =>
    (await q.get<{ n: number }>(`SELECT coalesce(max(number), 0) AS n FROM ${table} WHERE docket_id = ?`, [docketId]))!.n;
  const numbers = async (table: "questions" | "deadlines", docketId: number, offset: number): Promise<Array<[number, number]>> =>
    (await q.all<{ number: number }>(`SELECT number FROM ${table} WHERE docket_id = ? ORDER BY number`, [docketId])).map((r) => [r.number, r.number + offset]);
  /** Joins a row's member of `from` (alias m) to the same person in `to` (alias tm). */
  const sameMember = (column: string) => `JOIN members m ON m.id = ${column} JOIN members tm ON tm.docket_id = @to AND tm.platform = m.platform AND tm.user_id = m.user_id`;
  const newQuestion = "JOIN questions oq ON oq.id = x.question_id JOIN questions nq ON nq.docket_id = @to AND nq.number = oq.number + @qOff";

  const links: LinkStore = {
    async addCode(c) {
      await q.run("INSERT INTO link_codes (code_hash, docket_id, created_by, created_platform, created_workspace, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)", [
        c.hash, c.docketId, c.createdBy, c.createdIn.platform, c.createdIn.workspaceId, c.createdAt, c.expiresAt,
      ]);
    },
    async findCode(hash) {
      const row = await q.get("SELECT * FROM link_codes WHERE code_hash = ?", [hash]);
      return row && { docketId: num(row, "docket_id"), createdAt: str(row, "created_at"), expiresAt: str(row, "expires_at"), usedAt: optStr(row, "used_at") };
    },
    useCode: async (hash, by, at) =>
      (await q.run("UPDATE link_codes SET used_at = ?, used_by_platform = ?, used_by_workspace = ? WHERE code_hash = ? AND used_at IS NULL", [at, by.platform, by.workspaceId, hash])) === 1,
    async retireCodes(docketId, at) {
      await q.run("UPDATE link_codes SET used_at = ? WHERE docket_id = ? AND used_at IS NULL", [at, docketId]);
    },
    async retireCodesOf(docketId, w, at) {
      await q.run("UPDATE link_codes SET used_at = ? WHERE docket_id = ? AND created_platform = ? AND created_workspace = ? AND used_at IS NULL", [at, docketId, w.platform, w.workspaceId]);
    },
    async recordAttempt(a) {
      await q.run("INSERT INTO link_attempts (platform, workspace_id, at, outcome) VALUES (?, ?, ?, ?)", [a.platform, a.workspaceId, a.at, a.outcome]);
    },
    attemptsSince: async (platform, workspaceId, since) =>
      (await q.all<{ at: string }>("SELECT at FROM link_attempts WHERE platform = ? AND workspace_id = ? AND at > ? ORDER BY at", [platform, workspaceId, since])).map((r) => r.at),
    async rebind(platform, externalId, docketId, at) {
      const left = await q.get<{ docket_id: number }>("SELECT docket_id FROM workspaces WHERE platform = ? AND external_id = ?", [platform, externalId]);
      if (left) await bumpVersion(q, left.docket_id);
      await bumpVersion(q, docketId);
      await q.run("UPDATE workspaces SET docket_id = ?, created_at = ? WHERE platform = ? AND external_id = ?", [docketId, at, platform, externalId]);
    },

    async copyContent(from, to) {
      const qOff = await highest("questions", to);
      const dOff = await highest("deadlines", to);
      const p = { from, to, qOff, dOff };
      await q.run(
        `INSERT INTO members (docket_id, platform, user_id, display_name, seen_at)
         SELECT CAST(@to AS integer), platform, user_id, display_name, seen_at FROM members WHERE docket_id = @from ORDER BY id
         ON CONFLICT (docket_id, platform, user_id) DO NOTHING`,
        p,
      );
      await q.run(
        `INSERT INTO deadlines (docket_id, number, title, date, time, time_zone, place, created_at, removed_at, milestone_days, milestone_ping)
         SELECT CAST(@to AS integer), number + @dOff, title, date, time, time_zone, place, created_at, removed_at, milestone_days, milestone_ping FROM deadlines WHERE docket_id = @from ORDER BY number`,
        p,
      );
      await q.run(
        `INSERT INTO questions (docket_id, number, text, addressee, tags, status, needed_by_deadline, needed_by_date, asked_by, asked_at, updated_at)
         SELECT CAST(@to AS integer), x.number + @qOff, x.text, x.addressee, x.tags, x.status, x.needed_by_deadline + @dOff, x.needed_by_date, tm.id, x.asked_at, x.updated_at
         FROM questions x ${sameMember("x.asked_by")} WHERE x.docket_id = @from ORDER BY x.number`,
        p,
      );
      await q.run(`INSERT INTO question_tags (docket_id, tag, question_id) SELECT CAST(@to AS integer), x.tag, nq.id FROM question_tags x ${newQuestion} WHERE oq.docket_id = @from`, p);
      await q.run(
        `INSERT INTO answers (docket_id, question_id, text, source, kind, logged_by, logged_at)
         SELECT CAST(@to AS integer), nq.id, x.text, x.source, x.kind, tm.id, x.logged_at FROM answers x ${newQuestion} ${sameMember("x.logged_by")} WHERE x.docket_id = @from ORDER BY x.id`,
        p,
      );
      await q.run(
        `INSERT INTO notes (docket_id, question_id, text, author, created_at)
         SELECT CAST(@to AS integer), nq.id, x.text, tm.id, x.created_at FROM notes x ${newQuestion} ${sameMember("x.author")} WHERE x.docket_id = @from ORDER BY x.id`,
        p,
      );
      await q.run(
        `INSERT INTO chases (docket_id, question_id, text, via, on_date, contact, logged_by, logged_at)
         SELECT CAST(@to AS integer), nq.id, x.text, x.via, x.on_date, x.contact, tm.id, x.logged_at FROM chases x ${newQuestion} ${sameMember("x.logged_by")} WHERE x.docket_id = @from ORDER BY x.id`,
        p,
      );
      await q.run(
        `INSERT INTO admins (docket_id, kind, platform, ref_id, label, added_by, added_at)
         SELECT CAST(@to AS integer), kind, platform, ref_id, label, added_by, added_at FROM admins WHERE docket_id = @from
         ON CONFLICT (docket_id, kind, platform, ref_id) DO NOTHING`,
        p,
      );
      // why row by row: the subject is re-keyed to the new number, which the two engines' string functions would write differently.
      for (const row of await q.all<Row>("SELECT * FROM audit_events WHERE docket_id = ? AND subject IS NOT NULL ORDER BY id", [from])) {
        const match = numberedSubject.exec(str(row, "subject"));
        if (!match) continue;
        const subject = `${match[1]}${Number(match[2]) + (match[1] === "Q" ? qOff : dOff)}`;
        await q.run("INSERT INTO audit_events (docket_id, actor, at, action, subject, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)", [
          to, row.actor, row.at, row.action, subject, renumberNeededBy(row.before, dOff), renumberNeededBy(row.after, dOff),
        ]);
      }
      // why: deadlines and admins were written here without their repositories, which raise the version themselves.
      await bumpVersion(q, to);
      return { questions: await numbers("questions", from, qOff), deadlines: await numbers("deadlines", from, dOff) };
    },

    async moveSubscriptions(from, to, deadlines, workspace) {
      const subs = await q.all<{ id: number; filter_deadline: number | null }>(
        `SELECT id, filter_deadline FROM subscriptions WHERE docket_id = ?${workspace ? " AND platform = ? AND workspace_id = ?" : ""} ORDER BY id`,
        workspace ? [from, workspace.platform, workspace.workspaceId] : [from],
      );
      for (const s of subs) {
        const filter = s.filter_deadline === null ? null : (deadlines.get(s.filter_deadline) ?? null);
        await q.run("UPDATE subscriptions SET docket_id = ?, filter_deadline = ? WHERE id = ?", [to, filter, s.id]);
      }
      return subs.length;
    },

    async merge(from, to, at): Promise<NumberMap> {
      const map = await links.copyContent(from, to);
      await links.moveSubscriptions(from, to, new Map(map.deadlines));
      await q.run("UPDATE workspaces SET docket_id = ?, created_at = ? WHERE docket_id = ?", [to, at, from]);
      await bumpVersion(q, from);
      await links.retireCodes(from, at);
      return map;
    },
  };
  return links;
}
