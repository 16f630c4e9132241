/** Dates, instants and sets of weekdays written for people: `3 Dec 2026`, `Tue 1 Dec 2026, 09:00 GMT`, `Mon–Fri`. */
import { weekdays, type LocalDate, type TimeZone, type Weekday } from "../types.ts";
import { splitDate, weekdayOf } from "./calendar.ts";
import { MONTHS_LONG, MONTHS_SHORT, WEEKDAYS_LONG, WEEKDAYS_SHORT, weekdayIndex } from "./names.ts";
import { localParts } from "./wall-clock.ts";

/** `3 Dec 2026` */
export function formatDate(date: LocalDate): string {
  const { year, month, day } = splitDate(date);
  return `${day} ${MONTHS_SHORT[month - 1] ?? ""} ${year}`;
}

/** `Thursday 3 December 2026` */
export function formatDateLong(date: LocalDate): string {
  const { year, month, day } = splitDate(date);
  const weekday = WEEKDAYS_LONG[weekdayIndex(weekdayOf(date))] ?? "";
  return `${weekday} ${day} ${MONTHS_LONG[month - 1] ?? ""} ${year}`;
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
