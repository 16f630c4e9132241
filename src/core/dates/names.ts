/** The English names of months and weekdays, as Docket writes them and as people type them. */
import { weekdays, type Weekday } from "../types.ts";

export const MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
export const MONTHS_LONG = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
] as const;
export const WEEKDAYS_SHORT = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
export const WEEKDAYS_LONG = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/** Lower-case month names and abbreviations as typed (`december`, `dec`, `sept`) → 1–12. */
export const MONTH_BY_NAME: ReadonlyMap<string, number> = new Map(
  MONTHS_LONG.flatMap((long, i) => {
    const lower = long.toLowerCase();
    const names = [lower, lower.slice(0, 3)];
    if (lower === "september") names.push("sept");
    return names.map((name) => [name, i + 1] as const);
  }),
);

/** Lower-case weekday names as typed (`friday`, `fridays`, `fri`, `thurs`) → the weekday. */
export const WEEKDAY_BY_NAME: ReadonlyMap<string, Weekday> = new Map(
  WEEKDAYS_LONG.flatMap((long, i) => {
    const day = weekdays[i] as Weekday;
    const lower = long.toLowerCase();
    const extra: Record<Weekday, string[]> = {
      mon: [], tue: ["tues"], wed: ["weds"], thu: ["thur", "thurs"], fri: [], sat: [], sun: [],
    };
    return [lower, `${lower}s`, day, ...extra[day]].map((name) => [name, day] as const);
  }),
);

export const weekdayIndex = (day: Weekday): number => weekdays.indexOf(day);
export const weekdayName = (day: Weekday): string => WEEKDAYS_LONG[weekdayIndex(day)] ?? "";
export const monthName = (month: number): string => MONTHS_LONG[month - 1] ?? "";
