import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonParam, type RecordedCall } from "../../fakes/slack/fake-slack.ts";
import { digestDelivery, startRig, stringsIn, TEAM, type Rig } from "./support.ts";

let rig: Rig;
let delivery: ReturnType<typeof digestDelivery>;
const alice = { workspace: TEAM, id: "U0ALICE", displayName: "alice", isPlatformAdmin: true };

beforeAll(async () => {
  rig = await startRig({ now: "2026-11-30T07:00:00Z" });
  delivery = digestDelivery(rig);
  const run = (text: string, channel = "C0GENERAL") => {
    const reply = rig.h.run(text, { ...alice, channel });
    if (reply.error) throw new Error(`${text}: ${JSON.stringify(reply.blocks)}`);
  };
  // A docket with much to say: 60 questions of near the longest length, 35 of them answered since yesterday.
  for (let i = 1; i <= 60; i++) run(`ask Question ${i}: ${"why is the consultation text not public yet and who decided that ".repeat(14)} to:Secretariat`);
  rig.h.clock.set("2026-11-30T07:30:00Z");
  for (let i = 1; i <= 35; i++) run(`answer Q${i} ${"It will be published after the council session ".repeat(4)} source:https://www.itu.int/council/${i}`);
  run("admin add <@U0ADA|ada>");
  for (const [channel, time] of [["C0LONG", "09:00"], ["C0RATE", "10:00"], ["C0LATER", "11:00"], ["C0GONE", "12:00"], ["C0GONE2", "13:00"]] as const) run(`digest on ${time} tz:UTC`, channel);
});
afterAll(async () => {
  await rig?.close();
});

const postsTo = (channel: string): RecordedCall[] => rig.fake.callsTo("chat.postMessage").filter((c) => c.params["channel"] === channel);
const subscription = (channel: string) => rig.h.store.subscriptions.forChannel({ platform: "slack", workspaceId: TEAM, channelId: channel })!;

describe("digests posted in Slack", () => {
  it("splits a long digest into several messages, in order, within Slack's limits, one a second, each with its delivery key", async () => {
    rig.h.clock.set("2026-11-30T09:00:10Z");
    expect(await delivery.tick()).toMatchObject({ sent: 1, failed: 0 });
    const posts = postsTo("C0LONG");
    expect(posts.length).toBeGreaterThanOrEqual(2);
    const key = `digest-${subscription("C0LONG").id}-2026-11-30`;
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
    for (let i = 1; i < posts.length; i++) expect(posts[i]!.at - posts[i - 1]!.at).toBeGreaterThanOrEqual(990);

    // Read in order, the parts give every answered question once, then the oldest open ones, then "and N more".
    const all = posts.flatMap((c) => stringsIn(jsonParam(c, "blocks"))).join("\n");
    const answered = [...all.matchAll(/^(?:• )?Q(\d+) Question/gm)].map((m) => Number(m[1]));
    expect(answered).toEqual([...Array.from({ length: 35 }, (_, i) => i + 1), ...Array.from({ length: 10 }, (_, i) => i + 36)]);
    expect(all).toContain("and 15 more — /docket list");
    expect(all).toContain(`Part ${posts.length} of ${posts.length}`);
    const ledger = rig.h.store.deliveries.get(subscription("C0LONG").id, "2026-11-30")!;
    expect(ledger).toMatchObject({ state: "sent", messageId: posts[0]!.response["ts"] });
  });

  it("waits out a short Retry-After (HTTP 429) and then posts", async () => {
    rig.fake.fail("chat.postMessage", { retryAfter: 1, times: 1 });
    rig.h.clock.set("2026-11-30T10:00:10Z");
    expect(await delivery.tick()).toMatchObject({ sent: 1, failed: 0 });
    const posts = postsTo("C0RATE");
    expect(posts.map((c) => c.status)).toEqual([429, ...posts.slice(1).map(() => 200)]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(990);
  });

  it("hands a long Retry-After back to the ledger, which retries later the same day", async () => {
    rig.fake.fail("chat.postMessage", { retryAfter: 120, times: 1 });
    rig.h.clock.set("2026-11-30T11:00:10Z");
    expect(await delivery.tick()).toMatchObject({ sent: 0, failed: 1 });
    expect(postsTo("C0LATER").map((c) => c.status)).toEqual([429]);
    const failed = rig.h.store.deliveries.get(subscription("C0LATER").id, "2026-11-30")!;
    expect(failed.state).toBe("failed");
    expect(new Date(failed.retryAt!).getTime()).toBeGreaterThanOrEqual(new Date("2026-11-30T11:02:10Z").getTime());

    rig.h.clock.set("2026-11-30T11:03:00Z");
    expect(await delivery.tick()).toMatchObject({ sent: 1 });
    expect(rig.h.store.deliveries.get(subscription("C0LATER").id, "2026-11-30")?.state).toBe("sent");
  });

  it("pauses the subscription on channel_not_found and tells the docket's admins by direct message", async () => {
    rig.fake.fail("chat.postMessage", { error: "channel_not_found", times: 1 });
    rig.h.clock.set("2026-11-30T12:00:10Z");
    expect(await delivery.tick()).toMatchObject({ sent: 0, paused: 1 });
    expect(subscription("C0GONE").state).toMatchObject({ kind: "paused", reason: "Slack refused the message: channel_not_found" });
    const dm = await rig.fake.waitFor((c) => c.method === "chat.postMessage" && c.params["channel"] === "U0ADA");
    expect(String(dm.params["text"])).toContain("The daily digest for channel C0GONE is paused");
    rig.h.clock.set("2026-11-30T12:30:00Z");
    await delivery.tick();
    expect(postsTo("C0GONE")).toHaveLength(1);
  });

  it("tells the workspace's owner when the docket lists no admins of its own", async () => {
    rig.h.run("admin remove <@U0ADA|ada>", { ...alice });
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
});
