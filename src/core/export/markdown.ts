import { formatDate } from "../dates/format.ts";
import { todayIn } from "../dates/wall-clock.ts";
import type { DocketSnapshot } from "../ports.ts";
import { ageInDays, askedAgo, byNumber, countdownLine, daysUntil, isOverdue, neededByText } from "../present.ts";
import { plural } from "../text.ts";

// why: the report is published as is; user text must not turn into headings, links or tables.
const md = (text: string) => text.replace(/([\\`*_{}[\]()<>#+\-.!|~])/g, "\\$1").replace(/\n+/g, " ");
// why: a plain link source stays clickable as an autolink; anything else is escaped text.
const source = (text: string) => (/^https?:\/\/[^\s<>]+$/.test(text) ? `<${text}>` : md(text));

/** The publishable report: countdown header, unanswered questions by addressee, then answered ones with sources. */
export function toMarkdown(s: DocketSnapshot, now: Date): string {
  const zone = s.docket.timeZone;
  const deadlines = s.deadlines.filter((d) => d.removedAt === null);
  const lookup = byNumber(deadlines);
  const upcoming = deadlines
    .map((d) => ({ d, days: daysUntil(d, now, zone) }))
    .filter(({ days }) => days >= 0)
    .sort((a, b) => a.days - b.days)
    .map(({ d }) => d);
  const open = s.questions.filter((q) => q.status === "open" || q.status === "partial");
  const answered = s.questions.filter((q) => q.status === "answered");
  const members = new Map(s.members.map((m) => [m.id, m.displayName]));
  const out: string[] = [`# ${md(s.docket.name)}: open questions`, ""];
  const remain = `${plural(open.length, "question")} remain${open.length === 1 ? "s" : ""} unanswered`;
  // why: the report names the nearest few deadlines, since the nearest is not always the event itself.
  const before = upcoming.slice(0, 3).map((d) => {
    const days = daysUntil(d, now, zone);
    return days === 0 ? `on the day of ${md(d.title)}` : `${plural(days, "day")} before ${md(d.title)}`;
  });
  const joined = before.length > 1 ? `${before.slice(0, -1).join(", ")} and ${before.at(-1)}` : before[0];
  out.push(
    joined === undefined ? `**${remain}.**` : `**${remain} ${joined}.**`,
    "",
    `As of ${formatDate(todayIn(now, zone))} (${zone}).`,
    "",
  );
  if (upcoming.length) out.push("## Deadlines", "", ...upcoming.map((d) => `- ${md(countdownLine(d, now, zone))}`), "");
  if (open.length) {
    out.push("## Unanswered", "");
    const groups = new Map<string, typeof open>();
    for (const q of open) groups.set(q.addressee ?? "No addressee named", [...(groups.get(q.addressee ?? "No addressee named") ?? []), q]);
    for (const [addressee, questions] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
      out.push(`### Asked of ${md(addressee)}`, "");
      for (const q of questions) {
        const facts = [
          askedAgo(ageInDays(q.askedAt, now, zone)),
          ((text) => text && md(text))(neededByText(q.neededBy, lookup)),
          isOverdue(q, now, zone, lookup) ? "**overdue**" : undefined,
          q.status === "partial" ? "partly answered" : undefined,
        ].filter(Boolean);
        out.push(`- **Q${q.number}** ${md(q.text)} _(${facts.join("; ")})_`);
      }
      out.push("");
    }
  }
  if (answered.length) {
    out.push("## Answered", "");
    for (const q of answered) {
      out.push(`- **Q${q.number}** ${md(q.text)}${q.addressee ? ` _(asked of ${md(q.addressee)})_` : ""}`);
      for (const a of s.answers.filter((x) => x.questionNumber === q.number))
        out.push(`  - ${a.kind === "partial" ? "Partly: " : ""}${md(a.text)}. Source: ${a.source ? source(a.source) : "none given"} (logged by ${md(members.get(a.loggedBy) ?? "?")}, ${formatDate(todayIn(new Date(a.loggedAt), zone))})`);
    }
    out.push("");
  }
  return out.join("\n");
}
