import { formatDate, formatDays, formatInstant } from "../dates/format.ts";
import { localParts } from "../dates/wall-clock.ts";
import { defaultDigestOpenLimit, subscriptionDigest, type DigestSettings } from "../digest/model.ts";
import { describeNext, nextDelivery } from "../digest/next-delivery.ts";
import { slotOn, slotsBetween } from "../digest/schedule.ts";
import { UserError } from "../errors.ts";
import type { CommandContext } from "../context.ts";
import type { ChannelRef, DigestFilter, Subscription } from "../types.ts";
import { weekdays } from "../types.ts";
import { defineCommand, opt, optional } from "../vocabulary.ts";


export const channelOf = (ctx: CommandContext): ChannelRef => ({
  platform: ctx.invocation.workspace.platform,
  workspaceId: ctx.invocation.workspace.id,
  channelId: ctx.invocation.channel.id,
});

function describeFilter(filter: DigestFilter): string {
  return [filter.tag ? `#${filter.tag}` : "", filter.addressee ? `to ${filter.addressee}` : "", filter.deadlineNumber ? `needed by D${filter.deadlineNumber}` : ""].filter(Boolean).join(" ");
}

function describe(sub: Subscription): string {
  const filter = describeFilter(sub.filter);
  const chase = sub.chaseAfter === null ? "" : `, listing questions due for a chase after ${sub.chaseAfter} days`;
  return `${sub.time} ${sub.timeZone}, ${formatDays(sub.days)}${filter ? `, only questions ${filter}` : ""}${chase}`;
}

/** What `digest on` starts from when the channel has no digest, or had one turned off. */
const fresh = (ctx: CommandContext) => ({ time: "09:00", timeZone: ctx.docket.timeZone, days: [...weekdays], filter: { tag: null, addressee: null, deadlineNumber: null } as DigestFilter, chaseAfter: null as number | null });

export const digestOn = defineCommand({
  name: "digest on",
  summary: "Post the daily digest in this channel",
  options: [
    optional(opt.time("time", { description: "Local time of day, HH:MM. A new digest (or one turned off) starts at 09:00; changing one that is on keeps its time" })),
    optional(opt.zone("tz")),
    optional(opt.days("days")),
    optional(opt.choice("questions", ["all"], "all: every question again, dropping the #tag, to: and by: filters")),
    optional(opt.tags("tag")),
    optional(opt.keyText("to", { description: "Only questions asked of this addressee", max: 200, placeholder: "addressee" })),
    optional(opt.deadline("by", "Only questions needed by this deadline", false)),
    optional(opt.keyText("chase-after", { description: "List open questions not asked or chased for this many days (off: no such list)", max: 5, placeholder: "days", title: "Due for a chase after (days)" })),
  ],
  examples: ["digest on 09:00 tz:Europe/London", "digest on 08:30 tz:America/New_York days:mon-fri #membership", "digest on all", "digest on chase-after:14"],
  permission: "admin",
  mutates: true,
  async run(input, ctx) {
    const root = ctx.settings.commandName;
    if ((input.tag?.length ?? 0) > 1) throw new UserError("tag.too_many", `A digest follows one #tag at most, like /${root} digest on 09:00 #membership.`);
    const namesFilter = input.tag !== undefined || input.to !== undefined || input.by !== undefined;
    if (input.questions === "all" && namesFilter)
      throw new UserError("digest.all_and_filter", `"all" means every question, so it cannot go with #tag, to: or by:. Write /${root} digest on all, or name the filter alone: /${root} digest on #membership`);
    const chaseWord = input["chase-after"]?.toLowerCase();
    const chaseDays = chaseWord === undefined || chaseWord === "off" ? null : Number(chaseWord);
    if (chaseDays !== null && (!Number.isInteger(chaseDays) || chaseDays < 1 || chaseDays > 3650))
      throw new UserError("chase-after.invalid", `chase-after: takes a number of days from 1, like /${root} digest on chase-after:14 (or chase-after:off).`, "chase-after");
    const channel = channelOf(ctx);
    const existing = await ctx.store.subscriptions.forChannel(channel);
    if (existing && existing.docketId !== ctx.docket.id && ctx.docket.id !== 0)
      throw new UserError("digest.other_docket", "This channel already gets another docket's digest.");
    // why: a digest that is on (or paused by Docket) is being changed, so what is not named carries over;
    // one turned off was ended on purpose, so `digest on` starts it again from the documented defaults.
    const base = existing && existing.state.kind !== "off" ? existing : fresh(ctx);
    const filter: DigestFilter =
      input.questions === "all" ? { tag: null, addressee: null, deadlineNumber: null }
      : namesFilter ? { tag: input.tag?.[0] ?? null, addressee: input.to ?? null, deadlineNumber: input.by?.number ?? null }
      : base.filter;
    const sub = await ctx.mutate("digest.on", `channel:${channel.channelId}`, async ({ docketId, at }) => {
      const next = await ctx.store.subscriptions.upsert(
        { docketId, channel, time: input.time ?? base.time, timeZone: input.tz ?? base.timeZone, days: input.days ?? base.days, filter, chaseAfter: chaseWord === undefined ? base.chaseAfter : chaseDays },
        at,
      );
      return { before: existing ?? null, after: next, result: next };
    });
    const kept = base === existing ? carriedOver(existing, input, filter) : [];
    const next = await nextDelivery(sub, (date) => ctx.store.deliveries.get(sub.id, date), ctx.now);
    return {
      visibility: "ephemeral",
      heading: existing?.state.kind === "paused" ? "Digest resumed in this channel" : "Digest on in this channel",
      blocks: [
        {
          kind: "fields",
          fields: [
            { label: "When", value: describe(sub) },
            { label: "Next", value: describeNext(next, (at) => formatInstant(at, sub.timeZone)) },
            ...(kept.length > 0
              ? [{ label: "Kept", value: `${kept.join(", ")} from before. Name a setting to change it; /${root} digest on all for every question; /${root} digest off, then digest on, starts again from 09:00, every day, all questions.` }]
              : []),
          ],
        },
      ],
    };
  },
});

/** The settings of a digest that is on which `digest on` kept because they were not named. */
function carriedOver(existing: Subscription, input: { time?: string | undefined; tz?: string | undefined; days?: readonly string[] | undefined; questions?: string | undefined; tag?: readonly string[] | undefined; to?: string | undefined; by?: unknown }, filter: DigestFilter): string[] {
  const kept: string[] = [];
  if (input.time === undefined) kept.push(`the time ${existing.time}`);
  if (input.tz === undefined) kept.push(`the zone ${existing.timeZone}`);
  if (input.days === undefined) kept.push(`the days (${formatDays(existing.days)})`);
  const named = input.questions !== undefined || input.tag !== undefined || input.to !== undefined || input.by !== undefined;
  const f = describeFilter(filter);
  if (!named && f) kept.push(`the filter (only questions ${f})`);
  return kept;
}

export const digestOff = defineCommand({
  name: "digest off",
  summary: "Stop the daily digest in this channel",
  options: [],
  examples: ["digest off"],
  permission: "admin",
  mutates: true,
  async run(_input, ctx) {
    const sub = await ctx.store.subscriptions.forChannel(channelOf(ctx));
    if (!sub || sub.docketId !== ctx.docket.id || sub.state.kind === "off")
      throw new UserError("digest.not_on", `This channel gets no digest; to start one: /${ctx.settings.commandName} ${digestOn.examples[0]}`);
    await ctx.mutate("digest.off", `channel:${sub.channel.channelId}`, async ({ at }) => {
      await ctx.store.subscriptions.turnOff(sub.id, at);
      return { before: sub, result: undefined };
    });
    return { visibility: "ephemeral", heading: "Digest off in this channel", blocks: [{ kind: "text", text: `Turn it back on with /${ctx.settings.commandName} digest on` }] };
  },
});

export const digestStatus = defineCommand({
  name: "digest status",
  summary: "When this channel's digest comes next, and how the last one went",
  options: [],
  examples: ["digest status"],
  permission: "anyone",
  mutates: false,
  async run(_input, ctx) {
    const sub = await ctx.store.subscriptions.forChannel(channelOf(ctx));
    if (!sub || sub.docketId !== ctx.docket.id)
      return { visibility: "ephemeral", heading: "No digest in this channel", blocks: [{ kind: "text", text: `Start one: /${ctx.settings.commandName} ${digestOn.examples[0]}` }] };
    const last = await ctx.store.deliveries.latest(sub.id);
    const state =
      sub.state.kind === "active" ? "on" : sub.state.kind === "off" ? `off since ${formatInstant(new Date(sub.state.since), sub.timeZone)}`
      : `paused since ${formatInstant(new Date(sub.state.since), sub.timeZone)}: ${sub.state.reason}. Fix that, then /${ctx.settings.commandName} digest on resumes it.`;
    const next = sub.state.kind === "active" ? await nextDelivery(sub, (date) => ctx.store.deliveries.get(sub.id, date), ctx.now) : undefined;
    const lastText = last
      ? `${last.localDate}: ${last.state}${last.late ? " (late)" : ""}${last.state === "sent" ? ` at ${formatInstant(new Date(last.updatedAt), sub.timeZone)}` : ""}${last.error ? ` (${last.error})` : ""}`
      : "none yet";
    return {
      visibility: "ephemeral",
      heading: `Digest ${sub.state.kind === "active" ? "on" : sub.state.kind} in this channel`,
      blocks: [
        {
          kind: "fields",
          fields: [
            { label: "State", value: state },
            { label: "When", value: describe(sub) },
            ...(next ? [{ label: "Next", value: describeNext(next, (at) => formatInstant(at, sub.timeZone)) }] : []),
            { label: "Last", value: lastText },
          ],
        },
      ],
    };
  },
});

export const digestPreview = defineCommand({
  name: "digest preview",
  summary: "The digest this channel would get, now or on a date",
  options: [optional(opt.date("date", { description: "The day to preview (default: now)", allowPast: true }))],
  examples: ["digest preview", "digest preview 2026-12-01"],
  permission: "anyone",
  mutates: false,
  slow: true,
  async run(input, ctx) {
    const sub = await ctx.store.subscriptions.forChannel(channelOf(ctx));
    const settings: DigestSettings & { time: string; days: Subscription["days"] } =
      sub && sub.docketId === ctx.docket.id ? sub : { id: null, ...fresh(ctx) };
    const today = localParts(ctx.now, settings.timeZone).date;
    if (input.date !== undefined && input.date < today)
      throw new UserError(
        "digest.preview_past",
        `${formatDate(input.date)} has passed. Docket keeps no copy of past digests, and questions have been asked, answered and reopened since, so a preview of that day would not be true. Preview today or a day ahead: /${ctx.settings.commandName} digest preview tomorrow`,
      );
    // why max: today's slot may be behind us; the preview then reads as of now, never as of a moment already gone.
    const slot = input.date === undefined ? null : slotOn({ ...settings, days: [...weekdays] }, input.date);
    const at = slot && slot > ctx.now ? slot : ctx.now;
    // why: between now and a later day the channel's own digests would run, so the news in that day's
    // digest is only what comes after the last of them; today's answers belong to an earlier digest.
    const between = settings.days.length > 0 ? slotsBetween(settings, ctx.now, at) : [];
    const lastBefore = between[between.length - 1];
    const preview = await subscriptionDigest(ctx.store, ctx.docket, settings, at, {
      commandName: ctx.settings.commandName, openLimit: ctx.settings.digestOpenLimit ?? defaultDigestOpenLimit,
      ...(lastBefore ? { since: lastBefore.at.toISOString() } : {}),
    });
    const when = localParts(at, settings.timeZone);
    const note = lastBefore ? ` News counts from the digest of ${formatInstant(lastBefore.at, settings.timeZone)}, which would run before it.` : "";
    return { ...preview, visibility: "ephemeral", heading: `Preview: ${preview.heading}`, blocks: [...preview.blocks, { kind: "text", text: `As it would read at ${when.time} ${settings.timeZone}; nothing was posted.${note}` }] };
  },
});
