import type { DeliveryStore } from "../core/ports.ts";
import { deliveryOf, pendingPartOf } from "./rows.ts";
import type { Sql } from "./sql.ts";

/** Runs `fn` in one transaction (joining the caller's when the repositories are already inside one). */
export type Atomic = <T>(fn: (q: Sql) => Promise<T>) => Promise<T>;

/** The fence of every write after a claim: the row is still claimed, and by this claimer. */
const held = "state = 'claimed' AND claimed_by = @by";

export function deliveryRepos(q: Sql, atomic: Atomic): DeliveryStore {
  const get = async (subscriptionId: number, localDate: string) => {
    const row = await q.get("SELECT * FROM digest_deliveries WHERE subscription_id = ? AND local_date = ?", [subscriptionId, localDate]);
    return row && deliveryOf(row);
  };
  const partsIn = async (t: Sql, subscriptionId: number, localDate: string) =>
    (await t.all("SELECT * FROM digest_delivery_parts WHERE subscription_id = ? AND local_date = ? ORDER BY part", [subscriptionId, localDate])).map(pendingPartOf);
  // why: a delivery that is over is never sent again; its rendering would only grow the ledger by a digest a day.
  const forgetBodies = (t: Sql, subscriptionId: number, localDate: string) =>
    t.run("UPDATE digest_delivery_parts SET body = NULL WHERE subscription_id = ? AND local_date = ?", [subscriptionId, localDate]);
  return {
    async claim(subscriptionId, localDate, slotAt, late, by, at, leaseUntil) {
      // why: one statement, so the check and the claim are atomic even against another process or replica.
      const claimed = await q.get(
        `INSERT INTO digest_deliveries (subscription_id, local_date, slot_at, state, late, attempts, claimed_by, claimed_at, lease_until, updated_at)
         VALUES (@sub, @date, @slot, 'claimed', @late, 1, @by, @at, @lease, @at)
         ON CONFLICT (subscription_id, local_date) DO UPDATE SET
           state = 'claimed', late = excluded.late, attempts = digest_deliveries.attempts + 1, claimed_by = excluded.claimed_by,
           claimed_at = excluded.claimed_at, lease_until = excluded.lease_until, retry_at = NULL, updated_at = excluded.updated_at
         WHERE (digest_deliveries.state = 'failed' AND digest_deliveries.retry_at IS NOT NULL AND digest_deliveries.retry_at <= excluded.claimed_at)
            OR (digest_deliveries.state = 'claimed' AND (digest_deliveries.lease_until IS NULL OR digest_deliveries.lease_until <= excluded.claimed_at))
         RETURNING *`,
        { sub: subscriptionId, date: localDate, slot: slotAt, late: late ? 1 : 0, by, at, lease: leaseUntil },
      );
      return claimed && deliveryOf(claimed);
    },
    saveParts: (subscriptionId, localDate, bodies) =>
      atomic(async (t) => {
        if ((await partsIn(t, subscriptionId, localDate)).length === 0)
          for (const [i, body] of bodies.entries())
            await t.run("INSERT INTO digest_delivery_parts (subscription_id, local_date, part, body) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", [subscriptionId, localDate, i + 1, body]);
        return partsIn(t, subscriptionId, localDate);
      }),
    parts: (subscriptionId, localDate) => partsIn(q, subscriptionId, localDate),
    markAttempt: (subscriptionId, localDate, part, by, at, leaseUntil) =>
      atomic(async (t) => {
        const key = { sub: subscriptionId, date: localDate, by, at, lease: leaseUntil, part };
        if ((await t.run(`UPDATE digest_deliveries SET lease_until = @lease, updated_at = @at WHERE subscription_id = @sub AND local_date = @date AND ${held}`, key)) === 0) return false;
        // why: the first unknown attempt is the one whose message may be in the channel; later ones keep its time.
        await t.run("UPDATE digest_delivery_parts SET attempted_at = COALESCE(attempted_at, @at) WHERE subscription_id = @sub AND local_date = @date AND part = @part", key);
        return true;
      }),
    clearAttempt: async (subscriptionId, localDate, part, by) =>
      (await q.run(
        `UPDATE digest_delivery_parts SET attempted_at = NULL WHERE subscription_id = @sub AND local_date = @date AND part = @part
         AND EXISTS (SELECT 1 FROM digest_deliveries WHERE subscription_id = @sub AND local_date = @date AND ${held})`,
        { sub: subscriptionId, date: localDate, part, by },
      )) > 0,
    markPartSent: (subscriptionId, localDate, part, messageId, by, at, leaseUntil) =>
      atomic(async (t) => {
        const key = { sub: subscriptionId, date: localDate, by, at, lease: leaseUntil, part, id: messageId };
        const first = part === 1 ? "message_id = @id, " : "";
        if ((await t.run(`UPDATE digest_deliveries SET ${first}lease_until = @lease, updated_at = @at WHERE subscription_id = @sub AND local_date = @date AND ${held}`, key)) === 0) return false;
        await t.run("UPDATE digest_delivery_parts SET message_id = @id, sent_at = @at WHERE subscription_id = @sub AND local_date = @date AND part = @part", key);
        return true;
      }),
    markSent: (subscriptionId, localDate, by, at) =>
      atomic(async (t) => {
        const done = await t.run(
          `UPDATE digest_deliveries SET state = 'sent', error = NULL, retry_at = NULL, lease_until = NULL, updated_at = @at WHERE subscription_id = @sub AND local_date = @date AND ${held}`,
          { sub: subscriptionId, date: localDate, by, at },
        );
        if (done === 0) return false;
        await forgetBodies(t, subscriptionId, localDate);
        return true;
      }),
    markFailed: (subscriptionId, localDate, by, error, retryAt, at) =>
      atomic(async (t) => {
        const done = await t.run(
          `UPDATE digest_deliveries SET state = 'failed', error = @error, retry_at = @retry, lease_until = NULL, updated_at = @at WHERE subscription_id = @sub AND local_date = @date AND ${held}`,
          { sub: subscriptionId, date: localDate, by, error, retry: retryAt, at },
        );
        if (done === 0) return false;
        if (retryAt === null) await forgetBodies(t, subscriptionId, localDate);
        return true;
      }),
    markMissed: async (subscriptionId, localDate, slotAt, at) =>
      (await q.run(
        `INSERT INTO digest_deliveries (subscription_id, local_date, slot_at, state, updated_at) VALUES (?, ?, ?, 'missed', ?)
         ON CONFLICT (subscription_id, local_date) DO NOTHING`,
        [subscriptionId, localDate, slotAt, at],
      )) > 0,
    get,
    async latest(subscriptionId) {
      const row = await q.get("SELECT * FROM digest_deliveries WHERE subscription_id = ? ORDER BY local_date DESC LIMIT 1", [subscriptionId]);
      return row && deliveryOf(row);
    },
    async latestSent(subscriptionId, before) {
      const row = await q.get("SELECT * FROM digest_deliveries WHERE subscription_id = ? AND state = 'sent' AND local_date < ? ORDER BY local_date DESC LIMIT 1", [subscriptionId, before]);
      return row && deliveryOf(row);
    },
    forSubscription: async (subscriptionId) => (await q.all("SELECT * FROM digest_deliveries WHERE subscription_id = ? ORDER BY local_date", [subscriptionId])).map(deliveryOf),
  };
}

