import { daysBetween } from "../dates/calendar.ts";
import { todayIn } from "../dates/wall-clock.ts";
import type { DocketSnapshot } from "../ports.ts";
import { namesFor } from "../people.ts";

// why new columns only at the end: scripts that read columns by position keep working.
const header = ["number", "status", "text", "addressee", "tags", "needed_by", "asked_by", "asked_at", "latest_answer", "latest_source", "answered_at", "waiting_days", "chases", "last_chased"];

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; lines end in CRLF. */
export const csvField = (value: string): string => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

// why: a cell starting with = + - @ is run as a formula by spreadsheet programs (CSV injection).
const inert = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value);

/**
 * One row per question with its status, addressee, tags, deadline, asker and latest answer; how many
 * calendar days an open question has waited (in the docket's zone, empty once answered or withdrawn),
 * how often it was chased and the day of the latest chase.
 */
export function toCsv(s: DocketSnapshot, now: Date): string {
  const zone = s.docket.timeZone;
  const today = todayIn(now, zone);
  const chases = new Map<number, { count: number; last: string }>();
  for (const c of s.chases) {
    const seen = chases.get(c.questionNumber);
    chases.set(c.questionNumber, { count: (seen?.count ?? 0) + 1, last: seen && seen.last > c.onDate ? seen.last : c.onDate });
  }
  const nameOf = namesFor(s.workspaces);
  const members = new Map(s.members.map((m) => [m.id, nameOf(m)]));
  const deadlines = new Map(s.deadlines.map((d) => [d.number, d]));
  const latest = new Map(s.answers.map((a) => [a.questionNumber, a]));
  const rows = s.questions.map((q) => {
    const a = latest.get(q.number);
    const d = q.neededBy?.kind === "deadline" ? deadlines.get(q.neededBy.deadlineNumber) : undefined;
    const neededBy = q.neededBy === null ? "" : q.neededBy.kind === "date" ? q.neededBy.date : d ? `D${d.number} ${d.title} (${d.date})` : `D${q.neededBy.deadlineNumber}`;
    const open = q.status === "open" || q.status === "partial";
    const chased = chases.get(q.number);
    return [
      `Q${q.number}`, q.status, q.text, q.addressee ?? "", q.tags.map((t) => `#${t}`).join(" "), neededBy, members.get(q.askedBy) ?? "", q.askedAt, a?.text ?? "", a?.source ?? "", a?.loggedAt ?? "",
      open ? String(daysBetween(todayIn(new Date(q.askedAt), zone), today)) : "", String(chased?.count ?? 0), chased?.last ?? "",
    ];
  });
  return [header, ...rows].map((row) => row.map((v) => csvField(inert(v))).join(",")).join("\r\n") + "\r\n";
}
