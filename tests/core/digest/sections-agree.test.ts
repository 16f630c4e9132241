import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { digestToReply } from "../../../src/core/digest/model.ts";
import { replyToText } from "../../../src/core/reply.ts";
import { digestAt } from "../../support/digest-at.ts";
import { harness, type Harness } from "../../support/harness.ts";

let h: Harness;
afterEach(() => h.close());

const numbers = (items: ReadonlyArray<{ questionNumber?: number }>) => items.map((i) => i.questionNumber);

describe("the digest's count line and sections agree", () => {
  it("a question answered and then reopened since the last digest is listed once, under still open", async () => {
    h = harness({ now: "2026-11-30T10:00:00Z" });
    await h.ok("ask Fees?");
    await h.ok("answer Q1 CHF 10,600");
    await h.ok("reopen Q1 Only for sector members");
    const d = await digestAt(h, "2026-12-01T09:00:00Z", { since: "2026-11-30T09:00:00Z" });
    expect(d.answered).toEqual([]);
    expect(numbers(d.open)).toEqual([1]);
    expect(d.counts).toMatchObject({ open: 1, answered: 0, answeredSince: 0 });
  });

  it("a question answered twice since the last digest is listed once, with its latest answer", async () => {
    h = harness({ now: "2026-11-30T10:00:00Z" });
    await h.ok("ask Fees?");
    await h.ok("answer Q1 About CHF 10,000");
    await h.ok('answer Q1 "CHF 10,600 a year" source:https://itu.int/join');
    const d = await digestAt(h, "2026-12-01T09:00:00Z", { since: "2026-11-30T09:00:00Z" });
    expect(d.answered).toEqual([{ text: "Q1 Fees?", detail: "CHF 10,600 a year · source: https://itu.int/join · logged by alice · 1 earlier answer since the last digest", questionNumber: 1 }]);
    expect(d.counts).toMatchObject({ answered: 1, answeredSince: 1 });
  });

  it("a partial answer keeps its question among the open ones, with the news in its line, and the count line never says fewer answered than listed", async () => {
    h = harness({ now: "2026-11-30T10:00:00Z" });
    await h.ok("ask Who may attend?");
    await h.ok("ask Fees?");
    await h.ok("answer Q1 Accredited observers only partial:yes");
    await h.ok("answer Q2 CHF 10,600");
    const d = await digestAt(h, "2026-12-01T09:00:00Z", { since: "2026-11-30T09:00:00Z" });
    expect(numbers(d.answered)).toEqual([2]);
    expect(numbers(d.open)).toEqual([1]);
    expect(d.open[0]!.detail).toContain("new since the last digest: Partly: Accredited observers only");
    expect(replyToText(digestToReply(d, { commandName: "docket" }))).toContain("1 question open · 1 answered (1 since the last digest) · 0 overdue");
  });

  it("README's sample digest is what the model writes for that docket", async () => {
    h = harness({ now: "2026-11-19T10:00:00Z" });
    await h.ok("deadline add WCIT opens 2027-01-22 at:Dubai");
    await h.ok("ask Who chairs the working group? to:ITU by:2026-11-30", { id: "amina" });
    h.clock.set("2026-11-22T10:00:00Z");
    await h.ok("ask Can observers speak? to:ITU", { id: "bea" });
    await h.ok('ask "What does ITU membership cost for an NGO?" to:ITU', { id: "amina" });
    await h.ok("ask Is there a webcast? to:ITU", { id: "bea" });
    await h.ok("ask Where are the documents? to:ITU", { id: "bea" });
    await h.ok("ask Who pays for travel? to:ITU", { id: "bea" });
    await h.ok("ask Is French interpreted? to:ITU", { id: "bea" });
    await h.ok("answer Q6 The delegations");
    await h.ok("answer Q7 Yes, all six languages");
    h.clock.set("2026-11-30T11:00:00Z");
    await h.ok('answer Q3 "CHF 10,600 a year" source:https://www.itu.int/en/join', { id: "amina" });
    await h.ok("answer Q2 Only in the plenary partial:yes", { id: "bea" });
    const text = replyToText(digestToReply(await digestAt(h, "2026-12-01T09:00:00Z", { since: "2026-11-30T09:00:00Z" }), { commandName: "docket" }));
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    const sample = /```\n(Docket digest · [\s\S]*?)\n```/.exec(readme)?.[1];
    expect(sample).toBe(text);
    // The introduction quotes the same count line.
    expect(readme.replace(/\s+/g, " ")).toContain(`("${text.split("\n")[1]!}"`);
  });

  it("README's milestone digest is what the model writes on that milestone day, with its ping", async () => {
    h = harness({ now: "2026-11-20T10:00:00Z" });
    await h.ok("deadline add WCIT-12 2026-12-08 at:Dubai");
    for (const q of ["Who chairs the working group?", "Can observers speak?", "Is there a webcast?", "What does membership cost?"]) await h.ok(`ask ${q} to:ITU by:D1`, { id: "amina" });
    await h.ok("ask Will the EU table amendments? to:EU by:D1", { id: "bea" });
    await h.ok("answer Q2 Only in the plenary");
    await h.ok('answer Q4 "CHF 10,600 a year" source:https://www.itu.int/en/join');
    await h.ok("deadline milestones WCIT 30,7,1 ping:<!subteam^S0ORG|@organisers>");
    const digest = await digestAt(h, "2026-12-01T09:00:00Z", { since: "2026-11-30T09:00:00Z" });
    const text = replyToText(digestToReply(digest, { commandName: "docket", pingIn: { platform: "slack", workspaceId: "T1", channelId: "C1" } }));
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    const sample = /```\n(Docket digest · [^`]*? days to [\s\S]*?)\n```/.exec(readme)?.[1];
    expect(sample).toBe(text);
  });
});
