import { formatDate } from "../dates/format.ts";
import { todayIn } from "../dates/wall-clock.ts";
import type { DocketSnapshot } from "../ports.ts";
import { byNumber, daysUntil, deadlinePassed, isOverdue, neededByText } from "../present.ts";
import { daysText, scorecard } from "../scorecard.ts";
import { plural } from "../text.ts";
import type { Deadline } from "../types.ts";
import { namesFor } from "../people.ts";

// why: the report is published as is; user text must not turn into headings, links or tables.
const md = (text: string) => text.replace(/([\\`*_{}[\]()<>#+\-.!|~])/g, "\\$1").replace(/\n+/g, " ");
// why: a plain link source stays clickable as an autolink; anything else is escaped text.
const source = (text: string) => (/^https?:\/\/[^\s<>]+$/.test(text) ? `<${text}>` : md(text));

/** `D1 WCIT-12 opens (Dubai) — 3 Dec 2026 09:00 Asia/Dubai`: dated, since a published file is read on later days. */
const deadlineLine = (d: Deadline) => `D${d.number} ${d.title}${d.place ? ` (${d.place})` : ""} — ${formatDate(d.date)}${d.time ? ` ${d.time} ${d.timeZone}` : ""}`;

/**
 * The publishable report: a headline with the deadlines unanswered questions depend on, then the
 * unanswered questions by addressee (with any partial answers and their sources), then the answered
 * ones. Every time is a date, never "today" or "in 52 days", because the file outlives the day.
 */
export function toMarkdown(s: DocketSnapshot, now: Date): string {
  const zone = s.docket.timeZone;
  const asOf = formatDate(todayIn(now, zone));
  const deadlines = s.deadlines.filter((d) => d.removedAt === null);
  const lookup = byNumber(deadlines);
  const upcoming = deadlines
    .filter((d) => !deadlinePassed(d, now))
    .sort((a, b) => daysUntil(a, now, zone) - daysUntil(b, now, zone) || a.number - b.number);
  const open = s.questions.filter((q) => q.status === "open" || q.status === "partial");
  const answered = s.questions.filter((q) => q.status === "answered");
  const nameOf = namesFor(s.workspaces);
  const members = new Map(s.members.map((m) => [m.id, nameOf(m)]));
  const answersOf = (n: number) => s.answers.filter((x) => x.questionNumber === n);
  const chaseLine = (c: DocketSnapshot["chases"][number]) =>
    `  - Chased ${formatDate(c.onDate)}${c.via ? ` via ${c.via}` : ""}${c.contact ? ` (to ${md(c.contact)})` : ""}: ${md(c.text)} (logged by ${md(members.get(c.loggedBy) ?? "?")})`;
  const chasesOf = (n: number) => s.chases.filter((c) => c.questionNumber === n).sort((a, b) => a.onDate.localeCompare(b.onDate) || a.id - b.id);
  const answerLine = (a: DocketSnapshot["answers"][number]) =>
    `  - ${a.kind === "partial" ? "Partly: " : ""}${md(a.text)}. Source: ${a.source ? source(a.source) : "none given"} (logged by ${md(members.get(a.loggedBy) ?? "?")}, ${formatDate(todayIn(new Date(a.loggedAt), zone))})`;

  const out: string[] = [`# ${md(s.docket.name)}: open questions`, ""];
  const remain = `${plural(open.length, "question")} remain${open.length === 1 ? "s" : ""} unanswered as of ${asOf}`;
  // why only deadlines open questions are needed by: a deadline nothing waits on is not what the questions race against.
  const dependedOn = upcoming
    .map((d) => ({ d, n: open.filter((q) => q.neededBy?.kind === "deadline" && q.neededBy.deadlineNumber === d.number).length }))
    .filter(({ n }) => n > 0)
    .slice(0, 3)
    .map(({ d, n }) => `${n} ${n === 1 ? "is" : "are"} needed by ${md(d.title)} on ${formatDate(d.date)}`);
  const joined = dependedOn.length > 1 ? `${dependedOn.slice(0, -1).join(", ")} and ${dependedOn.at(-1)}` : dependedOn[0];
  out.push(joined === undefined ? `**${remain}.**` : `**${remain}: ${joined}.**`, "", `As of ${asOf} (${zone}).`, "");
  if (upcoming.length) out.push("## Deadlines", "", ...upcoming.map((d) => `- ${md(deadlineLine(d))}`), "");
  const card = scorecard(s, now, zone);
  if (card.length) {
    // why a table: the scorecard is what gets quoted, and a table keeps one addressee per line.
    out.push("## Scorecard", "", `As of ${asOf}, in calendar days; withdrawn questions are not counted.`, "");
    out.push("| asked of | asked | answered | partly answered | still open | median days to an answer | longest current wait | chases |", "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |");
    for (const r of card)
      out.push(`| ${r.addressee === null ? "no addressee named" : md(r.addressee)} | ${r.asked} | ${r.answered} | ${r.partial} | ${r.open} | ${daysText(r.medianDaysToAnswer)} | ${r.longestWait ? `${daysText(r.longestWait.days)} (Q${r.longestWait.questionNumber})` : "—"} | ${r.chases} |`);
    out.push("");
  }
  if (open.length) {
    out.push("## Unanswered", "");
    const unnamed = "";
    const groups = new Map<string, typeof open>();
    for (const q of open) groups.set(q.addressee ?? unnamed, [...(groups.get(q.addressee ?? unnamed) ?? []), q]);
    // why unnamed last: the named addressees are who the report is pointed at.
    const sorted = [...groups].sort(([a], [b]) => (a === unnamed ? 1 : b === unnamed ? -1 : a.localeCompare(b)));
    for (const [addressee, questions] of sorted) {
      out.push(addressee === unnamed ? "### No addressee named yet" : `### Asked of ${md(addressee)}`, "");
      for (const q of questions) {
        const facts = [
          `asked ${formatDate(todayIn(new Date(q.askedAt), zone))}`,
          ((text) => text && md(text))(neededByText(q.neededBy, lookup)),
          isOverdue(q, now, zone, lookup) ? `**overdue as of ${asOf}**` : undefined,
          q.status === "partial" ? "partly answered" : undefined,
        ].filter(Boolean);
        out.push(`- **Q${q.number}** ${md(q.text)} _(${facts.join("; ")})_`);
        // why partial only: a full answer of a reopened question fell short; a partial one still stands.
        for (const a of answersOf(q.number).filter((x) => x.kind === "partial")) out.push(answerLine(a));
        for (const c of chasesOf(q.number)) out.push(chaseLine(c));
      }
      out.push("");
    }
  }
  if (answered.length) {
    out.push("## Answered", "");
    for (const q of answered) {
      out.push(`- **Q${q.number}** ${md(q.text)}${q.addressee ? ` _(asked of ${md(q.addressee)})_` : ""}`);
      for (const a of answersOf(q.number)) out.push(answerLine(a));
      for (const c of chasesOf(q.number)) out.push(chaseLine(c));
    }
    out.push("");
  }
  return out.join("\n");
}
