import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Reply } from "../../../src/core/reply.ts";
import { harness, type Harness } from "../../support/harness.ts";

// The harness clock starts on Sunday 29 Nov 2026, 10:00 UTC; the docket's zone is Europe/London.

let h: Harness;
beforeEach(async () => {
  h = harness();
});
afterEach(() => h.close());

const ok = async (text: string, who?: Parameters<Harness["run"]>[1]): Promise<Reply> => await h.ok(text, who);

type QuestionRow = { number: number; text: string; addressee: string | null; tags: string; status: string; needed_by_deadline: number | null; needed_by_date: string | null };
const question = (number: number) => h.db.prepare("SELECT * FROM questions WHERE number = ? AND docket_id = 1").get(number) as QuestionRow;
const answers = () => h.db.prepare("SELECT text, source, kind FROM answers ORDER BY id").all() as Array<{ text: string; source: string | null; kind: string }>;
const field = (reply: Reply, label: string) => reply.blocks.flatMap((b) => (b.kind === "fields" ? b.fields : [])).find((f) => f.label === label)?.value;
const listItems = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === "list" ? b.items.map((i) => i.text) : []));
const listed = (reply: Reply) => listItems(reply).map((t) => t.split(" ")[0]);
const section = (reply: Reply, title: string) => reply.blocks.find((b) => b.kind === "list" && b.title === title);
const more = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === "list" && b.more !== undefined ? [b.more] : []))[0];
const sectionItems = (reply: Reply, title: string) => {
  const block = section(reply, title);
  return block?.kind === "list" ? block.items : [];
};

describe("ask", () => {
  it("numbers questions Q1, Q2, … in the order they are asked and says the number", async () => {
    expect((await ok("ask What does ITU membership cost for an NGO?")).heading).toBe("Added Q1");
    expect((await ok("ask Will plenary sessions be webcast?")).heading).toBe("Added Q2");
    expect((await ok("ask Who chairs the drafting group?")).heading).toBe("Added Q3");
    expect([1, 2, 3].map((n) => question(n).text)).toEqual([
      "What does ITU membership cost for an NGO?",
      "Will plenary sessions be webcast?",
      "Who chairs the drafting group?",
    ]);
  });

  it("never reuses a number, even after a question is withdrawn", async () => {
    await ok("ask First");
    await ok("ask Second");
    await ok("withdraw Q2 asked twice");
    expect((await ok("ask Third")).heading).toBe("Added Q3");
  });

  it("stores the addressee from to:, quoted when it has spaces", async () => {
    const reply = await ok('ask "Will plenary be webcast?" to:"ITU Secretariat"');
    expect(question(1)).toMatchObject({ text: "Will plenary be webcast?", addressee: "ITU Secretariat", status: "open" });
    expect(field(reply, "Asked of")).toBe("ITU Secretariat");
  });

  it("links by:D1 to the deadline and shows it", async () => {
    await ok("deadline add WCIT-12 opens 2026-12-03");
    const reply = await ok("ask What is the agenda? by:D1");
    expect(question(1)).toMatchObject({ needed_by_deadline: 1, needed_by_date: null });
    expect(field(reply, "Needed")).toBe("by D1 WCIT-12 opens (3 Dec 2026)");
  });

  it("reads by: as the start of a deadline's title, in any case", async () => {
    await ok("deadline add WCIT-12 opens 2026-12-03");
    await ok("ask What is the agenda? by:wcit");
    expect(question(1).needed_by_deadline).toBe(1);
  });

  it("reads by: as a date when no deadline's title starts with it", async () => {
    await ok("ask Budget figures? by:2026-12-10");
    await ok('ask Venue? by:"3 Dec"');
    expect(question(1)).toMatchObject({ needed_by_deadline: null, needed_by_date: "2026-12-10" });
    expect(question(2).needed_by_date).toBe("2026-12-03");
  });

  it("keeps #tags out of the text, lower-cased and without repeats", async () => {
    const reply = await ok("ask What does membership cost? #Membership #fees #membership");
    expect(question(1)).toMatchObject({ text: "What does membership cost?", tags: "membership fees" });
    expect(field(reply, "Tags")).toBe("#membership #fees");
  });

  it("takes options anywhere in the text", async () => {
    await ok("ask to:ITU #fees What does membership cost?");
    expect(question(1)).toMatchObject({ text: "What does membership cost?", addressee: "ITU", tags: "fees" });
  });

  it("announces the new question in the channel while the full reply stays private", async () => {
    const reply = await ok("ask What does ITU membership cost? to:ITU", { displayName: "Amina" });
    expect(reply.visibility).toBe("ephemeral");
    expect(reply.announcement).toBe("Amina asked Q1 of ITU: What does ITU membership cost?");
    expect((await ok("ask No addressee here")).announcement).toBe("alice asked Q2: No addressee here");
  });
});

describe("answer", () => {
  beforeEach(async () => {
    await ok("ask What does ITU membership cost? to:ITU");
  });

  it("a full answer marks the question answered", async () => {
    const reply = await ok("answer Q1 CHF 10,600 a year source:https://www.itu.int/en/join");
    expect(question(1).status).toBe("answered");
    expect(reply.heading).toBe("Logged a full answer to Q1");
    expect(field(reply, "Status")).toBe("answered");
    expect(answers()).toEqual([{ text: "CHF 10,600 a year", source: "https://www.itu.int/en/join", kind: "full" }]);
  });

  it("accepts the question as a bare number", async () => {
    await ok("answer 1 Yes");
    expect(question(1).status).toBe("answered");
  });

  it("partial:yes marks the question partly answered", async () => {
    const reply = await ok("answer Q1 Only for observers partial:yes");
    expect(question(1).status).toBe("partial");
    expect(reply.heading).toBe("Logged a partial answer to Q1");
    expect(answers()[0]?.kind).toBe("partial");
  });

  it("a partial answer after a full one keeps the question answered", async () => {
    await ok("answer Q1 CHF 10,600");
    const reply = await ok("answer Q1 Discounts for LDC members partial:yes");
    expect(question(1).status).toBe("answered");
    expect(field(reply, "Status")).toBe("answered");
    expect(answers().map((a) => a.kind)).toEqual(["full", "partial"]);
  });

  it("partial answers add up until a full one answers the question", async () => {
    await ok("answer Q1 First part partial:yes");
    await ok("answer Q1 Second part partial:yes");
    expect(question(1).status).toBe("partial");
    await ok("answer Q1 The rest");
    expect(question(1).status).toBe("answered");
    expect(answers()).toHaveLength(3);
  });

  it.each([
    ['source:"ITU Council Decision 588, §3, p. 2"', "ITU Council Decision 588, §3, p. 2"],
    ["source:'Decision 588, para 3'", "Decision 588, para 3"],
    ["source:“Art. 5, §2”", "Art. 5, §2"],
    ["source:https://www.itu.int/md/S22-CL-C-0001/en?x=1,2", "https://www.itu.int/md/S22-CL-C-0001/en?x=1,2"],
  ])("keeps the source exactly as written: %s", async (option, stored) => {
    await ok(`answer Q1 "Sector membership is CHF 10,600, payable yearly" ${option}`);
    expect(answers()).toEqual([{ text: "Sector membership is CHF 10,600, payable yearly", source: stored, kind: "full" }]);
  });

  it("announces the answer with its source in the channel", async () => {
    const reply = await ok('answer Q1 CHF 10,600 source:"Decision 588, §3"', { displayName: "Ben" });
    expect(reply.announcement).toBe("Ben logged an answer to Q1: CHF 10,600 (source: Decision 588, §3)");
    expect((await ok("answer Q1 More to come partial:yes")).announcement).toBe("alice logged a partial answer to Q1: More to come");
  });

  it("says when no source was given", async () => {
    expect(field(await ok("answer Q1 It is free"), "Source")).toBe("none given");
  });
});

describe("edit", () => {
  beforeEach(async () => {
    await ok("deadline add WCIT-12 opens 2026-12-03");
    await ok("deadline add WSIS Forum 2027-03-10");
    await ok("ask What does membership cost? to:ITU by:D1 #fees");
  });

  it("changes the text and keeps the old version in show's history", async () => {
    const reply = await ok('edit Q1 "What does sector membership cost an NGO?"');
    expect(reply.heading).toBe("Updated Q1");
    expect(question(1).text).toBe("What does sector membership cost an NGO?");
    const history = sectionItems(await ok("show Q1"), "History");
    expect(history.map((i) => i.text)).toEqual(["29 Nov 2026 10:00 asked by alice", "29 Nov 2026 10:00 edited by alice"]);
    expect(history[1]?.detail).toBe('The text was "What does membership cost?"');
  });

  it("changes the addressee, the deadline and the tags together", async () => {
    await ok('edit Q1 to:"ITU Secretariat" by:WSIS #membership #ngo');
    expect(question(1)).toMatchObject({ text: "What does membership cost?", addressee: "ITU Secretariat", needed_by_deadline: 2, tags: "membership ngo" });
    const was = sectionItems(await ok("show Q1"), "History")[1]?.detail;
    expect(was).toBe("The addressee changed from ITU to ITU Secretariat; what it is needed by changed from D1 WCIT-12 opens (3 Dec 2026) to D2 WSIS Forum (10 Mar 2027); the tags changed from #fees to #membership #ngo");
  });

  it("by: can move a question from a deadline to a plain date", async () => {
    await ok("edit Q1 by:2026-12-20");
    expect(question(1)).toMatchObject({ needed_by_deadline: null, needed_by_date: "2026-12-20" });
  });

  it("to:none clears the addressee and by:none the needed-by", async () => {
    await ok("edit Q1 to:none by:none");
    expect(question(1)).toMatchObject({ addressee: null, needed_by_deadline: null, needed_by_date: null });
    expect(field(await ok("show Q1"), "Asked of")).toBe("nobody named");
  });

  it("new #tags replace the old ones, also in list #tag", async () => {
    await ok("edit Q1 #membership");
    expect(question(1).tags).toBe("membership");
    expect(listed(await ok("list #fees"))).toEqual([]);
    expect(listed(await ok("list #membership"))).toEqual(["Q1"]);
  });
});

describe("note", () => {
  it("adds a note that show lists with its author", async () => {
    await ok("ask What does membership cost?");
    const reply = await ok('note Q1 "Asked again at the 9 Oct briefing; they promised a reply by Friday"', { displayName: "Chen" });
    expect(reply.heading).toBe("Noted on Q1");
    const notes = sectionItems(await ok("show Q1"), "Notes");
    expect(notes).toEqual([{ text: "Asked again at the 9 Oct briefing; they promised a reply by Friday", detail: "Chen, 29 Nov 2026 10:00" }]);
    expect(question(1).status).toBe("open");
  });
});

describe("reopen and withdraw", () => {
  beforeEach(async () => {
    await ok("ask What does membership cost?");
  });

  it("withdraw with a reason marks the question withdrawn and echoes the reason", async () => {
    const reply = await ok("withdraw Q1 Superseded by Q9");
    expect(reply.heading).toBe("Q1 is withdrawn");
    expect(reply.blocks).toEqual([{ kind: "text", text: "Reason: Superseded by Q9" }]);
    expect(question(1).status).toBe("withdrawn");
  });

  it("reopen with a reason opens an answered question again", async () => {
    await ok("answer Q1 CHF 10,600");
    const reply = await ok("reopen Q1 The reply only covered sector members");
    expect(reply.heading).toBe("Q1 is open again");
    expect(reply.blocks).toEqual([{ kind: "text", text: "Reason: The reply only covered sector members" }]);
    expect(question(1).status).toBe("open");
  });

  it("reopen brings a withdrawn question back", async () => {
    await ok("withdraw Q1");
    await ok("reopen Q1");
    expect(question(1).status).toBe("open");
  });

  it("the reasons are kept in the audit trail", async () => {
    await ok("withdraw Q1 Superseded by Q9");
    await ok("reopen Q1 Still needed after all");
    const rows = h.db.prepare("SELECT action, before, after FROM audit_events WHERE subject = 'Q1' AND action != 'question.ask' ORDER BY id").all();
    expect(rows).toEqual([
      { action: "question.withdraw", before: '{"status":"open"}', after: '{"status":"withdrawn","reason":"Superseded by Q9"}' },
      { action: "question.reopen", before: '{"status":"withdrawn"}', after: '{"status":"open","reason":"Still needed after all"}' },
    ]);
  });

  // Bug (src/core/commands/show.ts, the `history` items): only edits get a detail line, so the reason
  // given to withdraw or reopen is stored in the audit row but never shown to members.
  it("show's history says why a question was withdrawn", async () => {
    await ok("withdraw Q1 Superseded by Q9");
    const history = sectionItems(await ok("show Q1"), "History");
    expect(history.map((i) => `${i.text} ${i.detail ?? ""}`).join("\n")).toContain("Superseded by Q9");
  });

  it("reopening an open question says so and points to note", async () => {
    const reply = await h.run("reopen Q1");
    expect(reply.error?.code).toBe("question.already_open");
    expect(await h.text("reopen Q1")).toBe("Q1 is already open. To add to it, use /docket note Q1 …");
  });

  it("withdrawing a withdrawn question says so and how to bring it back", async () => {
    await ok("withdraw Q1");
    expect((await h.run("withdraw Q1")).error?.code).toBe("question.already_withdrawn");
    expect(await h.text("withdraw Q1")).toBe("Q1 is already withdrawn. To bring it back: /docket reopen Q1");
  });
});

describe("show", () => {
  it("shows the question with its fields, answers, notes and history in that order", async () => {
    await ok("deadline add WCIT-12 opens 2026-12-03");
    await ok("ask What does membership cost? to:ITU by:D1 #fees", { id: "U1", displayName: "Amina" });
    h.clock.set("2026-11-30T15:30:00Z");
    await ok("answer Q1 Only for sector members partial:yes", { id: "U2", displayName: "Ben" });
    await ok("note Q1 Asked again at the briefing", { id: "U3", displayName: "Chen" });
    await ok('answer Q1 CHF 10,600 source:"Decision 588, §3"', { id: "U2", displayName: "Ben" });
    h.clock.set("2026-12-01T09:00:00Z");

    const reply = await ok("show 1");
    expect(reply.heading).toBe("Q1 · answered");
    expect(reply.blocks[0]).toEqual({ kind: "text", text: "What does membership cost?" });
    expect(field(reply, "Asked of")).toBe("ITU");
    expect(field(reply, "Asked")).toBe("asked 2 days ago by Amina (29 Nov 2026 10:00)");
    expect(field(reply, "Needed")).toBe("by D1 WCIT-12 opens (3 Dec 2026)");
    expect(field(reply, "Tags")).toBe("#fees");
    expect(sectionItems(reply, "Answers")).toEqual([
      { text: "Only for sector members", detail: "partial answer logged by Ben, 30 Nov 2026 15:30 · no source given" },
      { text: "CHF 10,600", detail: "answer logged by Ben, 30 Nov 2026 15:30 · source: Decision 588, §3" },
    ]);
    expect(sectionItems(reply, "Notes")).toEqual([{ text: "Asked again at the briefing", detail: "Chen, 30 Nov 2026 15:30" }]);
    expect(sectionItems(reply, "History").map((i) => i.text)).toEqual([
      "29 Nov 2026 10:00 asked by Amina",
      "30 Nov 2026 15:30 partly answered by Ben",
      "30 Nov 2026 15:30 note added by Chen",
      "30 Nov 2026 15:30 answered by Ben",
    ]);
    expect(reply.blocks.map((b) => (b.kind === "list" ? b.title : b.kind))).toEqual(["text", "fields", "Answers", "Notes", "History"]);
  });

  it("leaves out answers and notes when there are none", async () => {
    await ok("ask Lonely question");
    const reply = await ok("show Q1");
    expect(reply.heading).toBe("Q1 · open");
    expect(section(reply, "Answers")).toBeUndefined();
    expect(section(reply, "Notes")).toBeUndefined();
    expect(field(reply, "Asked of")).toBe("nobody named");
  });

  it("marks an unanswered question overdue once its deadline has passed", async () => {
    await ok("deadline add Comments due 2026-12-01");
    await ok("ask Budget? by:D1");
    expect((await ok("show Q1")).heading).toBe("Q1 · open");
    h.clock.set("2026-12-02T09:00:00Z");
    expect((await ok("show Q1")).heading).toBe("Q1 · open · overdue");
  });
});

describe("list", () => {
  beforeEach(async () => {
    await ok("deadline add Comments due 2026-12-01");
    await ok("deadline add WCIT-12 opens 2026-12-03");
    await ok("ask Q1 membership cost? to:ITU by:D1 #fees"); // answered below
    await ok('ask Q2 webcast? to:"ITU Secretariat" by:D2'); // partial
    await ok("ask Q3 agenda? to:UN by:2026-12-02 #agenda"); // open, dated
    await ok("ask Q4 venue? to:UN #fees"); // withdrawn
    await ok("ask Q5 observers? to:ITU by:D1"); // open, needed by D1
    await ok("answer Q1 CHF 10,600");
    await ok("answer Q2 Only the opening partial:yes");
    await ok("withdraw Q4");
  });

  it("lists open and partly answered questions by default, oldest first", async () => {
    const reply = await ok("list");
    expect(reply.heading).toBe("3 open questions");
    expect(listed(reply)).toEqual(["Q2", "Q3", "Q5"]);
    expect(listed(await ok("list open"))).toEqual(["Q2", "Q3", "Q5"]);
  });

  it("the item says who it is asked of, its state, deadline, age and tags", async () => {
    const items = (await ok("list all")).blocks[0];
    expect(items?.kind === "list" && items.items[1]).toEqual({
      text: "Q2 Q2 webcast?",
      detail: "to ITU Secretariat · partly answered · needed by D2 WCIT-12 opens (3 Dec 2026) · asked today by alice",
      questionNumber: 2,
      answerable: true,
    });
  });

  it("lists answered, withdrawn and all", async () => {
    expect(listed(await ok("list answered"))).toEqual(["Q1"]);
    expect(listed(await ok("list withdrawn"))).toEqual(["Q4"]);
    const all = await ok("list all");
    expect(all.heading).toBe("5 questions");
    expect(listed(all)).toEqual(["Q1", "Q2", "Q3", "Q4", "Q5"]);
  });

  it("overdue lists nothing before a deadline passes, then the open questions needed by it", async () => {
    expect((await ok("list overdue")).heading).toBe("No overdue questions");
    // 1 Dec is over in London at midnight: D1 has passed, Q5 (open, by D1) is overdue; Q1 was answered.
    h.clock.set("2026-12-02T00:30:00Z");
    expect(listed(await ok("list overdue"))).toEqual(["Q5"]);
    // A day later the plain date of Q3 (2 Dec) has passed too; D2 (3 Dec) has not.
    h.clock.set("2026-12-03T00:30:00Z");
    expect(listed(await ok("list overdue"))).toEqual(["Q3", "Q5"]);
    h.clock.set("2026-12-04T00:30:00Z");
    expect(listed(await ok("list overdue"))).toEqual(["Q2", "Q3", "Q5"]);
  });

  it("an untimed deadline is not passed until its day is over in its zone", async () => {
    h.clock.set("2026-12-01T23:59:00Z");
    expect((await ok("list overdue")).heading).toBe("No overdue questions");
  });

  it("to: keeps questions whose addressee starts with it, ignoring case", async () => {
    expect(listed(await ok("list all to:un"))).toEqual(["Q3", "Q4"]);
    expect(listed(await ok('list all to:"ITU Secretariat"'))).toEqual(["Q2"]);
    expect(listed(await ok("list all to:ITU"))).toEqual(["Q1", "Q2", "Q5"]);
    expect((await ok("list to:UN")).heading).toBe("1 open question to UN");
  });

  it("by: keeps questions needed by that deadline", async () => {
    const reply = await ok("list all by:D1");
    expect(listed(reply)).toEqual(["Q1", "Q5"]);
    expect(reply.heading).toBe("2 questions needed by D1");
    expect(listed(await ok("list by:wcit"))).toEqual(["Q2"]);
  });

  it("#tag keeps questions with that tag", async () => {
    expect(listed(await ok("list all #fees"))).toEqual(["Q1", "Q4"]);
    expect(listed(await ok("list #fees"))).toEqual([]);
    expect((await ok("list #fees")).heading).toBe("No open questions #fees");
  });

  it("pages long lists by 20 and says which part is shown and how to get the next", async () => {
    for (let i = 6; i <= 45; i++) await ok(`ask Question ${i}`);
    const first = await ok("list");
    expect(first.heading).toBe("43 open questions");
    expect(listed(first)).toHaveLength(20);
    expect(listed(first)[0]).toBe("Q2");
    expect(more(first)).toBe("Showing 1–20 of 43: /docket list open page:2");
    const second = await ok("list page:2");
    expect(listed(second)).toHaveLength(20);
    expect(listed(second)[0]).toBe("Q23");
    expect(more(second)).toBe("Showing 21–40 of 43: /docket list open page:3");
    const last = await ok("list page:3");
    expect(listed(last)).toEqual(["Q43", "Q44", "Q45"]);
    expect(more(last)).toBeUndefined();
  });

  // Bug (src/core/commands/list.ts, the `more` line): the "next page" hint keeps only the status and
  // drops to:, by: and #tag, so following it pages through a different, unfiltered list.
  it("the next-page hint of a filtered list keeps its filters", async () => {
    for (let i = 6; i <= 30; i++) await ok(`ask Question ${i} to:WIPO`);
    const reply = await ok("list to:WIPO");
    expect(reply.heading).toBe("25 open questions to WIPO");
    expect(more(reply)).toContain("to:WIPO");
  });
});

describe("search", () => {
  beforeEach(async () => {
    await ok("ask What does ITU membership cost for an NGO? to:ITU #fees");
    await ok("ask Will plenary sessions be webcast?");
    await ok("ask Who chairs the drafting group?");
    await ok('answer Q2 Only the opening ceremony is streamed source:"Secretariat circular, 4 Nov"');
    await ok("note Q3 Asked again at the briefing in Geneva");
  });

  const hits = async (words: string) => {
    const reply = await ok(`search ${words}`);
    return reply.blocks.flatMap((b) => (b.kind === "list" ? b.items.map((i) => `Q${i.questionNumber} ${i.text.replace(/^Q\d+ /, "").replace(/ · .*$/, "")}`) : []));
  };

  it("finds words in questions, answers and notes, saying which", async () => {
    expect(await hits("membership")).toEqual(["Q1 (question)"]);
    expect(await hits("streamed")).toEqual(["Q2 (answer)"]);
    expect(await hits("Geneva")).toEqual(["Q3 (note)"]);
  });

  it("finds words in an answer's source and a question's tags", async () => {
    expect(await hits("circular")).toEqual(["Q2 (answer)"]);
    expect(await hits("fees")).toEqual(["Q1 (question)"]);
  });

  it("matches the start of a word", async () => {
    expect(await hits("memb")).toEqual(["Q1 (question)"]);
    expect(await hits("brief")).toEqual(["Q3 (note)"]);
  });

  it("needs every word to match", async () => {
    expect(await hits("plenary webcast")).toEqual(["Q2 (question)"]);
    expect((await ok("search plenary Geneva")).heading).toBe('Nothing matches "plenary Geneva"');
  });

  it("ignores case and accents", async () => {
    await ok("ask Is the café open to observers?");
    expect(await hits("CAFE")).toEqual(["Q4 (question)"]);
  });

  it("heads the list with the count and the words, with the matching text as detail", async () => {
    const reply = await ok("search webcast");
    expect(reply.heading).toBe('1 match for "webcast"');
    const block = reply.blocks[0];
    expect(block?.kind === "list" && block.items[0]?.detail).toContain("webcast");
  });

  it.each([
    '"membership',
    'membership"',
    "membership*",
    "*",
    "membership OR webcast",
    "NEAR(membership webcast)",
    "NEAR(",
    "body:membership",
    "^membership",
    "-membership",
    "membership AND NOT webcast",
    "(membership",
    "{body}: x",
    "'; DROP TABLE questions; --",
  ])("treats FTS query syntax as plain text and never fails: %s", async (words) => {
    const reply = await h.run(`search ${words}`);
    expect(reply.error?.code).not.toBe("internal");
    expect(h.db.prepare("SELECT count(*) AS n FROM questions").get()).toEqual({ n: 3 });
  });

  it("OR in capitals finds either side; in lower case it is a word to find", async () => {
    expect((await ok("search membership OR webcast")).heading).toBe('2 matches for "membership OR webcast"');
    expect((await ok("search membership or webcast")).heading).toBe('Nothing matches "membership or webcast"');
  });

  it("a search with no letters or digits asks for a word", async () => {
    const reply = await h.run("search ***");
    expect(reply.error?.code).toBe("words.empty");
    expect(await h.text("search ***")).toBe("Search needs a word with letters or digits, like /docket search membership.");
  });
});
