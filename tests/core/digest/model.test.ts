import { afterEach, describe, expect, it } from "vitest";
import { replyToText } from "../../../src/core/reply.ts";
import { digestAt, noFilter } from "../../support/digest-at.ts";
import { harness, type Harness } from "../../support/harness.ts";

let h: Harness;
afterEach(() => h.close());


describe("the digest model", () => {
  it("counts down in calendar days in the subscription's zone: in 52 days, tomorrow, today, passed yesterday once", async () => {
    h = harness({ now: "2026-10-10T10:00:00Z" });
    await h.run("deadline add WCIT-12 2027-01-22 at:Dubai");
    await h.run("deadline add Briefing 2026-12-01 18:00 tz:America/New_York");
    expect((await digestAt(h, "2026-12-01T08:00:00Z")).countdowns).toEqual([
      "D2 Briefing is today — 1 Dec 2026 18:00 America/New_York",
      "D1 WCIT-12 (Dubai) is in 52 days — 22 Jan 2027",
    ]);
    // 18:00 in New York is 23:00 in London the same day, so the next London day it has passed.
    expect((await digestAt(h, "2026-12-02T08:00:00Z")).countdowns[0]).toBe("D2 Briefing passed yesterday — 1 Dec 2026 18:00 America/New_York");
    expect((await digestAt(h, "2026-12-03T08:00:00Z", { since: "2026-12-02T08:00:00Z" })).countdowns).toHaveLength(1);
    expect((await digestAt(h, "2027-01-21T08:00:00Z")).countdowns).toEqual(["D1 WCIT-12 (Dubai) is tomorrow — 22 Jan 2027"]);
  });

  it("counts across a DST change by calendar days, not 24-hour blocks", async () => {
    h = harness({ now: "2027-03-01T10:00:00Z" });
    await h.run("deadline add Consultation 2027-04-01");
    // 28 Mar 2027 is the spring-forward day in London: 31 calendar days from 1 Mar 00:30 local.
    expect((await digestAt(h, "2027-03-01T00:30:00Z")).countdowns[0]).toContain("is in 31 days");
    expect((await digestAt(h, "2027-03-31T23:30:00Z")).countdowns[0]).toContain("is today");
  });

  it("lists answers logged since the previous digest with excerpt, source and who logged them", async () => {
    h = harness({ now: "2026-11-29T10:00:00Z" });
    await h.run("ask What does membership cost? to:ITU");
    await h.run("ask Who may attend? to:ITU");
    await h.run('answer Q1 "CHF 10,600 a year" source:https://itu.int/join', { id: "bea" });
    h.clock.set("2026-11-30T10:00:00Z");
    await h.run("answer Q2 Accredited observers only partial:yes");
    const d = await digestAt(h, "2026-12-01T09:00:00Z", { since: "2026-11-30T09:00:00Z" });
    // A partial answer leaves its question open: it is news in the question's own line, not a second listing.
    expect(d.answered).toEqual([]);
    expect(d.open.find((i) => i.questionNumber === 2)?.detail).toContain("new since the last digest: Partly: Accredited observers only · source: none given · logged by alice");
    const first = await digestAt(h, "2026-11-30T09:00:00Z");
    expect(first.answered[0]!.detail).toBe("CHF 10,600 a year · source: https://itu.int/join · logged by bea");
  });

  it("puts overdue questions apart from still-open ones, oldest first, and counts them in the header", async () => {
    h = harness({ now: "2026-11-29T10:00:00Z" });
    await h.run("deadline add Prepcom 2026-12-01");
    await h.run("ask First? to:ITU by:Prepcom");
    await h.run("ask Second? to:UN by:2026-12-10");
    await h.run("ask Third? to:ITU");
    await h.run("answer Q3 Done");
    const d = await digestAt(h, "2026-12-02T09:00:00Z");
    expect(d.counts).toEqual({ open: 2, answered: 1, answeredSince: 0, overdue: 1 });
    expect(d.overdue.map((i) => i.questionNumber)).toEqual([1]);
    expect(d.open.map((i) => i.questionNumber)).toEqual([2]);
    expect(d.open[0]!.detail).toBe("to UN · needed by 10 Dec 2026 · asked 3 days ago by alice");
  });

  it("cuts a long open list with 'and N more'", async () => {
    h = harness();
    for (let i = 1; i <= 14; i++) await h.run(`ask Question ${i}?`);
    const d = await digestAt(h, "2026-11-30T09:00:00Z", { openLimit: 10 });
    expect(d.open).toHaveLength(10);
    expect(d.moreOpen).toBe(4);
    expect(d.open[0]!.text).toBe("Q1 Question 1?");
  });

  it("honours the subscription's filter by tag, addressee and deadline", async () => {
    h = harness();
    await h.run("deadline add WCIT 2027-01-20");
    await h.run("ask Fees? to:ITU #membership");
    await h.run("ask Webcast? to:Secretariat by:WCIT");
    await h.run("ask Observers? to:ITU Council");
    expect((await digestAt(h, "2026-11-30T09:00:00Z", { filter: { ...noFilter, tag: "membership" } })).open.map((i) => i.questionNumber)).toEqual([1]);
    expect((await digestAt(h, "2026-11-30T09:00:00Z", { filter: { ...noFilter, addressee: "itu" } })).open.map((i) => i.questionNumber)).toEqual([1, 3]);
    const byDeadline = await digestAt(h, "2026-11-30T09:00:00Z", { filter: { ...noFilter, deadlineNumber: 1 } });
    expect(byDeadline.open.map((i) => i.questionNumber)).toEqual([2]);
    expect(byDeadline.counts.open).toBe(1);
  });

  it("shows nothing that is empty", async () => {
    h = harness();
    await h.run("ask Only question?");
    const text = replyToText(await h.run("digest preview"));
    expect(text).toContain("Still open, oldest first");
    expect(text).not.toContain("Countdown");
    expect(text).not.toContain("Answered since");
    expect(text).not.toContain("Overdue");
  });

  it("a preview 52 days before a deadline says 52 days, and records no delivery", async () => {
    h = harness({ now: "2026-10-01T10:00:00Z" });
    await h.run("deadline add WCIT-12 opens 2027-01-22 tz:Asia/Dubai at:Dubai");
    await h.run("digest on 09:00 tz:Europe/London");
    const text = replyToText(await h.run("digest preview 2026-12-01"));
    expect(text).toContain("WCIT-12 opens (Dubai) is in 52 days");
    expect(text).toContain("Tuesday 1 December 2026");
    expect(await h.store.deliveries.forSubscription(1)).toEqual([]);
  });
});
