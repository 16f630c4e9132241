import { formatDate } from "../dates/format.ts";
import { localParts } from "../dates/wall-clock.ts";
import { historyItem } from "../history.ts";
import { namesOf } from "../people.ts";
import type { ListItem } from "../reply.ts";
import { ageInDays, askedAgo, byNumber, chaseDetail, clockLine, isOverdue, neededByText, statusLabel } from "../present.ts";
import { defineCommand, opt } from "../vocabulary.ts";

export const show = defineCommand({
  name: "show",
  summary: "Show a question with its answers, notes and history",
  options: [opt.question("question")],
  examples: ["show Q3"],
  permission: "anyone",
  mutates: false,
  async run(input, ctx) {
    const q = input.question;
    const zone = ctx.docket.timeZone;
    const deadlines = byNumber(await ctx.store.deadlines.list(ctx.docket.id));
    const nameOf = await namesOf(ctx.store, ctx.docket.id);
    const when = (at: string) => {
      const p = localParts(new Date(at), zone);
      return `${formatDate(p.date)} ${p.time}`;
    };
    const answers: ListItem[] = (await ctx.store.answers.forQuestion(q.id)).map((a) => ({
      text: a.text,
      detail: [`${a.kind === "partial" ? "partial answer" : "answer"} logged by ${nameOf(a.loggedBy)}, ${when(a.loggedAt)}`, a.source ? `source: ${a.source}` : "no source given"].join(" · "),
    }));
    const chaseRows = await ctx.store.chases.forQuestion(q.id);
    const chases: ListItem[] = chaseRows.map((c) => ({ text: c.text, detail: chaseDetail(c, nameOf) }));
    // why the last row: chases come oldest first, by the day done and then as logged.
    const last = chaseRows.at(-1);
    const clock = clockLine(q, last ? { count: chaseRows.length, last } : undefined, ctx.now, zone, nameOf);
    const notes: ListItem[] = (await ctx.store.notes.forQuestion(q.id)).map((n) => ({ text: n.text, detail: `${nameOf(n.author)}, ${when(n.createdAt)}` }));
    const history: ListItem[] = (await ctx.store.audit.forSubject(q.docketId, `Q${q.number}`)).map((e) => historyItem(e, when, deadlines, nameOf));
    const overdue = isOverdue(q, ctx.now, zone, deadlines);
    return {
      visibility: "ephemeral",
      heading: `Q${q.number} · ${statusLabel[q.status]}${overdue ? " · overdue" : ""}`,
      blocks: [
        { kind: "text", text: q.text },
        {
          kind: "fields",
          fields: [
            { label: "Asked of", value: q.addressee ?? "nobody named" },
            ...(q.status === "open" || q.status === "partial" || last ? [{ label: "Clock", value: clock }] : []),
            { label: "Asked", value: `${askedAgo(ageInDays(q.askedAt, ctx.now, zone))} by ${nameOf(q.askedBy)} (${when(q.askedAt)})` },
            ...(q.neededBy ? [{ label: "Needed", value: neededByText(q.neededBy, deadlines)!.replace(/^needed /, "") }] : []),
            ...(q.tags.length ? [{ label: "Tags", value: q.tags.map((t) => `#${t}`).join(" ") }] : []),
          ],
        },
        ...(answers.length ? [{ kind: "list" as const, title: "Answers", items: answers }] : []),
        ...(chases.length ? [{ kind: "list" as const, title: "Chases", items: chases }] : []),
        ...(notes.length ? [{ kind: "list" as const, title: "Notes", items: notes }] : []),
        ...(history.length ? [{ kind: "list" as const, title: "History", items: history }] : []),
      ],
    };
  },
});
