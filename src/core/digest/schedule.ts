/**
 * When a daily digest fires. Pure: instants in, instants out, computed in the schedule's own zone
 * and never the server's. A slot belongs to a local date; on clock-change days it follows
 * `localInstant` (a skipped time fires at the change, a repeated time at its first occurrence).
 */
import { addDays, weekdayOf } from "../dates/calendar.ts";
import { localInstant, todayIn } from "../dates/wall-clock.ts";
import type { LocalDate, LocalTime, TimeZone, Weekday } from "../types.ts";

export interface DailySchedule {
  time: LocalTime;
  timeZone: TimeZone;
  days: readonly Weekday[];
}

export interface Slot {
  /** The local date, in the schedule's zone, the slot belongs to. */
  date: LocalDate;
  at: Date;
}

/** The instant the schedule fires on a local date, or null if that weekday is not selected. */
export function slotOn(schedule: DailySchedule, date: LocalDate): Date | null {
  if (!schedule.days.includes(weekdayOf(date))) return null;
  return localInstant(date, schedule.time, schedule.timeZone);
}

/**
 * The slot of the local date `now` falls on, whether it is before or after `now`; null if that
 * day is not selected. A ticker fires it once `at <= now`, remembering the date it fired for.
 */
export function slotContaining(schedule: DailySchedule, now: Date): Slot | null {
  const date = todayIn(now, schedule.timeZone);
  const at = slotOn(schedule, date);
  return at ? { date, at } : null;
}

/** The first slot strictly after `after`. Throws if the schedule has no days (it never fires). */
export function nextSlot(schedule: DailySchedule, after: Date): Slot {
  if (schedule.days.length === 0) throw new Error("A schedule with no days has no next slot");
  // why start a day early: a skipped time can push a slot past midnight into the next local day.
  const start = addDays(todayIn(after, schedule.timeZone), -1);
  for (let offset = 0; offset <= 8; offset++) {
    const date = addDays(start, offset);
    const at = slotOn(schedule, date);
    if (at && at.getTime() > after.getTime()) return { date, at };
  }
  throw new Error("unreachable: a selected weekday recurs within a week");
}

/** Every slot with `from <= at < to`, in time order; empty when `to <= from`. */
export function slotsBetween(schedule: DailySchedule, from: Date, to: Date): Slot[] {
  const slots: Slot[] = [];
  if (to.getTime() <= from.getTime()) return slots;
  const last = todayIn(to, schedule.timeZone);
  for (let date = addDays(todayIn(from, schedule.timeZone), -1); date <= last; date = addDays(date, 1)) {
    const at = slotOn(schedule, date);
    if (at && at.getTime() >= from.getTime() && at.getTime() < to.getTime()) slots.push({ date, at });
  }
  return slots;
}
