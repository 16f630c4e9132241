/**
 * Calendar dates, wall-clock times and time zones: parsing what people type, and turning a local
 * date and time in a zone into an instant. Pure: the current instant is always passed in, and
 * nothing here reads the server's own time zone (only UTC arithmetic and luxon with explicit zones).
 */
import { DateTime, IANAZone } from "luxon";
import { UserError } from "./errors.ts";
import { weekdays, type LocalDate, type LocalTime, type TimeZone, type Weekday } from "./types.ts";

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

const MONTHS_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;
const MONTHS_LONG = [
  "January", "February", "March", "April", "May", "June",
  "July", "August", "September", "October", "November", "December",
] as const;
const WEEKDAYS_SHORT = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"] as const;
const WEEKDAYS_LONG = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

const DATE_EXAMPLES = 'Write a date like 2012-12-03, 3 Dec 2012, tomorrow, friday or "in 2 weeks".';
const TIME_EXAMPLES = "Write a time like 09:00, 21:30, 9am or 9:30pm.";
const DAYS_EXAMPLES = "Write days like mon-fri, mon,wed,fri, weekdays, weekends or daily.";
const ZONE_EXAMPLE = "Write a time zone like Europe/London, America/New_York or UTC.";

// ---------------------------------------------------------------------------------------------
// Time zones

// why: ICU (and so Intl in Node 20) still lists some zones under their old CLDR names; people
// type, and the IANA database now uses, the modern ones.
const MODERN_ZONE_NAMES: Readonly<Record<string, string>> = {
  "Africa/Asmera": "Africa/Asmara",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Catamarca": "America/Argentina/Catamarca",
  "America/Cordoba": "America/Argentina/Cordoba",
  "America/Godthab": "America/Nuuk",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Jujuy": "America/Argentina/Jujuy",
  "America/Louisville": "America/Kentucky/Louisville",
  "America/Mendoza": "America/Argentina/Mendoza",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Europe/Kiev": "Europe/Kyiv",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Truk": "Pacific/Chuuk",
};

const modernZoneName = (name: string): string => MODERN_ZONE_NAMES[name] ?? name;

let zoneIndex: Map<string, TimeZone> | undefined;

/** Lower-cased name (listed or old CLDR spelling) → the spelling we store. Built once, lazily. */
function knownZones(): Map<string, TimeZone> {
  if (!zoneIndex) {
    zoneIndex = new Map();
    for (const name of [...Intl.supportedValuesOf("timeZone"), "UTC"]) {
      zoneIndex.set(name.toLowerCase(), modernZoneName(name));
    }
    for (const modern of Object.values(MODERN_ZONE_NAMES)) zoneIndex.set(modern.toLowerCase(), modern);
  }
  return zoneIndex;
}

/** What Intl calls a zone it accepts (it knows old links like US/Pacific), or null. */
function intlZoneName(input: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(input) || !IANAZone.isValidZone(input)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: input }).resolvedOptions().timeZone;
  } catch (error) {
    if (error instanceof RangeError) return null;
    throw error;
  }
}

/** The proper spelling of a zone name, or undefined when it names no zone Docket accepts (for validation at the edges). */
export function canonicalZone(input: string): TimeZone | undefined {
  try {
    return parseZone(input);
  } catch (error) {
    if (error instanceof UserError) return undefined;
    throw error;
  }
}

/**
 * An IANA zone name typed by a person, in any case, as the zone's proper spelling
 * (`europe/london` → `Europe/London`, `etc/utc` → `UTC`). Old links resolve to their zone
 * (`US/Pacific` → `America/Los_Angeles`). Throws UserError `zone.invalid` with the closest real
 * zone, if one is close.
 */
export function parseZone(input: string): TimeZone {
  const trimmed = input.trim();
  const known = knownZones().get(trimmed.toLowerCase());
  if (known) return known;
  const viaIntl = intlZoneName(trimmed);
  // why: ICU also accepts abbreviations and country names (BST is Asia/Dhaka to it, EST a zone
  // without DST); only region/city names, and the names of UTC itself, are safe to take.
  if (viaIntl === "UTC") return "UTC";
  if (viaIntl && trimmed.includes("/")) return modernZoneName(viaIntl);
  const abbreviation = new UserError(
    "zone.invalid",
    `"${trimmed}" looks like an abbreviation, and those can mean more than one zone. ${ZONE_EXAMPLE}`,
  );
  if (/^[A-Z]{2,5}$/.test(trimmed)) throw abbreviation;
  const suggestion = closestZone(trimmed);
  if (suggestion) {
    throw new UserError(
      "zone.invalid",
      `"${trimmed}" is not a time zone I know: did you mean ${suggestion}? ${ZONE_EXAMPLE}`,
    );
  }
  if (/^[a-z]{2,5}$/i.test(trimmed)) throw abbreviation;
  throw new UserError("zone.invalid", `"${trimmed}" is not a time zone I know. ${ZONE_EXAMPLE}`);
}

function closestZone(input: string): TimeZone | null {
  const typed = input.toLowerCase().replace(/\s+/g, "_");
  // why: a near-miss of a very short input (Rome → Nome) is more likely wrong than helpful.
  if (typed.length < 4) return null;
  const threshold = Math.max(1, Math.floor(typed.length / 4));
  let best: { zone: TimeZone; distance: number } | null = null;
  for (const [lower, zone] of knownZones()) {
    const city = lower.slice(lower.lastIndexOf("/") + 1);
    const distance = Math.min(editDistance(typed, lower), editDistance(typed, city));
    if (distance <= threshold && (!best || distance < best.distance)) best = { zone, distance };
  }
  return best?.zone ?? null;
}

/** Levenshtein distance, with a swap of two neighbouring letters counting as one edit. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const above = rows[i - 1] ?? [];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((above[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (above[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (rows[i - 2]?.[j - 2] ?? 0) + 1);
      }
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]?.[b.length] ?? 0;
}

const offsetFormats = new Map<TimeZone, Intl.DateTimeFormat>();

/**
 * The zone's offset from UTC at an instant, in milliseconds (east positive).
 * why not luxon's `IANAZone.offset`: it goes through `formatToParts`, about four times slower
 * than reading Intl's `longOffset`, and the scheduler asks this several times on every tick.
 */
function offsetAt(zone: TimeZone, ms: number): number {
  let format = offsetFormats.get(zone);
  if (!format) {
    // A stored zone that is not valid is a bug, not something the user can fix here.
    if (!IANAZone.isValidZone(zone)) throw new Error(`Unknown time zone ${JSON.stringify(zone)}`);
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    offsetFormats.set(zone, format);
  }
  const text = format.format(ms);
  const match = /GMT(?:([-+\u2212])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!match) throw new Error(`Unexpected offset ${JSON.stringify(text)} for ${zone}`);
  if (match[1] === undefined) return 0;
  const size = (Number(match[2]) * 3600 + Number(match[3]) * 60 + Number(match[4] ?? 0)) * 1000;
  return match[1] === "+" ? size : -size;
}

/** The wall clock in `zone` at an instant, as a Date whose UTC fields read that wall clock. */
function wallClock(at: Date, zone: TimeZone): Date {
  return new Date(at.getTime() + offsetAt(zone, at.getTime()));
}

// ---------------------------------------------------------------------------------------------
// Local dates as plain calendar arithmetic (no zone involved)

interface Ymd {
  year: number;
  month: number;
  day: number;
}

function splitDate(date: LocalDate): Ymd {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ymd = match && { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) };
  if (!ymd || dateProblem(ymd) !== null) throw new Error(`Not a LocalDate: ${JSON.stringify(date)}`);
  return ymd;
}

const pad2 = (n: number): string => String(n).padStart(2, "0");
const joinDate = ({ year, month, day }: Ymd): LocalDate => `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;
const utcMs = (date: LocalDate): number => {
  const { year, month, day } = splitDate(date);
  return Date.UTC(year, month - 1, day);
};
const dateFromUtcMs = (ms: number): LocalDate => {
  const d = new Date(ms);
  return joinDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
};
const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/** Why a year-month-day is not a date, as the end of a sentence, or null if it is one. */
function dateProblem({ year, month, day }: Ymd): string | null {
  if (month < 1 || month > 12) return `there is no month ${month}`;
  if (day < 1) return `there is no day ${day}`;
  const monthName = MONTHS_LONG[month - 1] ?? "";
  if (day > daysInMonth(year, month)) {
    return `${monthName} ${year} has only ${daysInMonth(year, month)} days`;
  }
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

const weekdayIndex = (day: Weekday): number => weekdays.indexOf(day);

/** `3 Dec 2012` */
export function formatDate(date: LocalDate): string {
  const { year, month, day } = splitDate(date);
  return `${day} ${MONTHS_SHORT[month - 1] ?? ""} ${year}`;
}

/** `Monday 3 December 2012` */
export function formatDateLong(date: LocalDate): string {
  const { year, month, day } = splitDate(date);
  const weekday = WEEKDAYS_LONG[weekdayIndex(weekdayOf(date))] ?? "";
  return `${weekday} ${day} ${MONTHS_LONG[month - 1] ?? ""} ${year}`;
}

// ---------------------------------------------------------------------------------------------
// Instants and wall clocks

export function todayIn(now: Date, zone: TimeZone): LocalDate {
  return localParts(now, zone).date;
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

const TZ_NAME_LOCALES = ["en-US", "en-GB", "en-AU", "en-NZ", "en-IN", "en-CA", "en-IE"] as const;
const tzNameFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The zone's short name at an instant. why several locales: each English locale knows only its
 * own region's abbreviations (en-US: EST but not BST; en-GB: BST but not EST); where none has
 * one, Intl's `GMT+5:30` form is the offset.
 */
function shortZoneName(at: Date, zone: TimeZone): string {
  let fallback = "";
  for (const locale of TZ_NAME_LOCALES) {
    const key = `${locale} ${zone}`;
    let format = tzNameFormats.get(key);
    if (!format) {
      format = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "short" });
      tzNameFormats.set(key, format);
    }
    const name = format.formatToParts(at).find((part) => part.type === "timeZoneName")?.value ?? "";
    if (name && !/^(GMT|UTC)[-+\u2212]/.test(name)) return name;
    fallback ||= name;
  }
  return fallback;
}

/** `Tue 1 Dec 2026, 09:00 GMT`: the instant on the zone's wall clock, with the zone's short name. */
export function formatInstant(at: Date, zone: TimeZone): string {
  const { date, time, weekday } = localParts(at, zone);
  const { year, month, day } = splitDate(date);
  const weekdayName = WEEKDAYS_SHORT[weekdayIndex(weekday)] ?? "";
  return `${weekdayName} ${day} ${MONTHS_SHORT[month - 1] ?? ""} ${year}, ${time} ${shortZoneName(at, zone)}`;
}

// ---------------------------------------------------------------------------------------------
// Parsing dates

const MONTH_BY_NAME: ReadonlyMap<string, number> = new Map(
  MONTHS_LONG.flatMap((long, i) => {
    const lower = long.toLowerCase();
    const names = [lower, lower.slice(0, 3)];
    if (lower === "september") names.push("sept");
    return names.map((name) => [name, i + 1] as const);
  }),
);

const WEEKDAY_BY_NAME: ReadonlyMap<string, Weekday> = new Map(
  WEEKDAYS_LONG.flatMap((long, i) => {
    const day = weekdays[i] as Weekday;
    const lower = long.toLowerCase();
    const extra: Record<Weekday, string[]> = {
      mon: [], tue: ["tues"], wed: ["weds"], thu: ["thur", "thurs"], fri: [], sat: [], sun: [],
    };
    return [lower, `${lower}s`, day, ...extra[day]].map((name) => [name, day] as const);
  }),
);

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
  const quoted = `"${input.trim()}"`;
  const text = input.trim().toLowerCase().replace(/\s+/g, " ");
  const today = todayIn(opts.now, opts.zone);
  const date = readDate(text, quoted, today);
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

function readDate(text: string, quoted: string, today: LocalDate): LocalDate {
  const invalid = (problem: string): UserError =>
    new UserError("date.invalid", `${quoted} is not a date: ${problem}. ${DATE_EXAMPLES}`);
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

  const relative = /^(?:in )?(\d+|a|an|one) (day|week|month|year)s?$/.exec(text);
  if (relative) {
    const count = /^\d+$/.test(relative[1] ?? "") ? Number(relative[1]) : 1;
    const unit = RELATIVE_UNITS[relative[2] ?? ""];
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
    const actual = weekdayOf(date);
    if (actual !== statedWeekday) {
      const name = (day: Weekday): string => WEEKDAYS_LONG[weekdayIndex(day)] ?? "";
      throw invalid(`${formatDate(date)} is a ${name(actual)}, not a ${name(statedWeekday)}`);
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
  throw new UserError("date.invalid", `${quoted} is not a date I understand. ${DATE_EXAMPLES}`);
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
    new UserError("date.invalid", `${quoted} is not a date: ${problem}. ${DATE_EXAMPLES}`);
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
  const longest = month === 2 ? 29 : daysInMonth(2000, month);
  if (day > longest) throw invalid(`${MONTHS_LONG[month - 1] ?? ""} has only ${longest} days`);
  const { year } = splitDate(today);
  for (let candidate = year; candidate <= year + 8; candidate++) {
    const ymd = { year: candidate, month, day };
    if (dateProblem(ymd) === null && joinDate(ymd) >= today) return joinDate(ymd);
  }
  throw new Error("unreachable: every day-month recurs within 8 years");
}

// ---------------------------------------------------------------------------------------------
// Parsing times

/** `9:00`, `21:30`, `9am`, `9:30 pm`, `9.30pm`, `noon`, `midnight` (00:00) as `HH:MM`. */
export function parseTime(input: string): LocalTime {
  const quoted = `"${input.trim()}"`;
  const text = input.trim().toLowerCase().replace(/\s+/g, " ").replace(/([ap])\.?m\.?$/, "$1m");
  const invalid = (problem: string): UserError =>
    new UserError("time.invalid", `${quoted} is not a time${problem ? `: ${problem}` : " I understand"}. ${TIME_EXAMPLES}`);

  if (text === "noon" || text === "midday") return "12:00";
  if (text === "midnight") return "00:00";
  const match = /^(\d{1,2})(?:[:.](\d{2}))? ?(am|pm)?$/.exec(text);
  if (!match || (match[2] === undefined && match[3] === undefined)) throw invalid("");
  let hour = Number(match[1]);
  const minute = Number(match[2] ?? "0");
  const half = match[3];
  if (minute > 59) throw invalid(`there is no minute ${minute}`);
  if (half) {
    if (hour < 1 || hour > 12) throw invalid(`${hour}${half} is not an hour on a 12-hour clock`);
    hour = (hour % 12) + (half === "pm" ? 12 : 0);
  } else if (hour > 23) {
    throw invalid(`there is no hour ${hour}`);
  }
  return `${pad2(hour)}:${pad2(minute)}`;
}

// ---------------------------------------------------------------------------------------------
// Days of the week

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

/** `every day`, `Mon–Fri`, `Mon, Wed, Fri`, `Mon–Wed, Sat, Sun`: runs of three or more use a dash. */
export function formatDays(days: readonly Weekday[]): string {
  const chosen = new Set(days);
  if (chosen.size === weekdays.length) return "every day";
  if (chosen.size === 0) return "no days";
  const parts: string[] = [];
  let i = 0;
  while (i < weekdays.length) {
    if (!chosen.has(weekdays[i] as Weekday)) {
      i++;
      continue;
    }
    let end = i;
    while (end + 1 < weekdays.length && chosen.has(weekdays[end + 1] as Weekday)) end++;
    const names = WEEKDAYS_SHORT.slice(i, end + 1);
    parts.push(...(names.length >= 3 ? [`${names[0]}–${names[names.length - 1]}`] : names));
    i = end + 1;
  }
  return parts.join(", ");
}
