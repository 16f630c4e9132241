import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exportFile } from "../../../src/core/export/index.ts";
import { parseSnapshot } from "../../../src/core/export/snapshot-schema.ts";
import type { Reply } from "../../../src/core/reply.ts";
import { median } from "../../../src/core/scorecard.ts";
import { harness, type Harness } from "../../support/harness.ts";

// Issue 13: pressing for answers. The docket's zone is Europe/London; clocks go back on Sunday 25 Oct 2026.

let h: Harness;
beforeEach(() => {
  h = harness();
});
afterEach(() => h.close());

const amina = { id: "U1", displayName: "Amina" };
const at = (instant: string) => h.clock.set(instant);
const field = (reply: Reply, label: string) => reply.blocks.flatMap((b) => (b.kind === "fields" ? b.fields : [])).find((f) => f.label === label)?.value;
const section = (reply: Reply, title: string) => {
  const block = reply.blocks.find((b) => b.kind === "list" && (b.title ?? "").startsWith(title));
  return block?.kind === "list" ? block : undefined;
};
const numbers = (reply: Reply, title?: string) =>
  reply.blocks.flatMap((b) => (b.kind === "list" && (title === undefined || (b.title ?? "").startsWith(title)) ? b.items.map((i) => i.text.split(" ")[0]) : []));
const chaseRows = () => h.db.prepare("SELECT text, via, on_date, contact FROM chases ORDER BY id").all();

describe("chase", () => {
  it("logs what was done, how, to whom and on which day (today by default), and says the record so far", async () => {
    at("2026-10-03T09:00:00Z");
    await h.ok("ask What does ITU membership cost for an NGO? to:ITU");
    at("2026-11-13T12:00:00Z");
    const reply = await h.ok('chase Q1 "Emailed the secretariat again" via:email to:"Director\'s office"', amina);
    expect(reply.heading).toBe("Chase logged on Q1");
    expect(field(reply, "Chase")).toBe("Emailed the secretariat again");
    expect(field(reply, "When")).toBe("13 Nov 2026 · via email · to Director's office · logged by Amina");
    expect(field(reply, "Record")).toBe("chased once, last today by Amina via email");
    expect(chaseRows()).toEqual([{ text: "Emailed the secretariat again", via: "email", on_date: "2026-11-13", contact: "Director's office" }]);
    const audit = h.db.prepare("SELECT action, subject FROM audit_events WHERE action = 'question.chase'").all();
    expect(audit).toEqual([{ action: "question.chase", subject: "Q1" }]);
  });

  it("takes a day in the past with on:, and via: and to: are optional", async () => {
    at("2026-10-03T09:00:00Z");
    await h.ok("ask Will plenary be webcast? to:ITU");
    at("2026-11-13T12:00:00Z");
    await h.ok("chase 1 Raised it at the 9 Oct briefing on:2026-10-09");
    await h.ok("chase 1 Asked the chair in the corridor on:yesterday");
    expect(chaseRows()).toEqual([
      { text: "Raised it at the 9 Oct briefing", via: null, on_date: "2026-10-09", contact: null },
      { text: "Asked the chair in the corridor", via: null, on_date: "2026-11-12", contact: null },
    ]);
  });

  describe("refuses, saying why, and stores nothing", () => {
    beforeEach(async () => {
      at("2026-10-03T09:00:00Z");
      await h.ok("ask First? to:ITU");
      await h.ok("ask Second? to:ITU");
      await h.ok("ask Third? to:ITU");
      await h.ok("answer Q1 Yes, CHF 10,600");
      await h.ok("withdraw Q2 No longer needed");
      at("2026-11-13T12:00:00Z");
    });
    const refused = async (text: string) => {
      const before = h.snapshot();
      const reply = await h.run(text);
      expect(h.snapshot()).toEqual(before);
      return reply;
    };

    it("an answered question", async () => {
      const reply = await refused("chase Q1 Emailed again");
      expect(reply.error?.code).toBe("question.answered");
      expect(await h.text("chase Q1 x")).toContain("Q1 is answered, so there is nothing to chase");
    });

    it("a withdrawn question", async () => {
      const reply = await refused("chase Q2 Emailed again");
      expect(reply.error?.code).toBe("question.withdrawn");
      expect(await h.text("chase Q2 x")).toContain("Q2 was withdrawn, so there is nothing to chase");
    });

    it("a day that has not come yet", async () => {
      const reply = await refused("chase Q3 Will call them on:tomorrow");
      expect(reply.error?.code).toBe("on.future");
      expect(await h.text("chase Q3 Will call on:2026-11-20")).toContain("on:20 Nov 2026 has not come yet (today is 13 Nov 2026)");
    });

    it("a day before the question was asked", async () => {
      expect((await refused("chase Q3 Early on:2026-10-01")).error?.code).toBe("on.before_asked");
    });

    it("a way of chasing it does not know", async () => {
      const reply = await refused("chase Q3 Sent a fax via:fax");
      expect(reply.error?.code).toBe("via.invalid");
      expect(await h.text("chase Q3 Sent a fax via:fax")).toContain('"fax" is not one of email, letter, meeting, call, other');
    });

    it("a question that does not exist, and a chase with no text", async () => {
      expect((await refused("chase Q9 Emailed")).error?.code).toBe("question.not_found");
      expect((await refused("chase Q3")).error?.code).toBe("text.missing");
    });
  });
});

describe("clocks", () => {
  it("show says how long a question has waited and how it was chased", async () => {
    at("2026-10-03T09:00:00Z");
    await h.ok("ask What does ITU membership cost for an NGO? to:ITU");
    at("2026-10-20T09:00:00Z");
    await h.ok("chase Q1 Wrote to the secretariat via:letter");
    at("2026-11-01T09:00:00Z");
    await h.ok("chase Q1 Raised it at the briefing via:meeting");
    at("2026-11-08T09:00:00Z");
    await h.ok("chase Q1 Emailed again via:email", amina);
    at("2026-11-13T09:00:00Z");
    const reply = await h.ok("show Q1");
    // 3 Oct → 13 Nov: 28 days left in October, then 13 of November.
    expect(field(reply, "Clock")).toBe("waiting 41 days (asked 3 Oct) · chased 3 times, last 5 days ago by Amina via email");
    expect(section(reply, "Chases")?.items).toEqual([
      { text: "Wrote to the secretariat", detail: "20 Oct 2026 · via letter · logged by alice" },
      { text: "Raised it at the briefing", detail: "1 Nov 2026 · via meeting · logged by alice" },
      { text: "Emailed again", detail: "8 Nov 2026 · via email · logged by Amina" },
    ]);
    expect(section(reply, "History")?.items.map((i) => i.text)).toContain("8 Nov 2026 09:00 chased by Amina");
  });

  it("counts calendar days in the docket's zone across the clocks going back, never 24-hour blocks", async () => {
    // 00:30 BST on Sunday 25 Oct is 23:30 UTC on the 24th.
    at("2026-10-24T23:30:00Z");
    await h.ok("ask Who chairs the drafting group?");
    // 24 hours later it is 23:30 GMT, still the 25th in London: the same day.
    at("2026-10-25T23:30:00Z");
    expect(field(await h.ok("show Q1"), "Clock")).toBe("waiting 0 days (asked 25 Oct) · not chased yet");
    expect(numbers(await h.ok("list waiting:1"))).toEqual([]);
    at("2026-10-26T00:10:00Z");
    expect(field(await h.ok("show Q1"), "Clock")).toBe("waiting 1 day (asked 25 Oct) · not chased yet");
    expect(numbers(await h.ok("list waiting:1"))).toEqual(["Q1"]);
  });

  it("list shows the chase count compactly, and waiting:N keeps those open at least N days", async () => {
    at("2026-10-10T09:00:00Z");
    await h.ok("ask Oldest? to:ITU");
    at("2026-10-20T09:00:00Z");
    await h.ok("ask Forty days? to:ITU");
    at("2026-10-21T09:00:00Z");
    await h.ok("ask Thirty-nine days, answered? to:ITU");
    await h.ok("ask Thirty-nine days, open? to:ITU");
    at("2026-11-12T09:00:00Z");
    await h.ok("chase Q2 Emailed via:email");
    await h.ok("answer Q3 Yes");
    at("2026-11-29T10:00:00Z");
    await h.ok("chase Q2 Called via:call on:2026-11-28");

    const all = await h.ok("list");
    expect(all.blocks[0]?.kind === "list" && all.blocks[0].items[1]!.detail).toBe("to ITU · asked 40 days ago by alice · chased 2×, last yesterday");
    expect(all.blocks[0]?.kind === "list" && all.blocks[0].items[0]!.detail).toBe("to ITU · asked 50 days ago by alice");
    expect(numbers(await h.ok("list waiting:40"))).toEqual(["Q1", "Q2"]);
    expect(numbers(await h.ok("list waiting:41"))).toEqual(["Q1"]);
    expect((await h.ok("list waiting:39")).heading).toBe("3 open questions waiting 39 days or more");
    expect(numbers(await h.ok("list all waiting:39"))).toEqual(["Q1", "Q2", "Q3", "Q4"]);
    expect((await h.run("list waiting:soon")).error?.code).toBe("waiting.invalid");
  });
});

/** Questions to ITU, UNESCO (typed two ways) and no one, asked, answered and chased on known days, all at 09:00 UTC. */
async function fixture() {
  const on = (date: string) => at(`${date}T09:00:00Z`);
  on("2026-10-01"); await h.ok("ask Q1 membership fee? to:ITU");
  on("2026-10-05"); await h.ok("ask Q2 webcast? to:ITU");
  on("2026-10-10"); await h.ok("ask Q3 observer rules? to:ITU");
  on("2026-10-11"); await h.ok("answer Q1 CHF 10600 a year");
  on("2026-10-12"); await h.ok("answer Q3 Only for accredited observers partial:yes");
  on("2026-10-20"); await h.ok("ask Q4 drafting group chair? to:ITU");
  on("2026-10-21"); await h.ok("ask Q5 room allocation? to:ITU");
  on("2026-10-22"); await h.ok("ask Q6 duplicate? to:ITU"); await h.ok("withdraw Q6 asked twice");
  on("2026-10-25"); await h.ok("answer Q2 Yes, on the ITU site");
  on("2026-11-01"); await h.ok("ask Q7 youth forum? to:UNESCO");
  on("2026-11-02"); await h.ok("ask Q8 side events? to:unesco");
  on("2026-11-04"); await h.ok("answer Q7 Yes");
  on("2026-11-09"); await h.ok("answer Q8 Three rooms");
  on("2026-11-10"); await h.ok("ask Q9 accreditation deadline? to:UNESCO");
  on("2026-11-12"); await h.ok("chase Q4 Emailed the secretariat via:email", amina);
  on("2026-11-20"); await h.ok("chase Q4 Wrote to the Secretary-General via:letter on:2026-11-18 to:SG");
  on("2026-11-22"); await h.ok("chase Q9 Called the focal point via:call");
  on("2026-11-25"); await h.ok("answer Q5 Room 3");
  on("2026-11-28"); await h.ok("ask Q10 who else attends?");
  at("2026-11-29T10:00:00Z");
}

describe("scorecard", () => {
  it("median: the middle value, or the mean of the middle two", () => {
    expect([median([]), median([35, 10, 20]), median([7, 3]), median([1, 2, 4, 8])]).toEqual([null, 20, 5, 3]);
  });

  it("per addressee: asked, answered, partly, open, median days to an answer, longest wait, chases", async () => {
    await fixture();
    const reply = await h.ok("scorecard");
    const items = reply.blocks[0]?.kind === "list" ? reply.blocks[0].items : [];
    // By hand. ITU: Q1 1 Oct→11 Oct 10 days, Q2 5 Oct→25 Oct 20 days (across the clocks going back), Q5 21 Oct→25 Nov
    // 35 days; median of 10, 20, 35 is 20. Q3 (partly) waits 10 Oct→29 Nov, 50 days; Q4 20 Oct→29 Nov, 40. Q6 was withdrawn: not counted.
    // UNESCO and unesco are one: Q7 1→4 Nov 3 days, Q8 2→9 Nov 7 days; median (3 + 7) / 2 = 5. Q9 waits 10→29 Nov, 19 days.
    expect(items).toEqual([
      { text: "ITU: answered 3 of 5", detail: "1 partly answered · 1 open · median 20 days to an answer · longest wait 50 days (Q3) · 2 chases" },
      { text: "UNESCO: answered 2 of 3", detail: "0 partly answered · 1 open · median 5 days to an answer · longest wait 19 days (Q9) · 1 chase" },
      { text: "No addressee named: answered 0 of 1", detail: "0 partly answered · 1 open · median — to an answer · longest wait 1 day (Q10) · 0 chases" },
    ]);
  });

  it("to: keeps the addressees whose name starts with it, ignoring case", async () => {
    await fixture();
    const reply = await h.ok("scorecard to:unes");
    expect(reply.heading).toBe("Scorecard · to unes");
    expect(reply.blocks[0]?.kind === "list" && reply.blocks[0].items.map((i) => i.text)).toEqual(["UNESCO: answered 2 of 3"]);
    expect((await h.ok("scorecard to:WHO")).heading).toBe("No questions to WHO to score");
  });

  it("says so on an empty docket", async () => {
    expect((await h.ok("scorecard")).heading).toBe("No questions to score");
  });
});

describe("the digest", () => {
  it("open questions show their wait and last chase; chase-after:N adds the questions nobody pressed for N days, least recently first", async () => {
    await fixture();
    await h.ok("digest on 09:00 chase-after:7");
    expect(await h.text("digest status")).toContain("listing questions due for a chase after 7 days");
    const preview = await h.ok("digest preview");
    const due = section(preview, "Due for a chase");
    expect(due?.title).toBe("Due for a chase (not pressed for 7 days)");
    // Cut-off 22 Nov: Q3 never chased (asked 10 Oct), Q4 last chased 18 Nov, Q9 chased 22 Nov; Q10 asked yesterday is not due.
    expect(due?.items.map((i) => [i.text, i.detail])).toEqual([
      ["Q3 Q3 observer rules?", "to ITU · asked, never chased, 10 Oct (50 days ago)"],
      ["Q4 Q4 drafting group chair?", "to ITU · last chased 18 Nov (11 days ago)"],
      ["Q9 Q9 accreditation deadline?", "to UNESCO · last chased 22 Nov (7 days ago)"],
    ]);
    const open = section(preview, "Still open")?.items ?? [];
    expect(open.find((i) => i.questionNumber === 4)?.detail).toBe("to ITU · asked 40 days ago by alice · chased 2×, last 11 days ago");
    expect(open.find((i) => i.questionNumber === 10)?.detail).toBe("asked yesterday by alice");

    await h.ok("digest on chase-after:14");
    expect(numbers(await h.ok("digest preview"), "Due for a chase")).toEqual(["Q3"]);
    await h.ok("digest on 08:00");
    expect(numbers(await h.ok("digest preview"), "Due for a chase"), "kept when not named").toEqual(["Q3"]);
    await h.ok("digest on chase-after:off");
    expect(section(await h.ok("digest preview"), "Due for a chase")).toBeUndefined();
    expect((await h.run("digest on chase-after:0")).error?.code).toBe("chase-after.invalid");
  });

  it("has no chase section unless the channel asked for one", async () => {
    await fixture();
    await h.ok("digest on 09:00");
    expect(section(await h.ok("digest preview"), "Due for a chase")).toBeUndefined();
  });
});

describe("exports", () => {
  it("json carries chases losslessly: export, import elsewhere, export again is identical", async () => {
    await fixture();
    await h.ok("digest on 09:00 chase-after:7");
    const first = (await h.ok("export json")).file!.content;
    const snapshot = parseSnapshot(JSON.parse(first) as unknown);
    expect(snapshot.chases).toMatchObject([
      { questionNumber: 4, text: "Emailed the secretariat", via: "email", onDate: "2026-11-12", contact: null },
      { questionNumber: 4, via: "letter", onDate: "2026-11-18", contact: "SG" },
      { questionNumber: 9, via: "call", onDate: "2026-11-22" },
    ]);
    expect(snapshot.subscriptions[0]?.chaseAfter).toBe(7);
    const other = harness({ now: "2026-11-29T10:00:00Z" });
    try {
      await other.store.snapshots.restore(snapshot);
      expect(exportFile(await other.store.snapshots.read(1), "json", h.clock.now()).content).toBe(first);
    } finally {
      other.close();
    }
  });

  it("an export from before chases imports with none", async () => {
    await fixture();
    const { chases: _dropped, ...old } = JSON.parse((await h.ok("export json")).file!.content) as Record<string, unknown>;
    expect(parseSnapshot(old).chases).toEqual([]);
  });

  it("csv gains waiting_days, chases and last_chased", async () => {
    await fixture();
    const [header, ...rows] = (await h.ok("export csv")).file!.content.trimEnd().split("\r\n").map((line) => line.split(","));
    expect(header!.slice(-3)).toEqual(["waiting_days", "chases", "last_chased"]);
    const row = (n: number) => Object.fromEntries(header!.map((name, i) => [name, rows[n - 1]![i]]));
    expect(row(4)).toMatchObject({ number: "Q4", status: "open", waiting_days: "40", chases: "2", last_chased: "2026-11-18" });
    expect(row(3)).toMatchObject({ status: "partial", waiting_days: "50", chases: "0", last_chased: "" });
    expect(row(1)).toMatchObject({ status: "answered", waiting_days: "", chases: "0" });
  });

  it("md gains the scorecard and each question's chase history", async () => {
    await fixture();
    const md = (await h.ok("export md")).file!.content;
    expect(md).toContain("## Scorecard");
    expect(md).toContain("| ITU | 5 | 3 | 1 | 1 | 20 days | 50 days (Q3) | 2 |");
    expect(md).toContain("| UNESCO | 3 | 2 | 0 | 1 | 5 days | 19 days (Q9) | 1 |");
    expect(md).toContain("| no addressee named | 1 | 0 | 0 | 1 | — | 1 day (Q10) | 0 |");
    const q4 = md.slice(md.indexOf("**Q4**"));
    expect(q4.split("\n").slice(1, 3)).toEqual([
      "  - Chased 12 Nov 2026 via email: Emailed the secretariat (logged by Amina)",
      "  - Chased 18 Nov 2026 via letter (to SG): Wrote to the Secretary\\-General (logged by alice)",
    ]);
  });
});
