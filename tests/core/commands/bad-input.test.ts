import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replyToText } from "../../../src/core/reply.ts";
import { harness, type Harness } from "../../support/harness.ts";

// Every bad command gets one clear sentence that names the problem and shows the right form,
// and changes nothing: not a row, not an audit event.

let h: Harness;
beforeEach(async () => {
  h = harness();
  for (const setup of ["ask First question to:ITU", "deadline add WCIT-12 opens 2026-12-03", "deadline add WSIS Forum 2027-03-10"])
    expect((await h.run(setup)).error, setup).toBeUndefined();
});
afterEach(() => h.close());

const repeat = (char: string, n: number) => char.repeat(n);

interface BadCase {
  command: string;
  /** How the case reads in the test name, for commands too long to print. */
  label?: string;
  code: string;
  /** What the message must say: the problem, and the right form. */
  says: RegExp[];
}

const cases: BadCase[] = [
  { command: "answer Q99 It costs CHF 10,600", code: "question.not_found", says: [/^There is no Q99 in this docket\./, /\/docket list/] },
  { command: "show Q0", code: "question.not_found", says: [/There is no Q0 in this docket/] },
  { command: "show abc", code: "question.invalid", says: [/"abc" is not a question number/, /Q12 or 12/] },
  { command: "show Q1 please", code: "option.unexpected", says: [/"please"/, /\/docket show Q3/] },
  { command: "ask", code: "text.missing", says: [/^ask needs the question/, /\/docket ask "What does ITU membership cost for an NGO\?"/] },
  { command: 'ask ""', code: "text.empty", says: [/^The question is empty/, /\/docket ask "/] },
  { command: "ask    #tagonly", code: "text.missing", says: [/ask needs the question/] },
  { command: `ask ${repeat("x", 1001)}`, label: "ask <1001 characters>", code: "text.too_long", says: [/1001 characters long; the limit is 1000/, /Shorten it/] },
  { command: `ask ok to:${repeat("y", 201)}`, label: "ask ok to:<201 characters>", code: "to.too_long", says: [/201 characters long; the limit is 200/] },
  { command: `answer Q1 ${repeat("z", 2001)}`, label: "answer Q1 <2001 characters>", code: "text.too_long", says: [/2001 characters long; the limit is 2000/] },
  { command: `answer Q1 Fine source:${repeat("s", 501)}`, label: "answer Q1 Fine source:<501 characters>", code: "source.too_long", says: [/The source is 501 characters long; the limit is 500/] },
  { command: `note Q1 ${repeat("n", 2001)}`, label: "note Q1 <2001 characters>", code: "text.too_long", says: [/limit is 2000/] },
  { command: "note Q1", code: "text.missing", says: [/note needs the note/, /\/docket note Q3/] },
  { command: "deadline add X 2012-13-45", code: "date.invalid", says: [/^"2012-13-45" is not a date: there is no month 13\./, /like 2026-12-13/] },
  { command: "deadline add X 2012-02-30", code: "date.invalid", says: [/"2012-02-30" is not a date: February 2012 has only 29 days/] },
  { command: "deadline add X 2020-01-01", code: "date.past", says: [/1 Jan 2020, which is in the past \(today is 29 Nov 2026\)/, /like 13 Dec 2026 or "in 2 weeks"/] },
  { command: "deadline add X 3/4/2027", code: "date.ambiguous", says: [/"3\/4\/2027" could be 3 Apr 2027 or 4 Mar 2027/, /write 2027-04-03 or 2027-03-04 instead/] },
  { command: "deadline add X", code: "date.missing", says: [/deadline add needs the day/, /\/docket deadline add "WCIT-12 opens" Dec 3 09:00/] },
  { command: "deadline add", code: "title.missing", says: [/deadline add needs what happens then/, /\/docket deadline add "WCIT-12 opens"/] },
  { command: "deadline add X 2027-01-01 25:00", code: "time.invalid", says: [/"25:00" is not a time: there is no hour 25/, /like 09:00/] },
  { command: "deadline add X 2027-01-01 tz:Mars/Olympus", code: "zone.invalid", says: [/^"Mars\/Olympus" is not a time zone I know\. /, /like Europe\/London/] },
  { command: "deadline add X 2027-01-01 tz:europe/londn", code: "zone.invalid", says: [/"europe\/londn" is not a time zone I know: did you mean Europe\/London\?/] },
  { command: "deadline add X 2027-01-01 tz:EST", code: "zone.invalid", says: [/"EST" looks like an abbreviation/, /America\/New_York/] },
  { command: "deadline edit D9 title:New", code: "deadline.not_found", says: [/^There is no D9 in this docket\./, /\/docket deadline list/] },
  { command: "deadline edit D1", code: "edit.nothing", says: [/Say what to change in D1/, /deadline edit D1 date:"Dec 4" time:10:00/] },
  { command: "deadline edit D1 date:2012-13-45", code: "date.invalid", says: [/there is no month 13/] },
  { command: "deadline remove Nope", code: "deadline.not_found", says: [/No deadline's title starts with "Nope"/, /\/docket deadline list/] },
  { command: "deadline remove W", code: "deadline.ambiguous", says: [/"W" could be D1 WCIT-12 opens or D2 WSIS Forum/, /use its number, like D1/] },
  { command: "deadline frob", code: "command.unknown", says: [/deadline needs one of: add, list, edit, remove/, /\/docket deadline add/] },
  { command: "digest on 9:75", code: "time.invalid", says: [/"9:75" is not a time: there is no minute 75/, /like 09:00/] },
  { command: "digest on days:funday", code: "days.invalid", says: [/"funday" is not a day of the week/, /like mon-fri/] },
  { command: "digest on #a #b", code: "tag.too_many", says: [/one #tag at most/, /digest on 09:00 #membership/] },
  { command: "digest off", code: "digest.not_on", says: [/This channel gets no digest/, /\/docket digest on 09:00/] },
  { command: "list bogus", code: "status.invalid", says: [/"bogus"/, /open, answered, overdue, withdrawn, all/, /\/docket list/] },
  { command: "list page:0", code: "page.invalid", says: [/page: takes a page number from 1/, /list page:2/] },
  { command: "list #a #b", code: "tag.too_many", says: [/one #tag at a time/] },
  { command: "list by:D9", code: "deadline.not_found", says: [/There is no D9/] },
  { command: "export pdf", code: "format.invalid", says: [/"pdf"/, /md, csv, json, ics/, /\/docket export csv/] },
  { command: "edit Q1", code: "edit.nothing", says: [/Say what to change in Q1: new text, to:, by: or #tags/, /edit Q1 to:"ITU Secretariat"/] },
  { command: "edit Q1 by:Nowhere", code: "by.invalid", says: [/"Nowhere" is neither a deadline nor a date/, /by:D1/] },
  { command: "ask Which one? by:W", code: "deadline.ambiguous", says: [/could be D1 WCIT-12 opens or D2 WSIS Forum/] },
  { command: "admin remove @nobody", code: "admin.not_listed", says: [/@nobody is not on this docket's admin list/, /\/docket admin list/] },
  { command: "admin add <@bob>", code: "target.invalid", says: [/"<@bob>" is not a mention: type @ and pick the member or role/, /admin add @amina/] },
  { command: "admin add amina", code: "target.invalid", says: [/"amina" is not a mention/] },
  { command: "answer Q1 Yes partial:maybe", code: "partial.invalid", says: [/partial: takes yes or no, like partial:yes\./] },
  { command: "ask Something to:A to:B", code: "option.repeated", says: [/to: is given twice; give it once, like to:B/] },
  { command: "aks Something", code: "command.unknown", says: [/There is no command "aks"\./, /\/docket help/] },
  { command: "help nosuch", code: "help.unknown", says: [/There is no command "nosuch"\./, /\/docket help lists them all/] },
  { command: "ask Many tags #a1 #a2 #a3 #a4 #a5 #a6 #a7 #a8 #a9 #a10 #a11", code: "tags.too_many", says: [/That is 11 tags; a question takes at most 10/] },
  { command: `ask Long tag #${repeat("t", 51)}`, label: "ask Long tag #<51 characters>", code: "tags.too_long", says: [/longer than 50 characters/] },
  { command: "search", code: "words.missing", says: [/search needs/, /\/docket search membership fee/] },
  { command: `ask ${repeat("w ", 2998)}x`, label: "a 6001-character command", code: "command.too_long", says: [/^That command is 6001 characters long; the limit is 6000\.$/] },
];

describe("a bad command gets one clear sentence and changes nothing", () => {
  it.each(cases.map((c) => [c.label ?? c.command, c] as const))("%s", async (_name, c) => {
    const before = h.snapshot();
    const reply = await h.run(c.command);
    const message = replyToText(reply);

    expect(reply.error?.code, message).toBe(c.code);
    expect(reply.visibility).toBe("ephemeral");
    expect(reply.announcement).toBeUndefined();
    expect(reply.file).toBeUndefined();
    expect(reply.blocks).toEqual([{ kind: "text", text: message }]);
    expect(message).not.toContain("\n");
    expect(message.length).toBeLessThan(320);
    for (const pattern of c.says) expect(message).toMatch(pattern);

    expect(h.snapshot()).toEqual(before);
  });

  it("the 6001-character case really is 6001 characters, and 6000 is accepted", async () => {
    const tooLong = cases.find((c) => c.code === "command.too_long")!.command;
    expect([...tooLong]).toHaveLength(6001);
    // 6000 characters pass the command limit and meet the question limit instead.
    expect((await h.run(tooLong.slice(0, 6000))).error?.code).toBe("text.too_long");
  });

  it("limits count characters, not UTF-16 units: 1000 emoji are a question that fits", async () => {
    expect((await h.run(`ask ${repeat("🗳", 1000)}`)).error).toBeUndefined();
    expect((await h.run(`ask ${repeat("🗳", 1001)}`)).error?.code).toBe("text.too_long");
  });

  it("a bad first command in a fresh workspace creates no docket", async () => {
    const before = h.snapshot();
    for (const command of ["answer Q1 Yes", "deadline add X 2012-13-45", "digest on 9:75", "ask"]) {
      expect((await h.run(command, { workspace: "T9" })).error, command).toBeDefined();
    }
    expect(h.snapshot()).toEqual(before);
    expect(await h.docketOf({ workspace: "T9" })).toBeUndefined();
  });

  // Swapping two neighbouring letters is one edit (src/core/parse/edit-distance.ts, the one
  // distance every "did you mean" uses), within the threshold of 1 for short words: "aks", "lsit".
  it('an unknown command that swaps two letters gets "Did you mean": aks → ask', async () => {
    expect(await h.text("aks Something")).toBe('There is no command "aks". Did you mean ask? Type /docket help to see them all.');
  });

  it('a misspelt command gets "Did you mean" when it is one letter off', async () => {
    expect(await h.text("anwser Q1 Yes")).toBe('There is no command "anwser". Did you mean answer? Type /docket help to see them all.');
    expect(await h.text("lis")).toBe('There is no command "lis". Did you mean list? Type /docket help to see them all.');
  });

  // Bug (src/core/parse/bind.ts:74 and 94-96, `takeFromEnd` with `keep`): with only "2027-01-05" after
  // deadline add, the word is kept for the required title, so the user who gave a date and no title
  // is told "deadline add needs the day" — the one thing they did give.
  it("deadline add with a date but no title says the title is missing", async () => {
    const reply = await h.run("deadline add 2027-01-05");
    expect(reply.error?.code).toBe("title.missing");
  });

  it("an unknown word after list is refused naming the statuses it could be", async () => {
    // Questionable: the optional status is skipped when the word is not one of its choices, so the
    // word is left over and gets the generic message; it does not name open|answered|overdue|withdrawn|all.
    expect(await h.text("list bogus")).toBe('"bogus" is not one of open, answered, overdue, withdrawn, all: write it like /docket list overdue');
    expect(await h.text("list open bogus")).toBe('I don\'t know what to do with "bogus" here. Write it like: /docket list');
  });
});

describe("stored text is cleaned", () => {
  const stored = (sql: string) => h.db.prepare(sql).get() as Record<string, string>;

  it("bidi override and isolate characters are removed from what is stored", async () => {
    expect((await h.run("ask Evil \u202Eoverride\u202C text \u2066isolated\u2069 to:\u202EITU")).error).toBeUndefined();
    expect(stored("SELECT text, addressee FROM questions WHERE number = 2")).toEqual({ text: "Evil override text isolated", addressee: "ITU" });
  });

  it("text is stored in NFC: e + combining acute becomes é", async () => {
    expect((await h.run("ask Le caf\u0065\u0301 est ouvert? to:Caf\u0065\u0301 Secretariat")).error).toBeUndefined();
    const row = stored("SELECT text, addressee FROM questions WHERE number = 2");
    // why changed: this once stored the word after to:Café in the question's text (issue 10); it continues the addressee.
    expect(row.text).toBe("Le caf\u00e9 est ouvert?");
    expect(row.addressee).toBe("Caf\u00e9 Secretariat");
    expect((await h.run('answer Q1 R\u0065\u0301ponse source:"Art. 5, \u0065\u0301"')).error).toBeUndefined();
    expect(stored("SELECT text, source FROM answers")).toEqual({ text: "R\u00e9ponse", source: "Art. 5, \u00e9" });
    expect((await h.run("note Q1 \u202Ed\u0065\u0301j\u00e0 vu")).error).toBeUndefined();
    expect(stored("SELECT text FROM notes")).toEqual({ text: "d\u00e9j\u00e0 vu" });
  });

  it("control characters are dropped and Windows line ends become plain newlines", async () => {
    expect((await h.run('ask "Line one\r\nLine\u0007 two"')).error).toBeUndefined();
    expect(stored("SELECT text FROM questions WHERE number = 2")).toEqual({ text: "Line one\nLine two" });
  });

  it("a text that is only bidi controls is empty", async () => {
    expect((await h.run('ask "\u202E\u202C"')).error?.code).toBe("text.empty");
  });

  // Bug (src/core/parse/tokenize.ts:10 `tagWord`, and src/core/resolve.ts:119 `tagPattern`): tags allow
  // \p{L}\p{N}_ but not combining marks (\p{M}), and the tokenizer runs before NFC. A tag typed in
  // decomposed form (macOS input) or in a script that needs marks even in NFC (Hindi "हिंदी") is not
  // read as a tag: it stays in the question's text, and `edit Q1 #हिंदी` silently replaces the
  // question's text with "#हिंदी" instead of setting the tag.
  it("a #tag with combining marks is a tag: #cafe\u0301 and #हिंदी", async () => {
    expect((await h.run("ask Question about the café #cafe\u0301 #हिंदी")).error).toBeUndefined();
    expect(stored("SELECT text, tags FROM questions WHERE number = 2")).toEqual({ text: "Question about the caf\u00e9", tags: "caf\u00e9 हिंदी" });
  });

  // The same bug, where it does harm: today this replaces Q1's text with "#हिंदी" and sets no tag.
  it("edit Q1 #हिंदी sets the tag and leaves the question's text alone", async () => {
    expect((await h.run("edit Q1 #हिंदी")).error).toBeUndefined();
    expect(stored("SELECT text, tags FROM questions WHERE number = 1")).toEqual({ text: "First question", tags: "हिंदी" });
  });
});
