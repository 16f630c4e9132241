import { actorLabel, type CommandContext } from "../context.ts";
import { formatInstant } from "../dates/format.ts";
import { UserError } from "../errors.ts";
import { linkCodeHash, newLinkCode, normaliseLinkCode } from "../link-code.ts";
import { platformName } from "../people.ts";
import type { LinkAttemptOutcome, NumberMap } from "../ports.ts";
import { reply, type Reply } from "../reply.ts";
import { plural } from "../text.ts";
import type { Workspace } from "../types.ts";
import { defineCommand, opt, optional } from "../vocabulary.ts";

const hour = 60 * 60 * 1000;
/** How long a code is valid. */
export const linkCodeLifetimeHours = 24;
/** Wrong, expired or used codes a workspace may try per rolling hour before every try is refused. */
export const linkAttemptsPerHour = 5;

/** `Slack: Policy team · Discord: Volunteers`. */
export const workspaceList = (workspaces: readonly Workspace[]): string => workspaces.map((w) => `${platformName[w.platform]}: ${w.name}`).join(" · ");

/** `Q1→Q14, Q2→Q15; D1→D3`, or undefined when nothing moved. */
export function numberMapText(map: NumberMap): string | undefined {
  const part = (prefix: string, pairs: ReadonlyArray<[number, number]>) => pairs.map(([a, b]) => `${prefix}${a}→${prefix}${b}`).join(", ");
  const text = [part("Q", map.questions), part("D", map.deadlines)].filter(Boolean).join("; ");
  return text || undefined;
}

const workspaceOf = (ctx: CommandContext) => ctx.invocation.workspace;
const whereKind = (ctx: CommandContext) => (workspaceOf(ctx).platform === "discord" ? "server" : "workspace");

/** `link`: a one-time code for another workspace to join this docket. */
async function issueCode(ctx: CommandContext): Promise<Reply> {
  const root = ctx.settings.commandName;
  const code = newLinkCode();
  const expiresAt = new Date(ctx.now.getTime() + linkCodeLifetimeHours * hour).toISOString();
  await ctx.mutate("docket.link_code", "link", async ({ docketId, at }) => {
    // why only the hash: the code is a key to the docket; the audit row says one was made, never what it is.
    await ctx.store.links.addCode({ hash: linkCodeHash(normaliseLinkCode(code)!), docketId, createdBy: actorLabel(ctx.invocation), createdIn: { platform: workspaceOf(ctx).platform, workspaceId: workspaceOf(ctx).id }, createdAt: at, expiresAt });
    return { after: { expiresAt }, result: undefined };
  });
  return {
    visibility: "ephemeral",
    heading: "Link code for sharing this docket",
    blocks: [
      { kind: "text", text: code },
      {
        kind: "text",
        text: `In the other Slack workspace or Discord server, an admin types:\n/${root} link ${code}\nThe code is valid ${linkCodeLifetimeHours} hours (until ${formatInstant(new Date(expiresAt), ctx.docket.timeZone)}) and single use. Give it only to that admin: the workspace or server that uses it sees everything in this docket.`,
      },
      { kind: "text", text: "If that side already has questions or deadlines, they add merge:yes and those move into this docket with new numbers." },
    ],
  };
}

/** `link <code>`: joins the docket the code belongs to. Refusals for wrong, expired and used codes are returned, not thrown, so the attempt they record is committed. */
async function joinWith(typed: string, merge: boolean, ctx: CommandContext): Promise<Reply> {
  const root = ctx.settings.commandName;
  const { platform, id: workspaceId, name } = workspaceOf(ctx);
  const at = ctx.now.toISOString();
  const tried = await ctx.store.links.attemptsSince(platform, workspaceId, new Date(ctx.now.getTime() - hour).toISOString());
  if (tried.length >= linkAttemptsPerHour) {
    const retry = new Date(new Date(tried[tried.length - linkAttemptsPerHour]!).getTime() + hour);
    return reply.error(
      "link.too_many",
      `Too many wrong, expired or used link codes were tried in this ${whereKind(ctx)} within the hour (${linkAttemptsPerHour} at most), so no code is taken here for now. Try again after ${formatInstant(retry, ctx.docket.timeZone)}.`,
    );
  }
  const refuse = async (outcome: LinkAttemptOutcome, message: string): Promise<Reply> => {
    await ctx.store.links.recordAttempt({ platform, workspaceId, outcome, at });
    const left = linkAttemptsPerHour - tried.length - 1;
    return reply.error(`link.${outcome}`, `${message} ${left > 0 ? `${plural(left, "more try", "more tries")} this hour.` : "No more tries this hour."}`);
  };
  const normalised = normaliseLinkCode(typed);
  const hash = normalised === undefined ? undefined : linkCodeHash(normalised);
  const found = hash === undefined ? undefined : await ctx.store.links.findCode(hash);
  const fresh = `An admin there makes a new one with /${root} link.`;
  if (!found || !hash)
    return refuse("wrong", `That is not a link code Docket gave out. Check it against the code /${root} link showed in the other workspace or server: 16 letters and digits, like 7K3M-Q9TX-2HWD-R4PN.`);
  if (found.usedAt !== null) return refuse("used", `That link code was already used: each code works once. ${fresh}`);
  if (found.expiresAt <= at) return refuse("expired", `That link code has expired: codes are valid ${linkCodeLifetimeHours} hours. ${fresh}`);

  const own = ctx.docket.id === 0 ? [] : await ctx.store.workspaces.forDocket(ctx.docket.id);
  if (found.docketId === ctx.docket.id) throw new UserError("link.same_docket", `This ${whereKind(ctx)} already shares this docket; /${root} link status lists who does.`);
  if (own.length > 1)
    throw new UserError("link.already_shared", `This ${whereKind(ctx)}'s docket is already shared (${workspaceList(own)}). To join another: /${root} unlink first, then use the code.`);
  await ctx.store.lock([{ docket: found.docketId }]);
  const target = await ctx.store.dockets.get(found.docketId);
  if (!target) throw new Error(`link code of missing docket ${found.docketId}`);
  if (ctx.docket.id !== 0) {
    const counts = await ctx.store.questions.countByStatus(ctx.docket.id);
    const questions = Object.values(counts).reduce((a, b) => a + b, 0);
    const deadlines = (await ctx.store.deadlines.list(ctx.docket.id)).length;
    if ((questions > 0 || deadlines > 0) && !merge)
      throw new UserError(
        "link.merge_needed",
        `This ${whereKind(ctx)}'s docket has ${plural(questions, "question")} and ${plural(deadlines, "deadline")}. To join, add merge:yes and they move into the shared docket with new numbers (the reply lists them): /${root} link ${typed.trim()} merge:yes`,
      );
  }
  if (!(await ctx.store.links.useCode(hash, { platform, workspaceId }, at))) return refuse("used", `That link code was already used: each code works once. ${fresh}`);

  const from = ctx.docket.id;
  const map: NumberMap = from === 0 ? { questions: [], deadlines: [] } : await ctx.store.links.merge(from, target.id, at);
  if (from === 0) await ctx.store.workspaces.bind({ platform, externalId: workspaceId, name, docketId: target.id }, at);
  await ctx.store.members.upsert({ docketId: target.id, platform, userId: ctx.invocation.actor.id, displayName: ctx.invocation.actor.displayName }, at);
  const moved = numberMapText(map);
  const after = { workspace: { platform, id: workspaceId, name }, from: from === 0 ? null : from, to: target.id, moved: moved ?? null, questions: map.questions, deadlines: map.deadlines };
  const actor = actorLabel(ctx.invocation);
  await ctx.store.audit.record({ docketId: target.id, actor, at, action: "docket.link", subject: "link", before: null, after });
  if (from !== 0) await ctx.store.audit.record({ docketId: from, actor, at, action: "docket.link", subject: "link", before: null, after });
  const shared = await ctx.store.workspaces.forDocket(target.id);
  return {
    visibility: "ephemeral",
    heading: `This ${whereKind(ctx)} now shares the docket ${target.name}`,
    blocks: [
      { kind: "fields", fields: [{ label: "Shared by", value: workspaceList(shared) }, ...(moved ? [{ label: "New numbers", value: moved }] : [])] },
      { kind: "text", text: `Questions, answers, notes, deadlines and the admin list are now the same everywhere; a Q number means the same question in each. /${root} link status lists who shares it; /${root} unlink leaves.` },
    ],
  };
}

export const link = defineCommand({
  name: "link",
  summary: "Share this docket with another Slack workspace or Discord server: a one-time code, or join with one",
  options: [
    optional(opt.text("code", { description: "A code from the other workspace or server; leave out to get one here; status: who shares this docket", max: 40, placeholder: "code" })),
    optional(opt.flag("merge", "With a code: move this docket's questions and deadlines into the shared one, with new numbers")),
  ],
  examples: ["link", "link 7K3M-Q9TX-2HWD-R4PN", "link 7K3M-Q9TX-2HWD-R4PN merge:yes"],
  permission: "admin",
  mutates: true,
  async run(input, ctx) {
    if (input.code === undefined) {
      if (input.merge !== undefined) throw new UserError("link.merge_without_code", `merge:yes goes with a code from the other side: /${ctx.settings.commandName} link 7K3M-Q9TX-2HWD-R4PN merge:yes`);
      return issueCode(ctx);
    }
    return joinWith(input.code, input.merge === true, ctx);
  },
});

export const linkStatus = defineCommand({
  name: "link status",
  summary: "Which Slack workspaces and Discord servers share this docket",
  options: [],
  examples: ["link status"],
  permission: "anyone",
  mutates: false,
  async run(_input, ctx) {
    const root = ctx.settings.commandName;
    const workspaces = ctx.docket.id === 0 ? [] : await ctx.store.workspaces.forDocket(ctx.docket.id);
    if (workspaces.length <= 1)
      return reply.text("This docket is not shared", `Only this ${whereKind(ctx)} uses it. To share it, an admin types /${root} link here, then /${root} link <code> in the other Slack workspace or Discord server.`);
    return {
      visibility: "ephemeral",
      heading: `This docket is shared by ${workspaces.length} workspaces and servers`,
      blocks: [{ kind: "text", text: workspaceList(workspaces) }],
    };
  },
});

export const unlink = defineCommand({
  name: "unlink",
  summary: "Leave the shared docket: start an empty one here, or take a full copy",
  options: [optional(opt.flag("copy", "Take a full copy of the shared docket (same Q and D numbers) instead of starting empty"))],
  examples: ["unlink", "unlink copy:yes"],
  permission: "admin",
  mutates: true,
  async run(input, ctx) {
    const root = ctx.settings.commandName;
    const { platform, id: workspaceId, name } = workspaceOf(ctx);
    const shared = ctx.docket.id === 0 ? [] : await ctx.store.workspaces.forDocket(ctx.docket.id);
    if (shared.length <= 1) throw new UserError("link.not_shared", `This docket is not shared, so there is nothing to leave; /${root} link status says who shares a docket.`);
    const copy = input.copy === true;
    const at = ctx.now.toISOString();
    const from = ctx.docket.id;
    const created = await ctx.store.dockets.create({ name, timeZone: ctx.docket.timeZone, createdAt: at });
    let map: NumberMap = { questions: [], deadlines: [] };
    if (copy) map = await ctx.store.links.copyContent(from, created.id);
    else
      for (const a of await ctx.store.admins.list(from))
        if (a.platform === platform) await ctx.store.admins.add(created.id, { kind: a.kind, platform: a.platform, id: a.id, label: a.label }, a.addedBy, a.addedAt);
    const digests = await ctx.store.links.moveSubscriptions(from, created.id, new Map(map.deadlines), { platform, workspaceId });
    await ctx.store.links.rebind(platform, workspaceId, created.id, at);
    await ctx.store.links.retireCodesOf(from, { platform, workspaceId }, at);
    await ctx.store.members.upsert({ docketId: created.id, platform, userId: ctx.invocation.actor.id, displayName: ctx.invocation.actor.displayName }, at);
    const actor = actorLabel(ctx.invocation);
    const after = { workspace: { platform, id: workspaceId, name }, from, to: created.id, copy, questions: map.questions.length, deadlines: map.deadlines.length, digests };
    await ctx.store.audit.record({ docketId: from, actor, at, action: "docket.unlink", subject: "link", before: null, after });
    await ctx.store.audit.record({ docketId: created.id, actor, at, action: "docket.unlink", subject: "link", before: null, after: { ...after, docket: created } });
    const rest = shared.filter((w) => !(w.platform === platform && w.externalId === workspaceId));
    const what = copy
      ? `It took a full copy of the shared docket: ${plural(map.questions.length, "question")} and ${plural(map.deadlines.length, "deadline")}, with the same numbers.`
      : `It starts an empty docket of its own, ${name}, keeping its ${platformName[platform]} entries of the admin list.`;
    return {
      visibility: "ephemeral",
      heading: `This ${whereKind(ctx)} left the shared docket`,
      blocks: [
        { kind: "text", text: what },
        ...(digests > 0 ? [{ kind: "text" as const, text: `${plural(digests, "digest")} of its channels moved with it.` }] : []),
        { kind: "text", text: `The shared docket keeps everything, for ${workspaceList(rest)}.` },
      ],
    };
  },
});
