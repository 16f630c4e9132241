import { formatDate } from "../dates/format.ts";
import { minuteBefore, skippedTime } from "../dates/wall-clock.ts";
import { UserError } from "../errors.ts";
import { limits } from "../limits.ts";
import type { DeadlineStore } from "../ports.ts";
import { countdownLine, deadlineDateIn } from "../present.ts";
import { addDays } from "../dates/calendar.ts";
import { todayIn } from "../dates/wall-clock.ts";
import type { Deadline, LocalDate, LocalTime, TimeZone } from "../types.ts";
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
      blocks: [{ kind: "list", items: deadlines.map((d) => ({ text: countdownLine(d, ctx.now, ctx.docket.timeZone), ...(d.milestones ? { detail: `milestones ${milestoneDaysPhrase(d.milestones.days)}${d.milestones.ping ? ` · pings ${d.milestones.ping.label}` : ""}` } : {}) })) }],
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

/** The most milestones one deadline takes: enough for a countdown, few enough that digests stay news. */
const maxMilestones = 10;
const maxMilestoneDays = 366;

/** `30,7,1` (spaces and `and` allowed) as whole days before the deadline, largest first. */
export function parseMilestoneDays(text: string, example: string): number[] {
  const words = text.trim().toLowerCase().split(/\s*(?:,|\band\b|\s)\s*/).filter((w) => w !== "");
  const days = words.map((w) => {
    if (!/^\d{1,3}$/.test(w) || Number(w) > maxMilestoneDays)
      throw new UserError("milestones.invalid", `"${w}" is not a number of days before the deadline (0 to ${maxMilestoneDays}): ${example}, or off.`);
    return Number(w);
  });
  if (days.length === 0) throw new UserError("milestones.invalid", `Say on which days before the deadline: ${example}, or off.`);
  const unique = [...new Set(days)].sort((a, b) => b - a);
  if (unique.length > maxMilestones) throw new UserError("milestones.too_many", `That is ${unique.length} milestones; a deadline takes at most ${maxMilestones}.`);
  return unique;
}

/** `30, 7 and 1 days before`. */
export function milestoneDaysPhrase(days: readonly number[]): string {
  const list = days.length === 1 ? String(days[0]) : `${days.slice(0, -1).join(", ")} and ${days[days.length - 1]}`;
  return `${list} ${days.length === 1 && days[0] === 1 ? "day" : "days"} before`;
}

const milestoneExamples = ["deadline milestones WCIT 30,7,1", "deadline milestones D1 7,1 ping:@organisers", "deadline milestones D1 off"] as const;

export const deadlineMilestones = defineCommand({
  name: "deadline milestones",
  summary: "Open the digest with a headline on chosen days before a deadline, optionally pinging a role or user group",
  options: [
    opt.deadline("deadline"),
    opt.text("days", { description: "Days before the deadline, like 30,7,1; or off", max: 100, placeholder: "days|off", example: "30,7,1" }),
    optional(opt.ping("ping")),
  ],
  examples: milestoneExamples,
  permission: "admin",
  mutates: true,
  async run(input, ctx) {
    const d = input.deadline;
    const example = `/${ctx.settings.commandName} ${milestoneExamples[0]}`;
    const off = input.days.trim().toLowerCase() === "off";
    if (off && input.ping) throw new UserError("milestones.off_ping", `off clears D${d.number}'s milestones and their ping together; leave out ping:.`);
    const workspace = ctx.invocation.workspace;
    // why: Discord's @everyone is a role whose id is the server's; picking it would ping the whole server.
    if (input.ping?.kind === "role" && input.ping.platform === "discord" && input.ping.id === workspace.id)
      throw new UserError("ping.too_wide", "Docket does not ping @everyone: pick a role whose members asked to be reminded.");
    const next = off ? null : { days: parseMilestoneDays(input.days, example), ping: input.ping ? { ...input.ping, workspaceId: workspace.id } : null };
    if (off && !d.milestones)
      return { visibility: "ephemeral", heading: `D${d.number} has no milestones`, blocks: [{ kind: "text", text: `Nothing was recorded. Set some with ${example}.` }] };
    const updated = await ctx.mutate("deadline.milestones", `D${d.number}`, async ({ docketId }) => {
      const after = await ctx.store.deadlines.setMilestones(docketId, d.number, next);
      return { before: d.milestones ?? null, after: after.milestones ?? null, result: after };
    });
    if (!updated.milestones)
      return { visibility: "ephemeral", heading: `D${d.number} has no milestones now`, blocks: [{ kind: "text", text: `Digests no longer open with a headline for ${d.title}, and nobody is pinged for it.` }] };
    return { visibility: "ephemeral", heading: `Milestones set for D${d.number}`, blocks: [{ kind: "text", text: milestoneSummary(updated, ctx.now, ctx.docket.timeZone) }] };
  },
});

/** `WCIT-12 opens: digests open with a headline 30, 7 and 1 days before, pinging @organisers; the next on Thu 26 Nov.` */
export function milestoneSummary(d: Deadline, now: Date, zone: TimeZone): string {
  const m = d.milestones;
  if (!m) return `${d.title}: no milestones.`;
  const today = todayIn(now, zone);
  const day = deadlineDateIn(d, zone);
  const upcoming = m.days.map((n) => addDays(day, -n)).filter((date) => date >= today).sort();
  const ping = m.ping ? `, pinging ${m.ping.label} there` : ", pinging no one";
  const next = upcoming.length ? `; the next on ${formatDate(upcoming[0]!)}` : "; all of them have passed";
  return `${d.title}: digests open with a headline ${milestoneDaysPhrase(m.days)}${ping}${next}.`;
}
