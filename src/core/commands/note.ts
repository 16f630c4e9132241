import { limits } from "../limits.ts";
import { defineCommand, opt } from "../vocabulary.ts";

export const note = defineCommand({
  name: "note",
  summary: "Add a note to a question",
  options: [opt.question("question"), opt.text("text", { description: "The note", label: "note", max: limits.noteText, placeholder: "text" })],
  examples: ['note Q3 "Asked again at the 9 Oct briefing; they promised a reply by Friday"'],
  permission: "anyone",
  mutates: true,
  async run(input, ctx) {
    const q = input.question;
    await ctx.mutate("question.note", `Q${q.number}`, async ({ docketId, member, at }) => {
      const n = await ctx.store.notes.insert({ docketId, questionId: q.id, text: input.text, author: member.id, createdAt: at });
      return { after: { note: n.text }, result: n };
    });
    return { visibility: "ephemeral", heading: `Noted on Q${q.number}`, blocks: [{ kind: "text", text: input.text }] };
  },
});
