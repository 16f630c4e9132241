import { afterEach, describe, expect, it } from "vitest";
import { commands } from "../../../src/core/commands/registry.ts";
import { replyToText } from "../../../src/core/reply.ts";
import { harness, type Harness } from "../../support/harness.ts";

// Issue 10, items 6 and 7: one date reader and one set of messages for every date a member types,
// and date errors that point at the words meant as the date and say why. The docket's clock is
// fixed: Sunday 29 Nov 2026, 10:00 UTC, London, unless a story moves it.

let h: Harness;
afterEach(() => h.close());

const refusal = async (text: string): Promise<{ code: string; message: string }> => {
  const before = h.snapshot();
  const reply = await h.run(text);
  if (!reply.error) throw new Error(`"${text}" was expected to be refused but replied: ${replyToText(reply)}`);
  expect(h.snapshot()).toEqual(before);
  return { code: reply.error.code, message: replyToText(reply) };
};

describe("every date option reads unquoted dates of several words alike", () => {
  it.each([
    ["3 Dec 2026", "Thursday 3 December 2026", "2026-12-03"],
    ["in 2 weeks", "Sunday 13 December 2026", "2026-12-13"],
    ["Dec 3", "Thursday 3 December 2026", "2026-12-03"],
    ["next friday", "Friday 4 December 2026", "2026-12-04"],
    ["Thu 3 Dec 2026", "Thursday 3 December 2026", "2026-12-03"],
  ])("digest preview %s shows the digest of %s, the day deadline add reads from the same words", async (words, day, iso) => {
    h = harness();
    expect((await h.ok(`digest preview ${words}`)).heading).toBe(`Preview: Docket digest · ${day}`);
    await h.ok(`deadline add Comments due ${words}`);
    const deadline = (await h.store.deadlines.list((await h.docketOf())!.id))[0]!;
    expect(deadline).toMatchObject({ title: "Comments due", date: iso });
  });

  it("digest preview of words that are no date gets the date reader's message, as deadline add does", async () => {
    h = harness();
    const preview = await refusal("digest preview soonish");
    const add = await refusal("deadline add Comments due soonish");
    expect(preview).toEqual(add);
    expect(preview).toEqual({ code: "date.invalid", message: expect.stringMatching(/^"soonish" is not a date I understand\. Write a date like/) });
  });

  it.each([
    ["Review 3 docs 2026-12-10", "Review 3 docs", "2026-12-10"],
    ["Send 31 Feb notes in 2 weeks", "Send 31 Feb notes", "2026-12-13"],
    ["Vote on 3 Dce 2026 motion 3 Dec 2026", "Vote on 3 Dce 2026 motion", "2026-12-03"],
  ])("deadline add %s: a real date at the end wins over date-like words in the title", async (words, title, date) => {
    h = harness();
    await h.ok(`deadline add ${words}`);
    expect(await h.store.deadlines.get((await h.docketOf())!.id, 1)).toMatchObject({ title, date });
  });

  it("a date followed by a stray word in digest preview names the stray word", async () => {
    h = harness();
    expect((await refusal("digest preview 3 Dec 2026 please")).message).toMatch(/^I don't know what to do with "please"/);
  });
});

describe("a date that cannot be is refused for the words meant, saying why", () => {
  it.each(["deadline add Comments due 31 Feb", "digest preview 31 Feb", "ask Who signs? by:\"31 Feb\""])(
    "%s: February 2027 has only 28 days, not that \"Feb\" is not a date",
    async (command) => {
      h = harness();
      const { code, message } = await refusal(command);
      expect(code).toBe("date.invalid");
      expect(message).toMatch(/^"31 Feb" is not a date: February 2027 has only 28 days\./);
      expect(message).not.toContain('"Feb" is not a date');
    },
  );

  it("in -2 days is refused as a negative count, and says how to write it, never blaming \"days\"", async () => {
    h = harness();
    const { code, message } = await refusal("deadline add Comments due in -2 days");
    expect(code).toBe("date.invalid");
    expect(message).toMatch(/^"in -2 days" is not a date: "in" counts forward, so no minus sign; for 2 days from now write "in 2 days"\./);
    expect(message).not.toContain('"days" is not a date');
  });

  it("a misspelt month is named, with the month meant", async () => {
    h = harness();
    expect((await refusal("deadline add Comments due 3 Dce 2026")).message).toMatch(/^"3 Dce 2026" is not a date: there is no month "dce" \(did you mean December\?\)\./);
  });

  it("a date of thousands of characters is refused as no date, quoting only its start", async () => {
    h = harness();
    const { code, message } = await refusal(`ask Who? by:"${"mon ".repeat(1200)}3 Dec 2026"`);
    expect(code).toBe("by.invalid");
    expect(message.length).toBeLessThan(300);
    expect((await refusal(`digest preview ${"3 ".repeat(1000)}`)).message).toMatch(/^"(3 ){32}…" is not a date I understand\./);
  });

  it("30 Feb before a leap February names that February", async () => {
    h = harness({ now: "2027-03-01T10:00:00Z" });
    expect((await refusal("deadline add Comments due 30 Feb")).message).toMatch(/^"30 Feb" is not a date: February 2028 has only 29 days\./);
  });
});

describe("every date hint gives examples from the docket's present", () => {
  const mistakes = ["deadline add X soonish", "deadline add X 2027-13-45", "digest preview 31 Feb", "ask Who? by:whenever", "deadline add X 1 Jan 2020"];

  it.each([
    ["2026-11-29T10:00:00Z", "2026-12-13", "13 Dec 2026"],
    ["2031-05-10T10:00:00Z", "2031-05-24", "24 May 2031"],
  ])("on %s the hints suggest %s, and every date they suggest is accepted", async (now, iso, human) => {
    h = harness({ now });
    for (const command of mistakes) {
      const { message } = await refusal(command);
      expect(message).not.toMatch(/2012/);
      expect(message.includes(iso) || message.includes(human)).toBe(true);
      for (const suggested of message.match(/\d{4}-\d{2}-\d{2}|\d{1,2} [A-Z][a-z]{2} \d{4}/g) ?? []) {
        if (command.endsWith(suggested)) continue; // the refused date itself, quoted back
        if (suggested === `29 Nov 2026` || suggested === `10 May 2031`) continue; // "today is …"
        expect((await h.run(`deadline add Suggested ${suggested}`)).error, `${command} suggested ${suggested}`).toBeUndefined();
      }
    }
  });
});

describe("the examples in help, hints and the README never age into the past", () => {
  it("years from now, no command example is refused as a past date", async () => {
    h = harness({ now: "2035-07-01T10:00:00Z" });
    await h.ok("deadline add WCIT 2035-12-01");
    await h.ok("ask What does it cost? to:ITU");
    for (const example of commands.flatMap((c) => c.examples)) {
      expect((await h.run(example)).error?.code, example).not.toBe("date.past");
    }
  });
});
