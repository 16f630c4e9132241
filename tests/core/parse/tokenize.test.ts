import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tokenize, tokenText, type Token } from "../../../src/core/parse/tokenize.ts";

/** Tokens without where they were typed, for comparing kinds and values. */
type Bare = Token extends infer T ? (T extends Token ? Omit<T, "source" | "glued"> : never) : never;
const bare = (text: string): Bare[] => tokenize(text).map(({ source: _source, glued: _glued, ...t }) => t as Bare);
const word = (value: string, quoted = false): Bare => ({ kind: "word", value, quoted });
const option = (key: string, value: string, raw: string, quoted = false): Bare => ({ kind: "option", key, value, quoted, raw });
const tag = (value: string): Bare => ({ kind: "tag", value });

/** Every pair the grammar treats as quotes (design.md §3: "double", 'single', “smart”), opening → closing. */
const quotePairs: ReadonlyArray<readonly [string, string]> = [
  ['"', '"'],
  ["'", "'"],
  ["“", "”"],
  ["”", "”"],
  ["‘", "’"],
  ["’", "’"],
  ["„", "“"],
  ["«", "»"],
];
const openers = new Set(quotePairs.map(([open]) => open));

describe("tokenize: words and quotes", () => {
  it("splits plain words on any whitespace, tabs and newlines included", () => {
    expect(bare("  ask   what\tnow\nplease ")).toEqual([word("ask"), word("what"), word("now"), word("please")]);
  });

  it("gives nothing for empty or blank text", () => {
    expect(bare("")).toEqual([]);
    expect(bare(" \t\n ")).toEqual([]);
  });

  it.each([
    ["double", 'ask "What does it cost?"'],
    ["single", "ask 'What does it cost?'"],
    ["smart double", "ask “What does it cost?”"],
    ["smart single", "ask ‘What does it cost?’"],
    ["low-high (German)", "ask „What does it cost?“"],
    ["guillemets", "ask «What does it cost?»"],
  ])("%s quotes make one quoted word with the spaces kept", async (_name, text) => {
    expect(bare(text)).toEqual([word("ask"), word("What does it cost?", true)]);
  });

  it("keeps quoted text exactly: inner spaces, other quote characters, colons and hashes", () => {
    expect(bare(`ask "  two  spaces, 'inner' “smart” to:x #tag  "`)).toEqual([word("ask"), word(`  two  spaces, 'inner' “smart” to:x #tag  `, true)]);
  });

  it("keeps a newline inside quotes", () => {
    expect(bare('note 3 "line one\nline two"')).toEqual([word("note"), word("3"), word("line one\nline two", true)]);
  });

  it("an apostrophe inside a word (don't) is not a quote", () => {
    expect(bare("ask don't they publish the ITU’s fees")).toEqual([
      word("ask"), word("don't"), word("they"), word("publish"), word("the"), word("ITU’s"), word("fees"),
    ]);
  });

  it("a quote character in the middle of a word does not open a quote", () => {
    expect(bare('say a"b c')).toEqual([word("say"), word('a"b'), word("c")]);
  });

  // why changed (issue 10): the token is now marked unclosed, so the binder refuses it instead of storing `to:ITU` as text.
  it("an unclosed quote runs to the end of the text, marked unclosed", () => {
    expect(bare('ask "What does it cost? to:ITU #fees')).toEqual([word("ask"), { ...word("What does it cost? to:ITU #fees", true), unclosed: true }]);
    expect(bare("ask “never closed")).toEqual([word("ask"), { ...word("never closed", true), unclosed: true }]);
  });

  it("a lone quote at the end is an empty, unclosed quoted word", () => {
    expect(bare('ask "')).toEqual([word("ask"), { ...word("", true), unclosed: true }]);
  });

  it("a backslash before the closing quote keeps it in the quoted value", () => {
    expect(bare('ask "He said \\"no\\"" to:"a \\" b"')).toEqual([word("ask"), word('He said "no"', true), option("to", 'a " b', 'to:a " b', true)]);
    expect(bare('ask "C:\\path"')).toEqual([word("ask"), word("C:\\path", true)]);
  });

  it("a closing quote ends the word even with no space after it", () => {
    expect(bare('"a b"c')).toEqual([word("a b", true), word("c")]);
  });

  it("Slack-style mentions and channel links stay words", () => {
    expect(bare("admin add <@U123|ana> in <#C1|general> and <!subteam^S1|@team>")).toEqual([
      word("admin"), word("add"), word("<@U123|ana>"), word("in"), word("<#C1|general>"), word("and"), word("<!subteam^S1|@team>"),
    ]);
  });
});

describe("tokenize: key:value options", () => {
  it("reads key:value anywhere in the text, the key lower-cased and the raw text kept", () => {
    expect(bare("ask to:ITU What does it cost? BY:2026-12-20 now")).toEqual([
      word("ask"), option("to", "ITU", "to:ITU"), word("What"), word("does"), word("it"), word("cost?"), option("by", "2026-12-20", "BY:2026-12-20"), word("now"),
    ]);
  });

  it.each(quotePairs.map(([open, close]) => [open, close] as const))("key:%svalue with spaces%s is one quoted option", (open, close) => {
    expect(bare(`answer 3 yes source:${open}ITU Council Decision 588, §3${close} partial:yes`)).toEqual([
      word("answer"), word("3"), word("yes"), option("source", "ITU Council Decision 588, §3", "source:ITU Council Decision 588, §3", true), option("partial", "yes", "partial:yes"),
    ]);
  });

  it("a value may itself contain colons: only the first one separates the key", () => {
    expect(bare("at:10:30")).toEqual([option("at", "10:30", "at:10:30")]);
  });

  it("a URL is one option-shaped token whose text is the URL as typed", () => {
    const [url] = tokenize("https://example.org/a:b?q=1#frag");
    expect(bare("https://example.org/a:b?q=1#frag")[0]).toEqual(option("https", "//example.org/a:b?q=1#frag", "https://example.org/a:b?q=1#frag"));
    expect(tokenText(url!)).toBe("https://example.org/a:b?q=1#frag");
  });

  // why changed (issue 13): `digest on chase-after:14` needs a key with a hyphen between letters.
  it("keys are letters, with hyphens only between them: digits or stray dashes before the colon make a plain word", () => {
    expect(bare("utf8:yes x-:z -x:z 12:30")).toEqual([word("utf8:yes"), word("x-:z"), word("-x:z"), word("12:30")]);
    expect(bare("chase-after:14")).toEqual([option("chase-after", "14", "chase-after:14")]);
  });

  // why changed (issue 10): `to:` was a word, so `edit Q18 to:` stored the text "to:"; it is now an
  // empty option, which the binder refuses with the right form.
  it("a bare key with nothing after the colon is an option with an empty value", () => {
    expect(bare("to: ITU")).toEqual([option("to", "", "to:"), word("ITU")]);
  });

  it("key: followed by an unclosed quote runs to the end, marked unclosed", () => {
    expect(bare('to:"ITU Secretariat #fees')).toEqual([{ ...option("to", "ITU Secretariat #fees", "to:ITU Secretariat #fees", true), unclosed: true }]);
  });
});

describe("tokenize: #tags", () => {
  it("reads tags of letters in any script, digits, - and _", () => {
    expect(bare("#fees #über #членство #会費 #wcit-12 #a_b #2026 #x.y")).toEqual([
      tag("fees"), tag("über"), tag("членство"), tag("会費"), tag("wcit-12"), tag("a_b"), tag("2026"), tag("x.y"),
    ]);
  });

  it("a tag may carry combining marks after its first letter (a decomposed é)", () => {
    expect(bare("#cafe\u0301 #ne\u0301gociation")).toEqual([tag("cafe\u0301"), tag("ne\u0301gociation")]);
  });

  it("a hash that does not start a tag is a word", () => {
    expect(bare("# #-x #.x a#b #a!b")).toEqual([word("#"), word("#-x"), word("#.x"), word("a#b"), word("#a!b")]);
  });

  it("a quoted #tag is text, not a tag", () => {
    expect(bare('"#fees"')).toEqual([word("#fees", true)]);
  });
});

describe("tokenText", () => {
  it("gives back what was typed for unquoted words, options and tags", () => {
    for (const text of ["ask", "don't", "To:ITU", "https://x.org/a:b", "#Über", "<@U1|ana>"]) {
      const tokens = tokenize(text);
      expect(tokens).toHaveLength(1);
      expect(tokenText(tokens[0]!)).toBe(text);
    }
  });

  it("gives a quoted word's value, without its quotes", () => {
    expect(tokenize('"a b"').map(tokenText)).toEqual(["a b"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/** Interesting characters for the grammar, so random texts hit quotes, keys and tags often. */
const grammarChar = fc.constantFrom(
  ..."aZé日😀09 \t\n\u00a0:#-_./@<>|?,".split(""),
  ...quotePairs.flat(),
  "to:", "by:", "source:", "https://",
);
const grammarText = fc.string({ unit: grammarChar, maxLength: 40 });
const isSpace = (c: string) => /\s/.test(c);

describe("tokenize: properties", () => {
  it("never throws, whatever the text (ASCII, graphemes, any code point, grammar-heavy)", () => {
    for (const text of [fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }), grammarText])
      fc.assert(fc.property(text, (t) => {
        tokenize(t);
      }), { numRuns: 500 });
  });

  it("every token it makes is well formed", () => {
    fc.assert(
      fc.property(fc.oneof(grammarText, fc.string({ unit: "binary" })), (text) => {
        for (const t of tokenize(text)) {
          if (t.kind === "option") {
            expect(t.key).toMatch(/^[a-z]+(?:-[a-z]+)*$/);
            if (!t.quoted) expect(t.raw.toLowerCase().startsWith(`${t.key}:`)).toBe(true);
          } else if (t.kind === "tag") expect(t.value).toMatch(/^[\p{L}\p{N}_][\p{L}\p{M}\p{N}_\-.]*$/u);
          else if (!t.quoted) {
            expect(t.value).not.toBe("");
            expect([...t.value].some(isSpace)).toBe(false);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it.each(quotePairs.map(([open, close]) => [open, close] as const))(
    "a value quoted %s…%s comes back exactly, as a word and as key:value",
    (open, close) => {
      // why the backslash filter: a backslash right before the closing quote escapes it (`"a \\" b"`).
      const value = fc.oneof(fc.string(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" }), grammarText).filter((v) => !v.includes(close) && !v.endsWith("\\"));
      const key = fc.stringMatching(/^[A-Za-z]{1,8}$/);
      fc.assert(
        fc.property(value, key, (v, k) => {
          expect(bare(`ask ${open}${v}${close}`)).toEqual([word("ask"), word(v, true)]);
          expect(bare(`ask ${k}:${open}${v}${close}`)).toEqual([word("ask"), { kind: "option", key: k.toLowerCase(), value: v, quoted: true, raw: `${k}:${v}` }]);
        }),
        { numRuns: 300 },
      );
    },
  );

  // why: with no quote characters a token is exactly a whitespace-separated run, and tokenText
  // gives back what was typed, so re-joining the tokens with single spaces changes nothing.
  const unquotedText = fc.oneof(grammarText, fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" })).map((t) => [...t].filter((c) => !openers.has(c)).join(""));

  it("without quote characters, tokenText of each token is exactly the whitespace-separated run typed", () => {
    fc.assert(
      fc.property(unquotedText, (text) => {
        expect(tokenize(text).map(tokenText)).toEqual(text.split(/\s+/).filter((w) => w !== ""));
      }),
      { numRuns: 1000 },
    );
  });

  it("without quote characters, tokenizing the tokens' text again gives the same tokens", () => {
    fc.assert(
      fc.property(unquotedText, (text) => {
        const tokens = bare(text);
        expect(bare(tokenize(text).map(tokenText).join(" "))).toEqual(tokens);
      }),
      { numRuns: 1000 },
    );
  });

  it("a quote character inside a word (not at its start, not right after key:) never opens a quote", () => {
    const plain = unquotedText.map((t) => t.replace(/\s/g, ""));
    fc.assert(
      fc.property(plain.filter((a) => a !== "" && !a.endsWith(":")), fc.constantFrom(...openers), plain, (a, q, b) => {
        const typed = `${a}${q}${b}`;
        const tokens = tokenize(typed);
        expect(tokens).toHaveLength(1);
        expect(tokenText(tokens[0]!)).toBe(typed);
      }),
      { numRuns: 1000 },
    );
  });

  it("quoting never loses a quoted value's content when words surround it", () => {
    fc.assert(
      fc.property(fc.constantFrom(...quotePairs), fc.string({ unit: "grapheme" }), (pair, v) => {
        const [open, close] = pair;
        fc.pre(!v.includes(close));
        const tokens = bare(`before ${open}${v}${close} after`);
        expect(tokens).toEqual([word("before"), word(v, true), word("after")]);
      }),
      { numRuns: 500 },
    );
  });
});
