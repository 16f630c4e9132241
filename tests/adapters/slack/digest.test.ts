import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonParam, type RecordedCall } from "../../fakes/slack/fake-slack.ts";
import { digestDelivery, startRig, stringsIn, TEAM, type Rig } from "./support.ts";

let rig: Rig;
let delivery: ReturnType<typeof digestDelivery>;
const alice = { workspace: TEAM, id: "U0ALICE", displayName: "alice", isPlatformAdmin: true };

beforeAll(async () => {
  rig = await startRig({ now: "2026-11-30T07:00:00Z" });
  delivery = digestDelivery(rig);
  const run = async (text: string, channel = "C0GENERAL") => {
    const reply = await rig.h.run(text, { ...alice, channel });
    if (reply.error) throw new Error(`${text}: ${JSON.stringify(reply.blocks)}`);
  };
  // A docket with much to say: 60 questions of near the longest length, 35 of them answered since yesterday.
  for (let i = 1; i <= 60; i++) await run(`ask Question ${i}: ${"why is the consultation text not public yet and who decided that ".repeat(14)} to:Secretariat`);
  rig.h.clock.set("2026-11-30T07:30:00Z");
  for (let i = 1; i <= 35; i++) await run(`answer Q${i} ${"It will be published after the council session ".repeat(4)} source:https://www.itu.int/council/${i}`);
  await run("admin add <@U0ADA|ada>");
  const channels = [["C0LONG", "09:00"], ["C0RATE", "10:00"], ["C0LATER", "11:00"], ["C0GONE", "12:00"], ["C0GONE2", "13:00"], ["C0RESUME", "14:00"], ["C0FLAKY", "15:00"]] as const;
  for (const [channel, time] of channels) await run(`digest on ${time} tz:UTC`, channel);
});
afterAll(async () => {
  await rig?.close();
});

const postsTo = (channel: string): RecordedCall[] => rig.fake.callsTo("chat.postMessage").filter((c) => c.params["channel"] === channel);
/** The question numbers a digest's messages list, in the order a reader meets them. */
const questionsIn = (posts: RecordedCall[]) => [...posts.flatMap((c) => stringsIn(jsonParam(c, "blocks"))).join("\n").matchAll(/^(?:• )?Q(\d+) /gm)].map((m) => Number(m[1]));
const oneToN = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const subscription = async (channel: string) => (await rig.h.store.subscriptions.forChannel({ platform: "slack", workspaceId: TEAM, channelId: channel }))!;

describe("digests posted in Slack", () => {
  it("splits a long digest into several messages, in order, within Slack's limits, one a second, each with its delivery key", async () => {
    rig.h.clock.set("2026-11-30T09:00:10Z");
    expect(await delivery.tick()).toMatchObject({ sent: 1, failed: 0 });
    const posts = postsTo("C0LONG");
    expect(posts.length).toBeGreaterThanOrEqual(2);
    const key = `digest-${(await subscription("C0LONG")).id}-2026-11-30`;
    posts.forEach((call, i) => {
      expect(call.status).toBe(200);
      expect(jsonParam(call, "metadata")).toEqual({ event_type: "docket_digest", event_payload: { delivery_key: key, part: i + 1, parts: posts.length } });
      const blocks = jsonParam(call, "blocks") as Array<{ type: string; text?: { text: string }; fields?: Array<{ text: string }> }>;
      expect(blocks.length).toBeLessThanOrEqual(50);
      for (const b of blocks) {
        if (b.type === "header") expect(b.text!.text.length).toBeLessThanOrEqual(150);
        if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(3000);
      }
      expect(String(call.params["text"]).length).toBeLessThanOrEqual(4000);
      expect(call.params["parse"]).toBeUndefined();
      expect(call.params["link_names"]).toBeUndefined();
    });
    // The adapter's clock (virtual) moved on only by its waits: a second between one part and the next.
    for (let i = 1; i < posts.length; i++) expect(posts[i]!.at - posts[i - 1]!.at, `part ${i + 1}`).toBeGreaterThanOrEqual(1000);

    // Read in order, the parts give every answered question once, then the oldest open ones, then "and N more".
    expect(questionsIn(posts)).toEqual([...oneToN(1, 35), ...oneToN(36, 45)]);
    const all = posts.flatMap((c) => stringsIn(jsonParam(c, "blocks"))).join("\n");
    expect(all).toContain("and 15 more — /docket list");
    expect(all).toContain(`Part ${posts.length} of ${posts.length}`);
    const ledger = (await rig.h.store.deliveries.get((await subscription("C0LONG")).id, "2026-11-30"))!;
    expect(ledger).toMatchObject({ state: "sent", messageId: posts[0]!.response["ts"] });
  });

  it("waits out a short Retry-After (HTTP 429) and then posts", async () => {
    rig.fake.fail("chat.postMessage", { retryAfter: 1, times: 1 });
    rig.h.clock.set("2026-11-30T10:00:10Z");
    expect(await delivery.tick()).toMatchObject({ sent: 1, failed: 0 });
    const posts = postsTo("C0RATE");
    expect(posts.map((c) => c.status)).toEqual([429, ...posts.slice(1).map(() => 200)]);
    expect(posts[1]!.at - posts[0]!.at, "waited exactly Retry-After").toBe(1000);
  });

  it("hands a long Retry-After back to the ledger, which retries later the same day", async () => {
    rig.fake.fail("chat.postMessage", { retryAfter: 120, times: 1 });
    rig.h.clock.set("2026-11-30T11:00:10Z");
    expect(await delivery.tick()).toMatchObject({ sent: 0, failed: 1 });
    expect(postsTo("C0LATER").map((c) => c.status)).toEqual([429]);
    const failed = (await rig.h.store.deliveries.get((await subscription("C0LATER")).id, "2026-11-30"))!;
    expect(failed.state).toBe("failed");
    expect(new Date(failed.retryAt!).getTime()).toBeGreaterThanOrEqual(new Date("2026-11-30T11:02:10Z").getTime());

    rig.h.clock.set("2026-11-30T11:03:00Z");
    expect(await delivery.tick()).toMatchObject({ sent: 1 });
    expect((await rig.h.store.deliveries.get((await subscription("C0LATER")).id, "2026-11-30"))?.state).toBe("sent");
  });

  it("pauses the subscription on channel_not_found and tells the docket's admins by direct message", async () => {
    rig.fake.fail("chat.postMessage", { error: "channel_not_found", times: 1 });
    rig.h.clock.set("2026-11-30T12:00:10Z");
    expect(await delivery.tick()).toMatchObject({ sent: 0, paused: 1 });
    expect((await subscription("C0GONE")).state).toMatchObject({ kind: "paused", reason: "Slack refused the message: channel_not_found" });
    const dm = await rig.fake.waitFor((c) => c.method === "chat.postMessage" && c.params["channel"] === "U0ADA");
    expect(String(dm.params["text"])).toContain("The daily digest for channel C0GONE is paused");
    rig.h.clock.set("2026-11-30T12:30:00Z");
    await delivery.tick();
    expect(postsTo("C0GONE")).toHaveLength(1);
  });

  it("tells the workspace's owner when the docket lists no admins of its own", async () => {
    await rig.h.run("admin remove <@U0ADA|ada>", { ...alice });
    rig.fake.setHandler("users.list", () => ({
      ok: true,
      members: [
        { id: "U0BOT", is_bot: true, is_admin: true },
        { id: "U0OWNER", is_owner: true, is_primary_owner: true },
        { id: "U0BOB", is_admin: false },
      ],
    }));
    rig.fake.fail("chat.postMessage", { error: "is_archived", times: 1 });
    rig.h.clock.set("2026-11-30T13:00:10Z");
    expect(await delivery.tick()).toMatchObject({ paused: 1 });
    const dm = await rig.fake.waitFor((c) => c.method === "chat.postMessage" && c.params["channel"] === "U0OWNER");
    expect(String(dm.params["text"])).toContain("C0GONE2 is paused: Slack refused the message: is_archived");
  });

  it("after a later part fails, posts only the parts not yet sent, as first rendered, even if the docket changed", async () => {
    rig.fake.fail("chat.postMessage", { error: "internal_error", skip: 1 });
    rig.h.clock.set("2026-11-30T14:00:10Z");
    expect(await delivery.tick()).toMatchObject({ sent: 0, failed: 1 });
    expect(postsTo("C0RESUME").map((c) => c.response["ok"])).toEqual([true, false]);
    expect(await rig.h.store.deliveries.get((await subscription("C0RESUME")).id, "2026-11-30")).toMatchObject({ state: "failed", messageId: postsTo("C0RESUME")[0]!.response["ts"] });
    expect((await rig.h.store.deliveries.parts((await subscription("C0RESUME")).id, "2026-11-30")).filter((p) => p.messageId !== null)).toHaveLength(1);

    // Shorter questions would move every split point of a fresh rendering.
    for (const n of [1, 2, 3, 4, 5]) await rig.h.run(`edit Q${n} "Short question ${n}?"`, { ...alice });
    rig.h.clock.set("2026-11-30T14:05:00Z");
    expect(await delivery.tick()).toMatchObject({ sent: 1 });
    const posted = postsTo("C0RESUME").filter((c) => c.response["ok"] === true);
    const metadata = posted.map((c) => jsonParam(c, "metadata") as { event_payload: { part: number; parts: number } });
    expect(metadata.map((m) => m.event_payload.part)).toEqual(oneToN(1, posted.length));
    expect(metadata.map((m) => m.event_payload.parts)).toEqual(posted.map(() => posted.length));
    expect(questionsIn(posted)).toEqual([...oneToN(1, 35), ...oneToN(36, 45)]);
  });

  it("a 500 is not retried by the client: the ledger retries it later, after looking for it in the channel", async () => {
    rig.fake.fail("chat.postMessage", { status: 500 });
    rig.h.clock.set("2026-11-30T15:00:10Z");
    expect(await delivery.tick()).toMatchObject({ sent: 0, failed: 1, paused: 0 });
    expect(postsTo("C0FLAKY").map((c) => c.status)).toEqual([500]);
    const failed = (await rig.h.store.deliveries.get((await subscription("C0FLAKY")).id, "2026-11-30"))!;
    expect(failed).toMatchObject({ state: "failed", error: "Slack answered HTTP 500", retryAt: expect.stringMatching(/^2026-11-30T15:/) });
    rig.h.clock.set(failed.retryAt!);
    expect(await delivery.tick()).toMatchObject({ sent: 1, failed: 0 });
    expect(rig.fake.callsTo("conversations.history").filter((c) => c.params["channel"] === "C0FLAKY")).toHaveLength(1);
    const posted = postsTo("C0FLAKY").slice(1);
    expect(posted.map((c) => c.status)).toEqual(posted.map(() => 200));
    expect(posted.map((c) => (jsonParam(c, "metadata") as { event_payload: { part: number } }).event_payload.part)).toEqual(oneToN(1, posted.length));
  });
});
