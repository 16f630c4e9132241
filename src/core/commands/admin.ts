import { UserError } from "../errors.ts";
import { defineCommand, opt } from "../vocabulary.ts";

export const adminAdd = defineCommand({
  name: "admin add",
  summary: "Make a member or a role an admin of this docket",
  options: [opt.target("who")],
  examples: ["admin add @amina", "admin add @organisers"],
  permission: "admin",
  mutates: true,
  async run(input, ctx) {
    const who = input.who;
    await ctx.mutate("admin.add", `admin:${who.kind}:${who.id}`, async ({ docketId, at }) => {
      await ctx.store.admins.add(docketId, who, ctx.invocation.actor.displayName, at);
      return { after: who, result: undefined };
    });
    return { visibility: "ephemeral", heading: `${who.label} is now an admin of this docket`, blocks: [] };
  },
});

export const adminRemove = defineCommand({
  name: "admin remove",
  summary: "Take a member or a role off this docket's admin list",
  options: [opt.target("who")],
  examples: ["admin remove @amina"],
  permission: "admin",
  mutates: true,
  async run(input, ctx) {
    const who = input.who;
    const listed = (await ctx.store.admins.list(ctx.docket.id)).some((a) => a.kind === who.kind && a.id === who.id && a.platform === who.platform);
    if (!listed) throw new UserError("admin.not_listed", `${who.label} is not on this docket's admin list; see /${ctx.settings.commandName} admin list.`);
    await ctx.mutate("admin.remove", `admin:${who.kind}:${who.id}`, async ({ docketId }) => {
      await ctx.store.admins.remove(docketId, who);
      return { before: who, result: undefined };
    });
    return { visibility: "ephemeral", heading: `${who.label} is no longer an admin of this docket`, blocks: [] };
  },
});

export const adminList = defineCommand({
  name: "admin list",
  summary: "Who counts as an admin of this docket",
  options: [],
  examples: ["admin list"],
  permission: "anyone",
  mutates: false,
  async run(_input, ctx) {
    const admins = await ctx.store.admins.list(ctx.docket.id);
    const platformAdmins = "Workspace admins (Slack admins and owners, Discord members with Manage Server) are always admins.";
    if (admins.length === 0) return { visibility: "ephemeral", heading: "No one is on this docket's own admin list", blocks: [{ kind: "text", text: platformAdmins }] };
    return {
      visibility: "ephemeral",
      heading: `${admins.length} on this docket's admin list`,
      blocks: [{ kind: "list", items: admins.map((a) => ({ text: `${a.label} (${a.kind})`, detail: `added by ${a.addedBy}` })) }, { kind: "text", text: platformAdmins }],
    };
  },
});
