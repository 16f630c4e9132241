import { limits } from "../limits.ts";
import { namesOf } from "../people.ts";
import { byNumber, neededByText } from "../present.ts";
import { excerpt } from "../text.ts";
import { clearable, defineCommand, opt, optional } from "../vocabulary.ts";

export const ask = defineCommand({
  name: "ask",
  summary: "Add an open question to the docket",
  options: [
    opt.text("text", { description: "The question", label: "question", max: limits.questionText, placeholder: "text", title: "Question", example: "What does ITU membership cost for an NGO?" }),
    clearable(optional(opt.keyText("to", { description: "Who it is asked of", label: "addressee", max: limits.addressee, placeholder: "addressee", title: "Asked of", example: "ITU Secretariat" }))),
    clearable(optional(opt.neededBy("by"))),
    clearable(optional(opt.tags("tags"))),
  ],
  examples: ['ask "What does ITU membership cost for an NGO?" to:ITU by:WCIT #membership', "ask Will plenary sessions be webcast? to:Secretariat"],
  permission: "anyone",
  mutates: true,
  form: { title: "Ask a question", submit: "Ask" },
  async run(input, ctx) {
    const question = await ctx.mutate("question.ask", null, async ({ docketId, member, at }) => {
      const q = await ctx.store.questions.insert({
        docketId, text: input.text, addressee: input.to ?? null, tags: input.tags ?? [], neededBy: input.by ?? null, askedBy: member.id, askedAt: at,
      });
      return { subject: `Q${q.number}`, after: { number: q.number, text: q.text, addressee: q.addressee, tags: q.tags, neededBy: q.neededBy }, result: q };
    });
    const by = neededByText(question.neededBy, byNumber(await ctx.store.deadlines.list(question.docketId)));
    const nameOf = await namesOf(ctx.store, question.docketId);
    return {
      visibility: "ephemeral",
      heading: `Added Q${question.number}`,
      blocks: [
        { kind: "text", text: question.text },
        {
          kind: "fields",
          fields: [
            ...(question.addressee ? [{ label: "Asked of", value: question.addressee }] : []),
            ...(by ? [{ label: "Needed", value: by.replace(/^needed /, "") }] : []),
            ...(question.tags.length ? [{ label: "Tags", value: question.tags.map((t) => `#${t}`).join(" ") }] : []),
          ],
        },
      ],
      announcement: `${nameOf(question.askedBy)} asked Q${question.number}${question.addressee ? ` of ${question.addressee}` : ""}: ${excerpt(question.text, 200)}`,
    };
  },
});
