import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { maxSearchTerms, parseSearch, phrasesOf } from "../../../src/core/search-query.ts";
import { replyToText } from "../../../src/core/reply.ts";
import { ftsMatch } from "../../../src/store/sqlite-search.ts";
import { harness, type Harness } from "../../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = harness();
});
afterEach(() => h.close());

const found = async (words: string) =>
  (await h.ok(`search ${words}`)).blocks.flatMap((b) => (b.kind === "list" ? b.items.map((i) => i.text) : []));

describe("search finds what was meant, and only that", () => {
  beforeEach(async () => {
    await h.ok("ask What does ITU membership cost for an NGO? to:ITU #fees");
    await h.ok("ask Is it streamed or only recorded?");
    await h.ok("ask It's the Secretariat's call: who decides?");
    await h.ok('answer Q2 "Only the opening ceremony is streamed" source:"Secretariat circular"');
  });

  it("it's matches the words it and s together, not every word starting with s", async () => {
    expect(await found("it's")).toEqual(["Q3 (question) · open"]);
  });

  it("a:b is read as the phrase a b, not as a column filter or two loose words", async () => {
    expect((await h.run("search secretariat:who")).error).toBeUndefined();
    expect(await found("secretariat:who")).toEqual([]);
    expect(await found("secretariat's:call")).toEqual(["Q3 (question) · open"]);
  });

  it("only the last word matches the start of longer words, as it is being typed", async () => {
    expect(await found("membership fee")).toEqual(["Q1 (question) · open"]);
    expect(await found("memb fees")).toEqual([]);
  });

  it("-word leaves out what has it", async () => {
    expect(await found("streamed")).toEqual(["Q2 (question) · answered", "Q2 (answer) · answered"]);
    expect(await found("streamed -ceremony")).toEqual(["Q2 (question) · answered"]);
  });

  it("results say whether the question is still open, and snippets show only what was written", async () => {
    const text = replyToText(await h.ok("search fees"));
    expect(text).toContain("Q1 (question) · open");
    expect(text).toContain("What does ITU membership cost for an NGO?");
    // The index also holds the addressee and tags; the snippet is the question's own text.
    expect(text).not.toMatch(/NGO\? ITU fees/);
    expect(replyToText(await h.ok("search circular"))).not.toContain("Secretariat circular");
  });

  it("a search of only -words asks for a word to find, and changes nothing", async () => {
    const before = h.snapshot();
    const reply = await h.run("search -fees");
    expect(reply.error?.code).toBe("words.empty");
    expect(replyToText(reply)).toContain("search membership -fee");
    expect(h.snapshot()).toEqual(before);
  });
});

describe("search work is bounded whatever a member types", () => {
  it("99 copies of one word reach the index as one term", async () => {
    const q = parseSearch(Array.from({ length: 99 }, () => "a").join(" "), "docket");
    expect(phrasesOf(q)).toHaveLength(1);
    expect(ftsMatch(q)).toBe('("a")');
  });

  it(`more than ${maxSearchTerms} different words are refused with the limit and an example`, async () => {
    const words = Array.from({ length: maxSearchTerms + 1 }, (_, i) => `w${i}x`).join(" ");
    const before = h.snapshot();
    const reply = await h.run(`search ${words}`);
    expect(reply.error?.code).toBe("search.too_many_words");
    expect(replyToText(reply)).toBe(`Search takes at most ${maxSearchTerms} different words; this has ${maxSearchTerms + 1}. Keep the rarest few, like /docket search membership fee NGO`);
    expect(h.snapshot()).toEqual(before);
  });

  it("no text at the search limit puts more than the cap of phrases into the FTS expression", async () => {
    const texts = [
      Array.from({ length: 99 }, () => "a").join(" "),
      Array.from({ length: 40 }, (_, i) => (i % 2 ? "OR" : `a${i % 7}`)).join(" "),
      Array.from({ length: 60 }, (_, i) => `-x${i % 4} y${i % 3}`).join(" "),
    ];
    for (const text of texts) {
      let match: string;
      try {
        match = ftsMatch(parseSearch(text, "docket"));
      } catch (error) {
        // Refused before any work: also bounded.
        expect(error).toMatchObject({ code: "search.too_many_words" });
        continue;
      }
      expect(match.match(/"[^"]*"/g)?.length ?? 0).toBeLessThanOrEqual(maxSearchTerms);
      expect(match).not.toContain("snippet");
    }
  });

  it("the worst case from the report answers with the note once, its snippet cut from the stored text", async () => {
    await h.ok("ask Long note?");
    await h.ok(`note Q1 ${Array.from({ length: 1000 }, () => "a").join(" ")}`);
    await h.ok(`note Q1 ${"b".repeat(1000)}`);
    const snippets = async (text: string) => (await h.ok(text)).blocks.flatMap((b) => (b.kind === "list" ? b.items.map((i) => i.detail ?? "") : []));
    const a = await snippets(`search ${Array.from({ length: 99 }, () => "a").join(" ")}`);
    expect(a).toHaveLength(1);
    expect(a[0]!.length).toBeLessThanOrEqual(122);
    const b = await snippets(`search ${Array.from({ length: 49 }, () => "bbb").join(" ")}`);
    expect(b).toHaveLength(1);
    expect(b[0]!.length).toBeLessThanOrEqual(122);
  });
});
