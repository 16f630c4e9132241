import type { DocketSnapshot, SnapshotStore } from "../core/ports.ts";
import type { Platform } from "../core/types.ts";
import type { Atomic } from "./delivery-repos.ts";
import { dialect } from "./dialect.ts";
import { auditOf } from "./docket-repos.ts";
import { adminOf, answerOf, chaseOf, deadlineOf, deliveryOf, deliveryPartOf, docketOf, memberColumns as member, memberOf, milestoneColumns, noteOf, num, optStr, questionOf, subscriptionOf, workspaceOf } from "./rows.ts";
import type { Sql } from "./sql.ts";

/** Tables whose ids a restore writes explicitly (PostgreSQL's identity sequences then move past them). */
const tablesWithIds = ["dockets", "members", "deadlines", "questions", "answers", "notes", "chases", "subscriptions", "audit_events"] as const;

/** Whole-docket reads and restores, row ids included, so an export imports back losslessly. */
export function snapshotRepos(q: Sql, atomic: Atomic): SnapshotStore {
  return {
    async read(docketId) {
      const all = (query: string, id: number) => q.all(query, [id]);
      const docketRow = await q.get("SELECT * FROM dockets WHERE id = ?", [docketId]);
      if (!docketRow) throw new Error(`no docket ${docketId}`);
      const partsOf = (subscriptionId: number, localDate: string) => q.all("SELECT * FROM digest_delivery_parts WHERE subscription_id = ? AND local_date = ? ORDER BY part", [subscriptionId, localDate]);
      const deliveries = [];
      for (const row of await all("SELECT d.* FROM digest_deliveries d JOIN subscriptions s ON s.id = d.subscription_id WHERE s.docket_id = ? ORDER BY d.subscription_id, d.local_date", docketId)) {
        const delivery = deliveryOf(row);
        deliveries.push({ ...delivery, parts: (await partsOf(delivery.subscriptionId, delivery.localDate)).map(deliveryPartOf) });
      }
      return {
        format: "docket",
        version: 1,
        docket: docketOf(docketRow),
        workspaces: (await all("SELECT * FROM workspaces WHERE docket_id = ? ORDER BY platform, external_id", docketId)).map(workspaceOf),
        members: (await all(`SELECT ${member} FROM members m WHERE m.docket_id = ? ORDER BY m.id`, docketId)).map(memberOf),
        deadlines: (await all("SELECT * FROM deadlines WHERE docket_id = ? ORDER BY number", docketId)).map((row) => ({ ...deadlineOf(row), removedAt: optStr(row, "removed_at") })),
        questions: (await all(`SELECT q.*, ${member} FROM questions q JOIN members m ON m.id = q.asked_by WHERE q.docket_id = ? ORDER BY q.number`, docketId)).map(
          (row) => ({ ...questionOf(row), askedBy: num(row, "m_id") }),
        ),
        answers: (await all(
          `SELECT a.*, q.number AS question_number, ${member} FROM answers a JOIN questions q ON q.id = a.question_id JOIN members m ON m.id = a.logged_by WHERE a.docket_id = ? ORDER BY a.id`,
          docketId,
        )).map((row) => ({ ...answerOf(row), loggedBy: num(row, "m_id") })),
        notes: (await all(
          `SELECT n.*, q.number AS question_number, ${member} FROM notes n JOIN questions q ON q.id = n.question_id JOIN members m ON m.id = n.author WHERE n.docket_id = ? ORDER BY n.id`,
          docketId,
        )).map((row) => ({ ...noteOf(row), author: num(row, "m_id") })),
        chases: (await all(
          `SELECT c.*, q.number AS question_number, ${member} FROM chases c JOIN questions q ON q.id = c.question_id JOIN members m ON m.id = c.logged_by WHERE c.docket_id = ? ORDER BY c.id`,
          docketId,
        )).map((row) => ({ ...chaseOf(row), loggedBy: num(row, "m_id") })),
        subscriptions: (await all("SELECT * FROM subscriptions WHERE docket_id = ? ORDER BY id", docketId)).map(subscriptionOf),
        admins: (await all("SELECT * FROM admins WHERE docket_id = ? ORDER BY added_at, ref_id", docketId)).map(adminOf),
        deliveries,
        audit: (await all("SELECT * FROM audit_events WHERE docket_id = ? ORDER BY id", docketId)).map(auditOf),
      };
    },
    restore: (s: DocketSnapshot) =>
      atomic(async (t) => {
        const run = (query: string, ...params: unknown[]) => t.run(query, params);
        const d = s.docket;
        await run("INSERT INTO dockets (id, name, time_zone, created_at) VALUES (?, ?, ?, ?)", d.id, d.name, d.timeZone, d.createdAt);
        for (const w of s.workspaces)
          await run("INSERT INTO workspaces (platform, external_id, name, docket_id, created_at) VALUES (?, ?, ?, ?, ?)", w.platform, w.externalId, w.name, d.id, d.createdAt);
        for (const m of s.members)
          await run("INSERT INTO members (id, docket_id, platform, user_id, display_name, seen_at) VALUES (?, ?, ?, ?, ?, ?)", m.id, d.id, m.platform, m.userId, m.displayName, d.createdAt);
        for (const x of s.deadlines) {
          const m = milestoneColumns(x.milestones);
          await run(
            "INSERT INTO deadlines (id, docket_id, number, title, date, time, time_zone, place, created_at, removed_at, milestone_days, milestone_ping) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            x.id, d.id, x.number, x.title, x.date, x.time, x.timeZone, x.place, x.createdAt, x.removedAt, m.days, m.ping,
          );
        }
        for (const q of s.questions) {
          await run(
            `INSERT INTO questions (id, docket_id, number, text, addressee, tags, status, needed_by_deadline, needed_by_date, asked_by, asked_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            q.id, d.id, q.number, q.text, q.addressee, q.tags.join(" "), q.status,
            q.neededBy?.kind === "deadline" ? q.neededBy.deadlineNumber : null, q.neededBy?.kind === "date" ? q.neededBy.date : null,
            q.askedBy, q.askedAt, q.updatedAt,
          );
          for (const tag of q.tags) await run("INSERT INTO question_tags (docket_id, tag, question_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", d.id, tag, q.id);
        }
        const questionId = new Map(s.questions.map((q) => [q.number, q.id]));
        for (const a of s.answers)
          await run("INSERT INTO answers (id, docket_id, question_id, text, source, kind, logged_by, logged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            a.id, d.id, questionId.get(a.questionNumber), a.text, a.source, a.kind, a.loggedBy, a.loggedAt);
        for (const n of s.notes)
          await run("INSERT INTO notes (id, docket_id, question_id, text, author, created_at) VALUES (?, ?, ?, ?, ?, ?)", n.id, d.id, questionId.get(n.questionNumber), n.text, n.author, n.createdAt);
        for (const c of s.chases)
          await run("INSERT INTO chases (id, docket_id, question_id, text, via, on_date, contact, logged_by, logged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            c.id, d.id, questionId.get(c.questionNumber), c.text, c.via, c.onDate, c.contact, c.loggedBy, c.loggedAt);
        for (const sub of s.subscriptions)
          await run(
            `INSERT INTO subscriptions (id, docket_id, platform, workspace_id, channel_id, time, time_zone, days, filter_tag, filter_addressee, filter_deadline, chase_after, state, state_reason, state_since, active_since, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            sub.id, d.id, sub.channel.platform, sub.channel.workspaceId, sub.channel.channelId, sub.time, sub.timeZone, sub.days.join(","),
            sub.filter.tag, sub.filter.addressee, sub.filter.deadlineNumber, sub.chaseAfter,
            sub.state.kind, sub.state.kind === "paused" ? sub.state.reason : null, sub.state.kind === "active" ? null : sub.state.since, sub.activeSince, sub.createdAt, sub.createdAt,
          );
        for (const a of s.admins)
          await run("INSERT INTO admins (docket_id, kind, platform, ref_id, label, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)", d.id, a.kind, a.platform as Platform, a.id, a.label, a.addedBy, a.addedAt);
        for (const x of s.deliveries) {
          await run(
            `INSERT INTO digest_deliveries (subscription_id, local_date, slot_at, state, late, attempts, retry_at, message_id, error, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
            x.subscriptionId, x.localDate, x.slotAt, x.state, x.late ? 1 : 0, x.attempts, x.retryAt, x.messageId, x.error, x.updatedAt,
          );
          for (const p of x.parts)
            await run("INSERT INTO digest_delivery_parts (subscription_id, local_date, part, body, message_id, sent_at) VALUES (?, ?, ?, ?, ?, ?)",
              x.subscriptionId, x.localDate, p.part, p.body, p.messageId, p.sentAt);
        }
        for (const e of s.audit)
          await run("INSERT INTO audit_events (id, docket_id, actor, at, action, subject, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            e.id, d.id, e.actor, e.at, e.action, e.subject, e.before === null ? null : JSON.stringify(e.before), e.after === null ? null : JSON.stringify(e.after));
        await dialect.afterExplicitIds(t, tablesWithIds);
      }),
  };
}
