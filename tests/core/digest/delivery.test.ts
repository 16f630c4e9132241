import { afterEach, describe, expect, it, vi } from "vitest";
import { ChatError } from "../../../src/core/chat.ts";
import { FixedClock } from "../../../src/core/clock.ts";
import { createDigestDelivery } from "../../../src/core/digest/delivery.ts";
import type { Platform } from "../../../src/core/types.ts";
import { replyToText } from "../../../src/core/reply.ts";
import { silentLogger } from "../../../src/log.ts";
import { openMigrated } from "../../../src/store/open.ts";
import { createSqliteStore } from "../../../src/store/sqlite-store.ts";
import { harness, type Harness } from "../../support/harness.ts";
import { recordingChat } from "../../support/recording-chat.ts";

let h: Harness;
afterEach(() => h.close());

/** A docket with one question and a 09:00 London digest in channel C1, subscribed the day before. */
function setUp(subscribe = "digest on 09:00 tz:Europe/London", at = "2026-11-30T12:00:00Z", partsPerDigest = 1) {
  h = harness({ now: at });
  h.run("ask What does membership cost? to:ITU");
  expect(h.run(subscribe).error).toBeUndefined();
  const recorder = recordingChat("slack", partsPerDigest);
  const delivery = createDigestDelivery({ store: h.store, clock: h.clock, log: silentLogger, chats: new Map<Platform, typeof recorder.chat>([["slack", recorder.chat]]), commandName: "docket", instanceId: "test" });
  return { ...recorder, delivery };
}

const ledger = () => h.store.deliveries.forSubscription(1);

describe("digest delivery", () => {
  it("posts at the subscription's local time, once", async () => {
    const { delivery, posts } = setUp();
    h.clock.set("2026-12-01T08:59:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(0);
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    h.clock.set("2026-12-01T09:01:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({ deliveryKey: "digest-1-2026-12-01", part: 1, parts: 1 });
    expect(replyToText(posts[0]!.message)).toContain("Tuesday 1 December 2026");
    expect(replyToText(posts[0]!.message)).not.toContain("(late)");
    expect(ledger()).toMatchObject([{ localDate: "2026-12-01", state: "sent", late: false, messageId: "m1" }]);
  });

  it("does not post a slot that passed before the channel subscribed; the next day it does", async () => {
    const { delivery, posts } = setUp("digest on 09:00 tz:Europe/London", "2026-12-01T10:00:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(0);
    h.clock.set("2026-12-02T09:00:30Z");
    await delivery.tick();
    expect(posts).toHaveLength(1);
    expect(ledger().map((d) => d.state)).toEqual(["sent"]);
  });

  it("a digest missed during downtime the same day is posted once, marked late", async () => {
    const { delivery, posts } = setUp();
    h.clock.set("2026-12-01T11:30:00Z");
    await delivery.tick();
    await delivery.tick();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.message.heading).toContain("(late)");
    expect(ledger()).toMatchObject([{ state: "sent", late: true }]);
  });

  it("after three days down, one digest today and three missed rows, no flood", async () => {
    const { delivery, posts } = setUp();
    h.clock.set("2026-12-04T10:00:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(1);
    expect(ledger().map((d) => [d.localDate, d.state])).toEqual([
      ["2026-12-01", "missed"],
      ["2026-12-02", "missed"],
      ["2026-12-03", "missed"],
      ["2026-12-04", "sent"],
    ]);
    expect(replyToText(h.run("digest status"))).toContain("2026-12-04: sent (late)");
  });

  it("never posts for a day that is over, even one that was down when its slot came", async () => {
    const { delivery, posts } = setUp("digest on 23:30 tz:Europe/London");
    h.clock.set("2026-12-02T00:10:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(0);
    expect(ledger().map((d) => [d.localDate, d.state])).toEqual([
      ["2026-11-30", "missed"],
      ["2026-12-01", "missed"],
    ]);
  });

  it("a claim left by a process that died is taken over once its lease runs out, the same day, and posted once", async () => {
    const { delivery, posts } = setUp();
    h.clock.set("2026-12-01T09:00:00Z");
    // The previous process claimed the slot (a 60 s lease) and died before posting.
    expect(h.store.deliveries.claim(1, "2026-12-01", "2026-12-01T09:00:00.000Z", false, "dead#1", "2026-12-01T09:00:00.000Z", "2026-12-01T09:01:00.000Z")).toBeDefined();
    h.clock.set("2026-12-01T09:00:59Z");
    await delivery.tick();
    expect(posts).toHaveLength(0);
    expect(ledger()).toMatchObject([{ state: "claimed", attempts: 1 }]);
    h.clock.set("2026-12-01T09:01:00Z");
    await delivery.tick();
    h.clock.set("2026-12-01T09:02:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(1);
    expect(ledger()).toMatchObject([{ state: "sent", attempts: 2 }]);
    // The dead claimer, were it only stalled, can record nothing over its successor.
    expect(h.store.deliveries.markFailed(1, "2026-12-01", "dead#1", "too late", null, "2026-12-01T09:03:00.000Z")).toBe(false);
    expect(h.store.deliveries.markPartSent(1, "2026-12-01", 1, "stale", "dead#1", "2026-12-01T09:03:00.000Z", "2026-12-01T09:04:00.000Z")).toBe(false);
    expect(ledger()).toMatchObject([{ state: "sent", messageId: "m1" }]);
  });

  it("a claimer that outlived its lease mid-digest sends nothing more once taken over", async () => {
    const { chat, posts, renderings } = setUp(undefined, undefined, 3);
    let stalled: (() => void) | undefined;
    const slow: typeof chat = {
      ...chat,
      async send(channel, part, key) {
        const sent = await chat.send(channel, part, key);
        // The first process stalls after its first part goes out, past its lease.
        if (key.part === 1 && !stalled) await new Promise<void>((resolve) => (stalled = resolve));
        return sent;
      },
    };
    const first = createDigestDelivery({ store: h.store, clock: h.clock, log: silentLogger, chats: new Map<Platform, typeof chat>([["slack", slow]]), commandName: "docket", instanceId: "first" });
    const second = createDigestDelivery({ store: h.store, clock: h.clock, log: silentLogger, chats: new Map<Platform, typeof chat>([["slack", { ...chat, findSent: async (_c, key) => { const p = posts.find((x) => x.part === key.part); return p && { messageId: `m${posts.indexOf(p) + 1}` }; } }]]), commandName: "docket", instanceId: "second" });
    h.clock.set("2026-12-01T09:00:00Z");
    const stuck = first.tick();
    await vi.waitFor(() => expect(stalled).toBeDefined());
    h.clock.set("2026-12-01T09:01:00Z");
    await second.tick();
    stalled!();
    await stuck;
    expect(posts.map((p) => p.part)).toEqual([1, 2, 3]);
    expect(renderings).toHaveLength(1);
    expect(ledger()).toMatchObject([{ state: "sent", attempts: 2, messageId: "m1" }]);
  });

  it("two scheduler processes on one database file post each slot once", async () => {
    const { delivery, posts, chat } = setUp();
    const second = openMigrated(h.path).db;
    try {
      const clock = new FixedClock("2026-12-01T09:00:00Z");
      h.clock.set("2026-12-01T09:00:00Z");
      const other = createDigestDelivery({ store: createSqliteStore(second), clock, log: silentLogger, chats: new Map([["slack", chat]]), commandName: "docket", instanceId: "other" });
      await Promise.all([delivery.tick(), other.tick(), delivery.tick(), other.tick()]);
      expect(posts).toHaveLength(1);
    } finally {
      second.close();
    }
  });

  it("a rate-limited post is retried after the wait, within the day", async () => {
    const { delivery, posts, failNext } = setUp();
    failNext(new ChatError("retryable", "ratelimited", 120_000));
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    expect(ledger()).toMatchObject([{ state: "failed", attempts: 1, error: "ratelimited", retryAt: "2026-12-01T09:02:00.000Z" }]);
    h.clock.set("2026-12-01T09:01:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(0);
    h.clock.set("2026-12-01T09:02:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(1);
    expect(ledger()).toMatchObject([{ state: "sent", attempts: 2 }]);
  });

  it("network failures back off: 30 s, then 1 min, then 2 min", async () => {
    const { delivery, failNext } = setUp();
    failNext(new Error("ECONNRESET"), new Error("ECONNRESET"), new Error("ECONNRESET"));
    const retries: Array<string | null> = [];
    for (const at of ["2026-12-01T09:00:00Z", "2026-12-01T09:00:30Z", "2026-12-01T09:01:30Z"]) {
      h.clock.set(at);
      await delivery.tick();
      retries.push(ledger()[0]!.retryAt);
    }
    expect(retries).toEqual(["2026-12-01T09:00:30.000Z", "2026-12-01T09:01:30.000Z", "2026-12-01T09:03:30.000Z"]);
  });

  it("a split digest that failed part-way resumes after the messages already posted, from the first rendering", async () => {
    const { delivery, posts, renderings, failAfter } = setUp(undefined, undefined, 4);
    failAfter(2, new ChatError("retryable", "ratelimited", 60_000));
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    expect(ledger()[0]).toMatchObject({ state: "failed", messageId: "m1" });
    expect(h.store.deliveries.parts(1, "2026-12-01").map((p) => p.messageId)).toEqual(["m1", "m2", null, null]);
    // The docket changes before the retry; the retry still sends the digest as it was first rendered.
    h.run("ask Who chairs the session?");
    h.clock.set("2026-12-01T09:01:00Z");
    await delivery.tick();
    expect(posts.map((p) => p.part)).toEqual([1, 2, 3, 4]);
    expect(renderings).toHaveLength(1);
    expect(posts.every((p) => !replyToText(p.message).includes("Who chairs the session?"))).toBe(true);
    expect(ledger()[0]).toMatchObject({ state: "sent", attempts: 2, messageId: "m1" });
  });

  it("keeps a sent digest's message ids, not its rendering", async () => {
    const { delivery } = setUp(undefined, undefined, 2);
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    expect(h.store.deliveries.parts(1, "2026-12-01")).toMatchObject([
      { part: 1, body: null, messageId: "m1", sentAt: "2026-12-01T09:00:00.000Z" },
      { part: 2, body: null, messageId: "m2" },
    ]);
  });

  it("a retry that would fall on the next local day is given up", async () => {
    const { delivery, failNext } = setUp("digest on 23:59 tz:Europe/London");
    failNext(new Error("ECONNRESET"));
    h.clock.set("2026-12-01T23:59:45Z");
    await delivery.tick();
    expect(ledger().at(-1)).toMatchObject({ localDate: "2026-12-01", state: "failed", retryAt: null });
  });

  it("a channel that is gone pauses its subscription and tells the admins, once", async () => {
    const { delivery, posts, notices, failNext } = setUp();
    h.run("admin add <@U9|bea>");
    failNext(new ChatError("permanent", "channel_not_found"));
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    h.clock.set("2026-12-02T09:00:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(0);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ workspaceId: "T1", admins: ["U9"] });
    expect(notices[0]!.text).toContain("channel_not_found");
    const status = replyToText(h.run("digest status"));
    expect(status).toContain("paused since");
    expect(status).toContain("channel_not_found");
    expect(h.store.audit.forSubject(1, "channel:C1").map((e) => e.action)).toContain("digest.pause");
    expect(h.run("digest on").heading).toBe("Digest resumed in this channel");
    h.clock.set("2026-12-03T09:00:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(1);
  });

  it("one channel's failure does not hold up another's digest", async () => {
    const { delivery, postsTo, failNext } = setUp();
    h.run("digest on 09:00 tz:Europe/London", { channel: "C2" });
    failNext(new ChatError("permanent", "not_in_channel"));
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    expect(postsTo("C1").length + postsTo("C2").length).toBe(1);
  });

  it("skips the days a subscription does not want", async () => {
    const { delivery, posts } = setUp("digest on 09:00 tz:Europe/London days:mon-fri");
    for (const day of ["2026-12-04", "2026-12-05", "2026-12-06", "2026-12-07"]) {
      h.clock.set(`${day}T09:00:00Z`);
      await delivery.tick();
    }
    expect(posts.map((p) => p.deliveryKey)).toEqual(["digest-1-2026-12-04", "digest-1-2026-12-07"]);
  });

  it("waits for a platform that is not running rather than marking anything", async () => {
    const { delivery, posts } = setUp();
    h.run("digest on 09:00 tz:Europe/London", { platform: "discord", workspace: "G1", channel: "X1" });
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(1);
    expect(h.store.deliveries.forSubscription(2)).toEqual([]);
  });
});
