import { daysBetween } from "./dates/calendar.ts";
import { formatDate } from "./dates/format.ts";
import { localInstant, localParts, todayIn } from "./dates/wall-clock.ts";
import { MONTHS_SHORT } from "./dates/names.ts";
import type { ChaseSummary } from "./ports.ts";
import { plainNames, type NameOf } from "./people.ts";
import { excerpt, plural } from "./text.ts";
import type { Chase, Deadline, LocalDate, NeededBy, Question, QuestionLine, QuestionStatus, TimeZone } from "./types.ts";

/** The deadline's date as seen from `zone`: a timed deadline may fall on another day elsewhere. */
export function deadlineDateIn(deadline: Deadline, zone: TimeZone): LocalDate {
  if (deadline.time === null) return deadline.date;
  return localParts(localInstant(deadline.date, deadline.time, deadline.timeZone), zone).date;
}

/** Calendar days from `now` to the deadline, in the reader's zone (never 24-hour blocks). */
export function daysUntil(deadline: Deadline, now: Date, zone: TimeZone): number {
  return daysBetween(todayIn(now, zone), deadlineDateIn(deadline, zone));
}

/** `in 52 days`, `tomorrow`, `today`, `passed yesterday`, `passed 3 days ago`. */
export function countdownPhrase(days: number): string {
  if (days > 1) return `in ${plural(days, "day")}`;
  if (days === 1) return "tomorrow";
  if (days === 0) return "today";
  if (days === -1) return "passed yesterday";
  return `passed ${plural(-days, "day")} ago`;
}

/** `WCIT-12 (Dubai) opens in 52 days` reads best with the title first and the place in brackets. */
export function countdownLine(deadline: Deadline, now: Date, zone: TimeZone): string {
  const days = daysUntil(deadline, now, zone);
  const place = deadline.place ? ` (${deadline.place})` : "";
  const when = days >= 0 ? `is ${countdownPhrase(days)}` : countdownPhrase(days);
  return `D${deadline.number} ${deadline.title}${place} ${when} — ${formatDate(deadline.date)}${deadline.time ? ` ${deadline.time} ${deadline.timeZone}` : ""}`;
}

/** Whether a deadline has passed at `now`: its instant if timed, otherwise the end of its day in its own zone. */
export function deadlinePassed(deadline: Deadline, now: Date): boolean {
  if (deadline.time !== null) return localInstant(deadline.date, deadline.time, deadline.timeZone) <= now;
  return todayIn(now, deadline.timeZone) > deadline.date;
}

export const statusLabel: Record<QuestionStatus, string> = { open: "open", partial: "partly answered", answered: "answered", withdrawn: "withdrawn" };

export function neededByText(neededBy: NeededBy | null, deadlines: ReadonlyMap<number, Deadline>): string | undefined {
  if (!neededBy) return undefined;
  if (neededBy.kind === "date") return `needed by ${formatDate(neededBy.date)}`;
  const d = deadlines.get(neededBy.deadlineNumber);
  return d ? `needed by D${d.number} ${d.title} (${formatDate(d.date)})` : `needed by D${neededBy.deadlineNumber} (removed)`;
}

export function ageInDays(askedAt: string, now: Date, zone: TimeZone): number {
  return daysBetween(todayIn(new Date(askedAt), zone), todayIn(now, zone));
}

export const askedAgo = (days: number): string => (days === 0 ? "asked today" : days === 1 ? "asked yesterday" : `asked ${plural(days, "day")} ago`);

/** `3 Oct`, or `3 Oct 2025` when not in `today`'s year. */
export function shortDate(date: LocalDate, today: LocalDate): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return `${day} ${MONTHS_SHORT[month - 1] ?? ""}${date.slice(0, 4) === today.slice(0, 4) ? "" : ` ${year}`}`;
}

/** `today`, `yesterday`, `5 days ago`, in calendar days. */
export const daysAgo = (days: number): string => (days <= 0 ? "today" : days === 1 ? "yesterday" : `${plural(days, "day")} ago`);

/** `chased 3 times, last 5 days ago by Amina via email`. */
export function chasedPhrase(summary: ChaseSummary, today: LocalDate, nameOf: NameOf = plainNames): string {
  const last = summary.last;
  const times = summary.count === 1 ? "once" : summary.count === 2 ? "twice" : `${summary.count} times`;
  return `chased ${times}, last ${daysAgo(daysBetween(last.onDate, today))} by ${nameOf(last.loggedBy)}${last.via ? ` via ${last.via}` : ""}`;
}

/** How a chase reads in a history: `5 Nov 2026 · via email · to Jane Doe · logged by Amina`. */
export const chaseDetail = (c: Chase, nameOf: NameOf = plainNames): string =>
  [formatDate(c.onDate), c.via ? `via ${c.via}` : undefined, c.contact ? `to ${c.contact}` : undefined, `logged by ${nameOf(c.loggedBy)}`].filter(Boolean).join(" · ");

/** The question's clock: `waiting 41 days (asked 3 Oct) · chased 3 times, last 5 days ago by Amina via email`. */
export function clockLine(q: Question, chases: ChaseSummary | undefined, now: Date, zone: TimeZone, nameOf: NameOf = plainNames): string {
  const today = todayIn(now, zone);
  const asked = todayIn(new Date(q.askedAt), zone);
  const days = daysBetween(asked, today);
  const open = q.status === "open" || q.status === "partial";
  const wait = open ? `waiting ${plural(days, "day")} (asked ${shortDate(asked, today)})` : `asked ${shortDate(asked, today)}, ${statusLabel[q.status]}`;
  return `${wait} · ${chases ? chasedPhrase(chases, today, nameOf) : "not chased yet"}`;
}

/**
 * One line about a question for lists: its number and text; the detail says who, when, by when, and
 * how often it was chased. `today` is the reader's date in `zone`, worked out once for the whole list.
 */
export function questionItem(q: QuestionLine, today: LocalDate, zone: TimeZone, deadlines: ReadonlyMap<number, Deadline>, chases?: ChaseSummary, nameOf: NameOf = plainNames) {
  const detail = [
    q.addressee ? `to ${q.addressee}` : undefined,
    q.status === "open" ? undefined : statusLabel[q.status],
    neededByText(q.neededBy, deadlines),
    `${askedAgo(daysBetween(todayIn(new Date(q.askedAt), zone), today))} by ${nameOf(q.askedBy)}`,
    q.tags.length > 0 ? q.tags.map((t) => `#${t}`).join(" ") : undefined,
    chases ? `chased ${chases.count}×, last ${daysAgo(daysBetween(chases.last.onDate, today))}` : undefined,
  ].filter((part): part is string => part !== undefined);
  const open = q.status === "open" || q.status === "partial";
  return { text: `Q${q.number} ${excerpt(q.text, 200)}`, detail: detail.join(" · "), questionNumber: q.number, ...(open ? { answerable: true as const } : {}) };
}

/** Whether a question is overdue at `now`: still wanted, and its needed-by has passed. */
export function isOverdue(q: Pick<Question, "status" | "neededBy">, now: Date, zone: TimeZone, deadlines: ReadonlyMap<number, Deadline>): boolean {
  if (q.status === "answered" || q.status === "withdrawn" || !q.neededBy) return false;
  if (q.neededBy.kind === "date") return todayIn(now, zone) > q.neededBy.date;
  const d = deadlines.get(q.neededBy.deadlineNumber);
  return d !== undefined && deadlinePassed(d, now);
}

export const byNumber = (deadlines: readonly Deadline[]): Map<number, Deadline> => new Map(deadlines.map((d) => [d.number, d]));
