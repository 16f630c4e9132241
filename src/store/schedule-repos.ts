import type { DeadlineStore, SubscriptionStore } from "../core/ports.ts";
import { deadlineOf, milestoneColumns, num, subscriptionOf } from "./rows.ts";
import { dialect } from "./dialect.ts";
import { bumpVersion } from "./docket-repos.ts";
import type { Sql } from "./sql.ts";

export function scheduleRepos(q: Sql): { deadlines: DeadlineStore; subscriptions: SubscriptionStore } {
  const deadlines: DeadlineStore = {
    async get(docketId, number) {
      const row = await q.get("SELECT * FROM deadlines WHERE docket_id = ? AND number = ? AND removed_at IS NULL", [docketId, number]);
      return row && deadlineOf(row);
    },
    list: async (docketId) => (await q.all("SELECT * FROM deadlines WHERE docket_id = ? AND removed_at IS NULL ORDER BY date, coalesce(time, '00:00'), number", [docketId])).map(deadlineOf),
    async insert(d) {
      // why: the caller holds the docket's lock, so the number is still free when inserted.
      const { next } = (await q.get<{ next: number }>("SELECT coalesce(max(number), 0) + 1 AS next FROM deadlines WHERE docket_id = ?", [d.docketId]))!;
      await q.run("INSERT INTO deadlines (docket_id, number, title, date, time, time_zone, place, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
        d.docketId, next, d.title, d.date, d.time, d.timeZone, d.place, d.createdAt,
      ]);
      await bumpVersion(q, d.docketId);
      return (await deadlines.get(d.docketId, next))!;
    },
    async update(docketId, number, patch) {
      const current = await deadlines.get(docketId, number);
      if (!current) throw new Error(`update of missing deadline ${docketId}/D${number}`);
      const next = { ...current, ...patch };
      await q.run("UPDATE deadlines SET title = ?, date = ?, time = ?, time_zone = ?, place = ? WHERE id = ?", [next.title, next.date, next.time, next.timeZone, next.place, current.id]);
      await bumpVersion(q, docketId);
      return (await deadlines.get(docketId, number))!;
    },
    async setMilestones(docketId, number, milestones) {
      const { days, ping } = milestoneColumns(milestones);
      await q.run("UPDATE deadlines SET milestone_days = ?, milestone_ping = ? WHERE docket_id = ? AND number = ? AND removed_at IS NULL", [days, ping, docketId, number]);
      await bumpVersion(q, docketId);
      const updated = await deadlines.get(docketId, number);
      if (!updated) throw new Error(`milestones of missing deadline ${docketId}/D${number}`);
      return updated;
    },
    async remove(docketId, number, at) {
      await q.run("UPDATE deadlines SET removed_at = ? WHERE docket_id = ? AND number = ?", [at, docketId, number]);
      await bumpVersion(q, docketId);
    },
  };

  const subscriptions: SubscriptionStore = {
    async forChannel(channel) {
      const row = await q.get("SELECT * FROM subscriptions WHERE platform = ? AND workspace_id = ? AND channel_id = ?", [channel.platform, channel.workspaceId, channel.channelId]);
      return row && subscriptionOf(row);
    },
    async get(id) {
      const row = await q.get("SELECT * FROM subscriptions WHERE id = ?", [id]);
      return row && subscriptionOf(row);
    },
    async upsert(input, at) {
      await q.run(
        `INSERT INTO subscriptions (docket_id, platform, workspace_id, channel_id, time, time_zone, days, filter_tag, filter_addressee, filter_deadline, chase_after, active_since, created_at, updated_at)
         VALUES (@docket, @platform, @workspace, @channel, @time, @zone, @days, @tag, @addressee, @deadline, @chaseAfter, @at, @at, @at)
         ON CONFLICT (platform, workspace_id, channel_id) DO UPDATE SET
           docket_id = excluded.docket_id, time = excluded.time, time_zone = excluded.time_zone, days = excluded.days,
           filter_tag = excluded.filter_tag, filter_addressee = excluded.filter_addressee, filter_deadline = excluded.filter_deadline, chase_after = excluded.chase_after,
           active_since = CASE WHEN subscriptions.state = 'active' THEN subscriptions.active_since ELSE excluded.active_since END,
           state = 'active', state_reason = NULL, state_since = NULL, next_slot_at = NULL, updated_at = excluded.updated_at`,
        {
          docket: input.docketId, platform: input.channel.platform, workspace: input.channel.workspaceId, channel: input.channel.channelId,
          time: input.time, zone: input.timeZone, days: input.days.join(","), tag: input.filter.tag, addressee: input.filter.addressee,
          deadline: input.filter.deadlineNumber, chaseAfter: input.chaseAfter ?? null, at,
        },
      );
      return (await subscriptions.forChannel(input.channel))!;
    },
    async turnOff(id, at) {
      await q.run("UPDATE subscriptions SET state = 'off', state_reason = NULL, state_since = ?, updated_at = ? WHERE id = ?", [at, at, id]);
    },
    async pause(id, reason, at) {
      await q.run("UPDATE subscriptions SET state = 'paused', state_reason = ?, state_since = ?, updated_at = ? WHERE id = ?", [reason, at, at, id]);
    },
    async resume(id, at) {
      await q.run("UPDATE subscriptions SET state = 'active', state_reason = NULL, state_since = NULL, active_since = ?, next_slot_at = NULL, updated_at = ? WHERE id = ?", [at, at, id]);
    },
    active: async () => (await q.all("SELECT * FROM subscriptions WHERE state = 'active' ORDER BY id")).map(subscriptionOf),
    async takeDue(now, holdUntil, limit) {
      // why one statement: the pick and the hold are atomic, so two replicas never take the same subscription.
      const rows = await q.all(
        `UPDATE subscriptions SET next_slot_at = @hold WHERE id IN (
           SELECT id FROM subscriptions WHERE state = 'active' AND (next_slot_at IS NULL OR next_slot_at <= @now)
           ORDER BY coalesce(next_slot_at, '') LIMIT @limit ${dialect.skipLocked(q)})
         RETURNING *`,
        { hold: holdUntil, now, limit },
      );
      return rows.map(subscriptionOf).sort((a, b) => a.id - b.id);
    },
    setNextSlot: async (id, at, held) =>
      (held === undefined
        ? await q.run("UPDATE subscriptions SET next_slot_at = ? WHERE id = ?", [at, id])
        : await q.run("UPDATE subscriptions SET next_slot_at = ? WHERE id = ? AND next_slot_at = ?", [at, id, held])) > 0,
    forDocket: async (docketId) => (await q.all("SELECT * FROM subscriptions WHERE docket_id = ? ORDER BY id", [docketId])).map(subscriptionOf),
    async pauseWorkspace(platform, workspaceId, reason, at) {
      const rows = await q.all("SELECT * FROM subscriptions WHERE platform = ? AND workspace_id = ? AND state = 'active'", [platform, workspaceId]);
      for (const row of rows) await subscriptions.pause(num(row, "id"), reason, at);
      return rows.map(subscriptionOf);
    },
  };

  return { deadlines, subscriptions };
}
