/**
 * Local dates as plain calendar arithmetic: `YYYY-MM-DD` strings, no zone involved (all of it is
 * UTC arithmetic, so the server's own zone never leaks in).
 */
import { weekdays, type LocalDate, type Weekday } from "../types.ts";
import { monthName } from "./names.ts";

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

export interface Ymd {
  year: number;
  month: number;
  day: number;
}

export const pad2 = (n: number): string => String(n).padStart(2, "0");

export function splitDate(date: LocalDate): Ymd {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ymd = match && { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (!ymd || dateProblem(ymd) !== null) throw new Error(`Not a LocalDate: ${JSON.stringify(date)}`);
  return ymd;
}

export const joinDate = ({ year, month, day }: Ymd): LocalDate => `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;

/** Midnight UTC of a date, in milliseconds: the number calendar arithmetic works on. */
export const utcMs = (date: LocalDate): number => {
  const { year, month, day } = splitDate(date);
  return Date.UTC(year, month - 1, day);
};

const dateFromUtcMs = (ms: number): LocalDate => {
  const d = new Date(ms);
  return joinDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
};

const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

export const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/** Why a year-month-day is not a date, as the end of a sentence, or null if it is one. */
export function dateProblem({ year, month, day }: Ymd): string | null {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  if (day < 1) return `there is no day ${day}`;
  if (day > daysInMonth(year, month)) return `${monthName(month)} ${year} has only ${daysInMonth(year, month)} days`;
  return null;
}

/** Whole calendar days from `from` to `to`; negative if `to` is earlier. */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((utcMs(to) - utcMs(from)) / DAY_MS);
}

export function addDays(date: LocalDate, n: number): LocalDate {
  return dateFromUtcMs(utcMs(date) + n * DAY_MS);
}

export function weekdayOf(date: LocalDate): Weekday {
  // getUTCDay: 0 = Sunday; our weekdays start on Monday.
  const weekday = weekdays[(new Date(utcMs(date)).getUTCDay() + 6) % 7];
  if (!weekday) throw new Error("unreachable: weekday index out of range");
  return weekday;
}
