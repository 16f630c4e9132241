/** Reading days of the week as people type them: `mon-fri`, `weekdays`, `mon,wed,fri`. */
import { UserError } from "../errors.ts";
import { weekdays, type Weekday } from "../types.ts";
import { WEEKDAY_BY_NAME, weekdayIndex } from "./names.ts";

const DAYS_EXAMPLES = "Write days like mon-fri, mon,wed,fri, weekdays, weekends or daily.";

const DAY_SETS: Readonly<Record<string, readonly Weekday[]>> = {
  daily: weekdays,
  everyday: weekdays,
  "every day": weekdays,
  all: weekdays,
  weekdays: ["mon", "tue", "wed", "thu", "fri"],
  weekday: ["mon", "tue", "wed", "thu", "fri"],
  weekends: ["sat", "sun"],
  weekend: ["sat", "sun"],
};

/**
 * `mon-fri`, `mon,wed,fri`, `weekdays`, `daily`, full names, wrap-around ranges (`fri-mon`), in any
 * combination; the result is unique and in Monday-to-Sunday order. Throws UserError `days.invalid`.
 */
export function parseDays(input: string): Weekday[] {
  const quoted = `"${input.trim()}"`;
  const text = input
    .trim()
    .toLowerCase()
    .replace(/[–—]/g, "-")
    .replace(/\s+(?:to|-)\s+|\s*-\s*/g, "-")
    .replace(/\s+and\s+/g, ",");
  const whole = DAY_SETS[text.replace(/\s+/g, " ")];
  if (whole) return [...whole];

  const tokens = text.split(/[\s,]+/).filter((token) => token !== "");
  if (tokens.length === 0) throw new UserError("days.invalid", `No days given. ${DAYS_EXAMPLES}`);
  const chosen = new Set<Weekday>();
  for (const token of tokens) {
    const set = DAY_SETS[token];
    if (set) {
      set.forEach((day) => chosen.add(day));
      continue;
    }
    const ends = token.split("-");
    const days = ends.map((end) => WEEKDAY_BY_NAME.get(end));
    const unknown = ends.find((end, i) => days[i] === undefined);
    if (unknown !== undefined || ends.length > 2) {
      const problem = unknown ? `"${unknown}" is not a day of the week` : `"${token}" is not a range`;
      throw new UserError("days.invalid", `${quoted} is not a list of days: ${problem}. ${DAYS_EXAMPLES}`);
    }
    const start = weekdayIndex(days[0] as Weekday);
    const end = weekdayIndex((days[1] ?? days[0]) as Weekday);
    // A range runs forward and may wrap past Sunday: fri-mon is Fri, Sat, Sun, Mon.
    for (let i = 0; i <= (end - start + 7) % 7; i++) chosen.add(weekdays[(start + i) % 7] as Weekday);
  }
  return weekdays.filter((day) => chosen.has(day));
}
