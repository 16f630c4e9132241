import { fieldList } from "../history.ts";
import { UserError } from "../errors.ts";
import { limits } from "../limits.ts";
import type { QuestionPatch } from "../ports.ts";
import type { Question } from "../types.ts";
import { clearable, defineCommand, opt, optional } from "../vocabulary.ts";

/** The fields of a patch that would change the question: an edit to what is already there is no change. */
export function changedFields(q: Question, patch: QuestionPatch): QuestionPatch {
  const changed: QuestionPatch = {};
  if (patch.text !== undefined && patch.text !== q.text) changed.text = patch.text;
  if (patch.addressee !== undefined && patch.addressee !== q.addressee) changed.addressee = patch.addressee;
  if (patch.neededBy !== undefined && JSON.stringify(patch.neededBy) !== JSON.stringify(q.neededBy)) changed.neededBy = patch.neededBy;
  // why: tags are a set; the same tags in another order are no change.
  if (patch.tags !== undefined && [...patch.tags].sort().join(" ") !== [...q.tags].sort().join(" ")) changed.tags = patch.tags;
  return changed;
}

export const edit = defineCommand({
  name: "edit",
  summary: "Correct a question (its asker or an admin); the old version stays in its history",
  options: [
    opt.question("question"),
    optional(opt.text("text", { description: "The corrected question, before any option or in quotes", label: "question", max: limits.questionText, placeholder: "text" })),
    clearable(optional(opt.keyText("to", { description: "Who it is asked of (to:none clears it)", label: "addressee", max: limits.addressee, placeholder: "addressee", example: "ITU Secretariat" }))),
    clearable(optional({ ...opt.neededBy("by"), description: "Needed by: a deadline (D1 or its title) or a date (by:none clears it)" })),
    clearable(optional({ ...opt.tags("tags"), description: "Tags, written #like #this, in place of the old ones (tags:none clears them)" })),
  ],
  examples: ["edit Q3 to:ITU Secretariat by:D2", 'edit 4 "Will all plenary sessions be webcast live?" #transparency', "edit Q3 by:none tags:none"],
  permission: "asker",
  mutates: true,
  async run(input, ctx) {
    const q = input.question;
    const asked: QuestionPatch = {};
    if (input.text !== undefined) asked.text = input.text;
    if (input.to !== undefined) asked.addressee = input.to;
    if (input.by !== undefined) asked.neededBy = input.by;
    if (input.tags !== undefined) asked.tags = input.tags ?? [];
    if (Object.keys(asked).length === 0)
      throw new UserError("edit.nothing", `Say what to change in Q${q.number}: new text, to:, by: or #tags, like /${ctx.settings.commandName} edit Q${q.number} to:"ITU Secretariat"; to:none, by:none or tags:none clears one.`);
    const patch = changedFields(q, asked);
    // why: an edit to what is already there is not a change: no history entry, and the reply says so.
    if (Object.keys(patch).length === 0)
      return { visibility: "ephemeral", heading: `Nothing changed in Q${q.number}`, blocks: [{ kind: "text", text: `Q${q.number} already reads that way; nothing was recorded.` }] };
    const before = Object.fromEntries(Object.keys(patch).map((k) => [k, q[k as keyof QuestionPatch]]));
    await ctx.mutate("question.edit", `Q${q.number}`, async ({ docketId, at }) => {
      await ctx.store.questions.update(docketId, q.number, patch, at);
      return { before, after: patch, result: undefined };
    });
    return { visibility: "ephemeral", heading: `Updated Q${q.number}`, blocks: [{ kind: "text", text: `Changed ${fieldList(Object.keys(patch))}. The previous version is in /${ctx.settings.commandName} show Q${q.number}.` }] };
  },
});
