import { exportFile, exportFormats, type ExportFormat } from "../export/index.ts";
import { defineCommand, opt, optional } from "../vocabulary.ts";

export const exportCommand = defineCommand({
  name: "export",
  summary: "The docket as a file: md report, csv table, json backup or ics calendar",
  options: [optional(opt.choice("format", exportFormats, "File format"))],
  examples: ["export md", "export csv", "export ics"],
  permission: "anyone",
  mutates: false,
  slow: true,
  async run(input, ctx) {
    const format = (input.format ?? "md") as ExportFormat;
    if (ctx.docket.id === 0) return { visibility: "ephemeral", heading: "This docket is empty", blocks: [{ kind: "text", text: `Ask a question first: /${ctx.settings.commandName} ask …` }] };
    const file = exportFile(await ctx.store.snapshots.read(ctx.docket.id), format, ctx.now);
    return { visibility: "ephemeral", heading: `Exported ${file.name}`, blocks: [], file: { ...file, serverCommand: `docket export --format ${format} --docket ${ctx.docket.id}` } };
  },
});
