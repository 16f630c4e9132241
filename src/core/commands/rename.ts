import { UserError } from "../errors.ts";
import { limits } from "../limits.ts";
import { defineCommand, opt } from "../vocabulary.ts";

export const rename = defineCommand({
  name: "rename",
  summary: "Name this docket, as its reports and exports are titled",
  options: [opt.text("name", { description: "The docket's name, like WCIT-12 coalition", max: limits.docketName, placeholder: "name" })],
  examples: ['rename "WCIT-12 coalition"'],
  permission: "admin",
  mutates: true,
  async run(input, ctx) {
    const name = input.name.trim();
    if (name === ctx.docket.name)
      throw new UserError("docket.same_name", `This docket is already called ${name}; nothing changed.`);
    const before = ctx.docket.name;
    await ctx.mutate("docket.rename", "docket", async ({ docketId }) => {
      await ctx.store.dockets.rename(docketId, name);
      return { before: { name: before }, after: { name }, result: undefined };
    });
    return { visibility: "ephemeral", heading: `This docket is now called ${name}`, blocks: [{ kind: "text", text: `Reports (/${ctx.settings.commandName} export md) are titled "${name}: open questions".` }] };
  },
});
