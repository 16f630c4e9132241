/**
 * The delivery that will actually happen next, as delivery.ts decides it: a slot fires only if
 * it is not before the subscription's `activeSince` and its local date has no ledger row that
 * blocks a claim. No I/O of its own: the ledger is read through a lookup, instants in, a slot and a reason out.
 */
import { formatDate } from "../dates/format.ts";
import { localParts } from "../dates/wall-clock.ts";
import type { Delivery } from "../ports.ts";
import type { LocalDate, Subscription } from "../types.ts";
import { nextSlot, slotContaining, type Slot } from "./schedule.ts";

export interface NextDelivery extends Slot {
  /** Why the next delivery is not simply the next slot on the clock, when it is not. */
  why?: string;
}

type Schedule = Pick<Subscription, "time" | "timeZone" | "days" | "activeSince">;

/** Whether a ledger row keeps its date from being claimed again (see DeliveryStore.claim). */
const blocks = (row: Delivery | undefined): row is Delivery => row !== undefined && !(row.state === "failed" && row.retryAt !== null);

function dayName(date: LocalDate, today: LocalDate): string {
  return date === today ? "today's" : `${formatDate(date)}'s`;
}

function blockedBecause(row: Delivery, today: LocalDate, sub: Schedule): string {
  const day = dayName(row.localDate, today);
  switch (row.state) {
    case "sent":
      return `${day} digest already went out at ${localParts(new Date(row.updatedAt), sub.timeZone).time}`;
    case "claimed":
      return `${day} digest is being posted now`;
    case "missed":
      return `${day} digest was recorded as missed`;
    case "failed":
      return `${day} digest failed and will not be retried${row.error ? ` (${row.error})` : ""}`;
  }
}

/**
 * When this subscription's digest goes out next, after `now`, given its ledger. A slot already
 * passed today that nothing has posted yet goes out at the next tick (at most a minute), so it is
 * `now`; a failed post waiting to be retried goes out at its retry time.
 */
export async function nextDelivery(sub: Schedule, ledger: (date: LocalDate) => Promise<Delivery | undefined>, now: Date): Promise<NextDelivery> {
  const today = localParts(now, sub.timeZone).date;
  const current = slotContaining(sub, now);
  let why: string | undefined;
  if (current && current.at <= now && current.at.toISOString() >= sub.activeSince) {
    const row = await ledger(current.date);
    if (row === undefined) return { ...current, at: now, why: `today's ${sub.time} has passed and its digest has not gone out yet: it goes out within a minute` };
    if (row.state === "failed" && row.retryAt !== null) {
      const retry = new Date(row.retryAt);
      return { ...current, at: retry > now ? retry : now, why: "retrying today's digest after a failed post" };
    }
    why = blockedBecause(row, today, sub);
  }
  let after = now;
  // why bounded: only dates that already have a ledger row are skipped, and rows exist for today at most.
  for (let i = 0; i < 8; i++) {
    const slot = nextSlot(sub, after);
    const row = await ledger(slot.date);
    if (!blocks(row) && slot.at.toISOString() >= sub.activeSince) return why === undefined ? slot : { ...slot, why };
    if (row) why ??= blockedBecause(row, today, sub);
    after = slot.at;
  }
  return nextSlot(sub, after);
}

/** `Mon 30 Nov 2026, 09:00 GMT (today's digest already went out at 09:00)`. */
export function describeNext(next: NextDelivery, format: (at: Date) => string): string {
  return next.why === undefined ? format(next.at) : `${format(next.at)} (${next.why})`;
}
