import { formatDate } from "../dates/format.ts";
import { minuteBefore, skippedTime } from "../dates/wall-clock.ts";
import { UserError } from "../errors.ts";
import { limits } from "../limits.ts";
import type { DeadlineStore } from "../ports.ts";
import { countdownLine } from "../present.ts";
import type { LocalDate, LocalTime, TimeZone } from "../types.ts";
import { clearable, defineCommand, opt, optional } from "../vocabulary.ts";

type DeadlinePatch = Parameters<DeadlineStore["update"]>[2];

/**
 * Refuses a time the zone's clocks skip that day (spring forward): such a deadline would count
 * down to a moment that never shows on any clock there, and calendars disagree on where to put it.
 */
function refuseSkippedTime(date: LocalDate, time: LocalTime | null, zone: TimeZone): void {
  const gap = time === null ? null : skippedTime(date, time, zone);
  if (!gap) return;
  throw new UserError(
    "deadline.time_skipped",
    `There is no ${time} on ${formatDate(date)} in ${zone}: at ${gap.from} the clocks go forward to ${gap.to}, so ${gap.from}–${minuteBefore(gap.to)} never happens there. ` +
      `Write ${gap.to} (the moment they change) or a time outside that gap.`,
  );
}

const title = opt.text("title", { description: "What happens then", max: limits.deadlineTitle, placeholder: "title" });
const place = optional(opt.keyText("at", { description: "Where it happens", label: "place", max: limits.place, placeholder: "place", example: "Dubai" }));

export const deadlineAdd = defineCommand({
  name: "deadline add",
  summary: "Add a deadline to count down to",
  options: [title, opt.date("date", { description: "The day" }), optional(opt.time("time", { description: "The time of day, in its zone" })), optional(opt.zone("tz")), place],
  // why no year in the dated examples: hints and help repeat them for ever, and a fixed date would age into one Docket refuses as past.
  examples: ['deadline add "WCIT-12 opens" Dec 3 09:00 tz:Asia/Dubai at:Dubai', "deadline add Comments due in 2 weeks"],
  permission: "admin",
  mutates: true,
  async run(input, ctx) {
    refuseSkippedTime(input.date, input.time ?? null, input.tz ?? ctx.docket.timeZone);
    const d = await ctx.mutate("deadline.add", null, async ({ docketId, at }) => {
      const created = await ctx.store.deadlines.insert({
        docketId, title: input.title, date: input.date, time: input.time ?? null, timeZone: input.tz ?? ctx.docket.timeZone, place: input.at ?? null, createdAt: at,
      });
      return { subject: `D${created.number}`, after: created, result: created };
    });
    return { visibility: "ephemeral", heading: `Added D${d.number}`, blocks: [{ kind: "text", text: countdownLine(d, ctx.now, ctx.docket.timeZone) }] };
  },
});

export const deadlineList = defineCommand({
  name: "deadline list",
  summary: "List the deadlines with their countdowns",
  options: [],
  examples: ["deadline list"],
  permission: "anyone",
  mutates: false,
  async run(_input, ctx) {
    const deadlines = await ctx.store.deadlines.list(ctx.docket.id);
    if (deadlines.length === 0)
      return { visibility: "ephemeral", heading: "No deadlines yet", blocks: [{ kind: "text", text: `Add one: /${ctx.settings.commandName} ${deadlineAdd.examples[0]}` }] };
    return {
      visibility: "ephemeral",
      heading: `${deadlines.length} ${deadlines.length === 1 ? "deadline" : "deadlines"}`,
      blocks: [{ kind: "list", items: deadlines.map((d) => ({ text: countdownLine(d, ctx.now, ctx.docket.timeZone) })) }],
    };
  },
});

export const deadlineEdit = defineCommand({
  name: "deadline edit",
  summary: "Change a deadline's title, date, time, zone or place",
  options: [
    opt.deadline("deadline"),
    optional(opt.keyText("title", { description: "New title", max: limits.deadlineTitle, placeholder: "title" })),
    optional(opt.date("date", { description: "New day" }, false)),
    clearable(optional(opt.time("time", { description: "New time of day (time:none leaves only the day)" }, false))),
    optional(opt.zone("tz")),
    clearable({ ...place, description: "New place (at:none clears it)" }),
  ],
  examples: ['deadline edit D1 date:"Dec 4" time:10:00', 'deadline edit WCIT title:"WCIT-12 opens (postponed)"'],
  permission: "admin",
  mutates: true,
  async run(input, ctx) {
    const d = input.deadline;
    const patch: DeadlinePatch = {};
    if (input.title !== undefined) patch.title = input.title;
    if (input.date !== undefined) patch.date = input.date;
    if (input.time !== undefined) patch.time = input.time;
    if (input.tz !== undefined) patch.timeZone = input.tz;
    if (input.at !== undefined) patch.place = input.at;
    if (Object.keys(patch).length === 0)
      throw new UserError("edit.nothing", `Say what to change in D${d.number}, like /${ctx.settings.commandName} ${deadlineEdit.examples[0]}; time:none or at:none clears one.`);
    // why: setting a field to what it already is is no change: no history entry, and the reply says so.
    for (const key of Object.keys(patch) as Array<keyof DeadlinePatch>) if (patch[key] === d[key]) delete patch[key];
    if (Object.keys(patch).length === 0)
      return { visibility: "ephemeral", heading: `Nothing changed in D${d.number}`, blocks: [{ kind: "text", text: `D${d.number} already reads that way; nothing was recorded. ${countdownLine(d, ctx.now, ctx.docket.timeZone)}` }] };
    // why only when the moment changes: a deadline stored before this check stays editable in its title and place.
    if (patch.date !== undefined || patch.time !== undefined || patch.timeZone !== undefined)
      refuseSkippedTime(patch.date ?? d.date, patch.time === undefined ? d.time : patch.time, patch.timeZone ?? d.timeZone);
    const updated = await ctx.mutate("deadline.edit", `D${d.number}`, async ({ docketId }) => {
      const next = await ctx.store.deadlines.update(docketId, d.number, patch);
      return { before: d, after: next, result: next };
    });
    return { visibility: "ephemeral", heading: `Updated D${d.number}`, blocks: [{ kind: "text", text: countdownLine(updated, ctx.now, ctx.docket.timeZone) }] };
  },
});

export const deadlineRemove = defineCommand({
  name: "deadline remove",
  summary: "Remove a deadline (questions needed by it keep the reference)",
  options: [opt.deadline("deadline")],
  examples: ["deadline remove D2"],
  permission: "admin",
  mutates: true,
  async run(input, ctx) {
    const d = input.deadline;
    await ctx.mutate("deadline.remove", `D${d.number}`, async ({ docketId, at }) => {
      await ctx.store.deadlines.remove(docketId, d.number, at);
      return { before: d, result: undefined };
    });
    return { visibility: "ephemeral", heading: `Removed D${d.number}`, blocks: [{ kind: "text", text: `${d.title} (${formatDate(d.date)}) no longer counts down.` }] };
  },
});
