import type { Database } from "better-sqlite3";
import type { Delivery, DeliveryPart, DeliveryState, DeliveryStore } from "../core/ports.ts";
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

export function sqliteDeliveries(db: Database): DeliveryStore {
  const sql = statementCache(db);
  const get = (subscriptionId: number, localDate: string) => {
    const row = sql("SELECT * FROM digest_deliveries WHERE subscription_id = ? AND local_date = ?").get(subscriptionId, localDate) as Row | undefined;
    return row && deliveryOf(row);
  };
  const parts = (subscriptionId: number, localDate: string) =>
    (sql("SELECT * FROM digest_delivery_parts WHERE subscription_id = ? AND local_date = ? ORDER BY part").all(subscriptionId, localDate) as Row[]).map(deliveryPartOf);
  // why: a delivery that is over is never sent again; its rendering would only grow the ledger by a digest a day.
  const forgetBodies = (subscriptionId: number, localDate: string) =>
    sql("UPDATE digest_delivery_parts SET body = NULL WHERE subscription_id = ? AND local_date = ?").run(subscriptionId, localDate);
  return {
    claim(subscriptionId, localDate, slotAt, late, by, at) {
      // why: one statement, so the check and the claim are atomic even against another process on the same file.
      const claimed = sql(
        `INSERT INTO digest_deliveries (subscription_id, local_date, slot_at, state, late, attempts, claimed_by, claimed_at, updated_at)
         VALUES (@sub, @date, @slot, 'claimed', @late, 1, @by, @at, @at)
         ON CONFLICT (subscription_id, local_date) DO UPDATE SET
           state = 'claimed', late = excluded.late, attempts = attempts + 1, claimed_by = excluded.claimed_by,
           claimed_at = excluded.claimed_at, retry_at = NULL, updated_at = excluded.updated_at
         WHERE state = 'failed' AND retry_at IS NOT NULL AND retry_at <= excluded.claimed_at
         RETURNING *`,
      ).get({ sub: subscriptionId, date: localDate, slot: slotAt, late: late ? 1 : 0, by, at }) as Row | undefined;
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
    markPartSent(subscriptionId, localDate, part, messageId, at) {
      db.transaction(() => {
        sql("UPDATE digest_delivery_parts SET message_id = ?, sent_at = ? WHERE subscription_id = ? AND local_date = ? AND part = ?").run(messageId, at, subscriptionId, localDate, part);
        if (part === 1) sql("UPDATE digest_deliveries SET message_id = ?, updated_at = ? WHERE subscription_id = ? AND local_date = ?").run(messageId, at, subscriptionId, localDate);
      })();
    },
    markSent(subscriptionId, localDate, at) {
      db.transaction(() => {
        sql("UPDATE digest_deliveries SET state = 'sent', error = NULL, retry_at = NULL, updated_at = ? WHERE subscription_id = ? AND local_date = ?").run(at, subscriptionId, localDate);
        forgetBodies(subscriptionId, localDate);
      })();
    },
    markFailed(subscriptionId, localDate, error, retryAt, at) {
      db.transaction(() => {
        sql("UPDATE digest_deliveries SET state = 'failed', error = ?, retry_at = ?, updated_at = ? WHERE subscription_id = ? AND local_date = ?").run(error, retryAt, at, subscriptionId, localDate);
        if (retryAt === null) forgetBodies(subscriptionId, localDate);
      })();
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
