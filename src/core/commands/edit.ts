import { fieldList } from "../history.ts";
import { UserError } from "../errors.ts";
import { limits } from "../limits.ts";
import type { QuestionPatch } from "../ports.ts";
import { defineCommand, opt, optional } from "../vocabulary.ts";

export const edit = defineCommand({
  name: "edit",
  summary: "Correct a question (its asker or an admin); the old version stays in its history",
  options: [
    opt.question("question"),
    optional(opt.text("text", { description: "The corrected question", label: "question", max: limits.questionText, placeholder: "text" })),
    optional(opt.keyText("to", { description: "Who it is asked of (none to clear)", label: "addressee", max: limits.addressee, placeholder: "addressee" })),
    optional(opt.neededBy("by")),
    optional(opt.tags("tags")),
  ],
  examples: ["edit Q3 to:ITU Secretariat by:D2", 'edit 4 "Will all plenary sessions be webcast live?" #transparency'],
  permission: "asker",
  mutates: true,
  run(input, ctx) {
    const q = input.question;
    const patch: QuestionPatch = {};
    if (input.text !== undefined) patch.text = input.text;
    if (input.to !== undefined) patch.addressee = /^(none|-)$/i.test(input.to) ? null : input.to;
    if (input.by !== undefined) patch.neededBy = input.by;
    if (input.tags !== undefined) patch.tags = input.tags;
    if (Object.keys(patch).length === 0)
      throw new UserError("edit.nothing", `Say what to change in Q${q.number}: new text, to:, by: or #tags, like /${ctx.settings.commandName} edit Q${q.number} to:"ITU Secretariat".`);
    const before = Object.fromEntries(Object.keys(patch).map((k) => [k, q[k as keyof QuestionPatch]]));
    ctx.mutate("question.edit", `Q${q.number}`, ({ docketId, at }) => {
      ctx.store.questions.update(docketId, q.number, patch, at);
      return { before, after: patch, result: undefined };
    });
    return { visibility: "ephemeral", heading: `Updated Q${q.number}`, blocks: [{ kind: "text", text: `Changed ${fieldList(Object.keys(patch))}. The previous version is in /${ctx.settings.commandName} show Q${q.number}.` }] };
  },
});
