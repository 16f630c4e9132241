/**
 * Instants and wall clocks: what a zone's clocks show at an instant, and the instant at which
 * they show a local date and time (through clock changes).
 */
import type { LocalDate, LocalTime, TimeZone, Weekday } from "../types.ts";
import { DAY_MS, joinDate, MINUTE_MS, pad2, utcMs, weekdayOf } from "./calendar.ts";
import { offsetAt, steadyOffsetAt } from "./zones.ts";

/** The wall clock in `zone` at an instant, as a Date whose UTC fields read that wall clock. */
function wallClock(at: Date, zone: TimeZone): Date {
  return new Date(at.getTime() + steadyOffsetAt(zone, at.getTime()));
}

export function todayIn(now: Date, zone: TimeZone): LocalDate {
  // why not localParts: lists ask this for every row, and the time and weekday are work it would drop.
  const local = wallClock(now, zone);
  return joinDate({ year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() });
}

/** The local date, wall-clock time (to the minute) and weekday of an instant in a zone. */
export function localParts(now: Date, zone: TimeZone): { date: LocalDate; time: LocalTime; weekday: Weekday } {
  const local = wallClock(now, zone);
  const date = joinDate({ year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate() });
  return { date, time: `${pad2(local.getUTCHours())}:${pad2(local.getUTCMinutes())}`, weekday: weekdayOf(date) };
}

function splitTime(time: LocalTime): { hour: number; minute: number } {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (!match || hour > 23 || minute > 59) throw new Error(`Not a LocalTime: ${JSON.stringify(time)}`);
  return { hour, minute };
}

/**
 * The instant at which clocks in `zone` show `time` on `date`.
 * - A time skipped by a clock change (02:30 when 02:00 jumps to 03:00) gives the first wall-clock
 *   minute after it that exists (03:00): the moment the clocks changed.
 * - A time that happens twice (clocks go back) gives the first, earlier occurrence.
 * Put differently: the earliest instant whose wall clock reads `time` or later on that night.
 * (luxon alone would shift skipped times by the size of the gap, and picks either occurrence.)
 */
export function localInstant(date: LocalDate, time: LocalTime, zone: TimeZone): Date {
  const key = `${zone} ${date} ${time}`;
  let instant = instantCache.get(key);
  if (instant === undefined) {
    instant = resolveWallClock(date, time, zone);
    if (instantCache.size >= 10_000) instantCache.clear();
    instantCache.set(key, instant);
  }
  return new Date(instant);
}

// why: a scheduler asks for the same day's slot on every tick, and the answer never changes.
const instantCache = new Map<string, number>();

/**
 * When clocks in `zone` never show `time` on `date` because they jump over it (spring forward):
 * the wall-clock time the jump starts from and the one it lands on, `{ from: "01:00", to: "02:00" }`;
 * otherwise null.
 */
export function skippedTime(date: LocalDate, time: LocalTime, zone: TimeZone): { from: LocalTime; to: LocalTime } | null {
  const instant = localInstant(date, time, zone);
  const shown = localParts(instant, zone);
  if (shown.date === date && shown.time === time) return null;
  // The last minute the clocks showed before the jump, plus one: where the missing stretch begins.
  const last = splitTime(localParts(new Date(instant.getTime() - MINUTE_MS), zone).time);
  return { from: addMinutes(last, 1), to: shown.time };
}

const addMinutes = ({ hour, minute }: { hour: number; minute: number }, n: number): LocalTime => {
  const total = (((hour * 60 + minute + n) % 1440) + 1440) % 1440;
  return `${pad2(Math.floor(total / 60))}:${pad2(total % 60)}`;
};

/** The wall-clock minute before `time`: `02:00` → `01:59`, `00:00` → `23:59`. */
export const minuteBefore = (time: LocalTime): LocalTime => addMinutes(splitTime(time), -1);

function resolveWallClock(date: LocalDate, time: LocalTime, zone: TimeZone): number {
  const { hour, minute } = splitTime(time);
  // The wall-clock reading written as if it were UTC; subtracting an offset gives a candidate.
  const wall = utcMs(date) + (hour * 60 + minute) * MINUTE_MS;
  // why ±1 day: every instant whose wall clock could read `wall` lies within 14 h of it, so the
  // offsets in force a day either side (and at it) are all the candidates. We assume no zone
  // changes its offset twice within two days; then equal offsets at both ends mean no change.
  const dayBefore = offsetAt(zone, wall - DAY_MS);
  const dayAfter = offsetAt(zone, wall + DAY_MS);
  if (dayBefore === dayAfter) return wall - dayBefore;
  const offsets = new Set([dayBefore, offsetAt(zone, wall), dayAfter]);
  const occurrences = [...offsets]
    .map((offset) => wall - offset)
    .filter((instant) => wall - instant === offsetAt(zone, instant));
  if (occurrences.length > 0) return Math.min(...occurrences);

  // A gap: find the first minute at which the wall clock has passed `wall` (the clock change).
  const wallAt = (instant: number): number => instant + offsetAt(zone, instant);
  let before = wall - Math.max(...offsets); // wall clock still short of `wall`
  let after = wall - Math.min(...offsets); // wall clock already past it
  if (wallAt(before) >= wall || wallAt(after) < wall) {
    throw new Error(`Cannot resolve ${date} ${time} in ${zone}`);
  }
  while (after - before > MINUTE_MS) {
    const middle = before + Math.floor((after - before) / MINUTE_MS / 2) * MINUTE_MS;
    if (wallAt(middle) >= wall) after = middle;
    else before = middle;
  }
  return after;
}
