import { UserError } from "../errors.ts";
import { limits } from "../limits.ts";
import type { CommandContext } from "../context.ts";
import type { Reply } from "../reply.ts";
import type { Question, QuestionStatus } from "../types.ts";
import { defineCommand, opt, optional } from "../vocabulary.ts";

async function changeStatus(ctx: CommandContext, q: Question, to: QuestionStatus, action: string, reason: string | undefined, heading: string): Promise<Reply> {
  await ctx.mutate(action, `Q${q.number}`, async ({ docketId, at }) => {
    await ctx.store.questions.update(docketId, q.number, { status: to }, at);
    return { before: { status: q.status }, after: { status: to, reason: reason ?? null }, result: undefined };
  });
  return { visibility: "ephemeral", heading, blocks: reason ? [{ kind: "text", text: `Reason: ${reason}` }] : [] };
}

const reason = optional(opt.text("reason", { description: "Why", max: limits.reason, placeholder: "reason" }));

export const reopen = defineCommand({
  name: "reopen",
  summary: "Open a question again (the answer fell short, or it was withdrawn too soon)",
  options: [opt.question("question"), reason],
  examples: ["reopen Q3 The reply only covered sector members"],
  permission: "anyone",
  mutates: true,
  async run(input, ctx) {
    if (input.question.status === "open")
      throw new UserError("question.already_open", `Q${input.question.number} is already open. To add to it, use /${ctx.settings.commandName} note Q${input.question.number} …`);
    const q = input.question;
    // why: reopening a partly answered question says the partial answer fell short, so it is plainly open
    // now; an answered or withdrawn one goes back to "partly answered" if partial answers were logged,
    // since those still stand. Either way the heading says which, so no status changes silently.
    if (q.status === "partial")
      return changeStatus(ctx, q, "open", "question.reopen", input.reason, `Q${q.number} is open again, no longer marked partly answered (its answers stay in /${ctx.settings.commandName} show Q${q.number})`);
    const hasPartial = (await ctx.store.answers.forQuestion(q.id)).some((a) => a.kind === "partial");
    return hasPartial
      ? changeStatus(ctx, q, "partial", "question.reopen", input.reason, `Q${q.number} is open again, partly answered: its partial answers still stand`)
      : changeStatus(ctx, q, "open", "question.reopen", input.reason, `Q${q.number} is open again`);
  },
});

export const withdraw = defineCommand({
  name: "withdraw",
  summary: "Withdraw a question that is no longer needed (its asker or an admin)",
  options: [opt.question("question"), reason],
  examples: ["withdraw Q5 Superseded by Q9"],
  permission: "asker",
  mutates: true,
  async run(input, ctx) {
    if (input.question.status === "withdrawn")
      throw new UserError("question.already_withdrawn", `Q${input.question.number} is already withdrawn. To bring it back: /${ctx.settings.commandName} reopen Q${input.question.number}`);
    return changeStatus(ctx, input.question, "withdrawn", "question.withdraw", input.reason, `Q${input.question.number} is withdrawn`);
  },
});
