import { limits } from "../limits.ts";
import { statusLabel } from "../present.ts";
import { maxSearchTerms, parseSearch, phrasesOf, snippetOf } from "../search-query.ts";
import { defineCommand, opt } from "../vocabulary.ts";

export const search = defineCommand({
  name: "search",
  summary: "Search the text of questions, answers and notes",
  options: [
    opt.text("words", {
      description: `Words to find, all of them (up to ${maxSearchTerms} different words); -word leaves out what has it; OR between words finds either; words match whole words, except that the last, if 3 letters or more, also matches words it begins`,
      max: limits.searchWords,
      placeholder: "words",
    }),
  ],
  examples: ["search membership fee", "search webcast", "search membership -fee", "search webcast OR streamed"],
  permission: "anyone",
  mutates: false,
  slow: true,
  async run(input, ctx) {
    const query = parseSearch(input.words, ctx.settings.commandName);
    const hits = await ctx.store.search.search(ctx.docket.id, query, 20);
    if (hits.length === 0) return { visibility: "ephemeral", heading: `Nothing matches "${input.words}"`, blocks: [] };
    const phrases = phrasesOf(query).filter((p) => !query.exclude.includes(p));
    return {
      visibility: "ephemeral",
      heading: `${hits.length === 20 ? "The first 20" : hits.length} ${hits.length === 1 ? "match" : "matches"} for "${input.words}"`,
      blocks: [
        {
          kind: "list",
          items: hits.map((h) => ({ text: `Q${h.questionNumber} (${h.kind}) · ${statusLabel[h.status]}`, detail: snippetOf(h.text, phrases), questionNumber: h.questionNumber })),
        },
      ],
    };
  },
});
