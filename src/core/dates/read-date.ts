/** Reading a date as people type it: `2026-12-03`, `3 Dec 2026`, `Dec 3`, `tomorrow`, `friday`, `in 2 weeks`. */
import { DateTime } from "luxon";
import { UserError } from "../errors.ts";
import type { LocalDate, TimeZone } from "../types.ts";
import { addDays, dateProblem, daysInMonth, joinDate, splitDate, weekdayOf, type Ymd } from "./calendar.ts";
import { formatDate } from "./format.ts";
import { monthName, MONTH_BY_NAME, WEEKDAY_BY_NAME, weekdayIndex, weekdayName } from "./names.ts";
import { todayIn } from "./wall-clock.ts";
import { closest } from "../parse/suggest.ts";

/**
 * How to write a date, with examples two weeks after `today`.
 * why from the clock: fixed examples age into the past, and a hint the parser then refuses as past
 * (every date hint once suggested 2012) teaches nothing.
 */
export function dateExamples(today: LocalDate): string {
  const example = addDays(today, 14);
  return `Write a date like ${example}, ${formatDate(example)}, tomorrow, friday or "in 2 weeks".`;
}

const RELATIVE_UNITS: Readonly<Record<string, "days" | "weeks" | "months" | "years">> = {
  day: "days",
  week: "weeks",
  month: "months",
  year: "years",
};

const MONTH_WORD = "([a-z]+)\\.?";
const DAY_NUMBER = "(\\d{1,2})(?:st|nd|rd|th)?";
const YEAR = "(?:(?:,\\s*|\\s+)(\\d{4}))?";
const DAY_FIRST = new RegExp(`^${DAY_NUMBER}\\s*(?:of\\s+)?${MONTH_WORD}${YEAR}$`);
const MONTH_FIRST = new RegExp(`^${MONTH_WORD}\\s*${DAY_NUMBER}${YEAR}$`);

/**
 * Longer than any way of writing a date ("Wednesday, 30th of September 2026" is 33).
 * why: a member can send thousands of characters as a date; reading them as one costs work and says nothing.
 */
const longestDate = 64;

export interface ParseDateOptions {
  now: Date;
  zone: TimeZone;
  /** Accept dates before today; without it they are a UserError `date.past`. */
  allowPast?: boolean;
}

/**
 * A date typed by a person, as a LocalDate. Relative forms ("today", "in 2 weeks", "friday")
 * and dates without a year are read from today in `opts.zone`; a date without a year is its next
 * occurrence on or after today, a weekday name the next such day after today.
 * Throws UserError `date.invalid`, `date.ambiguous` or `date.past`.
 */
export function parseDate(input: string, opts: ParseDateOptions): LocalDate {
  const trimmed = input.trim();
  const quoted = `"${trimmed.length > longestDate ? `${trimmed.slice(0, longestDate)}…` : trimmed}"`;
  const text = trimmed.toLowerCase().replace(/\s+/g, " ");
  const today = todayIn(opts.now, opts.zone);
  const date = text.length > longestDate ? null : readDate(text, quoted, today);
  if (date === null) throw new UserError("date.invalid", `${quoted} is not a date I understand. ${dateExamples(today)}`);
  if (!opts.allowPast && date < today) {
    const understood =
      text === formatDate(date).toLowerCase() ? formatDate(date) : `${quoted} is ${formatDate(date)}, which`;
    throw new UserError(
      "date.past",
      `${understood} is in the past (today is ${formatDate(today)}): ` +
        `write today or a later date, like ${formatDate(addDays(today, 14))} or "in 2 weeks".`,
    );
  }
  return date;
}

/**
 * How far `input` reads as a date: `fits` when it is one (past ones too), `malformed` when it is
 * written as a date that cannot be (`31 Feb`, `in -2 days`, `3 Dce`, `3/4/2027`), so that the
 * words go to `parseDate` whole and it can say why; `no` when they are not a date at all.
 */
export function dateFit(input: string, opts: Omit<ParseDateOptions, "allowPast">): "fits" | "malformed" | "no" {
  const text = input.trim().toLowerCase().replace(/\s+/g, " ");
  if (text.length > longestDate) return "no";
  try {
    return readDate(text, `"${input.trim()}"`, todayIn(opts.now, opts.zone)) === null ? "no" : "fits";
  } catch (error) {
    if (error instanceof UserError) return "malformed";
    throw error;
  }
}

/** The date `text` names; null when it is not written as a date at all; a UserError saying why when it is but cannot be. */
function readDate(text: string, quoted: string, today: LocalDate): LocalDate | null {
  const invalid = (problem: string): UserError =>
    new UserError("date.invalid", `${quoted} is not a date: ${problem}. ${dateExamples(today)}`);
  const checked = (ymd: Ymd): LocalDate => {
    const problem = dateProblem(ymd);
    if (problem) throw invalid(problem);
    return joinDate(ymd);
  };

  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (iso) return checked({ year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3]) });

  if (text === "today") return today;
  if (text === "tomorrow") return addDays(today, 1);
  if (text === "yesterday") return addDays(today, -1);

  const relative = /^(?:in )?([-\u2212]?\d+|a|an|one) (day|week|month|year)s?$/.exec(text);
  if (relative) {
    const count = /^[-\u2212]?\d+$/.test(relative[1] ?? "") ? Number((relative[1] ?? "").replace("\u2212", "-")) : 1;
    const unit = RELATIVE_UNITS[relative[2] ?? ""];
    if (count < 0) {
      const ahead = `${-count} ${relative[2]}${count === -1 ? "" : "s"}`;
      throw invalid(`"in" counts forward, so no minus sign; for ${ahead} from now write "in ${ahead}"`);
    }
    // luxon clamps month ends: 31 Jan + 1 month is 28 (or 29) Feb.
    const result = unit && DateTime.fromISO(today, { zone: "utc" }).plus({ [unit]: count });
    if (!result || !result.isValid || result.year > 9999) throw invalid("that is too far ahead");
    return joinDate({ year: result.year, month: result.month, day: result.day });
  }

  // A weekday before a date ("Mon 3 Dec 2012") is accepted when it is right, as a check.
  const prefixed = /^([a-z]+),? (.*\d.*)$/.exec(text);
  const statedWeekday = prefixed && WEEKDAY_BY_NAME.get(prefixed[1] ?? "");
  if (prefixed && statedWeekday) {
    const date = readDate(prefixed[2] ?? "", quoted, today);
    if (date === null) return null;
    const actual = weekdayOf(date);
    if (actual !== statedWeekday) {
      throw invalid(`${formatDate(date)} is a ${weekdayName(actual)}, not a ${weekdayName(statedWeekday)}`);
    }
    return date;
  }

  const weekday = /^(?:next )?([a-z]+)$/.exec(text);
  const named = weekday && WEEKDAY_BY_NAME.get(weekday[1] ?? "");
  if (named) {
    const ahead = (weekdayIndex(named) - weekdayIndex(weekdayOf(today)) + 7) % 7 || 7;
    return addDays(today, ahead);
  }

  const numeric = /^(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}))?$/.exec(text);
  if (numeric) return readNumericDate(Number(numeric[1]), Number(numeric[3]), numeric[4], quoted, today, checked);

  const dayFirst = DAY_FIRST.exec(text);
  const monthFirst = MONTH_FIRST.exec(text);
  const parts = dayFirst
    ? { day: dayFirst[1], month: dayFirst[2], year: dayFirst[3] }
    : monthFirst
      ? { day: monthFirst[2], month: monthFirst[1], year: monthFirst[3] }
      : null;
  const month = parts && MONTH_BY_NAME.get(parts.month ?? "");
  if (parts && month) {
    const day = Number(parts.day);
    if (parts.year !== undefined) return checked({ year: Number(parts.year), month, day });
    return nextOccurrence(month, day, today, invalid);
  }
  // why: "3 Dce 2026" is a date with a typo, not words that happen to hold a number; say which word.
  const guess = parts && closest(parts.month ?? "", [...MONTH_BY_NAME.keys()]);
  if (parts && guess) {
    const named = monthName(MONTH_BY_NAME.get(guess) ?? 0);
    throw invalid(`there is no month "${parts.month}" (did you mean ${named}?)`);
  }
  return null;
}

/** `3/12/2012` or `3/12`: day first or month first, accepted only when just one reading works. */
function readNumericDate(
  first: number,
  second: number,
  yearText: string | undefined,
  quoted: string,
  today: LocalDate,
  checked: (ymd: Ymd) => LocalDate,
): LocalDate {
  const invalid = (problem: string): UserError =>
    new UserError("date.invalid", `${quoted} is not a date: ${problem}. ${dateExamples(today)}`);
  const resolve = (day: number, month: number): LocalDate =>
    yearText === undefined ? nextOccurrence(month, day, today, invalid) : checked({ year: Number(yearText), month, day });

  if (first > 12 && second > 12) throw invalid(`neither ${first} nor ${second} can be a month`);
  if (first > 12) return resolve(first, second);
  if (second > 12) return resolve(second, first);
  if (first === second) return resolve(first, second);
  const dayFirst = resolve(first, second);
  const monthFirst = resolve(second, first);
  throw new UserError(
    "date.ambiguous",
    `${quoted} could be ${formatDate(dayFirst)} or ${formatDate(monthFirst)}: ` +
      `write ${dayFirst} or ${monthFirst} instead.`,
  );
}

/** The first day-month on or after today; 29 Feb waits for the next leap year. */
function nextOccurrence(month: number, day: number, today: LocalDate, invalid: (problem: string) => UserError): LocalDate {
  if (month < 1 || month > 12) throw invalid(`there is no month ${month}`);
  if (day < 1) throw invalid(`there is no day ${day}`);
  const { year } = splitDate(today);
  const longest = month === 2 ? 29 : daysInMonth(2000, month);
  if (day > longest) {
    // why name a year: "February has only 29 days" reads as if 30 Feb were near; the coming one is what was meant.
    const coming = joinDate({ year, month, day: daysInMonth(year, month) }) >= today ? year : year + 1;
    throw invalid(`${monthName(month)} ${coming} has only ${daysInMonth(coming, month)} days`);
  }
  for (let candidate = year; candidate <= year + 8; candidate++) {
    const ymd = { year: candidate, month, day };
    if (dateProblem(ymd) === null && joinDate(ymd) >= today) return joinDate(ymd);
  }
  throw new Error("unreachable: every day-month recurs within 8 years");
}
