/**
 * The interactive parts: autocomplete as a member types, the ask and answer forms (modals), and
 * the "Answer Q3" button under a posted digest.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOB, DOCKET_CHANNEL, GUILD, OTHER_CHANNEL, OTHER_GUILD, startDiscordDocket, type DiscordDocket } from "./support.ts";

let d: DiscordDocket;
const as = { platform: "discord" as const, workspace: GUILD, channel: DOCKET_CHANNEL };
beforeAll(async () => {
  d = await startDiscordDocket();
  // 30 questions; every third is answered.
  for (let n = 1; n <= 30; n++) await d.h.run(`ask "Question number ${n} about ${n % 2 ? "membership" : "webcasts"}" to:ITU`, as);
  for (let n = 3; n <= 30; n += 3) await d.h.run(`answer Q${n} "Answered ${n}" source:https://example.org/${n}`, as);
  await d.h.run("deadline add WCIT-12 opens 2026-12-03", as);
  await d.h.run("deadline add Comments due 2026-12-20", as);
});
afterAll(async () => {
  await d?.close();
});

const fields = (data: unknown) =>
  ((data as { components: Array<{ type: number; label: string; component: { custom_id: string; required: boolean; max_length?: number } }> }).components).map((c) => [c.type, c.component.custom_id, c.label, c.component.required, c.component.max_length]);

describe("autocomplete", () => {
  it("suggests at most 25 questions, open ones first, with number and text", async () => {
    const choices = await d.autocomplete("answer", { name: "question", value: "" });
    expect(choices).toHaveLength(25);
    const openCount = 20;
    expect(choices.slice(0, openCount).every((c) => !c.name.includes("[answered]"))).toBe(true);
    expect(choices.slice(openCount).every((c) => c.name.includes("[answered]"))).toBe(true);
    expect(choices[0]!.name).toMatch(/^Q(\d+) Question number \1 about /);
    expect(choices[0]!.value).toBe(choices[0]!.name.split(" ")[0]);
    for (const c of choices) expect(c.name.length).toBeLessThanOrEqual(100);
  });

  it("narrows the questions to what is typed", async () => {
    const choices = await d.autocomplete("show", { name: "question", value: "webcasts" });
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.every((c) => c.name.includes("webcasts"))).toBe(true);
  });

  it("suggests deadlines for deadline options, and zones for tz", async () => {
    expect(await d.autocomplete("deadline edit", { name: "deadline", value: "" })).toEqual([
      { name: "D1 WCIT-12 opens (2026-12-03)", value: "D1" },
      { name: "D2 Comments due (2026-12-20)", value: "D2" },
    ]);
    expect(await d.autocomplete("ask", { name: "by", value: "comm" })).toEqual([{ name: "D2 Comments due (2026-12-20)", value: "D2" }]);
    expect(await d.autocomplete("deadline add", { name: "tz", value: "dubai" })).toEqual([{ name: "Asia/Dubai", value: "Asia/Dubai" }]);
  });
});

describe("the ask form", () => {
  it("opens when /docket ask has no text, and its submission adds the question and posts the public line", async () => {
    const opened = await d.slash("ask", {}, { user: BOB });
    expect(opened.callback.type).toBe(9);
    expect((opened.callback.data as { custom_id: string }).custom_id).toBe("docket:form:ask");
    expect(fields(opened.callback.data)).toEqual([
      [18, "text", "Question", true, 1000],
      [18, "to", "Asked of", false, 200],
      [18, "by", "Needed by", false, 200],
      [18, "tags", "Tags", false, 600],
    ]);
    const submitted = await d.submit("docket:form:ask", { text: "Who chairs Committee 5?", to: "Secretariat", by: "WCIT", tags: "#committees" }, { user: BOB });
    expect(submitted.callback.type).toBe(4);
    expect((submitted.callback.data as { flags: number }).flags).toBe(64);
    expect(submitted.text).toContain("Added Q31");
    expect(submitted.public[0]!.message.content).toBe("Bob asked Q31 of Secretariat: Who chairs Committee 5?");
    expect(await d.h.store.questions.get(1, 31)).toMatchObject({ text: "Who chairs Committee 5?", addressee: "Secretariat", tags: ["committees"], neededBy: { kind: "deadline", deadlineNumber: 1 } });
  });

  it("rejects an invalid submission with an ephemeral error and stores nothing", async () => {
    const before = d.h.snapshot();
    const submitted = await d.submit("docket:form:ask", { text: "When is the vote?", by: "the 31st of Smarch" });
    expect(submitted.callback.type).toBe(4);
    expect((submitted.callback.data as { flags: number }).flags).toBe(64);
    expect(submitted.text).toContain("is neither a deadline nor a date");
    expect(submitted.public).toEqual([]);
    expect(d.h.snapshot()).toEqual(before);
  });
});

describe("the answer form", () => {
  it("opens from /docket answer with a question and no text, showing the question, and logs a partial answer", async () => {
    const opened = await d.slash("answer", { question: "Q2", source: "ITU Council Decision 588" });
    expect(opened.callback.type).toBe(9);
    const data = opened.callback.data as { custom_id: string; title: string; components: Array<{ description?: string; component: { custom_id: string; value?: string } }> };
    expect(data).toMatchObject({ custom_id: "docket:form:answer|2", title: "Answer Q2" });
    expect(data.components[0]!.description).toBe("Q2 Question number 2 about webcasts");
    expect(data.components[1]!.component).toMatchObject({ custom_id: "source", value: "ITU Council Decision 588" });
    const submitted = await d.submit("docket:form:answer|2", { text: "Only plenaries are webcast", source: "ITU Council Decision 588", partial: "yes" });
    expect(submitted.text).toContain("Logged a partial answer to Q2");
    expect(submitted.public[0]!.message.content).toContain("Alice logged a partial answer to Q2: Only plenaries are webcast");
    expect((await d.h.store.questions.get(1, 2))?.status).toBe("partial");
  });

  it("does not open for a question that does not exist", async () => {
    const o = await d.slash("answer", { question: "Q404" });
    expect(o.callback.type).toBe(4);
    expect(o.text).toContain("There is no Q404");
  });

  it("rejects an invalid submission with an ephemeral error and stores nothing", async () => {
    const before = d.h.snapshot();
    const o = await d.submit("docket:form:answer|4", { text: "Perhaps", partial: "maybe" });
    expect((o.callback.data as { flags: number }).flags).toBe(64);
    expect(o.text).toContain("partial: takes yes or no");
    expect(d.h.snapshot()).toEqual(before);
  });
});

describe("the Answer button under a digest", () => {
  it("opens the answer form for its question, and the submission logs the answer", async () => {
    await d.h.run("digest on 09:00 tz:Europe/London", as);
    d.h.clock.set("2026-11-30T09:00:30Z");
    const report = await d.delivery.tick();
    expect(report.sent).toBe(1);
    const posted = d.fake.channelMessages(DOCKET_CHANNEL).filter((m) => m.embeds[0]?.title?.includes("Docket digest"));
    expect(posted.length).toBeGreaterThan(0);
    const buttons = posted.flatMap((m) => m.components ?? []).flatMap((row) => (row as { components: Array<{ custom_id: string; label: string }> }).components);
    expect(buttons.length).toBeGreaterThan(0);
    expect(buttons.length).toBeLessThanOrEqual(25 * posted.length);
    // Answered questions get no button; open ones do.
    expect(buttons.map((b) => b.custom_id)).not.toContain("docket:answer:3");
    const q1 = buttons.find((b) => b.custom_id === "docket:answer:1")!;
    expect(q1.label).toBe("Answer Q1");

    const message = posted.find((m) => JSON.stringify(m.components).includes("docket:answer:1"))!;
    const clicked = await d.button("docket:answer:1", message.id, { user: BOB });
    expect(clicked.callback.type).toBe(9);
    expect(clicked.callback.data).toMatchObject({ custom_id: "docket:form:answer|1", title: "Answer Q1" });

    const submitted = await d.submit("docket:form:answer|1", { text: "EUR 3,000 for NGOs", source: "https://itu.int/fees", partial: "" }, { user: BOB, message: message.id });
    expect(submitted.callback.type).toBe(4);
    expect(submitted.text).toContain("Logged a full answer to Q1");
    expect((await d.h.store.answers.forQuestion((await d.h.store.questions.get(1, 1))!.id)).map((a) => [a.text, a.source, a.loggedBy.userId])).toEqual([["EUR 3,000 for NGOs", "https://itu.int/fees", BOB]]);
  });

  it("pressed in another server, whose docket has no such question, opens no form and says so", async () => {
    const message = d.fake.seedMessage(OTHER_CHANNEL, { content: "a forwarded digest" });
    const clicked = await d.button("docket:answer:1", message.id, { guildId: OTHER_GUILD });
    expect(clicked.callback.type).toBe(4);
    expect(clicked.ephemeral).toBe(true);
    expect(clicked.text).toContain("There is no Q1 in this docket");
  });
});
