import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replyToText } from "../../../src/core/reply.ts";
import type { Question } from "../../../src/core/types.ts";
import { harness, type Harness } from "../../support/harness.ts";

// Issue 10, items 1 and 2: a command never stores text the member did not plainly mean as text.
// Each class either has one obvious reading or is refused with the right form, changing nothing.

let h: Harness;
beforeEach(() => {
  h = harness();
  h.ok("deadline add WCIT opens 2027-01-20");
  h.ok("deadline add Council meets 2027-02-10");
  h.ok('ask "What does ITU membership cost?" to:ITU by:D1 #membership');
});
afterEach(() => h.close());

const q = (n: number): Question => h.store.questions.get(h.docketOf()!.id, n)!;
const auditCount = () => (h.db.prepare("SELECT count(*) AS n FROM audit_events").get() as { n: number }).n;

/** Runs a command that must be refused, and shows that it changed nothing. */
function refused(text: string): string {
  const before = h.snapshot();
  const r = h.run(text);
  if (!r.error) throw new Error(`"${text}" was expected to be refused but replied: ${replyToText(r)}`);
  expect(h.snapshot(), text).toEqual(before);
  return replyToText(r);
}

describe("edit: words after an option belong to it", () => {
  it("the README's example `edit Q3 to:ITU Secretariat by:D1` sets the addressee and keeps the text", () => {
    h.ok("edit Q1 to:ITU Secretariat by:D2");
    expect(q(1)).toMatchObject({ text: "What does ITU membership cost?", addressee: "ITU Secretariat", neededBy: { kind: "deadline", deadlineNumber: 2 } });
  });

  it("new text goes before the options, or in quotes, and the words after to: are still the addressee", () => {
    h.ok("edit Q1 What does sector membership cost? to:ITU Council Secretariat #fees");
    expect(q(1)).toMatchObject({ text: "What does sector membership cost?", addressee: "ITU Council Secretariat", tags: ["fees"] });
    h.ok('edit Q1 to:UN Geneva "Who pays the fee?"');
    expect(q(1)).toMatchObject({ text: "Who pays the fee?", addressee: "UN Geneva" });
  });

  it.each(["edit Q1 by:", "edit Q1 to:", "edit Q1 #", 'edit Q1 to:""', "edit Q1 tags:"])("`%s` is refused and the text stays", (text) => {
    const message = refused(text);
    expect(message).toMatch(/has no value|is not a tag|is empty/);
    expect(message).toMatch(/:none|tags:none/);
    expect(q(1).text).toBe("What does ITU membership cost?");
  });

  it("an empty to: shows the quoted form to write", () => {
    expect(refused("edit Q1 to:")).toContain('to:"ITU Secretariat"');
  });
});

describe("clearing: name:none on every field that can be empty", () => {
  it("to:none, by:none and tags:none clear a question's addressee, needed-by and tags", () => {
    h.ok("edit Q1 to:none by:none tags:none");
    expect(q(1)).toMatchObject({ text: "What does ITU membership cost?", addressee: null, neededBy: null, tags: [] });
  });

  it("time:none and at:none clear a deadline's time and place", () => {
    h.ok("deadline add Plenary 2027-03-01 09:30 at:Geneva");
    h.ok("deadline edit D3 time:none at:none");
    expect(h.store.deadlines.get(h.docketOf()!.id, 3)).toMatchObject({ time: null, place: null });
  });

  it("help edit and help deadline edit say how to clear", () => {
    expect(h.text("help edit")).toContain("to:none");
    expect(h.text("help deadline edit")).toMatch(/time:none[\s\S]*at:none/);
  });
});

describe("an edit that changes nothing is not a change", () => {
  it("setting a question's fields to what they are records nothing and says so", () => {
    const before = auditCount();
    const r = h.ok("edit Q1 to:ITU by:D1 #membership");
    expect(r.heading).toBe("Nothing changed in Q1");
    expect(auditCount()).toBe(before);
  });

  it("only the fields that differ are recorded", () => {
    h.ok("edit Q1 to:ITU by:D2");
    const row = h.db.prepare("SELECT before, after FROM audit_events WHERE action = 'question.edit'").get() as { before: string; after: string };
    expect(JSON.parse(row.after)).toEqual({ neededBy: { kind: "deadline", deadlineNumber: 2 } });
  });

  it("a deadline edit to the same place records nothing", () => {
    h.ok("deadline edit D1 at:Dubai");
    const before = auditCount();
    expect(h.ok("deadline edit D1 at:Dubai").heading).toBe("Nothing changed in D1");
    expect(auditCount()).toBe(before);
  });
});

describe("ask: stray and unquoted words are never glued into the text", () => {
  it("an unclosed quote is refused, saying so, instead of storing to:ITU in the text", () => {
    expect(refused('ask "Unclosed quote question to:ITU')).toMatch(/never closed/);
    expect(refused("ask What? to:“ITU Secretariat")).toMatch(/never closed/);
  });

  it("a quoted question then an unquoted addressee: the words after to: are the addressee", () => {
    h.ok('ask "Who drafts the agenda?" to:ITU Secretariat');
    expect(q(2)).toMatchObject({ text: "Who drafts the agenda?", addressee: "ITU Secretariat" });
  });

  it("a quoted question followed by loose words is refused with the quoted form", () => {
    expect(refused('ask "Who drafts the agenda?" Secretariat')).toContain('to:"ITU Secretariat"');
  });

  it("an empty to:, a lone #, and #foo,bar are refused", () => {
    expect(refused("ask Who drafts it? to:")).toMatch(/to: has no value/);
    expect(refused("ask Who drafts it? #")).toMatch(/"#" is not a tag/);
    expect(refused("ask Who drafts it? #foo,bar")).toMatch(/#fees #access/);
  });

  it("a backslash-escaped quote inside quotes is a quote in the text; outside quotes it is refused", () => {
    h.ok('ask "Did they say \\"no\\"?" to:ITU');
    expect(q(2)).toMatchObject({ text: 'Did they say "no"?', addressee: "ITU" });
    expect(refused('ask Did they say \\"no\\"? to:ITU')).toMatch(/backslash/);
  });

  it("the free text is still read after options when it is not given before them", () => {
    h.ok("ask to:ITU #fees What does it cost?");
    expect(q(2)).toMatchObject({ text: "What does it cost?", addressee: "ITU", tags: ["fees"] });
  });

  it("answer: words after source: continue the source once the answer is given", () => {
    h.ok("answer Q1 CHF 10,600 a year source:ITU Council Decision 588");
    expect(h.store.answers.forQuestion(q(1).id)[0]).toMatchObject({ text: "CHF 10,600 a year", source: "ITU Council Decision 588" });
  });
});

describe("commands without a free text keep their own words", () => {
  it("`list to:ITU open` filters by ITU and lists open questions", () => {
    expect(h.ok("list to:ITU open").heading).toMatch(/1 open question/);
  });

  it("`list to:ITU Secretariat` is refused rather than read as something else", () => {
    const r = h.run("list to:ITU Secretariat");
    expect(r.error?.code).toBe("status.invalid");
    expect(replyToText(r)).toContain('to:"ITU Secretariat"');
  });
});
