import { addDays } from "../dates/calendar.ts";
import { formatDate } from "../dates/format.ts";
import { todayIn } from "../dates/wall-clock.ts";
import { UserError } from "../errors.ts";
import { limits } from "../limits.ts";
import { namesOf } from "../people.ts";
import { chaseDetail, chasedPhrase } from "../present.ts";
import { excerpt } from "../text.ts";
import { chaseChannels, type ChaseChannel } from "../types.ts";
import { defineCommand, opt, optional } from "../vocabulary.ts";

export const chase = defineCommand({
  name: "chase",
  summary: "Log that the coalition pressed the addressee again for an answer",
  options: [
    opt.question("question"),
    opt.text("text", { description: "What was done", label: "chase", max: limits.chaseText, placeholder: "what was done", title: "What was done" }),
    optional(opt.keyChoice("via", chaseChannels, "How: email, letter, meeting, call or other")),
    optional(opt.date("on", { description: "The day it was done (default: today); never a future day", allowPast: true }, false)),
    optional(opt.keyText("to", { description: "Whom it went to", max: limits.contact, placeholder: "contact", title: "Contact", example: "Director's office" })),
  ],
  examples: ['chase Q4 "Emailed the secretariat again, copying the Council chair" via:email to:"Director\'s office"', "chase 5 Raised it again at the briefing via:meeting on:yesterday"],
  permission: "anyone",
  mutates: true,
  async run(input, ctx) {
    const q = input.question;
    const root = ctx.settings.commandName;
    if (q.status === "answered")
      throw new UserError("question.answered", `Q${q.number} is answered, so there is nothing to chase. If the answer fell short: /${root} reopen Q${q.number} <reason>, then chase it.`);
    if (q.status === "withdrawn")
      throw new UserError("question.withdrawn", `Q${q.number} was withdrawn, so there is nothing to chase. If it is needed again: /${root} reopen Q${q.number}, then chase it.`);
    const today = todayIn(ctx.now, ctx.docket.timeZone);
    const onDate = input.on ?? today;
    if (onDate > today)
      throw new UserError("on.future", `on:${formatDate(onDate)} has not come yet (today is ${formatDate(today)}): log a chase once it is done, on:today or an earlier day like on:${addDays(today, -1)}.`, "on");
    const asked = todayIn(new Date(q.askedAt), ctx.docket.timeZone);
    if (onDate < asked)
      throw new UserError("on.before_asked", `on:${formatDate(onDate)} is before Q${q.number} was asked (${formatDate(asked)}): a chase comes after the question.`, "on");
    const via = (input.via ?? null) as ChaseChannel | null;
    const logged = await ctx.mutate("question.chase", `Q${q.number}`, async ({ docketId, member, at }) => {
      const c = await ctx.store.chases.insert({ docketId, questionId: q.id, text: input.text, via, onDate, contact: input.to ?? null, loggedBy: member.id, loggedAt: at });
      return { after: { chase: { text: c.text, via: c.via, on: c.onDate, contact: c.contact } }, result: c };
    });
    const summary = (await ctx.store.chases.summaries([q.id])).get(q.id);
    const nameOf = await namesOf(ctx.store, ctx.docket.id);
    return {
      visibility: "ephemeral",
      heading: `Chase logged on Q${q.number}`,
      blocks: [
        { kind: "text", text: `Q${q.number} ${excerpt(q.text, 200)}` },
        {
          kind: "fields",
          fields: [
            { label: "Chase", value: logged.text },
            { label: "When", value: chaseDetail(logged, nameOf) },
            ...(summary ? [{ label: "Record", value: chasedPhrase(summary, today, nameOf) }] : []),
          ],
        },
      ],
    };
  },
});
