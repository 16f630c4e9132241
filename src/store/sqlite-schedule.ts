import type { Database } from "better-sqlite3";
import type { DeadlineStore, SubscriptionStore } from "../core/ports.ts";
import type { Deadline, Platform, Subscription, Weekday } from "../core/types.ts";
import { num, optNum, optStr, statementCache, str, type Row } from "./statements.ts";

export function deadlineOf(row: Row): Deadline {
  return {
    id: num(row, "id"),
    docketId: num(row, "docket_id"),
    number: num(row, "number"),
    title: str(row, "title"),
    date: str(row, "date"),
    time: optStr(row, "time"),
    timeZone: str(row, "time_zone"),
    place: optStr(row, "place"),
    createdAt: str(row, "created_at"),
  };
}

export function subscriptionOf(row: Row): Subscription {
  const state = str(row, "state");
  return {
    id: num(row, "id"),
    docketId: num(row, "docket_id"),
    channel: { platform: str(row, "platform") as Platform, workspaceId: str(row, "workspace_id"), channelId: str(row, "channel_id") },
    time: str(row, "time"),
    timeZone: str(row, "time_zone"),
    days: str(row, "days").split(",").filter(Boolean) as Weekday[],
    filter: { tag: optStr(row, "filter_tag"), addressee: optStr(row, "filter_addressee"), deadlineNumber: optNum(row, "filter_deadline") },
    state:
      state === "paused" ? { kind: "paused", reason: str(row, "state_reason"), since: str(row, "state_since") }
      : state === "off" ? { kind: "off", since: str(row, "state_since") }
      : { kind: "active" },
    activeSince: str(row, "active_since"),
    createdAt: str(row, "created_at"),
  };
}

export function sqliteSchedule(db: Database): { deadlines: DeadlineStore; subscriptions: SubscriptionStore } {
  const sql = statementCache(db);

  const deadlines: DeadlineStore = {
    get(docketId, number) {
      const row = sql("SELECT * FROM deadlines WHERE docket_id = ? AND number = ? AND removed_at IS NULL").get(docketId, number) as Row | undefined;
      return row && deadlineOf(row);
    },
    list(docketId) {
      return (sql("SELECT * FROM deadlines WHERE docket_id = ? AND removed_at IS NULL ORDER BY date, coalesce(time, '00:00'), number").all(docketId) as Row[]).map(deadlineOf);
    },
    insert(d) {
      const { next } = sql("SELECT coalesce(max(number), 0) + 1 AS next FROM deadlines WHERE docket_id = ?").get(d.docketId) as { next: number };
      sql("INSERT INTO deadlines (docket_id, number, title, date, time, time_zone, place, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)").run(
        d.docketId, next, d.title, d.date, d.time, d.timeZone, d.place, d.createdAt,
      );
      return deadlines.get(d.docketId, next)!;
    },
    update(docketId, number, patch) {
      const current = deadlines.get(docketId, number);
      if (!current) throw new Error(`update of missing deadline ${docketId}/D${number}`);
      const next = { ...current, ...patch };
      sql("UPDATE deadlines SET title = ?, date = ?, time = ?, time_zone = ?, place = ? WHERE id = ?").run(next.title, next.date, next.time, next.timeZone, next.place, current.id);
      return deadlines.get(docketId, number)!;
    },
    remove(docketId, number, at) {
      sql("UPDATE deadlines SET removed_at = ? WHERE docket_id = ? AND number = ?").run(at, docketId, number);
    },
  };

  const subscriptions: SubscriptionStore = {
    forChannel(channel) {
      const row = sql("SELECT * FROM subscriptions WHERE platform = ? AND workspace_id = ? AND channel_id = ?").get(channel.platform, channel.workspaceId, channel.channelId) as Row | undefined;
      return row && subscriptionOf(row);
    },
    get(id) {
      const row = sql("SELECT * FROM subscriptions WHERE id = ?").get(id) as Row | undefined;
      return row && subscriptionOf(row);
    },
    upsert(input, at) {
      sql(
        `INSERT INTO subscriptions (docket_id, platform, workspace_id, channel_id, time, time_zone, days, filter_tag, filter_addressee, filter_deadline, active_since, created_at, updated_at)
         VALUES (@docket, @platform, @workspace, @channel, @time, @zone, @days, @tag, @addressee, @deadline, @at, @at, @at)
         ON CONFLICT (platform, workspace_id, channel_id) DO UPDATE SET
           docket_id = excluded.docket_id, time = excluded.time, time_zone = excluded.time_zone, days = excluded.days,
           filter_tag = excluded.filter_tag, filter_addressee = excluded.filter_addressee, filter_deadline = excluded.filter_deadline,
           active_since = CASE WHEN state = 'active' THEN active_since ELSE excluded.active_since END,
           state = 'active', state_reason = NULL, state_since = NULL, updated_at = excluded.updated_at`,
      ).run({
        docket: input.docketId, platform: input.channel.platform, workspace: input.channel.workspaceId, channel: input.channel.channelId,
        time: input.time, zone: input.timeZone, days: input.days.join(","), tag: input.filter.tag, addressee: input.filter.addressee,
        deadline: input.filter.deadlineNumber, at,
      });
      return subscriptions.forChannel(input.channel)!;
    },
    turnOff(id, at) {
      sql("UPDATE subscriptions SET state = 'off', state_reason = NULL, state_since = ?, updated_at = ? WHERE id = ?").run(at, at, id);
    },
    pause(id, reason, at) {
      sql("UPDATE subscriptions SET state = 'paused', state_reason = ?, state_since = ?, updated_at = ? WHERE id = ?").run(reason, at, at, id);
    },
    resume(id, at) {
      sql("UPDATE subscriptions SET state = 'active', state_reason = NULL, state_since = NULL, active_since = ?, updated_at = ? WHERE id = ?").run(at, at, id);
    },
    active() {
      return (sql("SELECT * FROM subscriptions WHERE state = 'active' ORDER BY id").all() as Row[]).map(subscriptionOf);
    },
    forDocket(docketId) {
      return (sql("SELECT * FROM subscriptions WHERE docket_id = ? ORDER BY id").all(docketId) as Row[]).map(subscriptionOf);
    },
    pauseWorkspace(platform, workspaceId, reason, at) {
      const rows = sql("SELECT * FROM subscriptions WHERE platform = ? AND workspace_id = ? AND state = 'active'").all(platform, workspaceId) as Row[];
      for (const row of rows) subscriptions.pause(num(row, "id"), reason, at);
      return rows.map(subscriptionOf);
    },
  };

  return { deadlines, subscriptions };
}
