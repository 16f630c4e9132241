/**
 * A command that is not declared slow but whose outcome comes after the deadline: deferred (type 5)
 * first, its reply edited in after, over the gateway and over HTTP; and a reply that cannot be
 * delivered after the core did the command is never followed by an apology.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { holdableCore, type HoldableCore } from "../../support/held-core.ts";
import { startHttpDocket, type HttpDocket } from "./http-support.ts";
import { startDiscordDocket, textOf, type DiscordDocket } from "./support.ts";

const questionsIn = (h: { snapshot(): Record<string, unknown> }) => (h.snapshot()["questions"] as unknown[]).length;
const sorry = /something went wrong/i;
const editsOfOriginal = { method: "PATCH", path: /\/messages\/@original$/ };

describe("over the gateway", () => {
  let d: DiscordDocket;
  let core: HoldableCore;
  beforeAll(async () => {
    d = await startDiscordDocket({ wrapCore: (c) => (core = holdableCore(c)), deferAfterMs: 50 });
  });
  afterAll(async () => {
    await d?.close();
  });

  it("defers a command whose outcome is late, then edits its reply in, stored once, with no apology", async () => {
    const hold = core.hold();
    const sent = d.send("ask", { text: "Will plenary sessions be webcast?", to: "ITU" });
    await hold.arrived;
    const deferral = await d.fake.waitForCallback(sent.id, 5000);
    expect(deferral.type).toBe(5);
    expect(deferral.data).toMatchObject({ flags: 64 });
    expect(questionsIn(d.h)).toBe(0);

    hold.release();
    const o = await sent.outcome();
    expect(o.messages[0]?.ephemeral).toBe(true);
    expect(textOf(o.messages[0]!.message)).toContain("Added Q1");
    expect(o.public).toHaveLength(1);
    expect(textOf(o.public[0]!.message)).toContain("Will plenary sessions be webcast?");
    expect(o.text).not.toMatch(sorry);
    expect(questionsIn(d.h)).toBe(1);
  });

  it("sends no apology when the reply of a command that was done cannot be delivered", async () => {
    const before = questionsIn(d.h);
    const hold = core.hold();
    const sent = d.send("ask", { text: "Who chairs the plenary?", to: "ITU" });
    await hold.arrived;
    await d.fake.waitForCallback(sent.id, 5000);
    const failing = d.fake.failNext(editsOfOriginal, { status: 400, code: 50035, message: "Invalid Form Body" });
    hold.release();
    const o = await sent.outcome();
    expect(failing.hits).toBe(1);
    expect(questionsIn(d.h)).toBe(before + 1);
    expect(o.text).not.toMatch(sorry);
    expect(d.fake.requests.filter((r) => r.method === "PATCH" && JSON.stringify(r.body ?? "").match(sorry))).toEqual([]);
  });
});

describe("over HTTP", () => {
  let d: HttpDocket;
  let core: HoldableCore;
  beforeAll(async () => {
    d = await startHttpDocket({ wrapCore: (c) => (core = holdableCore(c)), deferAfterMs: 50 });
  });
  afterAll(async () => {
    await d?.close();
  });

  it("answers type 5 when the outcome is late, then edits the reply into @original, stored once, with no apology", async () => {
    const payload = d.fake.registerHttpInteraction(d.chatInput("ask", { text: "Is the final text public?", to: "ITU" }));
    const body = JSON.stringify(payload);
    const hold = core.hold();
    const posting = d.post(body, d.signed(body));
    await hold.arrived;
    const response = await posting;
    expect(response.json).toEqual({ type: 5, data: { flags: 64 } });
    d.fake.applyHttpResponse(payload.id, response.json);
    expect(questionsIn(d.h)).toBe(0);

    hold.release();
    // The webhook work was tracked when the response went out, so idle() waits for the held command's reply.
    await d.adapter.idle();
    const messages = d.fake.messages.filter((m) => m.interactionId === payload.id);
    const shown = messages.map((m) => textOf(m.message)).join("\n");
    expect(shown).toContain("Added Q1");
    expect(messages.filter((m) => m.source === "followup" && !m.ephemeral).map((m) => textOf(m.message)).join("\n")).toContain("Is the final text public?");
    expect(shown).not.toMatch(sorry);
    expect(questionsIn(d.h)).toBe(1);
  });

  it("sends no apology when a slow command's reply cannot be edited in", async () => {
    const failing = d.fake.failNext(editsOfOriginal, { status: 400, code: 50035, message: "Invalid Form Body" });
    const o = await d.slash("export", { format: "csv" });
    expect(o.json?.type).toBe(5);
    expect(failing.hits).toBe(1);
    expect(o.shown).not.toMatch(sorry);
    expect(d.fake.requests.filter((r) => r.method === "PATCH" && JSON.stringify(r.body ?? "").match(sorry))).toEqual([]);
  });
});
