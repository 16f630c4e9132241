import { UserError } from "../errors.ts";
import { limits } from "../limits.ts";
import { excerpt } from "../text.ts";
import { namesOf } from "../people.ts";
import { defineCommand, opt, optional } from "../vocabulary.ts";

export const answer = defineCommand({
  name: "answer",
  summary: "Log an answer to a question, with its source",
  options: [
    opt.question("question"),
    opt.text("text", { description: "The answer", label: "answer", max: limits.answerText, placeholder: "text", title: "Answer" }),
    optional(opt.keyText("source", { description: "A link or a citation", max: limits.source, placeholder: "url-or-citation", title: "Source", example: "https://… or a citation" })),
    optional(opt.flag("partial", "yes if this answers only part of the question", "Partial answer")),
  ],
  examples: ['answer Q3 "Sector membership is CHF 10,600 a year" source:https://www.itu.int/en/join', 'answer 4 Only for accredited observers source:"ITU Council Decision 588, §3" partial:yes'],
  permission: "anyone",
  mutates: true,
  form: { title: "Log an answer", titleFor: (n) => `Answer Q${n}`, submit: "Log answer" },
  async run(input, ctx) {
    const q = input.question;
    if (q.status === "withdrawn")
      throw new UserError("question.withdrawn", `Q${q.number} was withdrawn; to answer it, first /${ctx.settings.commandName} reopen Q${q.number}.`);
    const kind = input.partial ? "partial" : "full";
    const status = kind === "full" ? "answered" : q.status === "answered" ? "answered" : "partial";
    const logged = await ctx.mutate("question.answer", `Q${q.number}`, async ({ docketId, member, at }) => {
      const a = await ctx.store.answers.insert({ docketId, questionId: q.id, text: input.text, source: input.source ?? null, kind, loggedBy: member.id, loggedAt: at });
      if (status !== q.status) await ctx.store.questions.update(docketId, q.number, { status }, at);
      return { before: { status: q.status }, after: { status, answer: { text: a.text, source: a.source, kind } }, result: a };
    });
    const nameOf = await namesOf(ctx.store, q.docketId);
    return {
      visibility: "ephemeral",
      heading: `Logged a ${kind} answer to Q${q.number}`,
      blocks: [
        { kind: "text", text: `Q${q.number} ${excerpt(q.text, 200)}` },
        { kind: "fields", fields: [{ label: "Answer", value: logged.text }, { label: "Source", value: logged.source ?? "none given" }, { label: "Status", value: status }] },
      ],
      announcement: `${nameOf(logged.loggedBy)} logged ${kind === "full" ? "an answer" : "a partial answer"} to Q${q.number}: ${excerpt(logged.text, 160)}${logged.source ? ` (source: ${excerpt(logged.source, 120)})` : ""}`,
    };
  },
});
