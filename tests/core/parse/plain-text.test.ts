import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replyToText } from "../../../src/core/reply.ts";
import type { Question } from "../../../src/core/types.ts";
import { harness, type Harness } from "../../support/harness.ts";

// Issue 10, items 1 and 2: a command never stores text the member did not plainly mean as text.
// Each class either has one obvious reading or is refused with the right form, changing nothing.

let h: Harness;
beforeEach(async () => {
  h = harness();
  await h.ok("deadline add WCIT opens 2027-01-20");
  await h.ok("deadline add Council meets 2027-02-10");
  await h.ok('ask "What does ITU membership cost?" to:ITU by:D1 #membership');
});
afterEach(() => h.close());

const q = async (n: number): Promise<Question> => (await h.store.questions.get((await h.docketOf())!.id, n))!;
const auditCount = () => (h.db.prepare("SELECT count(*) AS n FROM audit_events").get() as { n: number }).n;

/** Runs a command that must be refused, and shows that it changed nothing. */
async function refused(text: string): Promise<string> {
  const before = h.snapshot();
  const r = await h.run(text);
  if (!r.error) throw new Error(`"${text}" was expected to be refused but replied: ${replyToText(r)}`);
  expect(h.snapshot(), text).toEqual(before);
  return replyToText(r);
}

describe("edit: words after an option belong to it", () => {
  it("the README's example `edit Q3 to:ITU Secretariat by:D1` sets the addressee and keeps the text", async () => {
    await h.ok("edit Q1 to:ITU Secretariat by:D2");
    expect(await q(1)).toMatchObject({ text: "What does ITU membership cost?", addressee: "ITU Secretariat", neededBy: { kind: "deadline", deadlineNumber: 2 } });
  });

  it("new text goes before the options, or in quotes, and the words after to: are still the addressee", async () => {
    await h.ok("edit Q1 What does sector membership cost? to:ITU Council Secretariat #fees");
    expect(await q(1)).toMatchObject({ text: "What does sector membership cost?", addressee: "ITU Council Secretariat", tags: ["fees"] });
    await h.ok('edit Q1 to:UN Geneva "Who pays the fee?"');
    expect(await q(1)).toMatchObject({ text: "Who pays the fee?", addressee: "UN Geneva" });
  });

  it.each(["edit Q1 by:", "edit Q1 to:", "edit Q1 #", 'edit Q1 to:""', "edit Q1 tags:"])("`%s` is refused and the text stays", async (text) => {
    const message = await refused(text);
    expect(message).toMatch(/has no value|is not a tag|is empty/);
    expect(message).toMatch(/:none|tags:none/);
    expect((await q(1)).text).toBe("What does ITU membership cost?");
  });

  it("an empty to: shows the quoted form to write", async () => {
    expect(await refused("edit Q1 to:")).toContain('to:"ITU Secretariat"');
  });
});

describe("clearing: name:none on every field that can be empty", () => {
  it("to:none, by:none and tags:none clear a question's addressee, needed-by and tags", async () => {
    await h.ok("edit Q1 to:none by:none tags:none");
    expect(await q(1)).toMatchObject({ text: "What does ITU membership cost?", addressee: null, neededBy: null, tags: [] });
  });

  it("time:none and at:none clear a deadline's time and place", async () => {
    await h.ok("deadline add Plenary 2027-03-01 09:30 at:Geneva");
    await h.ok("deadline edit D3 time:none at:none");
    expect(await h.store.deadlines.get((await h.docketOf())!.id, 3)).toMatchObject({ time: null, place: null });
  });

  it("help edit and help deadline edit say how to clear", async () => {
    expect(await h.text("help edit")).toContain("to:none");
    expect(await h.text("help deadline edit")).toMatch(/time:none[\s\S]*at:none/);
  });
});

describe("an edit that changes nothing is not a change", () => {
  it("setting a question's fields to what they are records nothing and says so", async () => {
    const before = auditCount();
    const r = await h.ok("edit Q1 to:ITU by:D1 #membership");
    expect(r.heading).toBe("Nothing changed in Q1");
    expect(auditCount()).toBe(before);
  });

  it("only the fields that differ are recorded", async () => {
    await h.ok("edit Q1 to:ITU by:D2");
    const row = h.db.prepare("SELECT before, after FROM audit_events WHERE action = 'question.edit'").get() as { before: string; after: string };
    expect(JSON.parse(row.after)).toEqual({ neededBy: { kind: "deadline", deadlineNumber: 2 } });
  });

  it("a deadline edit to the same place records nothing", async () => {
    await h.ok("deadline edit D1 at:Dubai");
    const before = auditCount();
    expect((await h.ok("deadline edit D1 at:Dubai")).heading).toBe("Nothing changed in D1");
    expect(auditCount()).toBe(before);
  });
});

describe("ask: stray and unquoted words are never glued into the text", () => {
  it("an unclosed quote is refused, saying so, instead of storing to:ITU in the text", async () => {
    expect(await refused('ask "Unclosed quote question to:ITU')).toMatch(/never closed/);
    expect(await refused("ask What? to:“ITU Secretariat")).toMatch(/never closed/);
  });

  it("a quote that opens where another closes is refused, not read as one value or two (found by the property test: to:\" a \"\" a by:\")", async () => {
    expect(await refused('ask to:" a "" a by:"')).toMatch(/Put a space between them/);
    expect(await refused('ask "Who drafts""the agenda?" to:ITU')).toMatch(/Put a space between them/);
    await h.ok('ask "He said \\"no\\"" to:ITU');
  });

  it("a quoted question then an unquoted addressee: the words after to: are the addressee", async () => {
    await h.ok('ask "Who drafts the agenda?" to:ITU Secretariat');
    expect(await q(2)).toMatchObject({ text: "Who drafts the agenda?", addressee: "ITU Secretariat" });
  });

  it("a quoted question followed by loose words is refused with the quoted form", async () => {
    expect(await refused('ask "Who drafts the agenda?" Secretariat')).toContain('to:"ITU Secretariat"');
  });

  it("an empty to:, a lone #, and #foo,bar are refused", async () => {
    expect(await refused("ask Who drafts it? to:")).toMatch(/to: has no value/);
    expect(await refused("ask Who drafts it? #")).toMatch(/"#" is not a tag/);
    expect(await refused("ask Who drafts it? #foo,bar")).toMatch(/#fees #access/);
  });

  it("a backslash-escaped quote inside quotes is a quote in the text; outside quotes it is refused", async () => {
    await h.ok('ask "Did they say \\"no\\"?" to:ITU');
    expect(await q(2)).toMatchObject({ text: 'Did they say "no"?', addressee: "ITU" });
    expect(await refused('ask Did they say \\"no\\"? to:ITU')).toMatch(/backslash/);
  });

  it("the free text is still read after options when it is not given before them", async () => {
    await h.ok("ask to:ITU #fees What does it cost?");
    expect(await q(2)).toMatchObject({ text: "What does it cost?", addressee: "ITU", tags: ["fees"] });
  });

  it("answer: words after source: continue the source once the answer is given", async () => {
    await h.ok("answer Q1 CHF 10,600 a year source:ITU Council Decision 588");
    expect((await h.store.answers.forQuestion((await q(1)).id))[0]).toMatchObject({ text: "CHF 10,600 a year", source: "ITU Council Decision 588" });
  });
});

describe("commands without a free text keep their own words", () => {
  it("`list to:ITU open` filters by ITU and lists open questions", async () => {
    expect((await h.ok("list to:ITU open")).heading).toMatch(/1 open question/);
  });

  it("`list to:ITU Secretariat` is refused rather than read as something else", async () => {
    const r = await h.run("list to:ITU Secretariat");
    expect(r.error?.code).toBe("status.invalid");
    expect(replyToText(r)).toContain('to:"ITU Secretariat"');
  });
});
