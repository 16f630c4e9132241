import { addDays } from "../dates/calendar.ts";
import { localInstant } from "../dates/wall-clock.ts";
import type { DocketSnapshot } from "../ports.ts";
import type { AuditEvent, Deadline, Docket } from "../types.ts";

// why: RFC 5545 §3.3.11 — backslash, semicolon, comma and newline are escaped in TEXT values.
const text = (value: string) => value.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r?\n/g, "\\n");
const utc = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
const day = (date: string) => date.replaceAll("-", "");

/** RFC 5545 §3.1: lines longer than 75 octets are folded with CRLF and a space, never inside a UTF-8 sequence. */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = "";
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch);
    if (octets + size > (parts.length === 0 ? 75 : 74)) {
      parts.push(current);
      current = "";
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  parts.push(current);
  return parts.join("\r\n ");
}

const stamp = (instant: string) => new Date(instant).getTime().toString(36);

/**
 * The deadline's UID, the same in every export and unique across installations: numbers alone
 * (`docket-1-d1`) are the same in every fresh install, so a calendar subscribed to two dockets
 * would merge their deadlines. why creation instants: the docket's and the deadline's are stored,
 * survive a json export and import, and never change; both at the same millisecond elsewhere is
 * not a thing that happens.
 */
export function eventUid(docket: Pick<Docket, "id" | "createdAt">, deadline: Pick<Deadline, "number" | "createdAt">): string {
  return `docket-${docket.id}-d${deadline.number}-${stamp(docket.createdAt)}-${stamp(deadline.createdAt)}@docket`;
}

/** Date, time and zone of a deadline as its audit row recorded it, or null if the row holds no deadline. */
function whenOf(value: unknown): string | null {
  if (typeof value !== "object" || value === null) return null;
  const { date, time, timeZone } = value as Partial<Record<"date" | "time" | "timeZone", unknown>>;
  return JSON.stringify([date, time, timeZone]);
}

/**
 * RFC 5545 §3.8.7.4 SEQUENCE: how many times the deadline moved (its date, time or zone changed),
 * counted from the audit log so it needs no stored counter and survives export and import.
 * why: calendars keep the copy with the higher SEQUENCE, so a moved deadline replaces the old one.
 */
export function eventSequence(audit: readonly AuditEvent[], deadlineNumber: number): number {
  return audit.filter((e) => e.action === "deadline.edit" && e.subject === `D${deadlineNumber}` && whenOf(e.before) !== whenOf(e.after)).length;
}

/**
 * One VEVENT per deadline. Timed deadlines are written in UTC, computed from their own zone, so
 * every calendar shows them at the right moment without a VTIMEZONE; untimed ones are all-day.
 */
export function toIcs(s: DocketSnapshot, now: Date): string {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Docket//Docket deadlines//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", `X-WR-CALNAME:${text(s.docket.name)}`];
  for (const d of s.deadlines.filter((x) => x.removedAt === null)) {
    lines.push("BEGIN:VEVENT", `UID:${eventUid(s.docket, d)}`, `SEQUENCE:${eventSequence(s.audit, d.number)}`, `DTSTAMP:${utc(now)}`);
    if (d.time) {
      const start = localInstant(d.date, d.time, d.timeZone);
      lines.push(`DTSTART:${utc(start)}`, `DTEND:${utc(new Date(start.getTime() + 60 * 60 * 1000))}`);
    } else lines.push(`DTSTART;VALUE=DATE:${day(d.date)}`, `DTEND;VALUE=DATE:${day(addDays(d.date, 1))}`);
    lines.push(`SUMMARY:${text(d.title)}`);
    if (d.place) lines.push(`LOCATION:${text(d.place)}`);
    lines.push(`DESCRIPTION:${text(`D${d.number} of ${s.docket.name}${d.time ? ` (${d.time} ${d.timeZone})` : ""}`)}`, "END:VEVENT");
  }
  lines.push("END:VCALENDAR");
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
