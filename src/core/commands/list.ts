import { UserError } from "../errors.ts";
import { addDays } from "../dates/calendar.ts";
import { localInstant, todayIn } from "../dates/wall-clock.ts";
import type { QuestionQuery } from "../ports.ts";
import { namesOf } from "../people.ts";
import { byNumber, deadlinePassed, questionItem } from "../present.ts";
import { plural } from "../text.ts";
import type { QuestionStatus } from "../types.ts";
import { defineCommand, opt, optional } from "../vocabulary.ts";

export const listPageSize = 20;
const statusesOf: Record<string, readonly QuestionStatus[]> = {
  open: ["open", "partial"],
  overdue: ["open", "partial"],
  answered: ["answered"],
  withdrawn: ["withdrawn"],
  all: ["open", "partial", "answered", "withdrawn"],
};

export const list = defineCommand({
  name: "list",
  summary: "List questions, open ones by default, oldest first",
  options: [
    optional(opt.choice("status", ["open", "answered", "overdue", "withdrawn", "all"], "Which questions")),
    optional(opt.keyText("to", { description: "Only those asked of this addressee", max: 200, placeholder: "addressee" })),
    optional(opt.deadline("by", "Only those needed by this deadline", false)),
    optional(opt.tags("tag")),
    optional(opt.keyText("waiting", { description: "Only those waiting at least this many days since they were asked", max: 5, placeholder: "days" })),
    optional(opt.keyText("page", { description: "Page number, for long lists", max: 6, placeholder: "n" })),
  ],
  examples: ["list", "list overdue", "list waiting:30", "list all to:ITU #membership", "list open by:WCIT page:2"],
  permission: "anyone",
  mutates: false,
  async run(input, ctx) {
    const status = input.status ?? "open";
    const page = input.page === undefined ? 1 : Number(input.page);
    if (!Number.isInteger(page) || page < 1)
      throw new UserError("page.invalid", `page: takes a page number from 1, like /${ctx.settings.commandName} list page:2.`);
    const waiting = input.waiting === undefined ? undefined : Number(input.waiting);
    if (waiting !== undefined && (!Number.isInteger(waiting) || waiting < 0))
      throw new UserError("waiting.invalid", `waiting: takes a number of days, like /${ctx.settings.commandName} list waiting:30.`, "waiting");
    if ((input.tag?.length ?? 0) > 1) throw new UserError("tag.too_many", `list takes one #tag at a time, like /${ctx.settings.commandName} list #membership.`);
    const zone = ctx.docket.timeZone;
    const today = todayIn(ctx.now, zone);
    // why only when needed: overdue asks which deadlines passed, and lines name the deadlines they are needed by.
    const deadlines = status === "overdue" ? await ctx.store.deadlines.list(ctx.docket.id) : undefined;
    const query: QuestionQuery = {
      statuses: statusesOf[status]!,
      limit: listPageSize,
      offset: (page - 1) * listPageSize,
      ...(input.to !== undefined ? { addressee: input.to } : {}),
      ...(input.tag?.[0] !== undefined ? { tag: input.tag[0] } : {}),
      ...(input.by !== undefined ? { deadlineNumber: input.by.number } : {}),
      // why the start of a local day: waiting N days means asked on day today−N or before, in the docket's zone.
      ...(waiting !== undefined ? { askedBefore: localInstant(addDays(today, 1 - waiting), "00:00", zone).toISOString() } : {}),
      ...(deadlines ? { overdue: { passedDeadlines: deadlines.filter((d) => deadlinePassed(d, ctx.now)).map((d) => d.number), today } } : {}),
    };
    const { items, total } = await ctx.store.questions.lines(ctx.docket.id, query);
    const filters = [waiting !== undefined ? `waiting ${plural(waiting, "day")} or more` : "", input.to ? `to ${input.to}` : "", input.by ? `needed by D${input.by.number}` : "", input.tag?.[0] ? `#${input.tag[0]}` : ""].filter(Boolean).join(" ");
    const label = `${status === "all" ? "" : `${status} `}question`.trim();
    const quote = (v: string) => (/\s/.test(v) ? `"${v}"` : v);
    const filterOptions = [waiting !== undefined ? `waiting:${waiting}` : "", input.to ? `to:${quote(input.to)}` : "", input.by ? `by:D${input.by.number}` : "", input.tag?.[0] ? `#${input.tag[0]}` : ""].filter(Boolean);
    if (total === 0) return { visibility: "ephemeral", heading: `No ${label}s${filters ? ` ${filters}` : ""}`, blocks: [] };
    const shown = (page - 1) * listPageSize + items.length;
    if (items.length === 0)
      throw new UserError("page.invalid", `There is no page ${page}: the ${plural(total, label)} fit on ${Math.ceil(total / listPageSize)} page${total > listPageSize ? "s" : ""}.`);
    const lookup = byNumber(deadlines ?? (items.some((q) => q.neededBy?.kind === "deadline") ? await ctx.store.deadlines.list(ctx.docket.id) : []));
    const chases = await ctx.store.chases.summaries(items.map((q) => q.id));
    const nameOf = await namesOf(ctx.store, ctx.docket.id);
    return {
      visibility: "ephemeral",
      heading: `${plural(total, label)}${filters ? ` ${filters}` : ""}`,
      blocks: [
        {
          kind: "list",
          items: items.map((q) => questionItem(q, today, zone, lookup, chases.get(q.id), nameOf)),
          ...(shown < total ? { more: `Showing ${(page - 1) * listPageSize + 1}–${shown} of ${total}: /${ctx.settings.commandName} list ${[status, ...filterOptions].join(" ")} page:${page + 1}` } : {}),
        },
      ],
    };
  },
});
