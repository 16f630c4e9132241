import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replyToText, type Reply } from "../../../src/core/reply.ts";
import type { Deadline, Question } from "../../../src/core/types.ts";
import { harness, type Harness } from "../../support/harness.ts";

// The grammar of design.md §3 as the real core reads it: text → tokenize → findCommand →
// bindOptions → resolve → a command's effect in SQLite. Sunday 29 Nov 2026, 10:00 UTC, London.

let h: Harness;
beforeEach(async () => {
  h = harness();
});
afterEach(() => h.close());

const ok = async (text: string): Promise<Reply> => await h.ok(text);

async function failure(text: string): Promise<{ code: string; message: string }> {
  const r = await h.run(text);
  if (!r.error) throw new Error(`"${text}" was expected to fail but replied: ${replyToText(r)}`);
  return { code: r.error.code, message: replyToText(r) };
}

const docketId = async () => (await h.docketOf())!.id;
const question = async (n: number): Promise<Question> => (await h.store.questions.get(await docketId(), n))!;
const deadline = async (n: number): Promise<Deadline> => (await h.store.deadlines.get(await docketId(), n))!;
const answersOf = async (n: number) => await h.store.answers.forQuestion((await question(n)).id);

describe("ask: text with options anywhere", () => {
  it("takes to:, by: and #tags from anywhere, and the rest is the question", async () => {
    expect((await ok("ask to:ITU What does it cost? #fees by:2026-12-20")).heading).toBe("Added Q1");
    expect(await question(1)).toMatchObject({ text: "What does it cost?", addressee: "ITU", tags: ["fees"], neededBy: { kind: "date", date: "2026-12-20" }, status: "open" });
  });

  // why changed (issue 10): an option in the middle of the question (`What does by:2026-12-20 it cost?`)
  // used to glue the words around it into one text; words after an option now continue its value.
  it("reads the same question whatever the order of its parts", async () => {
    await ok("ask #fees What does it cost? by:2026-12-20 to:ITU");
    await ok("ask to:ITU #fees What does it cost? by:2026-12-20");
    for (const n of [1, 2]) expect(await question(n)).toMatchObject({ text: "What does it cost?", addressee: "ITU", tags: ["fees"] });
  });

  it("a quoted question keeps its commas and question marks; a quoted addressee keeps its spaces", async () => {
    await ok('ask "What does membership cost, per year?" to:"ITU Secretariat" #membership #fees');
    expect(await question(1)).toMatchObject({ text: "What does membership cost, per year?", addressee: "ITU Secretariat", tags: ["membership", "fees"] });
  });

  it("smart quotes, as Slack and phones type them, work like straight ones", async () => {
    await ok("ask “Will plenary sessions be webcast?” to:“ITU Secretariat”");
    expect(await question(1)).toMatchObject({ text: "Will plenary sessions be webcast?", addressee: "ITU Secretariat" });
  });

  it("an apostrophe is part of the text", async () => {
    await ok("ask Why don't they publish the fees? to:ITU");
    expect((await question(1)).text).toBe("Why don't they publish the fees?");
  });

  it("a decomposed tag is the same tag as a composed one", async () => {
    await ok("ask One? #cafe\u0301");
    await ok("ask Two? #caf\u00e9");
    expect((await question(1)).tags).toEqual(["caf\u00e9"]);
    expect((await ok("list #café")).heading).toBe("2 open questions #café");
  });

  it("tags are lower-cased and repeated ones counted once", async () => {
    await ok("ask Fees? #Fees #fees #Über");
    expect((await question(1)).tags).toEqual(["fees", "über"]);
  });

  it("by: names a deadline by number or by the start of its title", async () => {
    await ok("deadline add WCIT-12 opens 2027-01-20");
    await ok("ask One? by:D1");
    await ok("ask Two? by:wcit");
    expect((await question(1)).neededBy).toEqual({ kind: "deadline", deadlineNumber: 1 });
    expect((await question(2)).neededBy).toEqual({ kind: "deadline", deadlineNumber: 1 });
  });

  it("unknown key:value words, like a URL, stay in the text as typed", async () => {
    await ok("ask see https://x.org/a:b and note:this first");
    expect((await question(1)).text).toBe("see https://x.org/a:b and note:this first");
  });

  it("a mention in the text is stored as the name it showed, never as platform syntax", async () => {
    await ok("ask Can <@U123|ana> confirm? And (<@U9>)?");
    expect((await question(1)).text).toBe("Can @ana confirm? And (@U9)?");
  });

  it("a mention given where an option's text goes reads as its name", async () => {
    await ok("ask Who decides? to:<@U123|ana>");
    expect((await question(1)).addressee).toBe("@ana");
  });

  it("an option given twice is refused, naming it", async () => {
    const { code, message } = await failure("ask What? to:ITU to:UN");
    expect(code).toBe("option.repeated");
    expect(message).toContain("to:");
  });

  it("an ask without text is refused with an example, and nothing is stored", async () => {
    const before = h.snapshot();
    for (const text of ["ask", "ask to:ITU #fees", 'ask ""', "ask    "]) {
      const { code, message } = await failure(text);
      expect(code).toMatch(/^[a-z]+\.(missing|empty)$/);
      expect(message).toMatch(/ask/);
    }
    expect(h.snapshot()).toEqual(before);
  });

  // BUG (src/core/parse/tokenize.ts:66-69 tokenText, used by bind.ts to rebuild rest text): a quoted
  // phrase inside a question loses its quotation marks, and punctuation right after the closing
  // quote is split off with a space: `ask Is it “free”?` is stored as `Is it free ?`. Slack turns
  // typed quotes into smart quotes, so this happens to ordinary questions that quote a term.
  it("a quoted phrase inside the question keeps its quotation marks", async () => {
    await ok('ask What does "observer status" mean?');
    expect((await question(1)).text).toBe('What does "observer status" mean?');
  });

  // BUG (same cause): an unknown option with a quoted value, kept in the text, loses its quotes.
  it("an unknown key with a quoted value stays in the text as typed", async () => {
    await ok('ask see note:"a b" first');
    expect((await question(1)).text).toBe('see note:"a b" first');
  });
});

describe("answer: <Q> then the text", () => {
  beforeEach(async () => {
    await ok("ask One? to:ITU");
    await ok("ask Two? to:ITU");
    await ok("ask Three? to:ITU");
  });

  it.each(["answer 3 It is CHF 10,600", "answer Q3 It is CHF 10,600", "answer q3 It is CHF 10,600", "ANSWER Q3 It is CHF 10,600"])("%s logs an answer to Q3", async (text) => {
    expect((await ok(text)).heading).toBe("Logged a full answer to Q3");
    expect((await answersOf(3)).map((a) => a.text)).toEqual(["It is CHF 10,600"]);
    expect((await question(3)).status).toBe("answered");
  });

  it("an answer text starting with a number is not taken for the question", async () => {
    await ok("answer 2 10 members voted");
    expect((await answersOf(2))[0]!.text).toBe("10 members voted");
  });

  it("source: and partial: may come anywhere, quoted or not", async () => {
    await ok('answer source:"ITU Council Decision 588, §3" Q1 Only for accredited observers partial:yes');
    await ok("answer 2 Yes, all of them source:https://www.itu.int/en/join?a=1:2");
    expect((await answersOf(1))[0]).toMatchObject({ text: "Only for accredited observers", source: "ITU Council Decision 588, §3", kind: "partial" });
    expect((await question(1)).status).toBe("partial");
    expect((await answersOf(2))[0]).toMatchObject({ text: "Yes, all of them", source: "https://www.itu.int/en/join?a=1:2", kind: "full" });
  });

  it("a question that is not a number, or does not exist, is a clear error", async () => {
    expect(await failure("answer three yes")).toMatchObject({ code: "question.invalid" });
    const missing = await failure("answer Q99 x");
    expect(missing.code).toBe("question.not_found");
    expect(missing.message).toContain("Q99");
  });

  it("partial: takes only yes or no", async () => {
    expect((await failure("answer 1 maybe partial:perhaps")).code).toBe("partial.invalid");
  });
});

describe("deadline add: title, date and time from the end", () => {
  it("reads `WCIT-12 opens 3 Dec 2026 09:00` as a title, a date and a time", async () => {
    await ok("deadline add WCIT-12 opens 3 Dec 2026 09:00");
    expect(await deadline(1)).toMatchObject({ title: "WCIT-12 opens", date: "2026-12-03", time: "09:00", timeZone: "Europe/London", place: null });
  });

  it('reads a quoted title and a relative date: `"Consultation closes" in 2 weeks`', async () => {
    await ok('deadline add "Consultation closes" in 2 weeks');
    expect(await deadline(1)).toMatchObject({ title: "Consultation closes", date: "2026-12-13", time: null });
  });

  it("an unquoted title before a relative date works too", async () => {
    await ok("deadline add Comments due in 2 weeks");
    expect(await deadline(1)).toMatchObject({ title: "Comments due", date: "2026-12-13" });
  });

  it("takes tz: and at: from anywhere, with a quoted place", async () => {
    await ok('deadline add tz:Asia/Dubai WCIT-12 opens at:"Dubai, UAE" 2027-01-20 9am');
    expect(await deadline(1)).toMatchObject({ title: "WCIT-12 opens", date: "2027-01-20", time: "09:00", timeZone: "Asia/Dubai", place: "Dubai, UAE" });
  });

  it("a date given month first with a year works", async () => {
    await ok("deadline add WCIT-12 opens Dec 3 2026");
    expect(await deadline(1)).toMatchObject({ title: "WCIT-12 opens", date: "2026-12-03", time: null });
  });

  it("an impossible date is an error that says what is wrong, and nothing is stored", async () => {
    const before = h.snapshot();
    const { code, message } = await failure("deadline add X 2012-13-45");
    expect(code).toBe("date.invalid");
    expect(message).toContain("2012-13-45");
    expect(message).toContain("month 13");
    expect(h.snapshot()).toEqual(before);
  });

  it("a past date is an error that says what was understood", async () => {
    const { code, message } = await failure("deadline add Old one 3 Dec 2012");
    expect(code).toBe("date.past");
    expect(message).toContain("3 Dec 2012");
  });

  // why: a bare number at the end is the day of "Dec 3", not a time (an earlier bind.ts took it for one).
  it("`deadline add Comments due Dec 3` reads Dec 3 as the date", async () => {
    await ok("deadline add Comments due Dec 3");
    expect(await deadline(1)).toMatchObject({ title: "Comments due", date: "2026-12-03", time: null });
  });
});

describe("deadlines by D3, 3 or a title prefix", () => {
  beforeEach(async () => {
    await ok("deadline add WCIT-12 opens 2027-01-20");
    await ok("deadline add Comments due 2026-12-10");
    await ok("deadline add Council session 2027-06-15");
  });

  it.each(["D3", "d3", "3", "council", "Council session", "COUNCIL S"])("deadline edit %s … changes D3", async (ref) => {
    const text = ref.includes(" ") ? `deadline edit "${ref}" at:Geneva` : `deadline edit ${ref} at:Geneva`;
    expect((await ok(text)).heading).toBe("Updated D3");
    expect((await deadline(3)).place).toBe("Geneva");
  });

  it("a prefix two titles share is refused, naming both", async () => {
    await ok("deadline add Comments round two 2026-12-20");
    const { code, message } = await failure("deadline remove comm");
    expect(code).toBe("deadline.ambiguous");
    expect(message).toContain("D2 Comments due");
    expect(message).toContain("D4 Comments round two");
  });

  it("an exact title wins over a longer one it is the prefix of", async () => {
    await ok("deadline add Comments due late 2026-12-20");
    expect((await ok('deadline remove "comments due"')).heading).toBe("Removed D2");
  });

  it("an unknown number or title is a clear error", async () => {
    expect(await failure("deadline remove D9")).toMatchObject({ code: "deadline.not_found" });
    expect(await failure("deadline remove nothing")).toMatchObject({ code: "deadline.not_found" });
  });

  it("a removed deadline can no longer be named", async () => {
    await ok("deadline remove 2");
    expect((await failure("deadline edit D2 at:x")).code).toBe("deadline.not_found");
  });
});

describe("command names", () => {
  it.each([
    ["deadline", "No deadlines yet"],
    ["digest", "No digest in this channel"],
    ["admin", "No one is on this docket's own admin list"],
  ])("a group named alone runs its default: %s", async (text, heading) => {
    expect((await ok(text)).heading).toBe(heading);
  });

  it("`deadline` alone is `deadline list`", async () => {
    await ok("deadline add WCIT-12 opens 2027-01-20");
    expect(await ok("deadline")).toEqual(await ok("deadline list"));
  });

  it("`digest` alone is `digest status` and `admin` alone is `admin list`", async () => {
    await ok("digest on 08:30 tz:Europe/Paris");
    expect(await ok("digest")).toEqual(await ok("digest status"));
    await ok("admin add @amina");
    expect(await ok("admin")).toEqual(await ok("admin list"));
  });

  it("command names are case-insensitive, single and grouped", async () => {
    await ok("ASK Upper? to:ITU");
    await ok("Deadline ADD Upper 2027-01-20");
    expect((await ok("LIST")).heading).toBe("1 open question");
    expect((await ok("Deadline List")).heading).toBe("1 deadline");
    expect((await ok("list ALL")).heading).toBe("1 question");
    expect((await ok("Show q1")).heading).toBe("Q1 · open");
  });

  it("empty text is help", async () => {
    expect((await ok("")).heading).toBe((await ok("help")).heading);
  });

  it("an unknown group member lists the group's commands", async () => {
    const { code, message } = await failure("deadline foo");
    expect(code).toBe("command.unknown");
    expect(message).toContain("add, list, edit, remove");
  });

  it("a misspelt command gets a did-you-mean", async () => {
    expect((await failure("dedline list")).message).toContain("Did you mean deadline?");
    expect((await failure("anwser Q1 x")).message).toContain("Did you mean answer?");
  });

  it("swapped letters in a short command still get a did-you-mean", async () => {
    expect((await failure("aks What?")).message).toContain("Did you mean ask?");
    expect((await failure("lsit")).message).toContain("Did you mean list?");
  });

  it("the /docket prefix is the console's business: the core sees it as an unknown command", async () => {
    const { code, message } = await failure("/docket list");
    expect(code).toBe("command.unknown");
    expect(message).toContain('"/docket"');
  });

  it("a word that is not one of a command's choices is refused, naming the choices", async () => {
    const { code, message } = await failure("list everything");
    expect(code).toBe("status.invalid");
    expect(message).toContain('"everything"');
    expect(message).toContain("open, answered, overdue, withdrawn, all");
    expect((await failure("export xml")).message).toContain("md, csv, json, ics");
  });

  it("words left over after every option is taken are refused with an example", async () => {
    await ok("ask One? to:ITU");
    const { code, message } = await failure("show Q1 please");
    expect(code).toBe("option.unexpected");
    expect(message).toContain('"please"');
  });

  it("a deadline given a date but no title says the title is missing", async () => {
    const { code } = await failure("deadline add 2027-01-05");
    expect(code).toMatch(/^title\.missing$/);
  });
});

describe("binding never fails inside the core", () => {
  // why: whatever a member types, the reply is a reply: a result or a user error, never the apology
  // the dispatcher gives for a bug.
  it("random text after any command gives no internal error", async () => {
    await ok("deadline add WCIT 2027-01-20");
    await ok("ask One? to:ITU by:D1");
    const commands = ["", "ask", "answer", "answer Q1", "edit Q1", "note 1", "reopen 1", "withdraw 1", "show", "list", "search", "deadline add", "deadline edit D1", "deadline remove", "digest on", "digest preview", "export", "admin add", "help"];
    const piece = fc.constantFrom(
      ..."aZ09 :#\"'“”‘’„«»-_./@<>|?,\n\u00a0é日😀".split(""),
      "to:", "by:", "tz:", "at:", "source:", "partial:", "days:", "title:", "date:", "time:", "page:", "D1", "Q1", " 2026-12-", "09:00", "Dec", " in 2 weeks", "Europe/London", "none", "#x",
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...commands), fc.string({ unit: piece, maxLength: 10 }), async (command, rest) => {
        const r = await h.run(`${command} ${rest}`);
        expect(r.error?.code, `${command} ${rest}`).not.toBe("internal");
      }),
      { numRuns: 1500 },
    );
  });
});
