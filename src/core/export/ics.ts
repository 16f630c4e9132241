import { addDays } from "../dates/calendar.ts";
import { localInstant } from "../dates/wall-clock.ts";
import type { DocketSnapshot } from "../ports.ts";

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

/**
 * One VEVENT per deadline. Timed deadlines are written in UTC, computed from their own zone, so
 * every calendar shows them at the right moment without a VTIMEZONE; untimed ones are all-day.
 */
export function toIcs(s: DocketSnapshot, now: Date): string {
  const lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Docket//Docket deadlines//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH", `X-WR-CALNAME:${text(s.docket.name)}`];
  for (const d of s.deadlines.filter((x) => x.removedAt === null)) {
    lines.push("BEGIN:VEVENT", `UID:docket-${s.docket.id}-d${d.number}@docket`, `DTSTAMP:${utc(now)}`);
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
