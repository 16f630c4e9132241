import { daysText, scorecard as reckon } from "../scorecard.ts";
import { plural } from "../text.ts";
import { defineCommand, opt, optional } from "../vocabulary.ts";

export const scorecard = defineCommand({
  name: "scorecard",
  summary: "Per addressee: asked, answered, partly, open, median days to an answer, longest wait, chases",
  options: [optional(opt.keyText("to", { description: "Only addressees whose name starts with this", max: 200, placeholder: "addressee" }))],
  examples: ["scorecard", "scorecard to:ITU"],
  permission: "anyone",
  mutates: false,
  slow: true,
  async run(input, ctx) {
    const none = { visibility: "ephemeral" as const, heading: `No questions${input.to ? ` to ${input.to}` : ""} to score`, blocks: [{ kind: "text" as const, text: `Ask one first: /${ctx.settings.commandName} ask …` }] };
    if (ctx.docket.id === 0) return none;
    const s = await ctx.store.snapshots.read(ctx.docket.id);
    const rows = reckon(s, ctx.now, ctx.docket.timeZone, input.to);
    if (rows.length === 0) return none;
    return {
      visibility: "ephemeral",
      heading: `Scorecard${input.to ? ` · to ${input.to}` : ""}`,
      blocks: [
        {
          kind: "list",
          items: rows.map((r) => ({
            text: `${r.addressee ?? "No addressee named"}: answered ${r.answered} of ${r.asked}`,
            detail: [
              `${r.partial} partly answered · ${r.open} open`,
              `median ${daysText(r.medianDaysToAnswer)} to an answer`,
              r.longestWait ? `longest wait ${daysText(r.longestWait.days)} (Q${r.longestWait.questionNumber})` : "none waiting",
              plural(r.chases, "chase"),
            ].join(" · "),
          })),
        },
        { kind: "text", text: "Days are calendar days in the docket's zone; withdrawn questions are not counted." },
      ],
    };
  },
});
