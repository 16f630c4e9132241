import { limits } from "../limits.ts";
import { UserError } from "../errors.ts";
import { defineCommand, opt } from "../vocabulary.ts";

export const search = defineCommand({
  name: "search",
  summary: "Search the text of questions, answers and notes",
  options: [opt.text("words", { description: "Words to find", max: limits.searchWords, placeholder: "words" })],
  examples: ["search membership fee", "search webcast"],
  permission: "anyone",
  mutates: false,
  slow: true,
  run(input, ctx) {
    const words = input.words.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    if (words.length === 0) throw new UserError("words.empty", `Search needs a word with letters or digits, like /${ctx.settings.commandName} search membership.`);
    const hits = ctx.store.search.search(ctx.docket.id, words, 20);
    if (hits.length === 0) return { visibility: "ephemeral", heading: `Nothing matches "${input.words}"`, blocks: [] };
    return {
      visibility: "ephemeral",
      heading: `${hits.length === 20 ? "The first 20" : hits.length} ${hits.length === 1 ? "match" : "matches"} for "${input.words}"`,
      blocks: [{ kind: "list", items: hits.map((h) => ({ text: `Q${h.questionNumber} (${h.kind})`, detail: h.snippet, questionNumber: h.questionNumber })) }],
    };
  },
});
