import type { Database } from "better-sqlite3";
import type { Delivery, DeliveryPart, DeliveryState, DeliveryStore, PendingPart } from "../core/ports.ts";
import { num, optStr, statementCache, str, type Row } from "./statements.ts";

export const deliveryOf = (row: Row): Delivery => ({
  subscriptionId: num(row, "subscription_id"),
  localDate: str(row, "local_date"),
  slotAt: str(row, "slot_at"),
  state: str(row, "state") as DeliveryState,
  late: num(row, "late") === 1,
  attempts: num(row, "attempts"),
  retryAt: optStr(row, "retry_at"),
  messageId: optStr(row, "message_id"),
  error: optStr(row, "error"),
  updatedAt: str(row, "updated_at"),
});

export const deliveryPartOf = (row: Row): DeliveryPart => ({
  part: num(row, "part"),
  body: optStr(row, "body"),
  messageId: optStr(row, "message_id"),
  sentAt: optStr(row, "sent_at"),
});

const pendingPartOf = (row: Row): PendingPart => ({ ...deliveryPartOf(row), attemptedAt: optStr(row, "attempted_at") });

/** The fence of every write after a claim: the row is still claimed, and by this claimer. */
const held = "state = 'claimed' AND claimed_by = @by";

export function sqliteDeliveries(db: Database): DeliveryStore {
  const sql = statementCache(db);
  const get = (subscriptionId: number, localDate: string) => {
    const row = sql("SELECT * FROM digest_deliveries WHERE subscription_id = ? AND local_date = ?").get(subscriptionId, localDate) as Row | undefined;
    return row && deliveryOf(row);
  };
  const parts = (subscriptionId: number, localDate: string) =>
    (sql("SELECT * FROM digest_delivery_parts WHERE subscription_id = ? AND local_date = ? ORDER BY part").all(subscriptionId, localDate) as Row[]).map(pendingPartOf);
  // why: a delivery that is over is never sent again; its rendering would only grow the ledger by a digest a day.
  const forgetBodies = (subscriptionId: number, localDate: string) =>
    sql("UPDATE digest_delivery_parts SET body = NULL WHERE subscription_id = ? AND local_date = ?").run(subscriptionId, localDate);
  return {
    claim(subscriptionId, localDate, slotAt, late, by, at, leaseUntil) {
      // why: one statement, so the check and the claim are atomic even against another process on the same file.
      const claimed = sql(
        `INSERT INTO digest_deliveries (subscription_id, local_date, slot_at, state, late, attempts, claimed_by, claimed_at, lease_until, updated_at)
         VALUES (@sub, @date, @slot, 'claimed', @late, 1, @by, @at, @lease, @at)
         ON CONFLICT (subscription_id, local_date) DO UPDATE SET
           state = 'claimed', late = excluded.late, attempts = attempts + 1, claimed_by = excluded.claimed_by,
           claimed_at = excluded.claimed_at, lease_until = excluded.lease_until, retry_at = NULL, updated_at = excluded.updated_at
         WHERE (state = 'failed' AND retry_at IS NOT NULL AND retry_at <= excluded.claimed_at)
            OR (state = 'claimed' AND (lease_until IS NULL OR lease_until <= excluded.claimed_at))
         RETURNING *`,
      ).get({ sub: subscriptionId, date: localDate, slot: slotAt, late: late ? 1 : 0, by, at, lease: leaseUntil }) as Row | undefined;
      return claimed && deliveryOf(claimed);
    },
    saveParts(subscriptionId, localDate, bodies) {
      const insert = sql("INSERT INTO digest_delivery_parts (subscription_id, local_date, part, body) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING");
      db.transaction(() => {
        if (parts(subscriptionId, localDate).length > 0) return;
        bodies.forEach((body, i) => insert.run(subscriptionId, localDate, i + 1, body));
      }).immediate();
      return parts(subscriptionId, localDate);
    },
    parts,
    markAttempt(subscriptionId, localDate, part, by, at, leaseUntil) {
      return db.transaction(() => {
        const key = { sub: subscriptionId, date: localDate, by, at, lease: leaseUntil, part };
        if (sql(`UPDATE digest_deliveries SET lease_until = @lease, updated_at = @at WHERE subscription_id = @sub AND local_date = @date AND ${held}`).run(key).changes === 0) return false;
        // why: the first unknown attempt is the one whose message may be in the channel; later ones keep its time.
        sql("UPDATE digest_delivery_parts SET attempted_at = COALESCE(attempted_at, @at) WHERE subscription_id = @sub AND local_date = @date AND part = @part").run(key);
        return true;
      }).immediate();
    },
    clearAttempt(subscriptionId, localDate, part, by) {
      return (
        sql(
          `UPDATE digest_delivery_parts SET attempted_at = NULL WHERE subscription_id = @sub AND local_date = @date AND part = @part
           AND EXISTS (SELECT 1 FROM digest_deliveries WHERE subscription_id = @sub AND local_date = @date AND ${held})`,
        ).run({ sub: subscriptionId, date: localDate, part, by }).changes > 0
      );
    },
    markPartSent(subscriptionId, localDate, part, messageId, by, at, leaseUntil) {
      return db.transaction(() => {
        const key = { sub: subscriptionId, date: localDate, by, at, lease: leaseUntil, part, id: messageId };
        const first = part === 1 ? "message_id = @id, " : "";
        if (sql(`UPDATE digest_deliveries SET ${first}lease_until = @lease, updated_at = @at WHERE subscription_id = @sub AND local_date = @date AND ${held}`).run(key).changes === 0) return false;
        sql("UPDATE digest_delivery_parts SET message_id = @id, sent_at = @at WHERE subscription_id = @sub AND local_date = @date AND part = @part").run(key);
        return true;
      }).immediate();
    },
    markSent(subscriptionId, localDate, by, at) {
      return db.transaction(() => {
        const done = sql(`UPDATE digest_deliveries SET state = 'sent', error = NULL, retry_at = NULL, lease_until = NULL, updated_at = @at WHERE subscription_id = @sub AND local_date = @date AND ${held}`).run({ sub: subscriptionId, date: localDate, by, at });
        if (done.changes === 0) return false;
        forgetBodies(subscriptionId, localDate);
        return true;
      }).immediate();
    },
    markFailed(subscriptionId, localDate, by, error, retryAt, at) {
      return db.transaction(() => {
        const done = sql(`UPDATE digest_deliveries SET state = 'failed', error = @error, retry_at = @retry, lease_until = NULL, updated_at = @at WHERE subscription_id = @sub AND local_date = @date AND ${held}`).run({
          sub: subscriptionId, date: localDate, by, error, retry: retryAt, at,
        });
        if (done.changes === 0) return false;
        if (retryAt === null) forgetBodies(subscriptionId, localDate);
        return true;
      }).immediate();
    },
    markMissed(subscriptionId, localDate, slotAt, at) {
      return (
        sql(
          `INSERT INTO digest_deliveries (subscription_id, local_date, slot_at, state, updated_at) VALUES (?, ?, ?, 'missed', ?)
           ON CONFLICT (subscription_id, local_date) DO NOTHING`,
        ).run(subscriptionId, localDate, slotAt, at).changes > 0
      );
    },
    get,
    latest(subscriptionId) {
      const row = sql("SELECT * FROM digest_deliveries WHERE subscription_id = ? ORDER BY local_date DESC LIMIT 1").get(subscriptionId) as Row | undefined;
      return row && deliveryOf(row);
    },
    latestSent(subscriptionId, before) {
      const row = sql("SELECT * FROM digest_deliveries WHERE subscription_id = ? AND state = 'sent' AND local_date < ? ORDER BY local_date DESC LIMIT 1").get(subscriptionId, before) as Row | undefined;
      return row && deliveryOf(row);
    },
    forSubscription(subscriptionId) {
      return (sql("SELECT * FROM digest_deliveries WHERE subscription_id = ? ORDER BY local_date").all(subscriptionId) as Row[]).map(deliveryOf);
    },
  };
}
