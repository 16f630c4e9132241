import { daysBetween } from "./dates/calendar.ts";
import { formatDate } from "./dates/format.ts";
import { localInstant, localParts, todayIn } from "./dates/wall-clock.ts";
import { excerpt, plural } from "./text.ts";
import type { Deadline, LocalDate, NeededBy, Question, QuestionStatus, TimeZone } from "./types.ts";

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

/** One line about a question for lists: its number and text; the detail says who, when, by when. */
export function questionItem(q: Question, now: Date, zone: TimeZone, deadlines: ReadonlyMap<number, Deadline>) {
  const detail = [
    q.addressee ? `to ${q.addressee}` : undefined,
    q.status === "open" ? undefined : statusLabel[q.status],
    neededByText(q.neededBy, deadlines),
    `${askedAgo(ageInDays(q.askedAt, now, zone))} by ${q.askedBy.displayName}`,
    q.tags.length > 0 ? q.tags.map((t) => `#${t}`).join(" ") : undefined,
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
