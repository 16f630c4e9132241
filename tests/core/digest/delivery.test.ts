import { afterEach, describe, expect, it, vi } from "vitest";
import { ChatError, type ChatPort } from "../../../src/core/chat.ts";
import { FixedClock } from "../../../src/core/clock.ts";
import { createDigestDelivery } from "../../../src/core/digest/delivery.ts";
import type { Platform } from "../../../src/core/types.ts";
import { replyToText } from "../../../src/core/reply.ts";
import { silentLogger } from "../../../src/log.ts";
import { openMigrated } from "../../../src/store/open.ts";
import { createSqliteStore } from "../../../src/store/sqlite-store.ts";
import { testEngine } from "../../support/test-engine.ts";
import { harness, type Harness } from "../../support/harness.ts";
import { recordingChat } from "../../support/recording-chat.ts";

let h: Harness;
afterEach(() => h.close());

/** A docket with one question and a 09:00 London digest in channel C1, subscribed the day before. */
async function setUp(subscribe = "digest on 09:00 tz:Europe/London", at = "2026-11-30T12:00:00Z", partsPerDigest = 1) {
  h = harness({ now: at });
  await h.run("ask What does membership cost? to:ITU");
  expect((await h.run(subscribe)).error).toBeUndefined();
  const recorder = recordingChat("slack", partsPerDigest);
  const delivery = createDigestDelivery({ store: h.store, clock: h.clock, log: silentLogger, chats: new Map<Platform, typeof recorder.chat>([["slack", recorder.chat]]), commandName: "docket", instanceId: "test" });
  return { ...recorder, delivery };
}

const ledger = async () => await h.store.deliveries.forSubscription(1);

describe("digest delivery", () => {
  it("posts at the subscription's local time, once", async () => {
    const { delivery, posts } = await setUp();
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
    expect(await ledger()).toMatchObject([{ localDate: "2026-12-01", state: "sent", late: false, messageId: "m1" }]);
  });

  it("does not post a slot that passed before the channel subscribed; the next day it does", async () => {
    const { delivery, posts } = await setUp("digest on 09:00 tz:Europe/London", "2026-12-01T10:00:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(0);
    h.clock.set("2026-12-02T09:00:30Z");
    await delivery.tick();
    expect(posts).toHaveLength(1);
    expect((await ledger()).map((d) => d.state)).toEqual(["sent"]);
  });

  it("a digest missed during downtime the same day is posted once, marked late", async () => {
    const { delivery, posts } = await setUp();
    h.clock.set("2026-12-01T11:30:00Z");
    await delivery.tick();
    await delivery.tick();
    expect(posts).toHaveLength(1);
    expect(posts[0]!.message.heading).toContain("(late)");
    expect(await ledger()).toMatchObject([{ state: "sent", late: true }]);
  });

  it("after three days down, one digest today and three missed rows, no flood", async () => {
    const { delivery, posts } = await setUp();
    h.clock.set("2026-12-04T10:00:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(1);
    expect((await ledger()).map((d) => [d.localDate, d.state])).toEqual([
      ["2026-12-01", "missed"],
      ["2026-12-02", "missed"],
      ["2026-12-03", "missed"],
      ["2026-12-04", "sent"],
    ]);
    expect(replyToText(await h.run("digest status"))).toContain("2026-12-04: sent (late)");
  });

  it("never posts for a day that is over, even one that was down when its slot came", async () => {
    const { delivery, posts } = await setUp("digest on 23:30 tz:Europe/London");
    h.clock.set("2026-12-02T00:10:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(0);
    expect((await ledger()).map((d) => [d.localDate, d.state])).toEqual([
      ["2026-11-30", "missed"],
      ["2026-12-01", "missed"],
    ]);
  });

  it("a claim left by a process that died is taken over once its lease runs out, the same day, and posted once", async () => {
    const { delivery, posts } = await setUp();
    h.clock.set("2026-12-01T09:00:00Z");
    // The previous process claimed the slot (a 60 s lease) and died before posting.
    expect(await h.store.deliveries.claim(1, "2026-12-01", "2026-12-01T09:00:00.000Z", false, "dead#1", "2026-12-01T09:00:00.000Z", "2026-12-01T09:01:00.000Z")).toBeDefined();
    h.clock.set("2026-12-01T09:00:59Z");
    await delivery.tick();
    expect(posts).toHaveLength(0);
    expect(await ledger()).toMatchObject([{ state: "claimed", attempts: 1 }]);
    h.clock.set("2026-12-01T09:01:00Z");
    await delivery.tick();
    h.clock.set("2026-12-01T09:02:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(1);
    expect(await ledger()).toMatchObject([{ state: "sent", attempts: 2 }]);
    // The dead claimer, were it only stalled, can record nothing over its successor.
    expect(await h.store.deliveries.markFailed(1, "2026-12-01", "dead#1", "too late", null, "2026-12-01T09:03:00.000Z")).toBe(false);
    expect(await h.store.deliveries.markPartSent(1, "2026-12-01", 1, "stale", "dead#1", "2026-12-01T09:03:00.000Z", "2026-12-01T09:04:00.000Z")).toBe(false);
    expect(await ledger()).toMatchObject([{ state: "sent", messageId: "m1" }]);
  });

  it("a claimer that outlived its lease mid-digest sends nothing more once taken over", async () => {
    const { chat, posts, renderings } = await setUp(undefined, undefined, 3);
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
    expect(await ledger()).toMatchObject([{ state: "sent", attempts: 2, messageId: "m1" }]);
  });

  it("two scheduler processes on one database post each slot once", async () => {
    const { delivery, posts, chat } = await setUp();
    const second = h.reopen();
    const clock = new FixedClock("2026-12-01T09:00:00Z");
    h.clock.set("2026-12-01T09:00:00Z");
    const other = createDigestDelivery({ store: second, clock, log: silentLogger, chats: new Map([["slack", chat]]), commandName: "docket", instanceId: "other" });
    await Promise.all([delivery.tick(), other.tick(), delivery.tick(), other.tick()]);
    expect(posts).toHaveLength(1);
  });

  it("a rate-limited post is retried after the wait, within the day", async () => {
    const { delivery, posts, failNext } = await setUp();
    failNext(new ChatError("retryable", "ratelimited", 120_000));
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    expect(await ledger()).toMatchObject([{ state: "failed", attempts: 1, error: "ratelimited", retryAt: "2026-12-01T09:02:00.000Z" }]);
    h.clock.set("2026-12-01T09:01:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(0);
    h.clock.set("2026-12-01T09:02:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(1);
    expect(await ledger()).toMatchObject([{ state: "sent", attempts: 2 }]);
  });

  it("network failures back off: 30 s, then 1 min, then 2 min", async () => {
    const { delivery, failNext } = await setUp();
    failNext(new Error("ECONNRESET"), new Error("ECONNRESET"), new Error("ECONNRESET"));
    const retries: Array<string | null> = [];
    for (const at of ["2026-12-01T09:00:00Z", "2026-12-01T09:00:30Z", "2026-12-01T09:01:30Z"]) {
      h.clock.set(at);
      await delivery.tick();
      retries.push((await ledger())[0]!.retryAt);
    }
    expect(retries).toEqual(["2026-12-01T09:00:30.000Z", "2026-12-01T09:01:30.000Z", "2026-12-01T09:03:30.000Z"]);
  });

  it("a split digest that failed part-way resumes after the messages already posted, from the first rendering", async () => {
    const { delivery, posts, renderings, failAfter } = await setUp(undefined, undefined, 4);
    failAfter(2, new ChatError("retryable", "ratelimited", 60_000));
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    expect((await ledger())[0]).toMatchObject({ state: "failed", messageId: "m1" });
    expect((await h.store.deliveries.parts(1, "2026-12-01")).map((p) => p.messageId)).toEqual(["m1", "m2", null, null]);
    // The docket changes before the retry; the retry still sends the digest as it was first rendered.
    await h.run("ask Who chairs the session?");
    h.clock.set("2026-12-01T09:01:00Z");
    await delivery.tick();
    expect(posts.map((p) => p.part)).toEqual([1, 2, 3, 4]);
    expect(renderings).toHaveLength(1);
    expect(posts.every((p) => !replyToText(p.message).includes("Who chairs the session?"))).toBe(true);
    expect((await ledger())[0]).toMatchObject({ state: "sent", attempts: 2, messageId: "m1" });
  });

  it("keeps a sent digest's message ids, not its rendering", async () => {
    const { delivery } = await setUp(undefined, undefined, 2);
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    expect(await h.store.deliveries.parts(1, "2026-12-01")).toMatchObject([
      { part: 1, body: null, messageId: "m1", sentAt: "2026-12-01T09:00:00.000Z" },
      { part: 2, body: null, messageId: "m2" },
    ]);
  });

  it("a retry that would fall on the next local day is given up", async () => {
    const { delivery, failNext } = await setUp("digest on 23:59 tz:Europe/London");
    failNext(new Error("ECONNRESET"));
    h.clock.set("2026-12-01T23:59:45Z");
    await delivery.tick();
    expect((await ledger()).at(-1)).toMatchObject({ localDate: "2026-12-01", state: "failed", retryAt: null });
  });

  it("a channel that is gone pauses its subscription and tells the admins, once", async () => {
    const { delivery, posts, notices, failNext } = await setUp();
    await h.run("admin add <@U9|bea>");
    failNext(new ChatError("permanent", "channel_not_found"));
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    h.clock.set("2026-12-02T09:00:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(0);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ workspaceId: "T1", admins: ["U9"] });
    expect(notices[0]!.text).toContain("channel_not_found");
    const status = replyToText(await h.run("digest status"));
    expect(status).toContain("paused since");
    expect(status).toContain("channel_not_found");
    expect((await h.store.audit.forSubject(1, "channel:C1")).map((e) => e.action)).toContain("digest.pause");
    expect((await h.run("digest on")).heading).toBe("Digest resumed in this channel");
    h.clock.set("2026-12-03T09:00:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(1);
  });

  it("one channel's failure does not hold up another's digest", async () => {
    const { delivery, postsTo, failNext } = await setUp();
    await h.run("digest on 09:00 tz:Europe/London", { channel: "C2" });
    failNext(new ChatError("permanent", "not_in_channel"));
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    expect(postsTo("C1").length + postsTo("C2").length).toBe(1);
  });

  it("skips the days a subscription does not want", async () => {
    const { delivery, posts } = await setUp("digest on 09:00 tz:Europe/London days:mon-fri");
    for (const day of ["2026-12-04", "2026-12-05", "2026-12-06", "2026-12-07"]) {
      h.clock.set(`${day}T09:00:00Z`);
      await delivery.tick();
    }
    expect(posts.map((p) => p.deliveryKey)).toEqual(["digest-1-2026-12-04", "digest-1-2026-12-07"]);
  });

  it("a pass reads only the subscriptions that are due: of 1,000 channels, the 4 whose slot has come", async () => {
    const { delivery, posts } = await setUp();
    for (let i = 2; i <= 1000; i++) await h.run(`digest on ${i % 333 === 0 ? "09:00" : "17:00"} tz:Europe/London`, { channel: `C${i}` });
    const taken: number[] = [];
    const takeDue = h.store.subscriptions.takeDue;
    h.store.subscriptions.takeDue = async (...args) => {
      const due = await takeDue(...args);
      taken.push(due.length);
      return due;
    };
    // The first look at new subscriptions reads them all, and sets each one's next slot.
    h.clock.set("2026-12-01T08:00:00Z");
    await delivery.tick();
    expect(taken).toEqual([100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 0]);
    taken.length = 0;
    h.clock.set("2026-12-01T08:59:00Z");
    await delivery.tick();
    expect(taken).toEqual([0]);
    taken.length = 0;
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    expect(taken).toEqual([4]);
    expect(posts.map((p) => p.channel.channelId).sort()).toEqual(["C1", "C333", "C666", "C999"]);
  });

  it("a subscription held by a pass that died comes back once the hold runs out, to another process", async () => {
    const { delivery, posts } = await setUp();
    h.clock.set("2026-12-01T09:00:00Z");
    // Another replica took the subscription (holding it for a 60 s lease) and died before claiming it.
    expect(await h.store.subscriptions.takeDue("2026-12-01T09:00:00.000Z", "2026-12-01T09:01:00.000Z", 100)).toHaveLength(1);
    await delivery.tick();
    h.clock.set("2026-12-01T09:00:59Z");
    await delivery.tick();
    expect(posts).toHaveLength(0);
    h.clock.set("2026-12-01T09:01:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(1);
    expect(await ledger()).toMatchObject([{ state: "sent", attempts: 1, late: false }]);
  });

  it("waits for a platform that is not running rather than marking anything", async () => {
    const { delivery, posts } = await setUp();
    await h.run("digest on 09:00 tz:Europe/London", { platform: "discord", workspace: "G1", channel: "X1" });
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    expect(posts).toHaveLength(1);
    expect(await h.store.deliveries.forSubscription(2)).toEqual([]);
  });
});

// why SQLite only: these hold SQLite's write lock from a second connection; PostgreSQL has no such file-wide lock.
describe.skipIf(testEngine === "postgres")("digest delivery with a busy database", () => {
  /**
   * The delivery on its own connection with a short busy timeout (so a test waits milliseconds, not
   * seconds, per try), a second connection that can hold the write lock, and virtual ledger waits that
   * let the story release the lock after a given number of them.
   */
  async function busyRig(o: { releaseAfterWaits: number; findable?: boolean; fail?: ChatError | Error }) {
    const base = await setUp();
    const db = openMigrated(h.path).db;
    db.pragma("busy_timeout = 20");
    const holder = openMigrated(h.path).db;
    const waits: number[] = [];
    const lock = () => holder.prepare("BEGIN IMMEDIATE").run();
    const release = () => {
      if (holder.inTransaction) holder.prepare("COMMIT").run();
    };
    const chat: typeof base.chat = {
      ...base.chat,
      async send(channel, part, key) {
        // Another writer takes the lock while the post is on its way, and holds it past the busy timeout.
        lock();
        if (o.fail) throw o.fail;
        return base.chat.send(channel, part, key);
      },
      ...(o.findable ? { findSent: async (_c: unknown, key: { part: number }) => (base.posts.some((p) => p.part === key.part) ? { messageId: `m${key.part}` } : undefined) } : {}),
    };
    const delivery = createDigestDelivery({
      store: createSqliteStore(db), clock: h.clock, log: silentLogger, chats: new Map<Platform, typeof chat>([["slack", chat]]), commandName: "docket", instanceId: "busy",
      wait: async (ms) => {
        waits.push(ms);
        if (waits.length === o.releaseAfterWaits) release();
      },
    });
    return { ...base, delivery, waits, release, close: () => (release(), db.close(), holder.close()) };
  }

  it("a post that succeeds while another writer holds the lock is recorded once the lock frees: one digest, sent", async () => {
    const rig = await busyRig({ releaseAfterWaits: 1 });
    try {
      h.clock.set("2026-12-01T09:00:00Z");
      await rig.delivery.tick();
      h.clock.set("2026-12-01T09:01:00Z");
      await rig.delivery.tick();
      expect(rig.posts).toHaveLength(1);
      expect(rig.waits).toEqual([250]);
      expect(await ledger()).toMatchObject([{ state: "sent", attempts: 1, messageId: "m1" }]);
    } finally {
      rig.close();
    }
  });

  it("a post refused while another writer holds the lock is recorded as failed and retried once, not lost", async () => {
    const rig = await busyRig({ releaseAfterWaits: 1, fail: new ChatError("retryable", "Slack answered HTTP 503") });
    try {
      h.clock.set("2026-12-01T09:00:00Z");
      await rig.delivery.tick();
      expect(await ledger()).toMatchObject([{ state: "failed", attempts: 1, retryAt: "2026-12-01T09:00:30.000Z" }]);
    } finally {
      rig.close();
    }
  });

  it("a post whose record stays locked past every try is never marked failed: the lease runs out and the taker finds it posted", async () => {
    const rig = await busyRig({ releaseAfterWaits: 99, findable: true });
    try {
      h.clock.set("2026-12-01T09:00:00Z");
      await rig.delivery.tick();
      expect(rig.posts).toHaveLength(1);
      expect(await ledger()).toMatchObject([{ state: "claimed" }]);
      rig.release();
      // Another process (the same engine, here) takes the claim over after its lease and records what went out.
      const taker = createDigestDelivery({ store: h.store, clock: h.clock, log: silentLogger, chats: new Map<Platform, ChatPort>([["slack", { ...rig.chat, findSent: async () => ({ messageId: "m1" }) }]]), commandName: "docket", instanceId: "taker" });
      h.clock.set("2026-12-01T09:00:59Z");
      await taker.tick();
      expect(await ledger()).toMatchObject([{ state: "claimed" }]);
      h.clock.set("2026-12-01T09:01:00Z");
      await taker.tick();
      expect(rig.posts).toHaveLength(1);
      expect(await ledger()).toMatchObject([{ state: "sent", attempts: 2, messageId: "m1" }]);
    } finally {
      rig.close();
    }
  });
});

describe("digest delivery in a 429/5xx storm", () => {
  it("backs off 30 s doubling to at most 5 minutes, so a 20-minute storm delays the digest by minutes: one post, no loss", async () => {
    const { posts, chat } = await setUp();
    await h.run("digest on 09:00 tz:Europe/London", { channel: "C2" });
    await h.run("digest on 09:00 tz:Europe/London", { channel: "C3" });
    let storm = true;
    let refused = 0;
    const stormy: ChatPort = {
      ...chat,
      async send(channel, part, key) {
        if (storm) throw ++refused % 2 ? new ChatError("retryable", "ratelimited", 30_000) : new ChatError("retryable", "Slack answered HTTP 503", undefined, true);
        return chat.send(channel, part, key);
      },
    };
    const stormDelivery = createDigestDelivery({ store: h.store, clock: h.clock, log: silentLogger, chats: new Map<Platform, ChatPort>([["slack", stormy]]), commandName: "docket", instanceId: "storm" });
    const retries: string[] = [];
    for (let minute = 0; minute <= 60; minute++) {
      h.clock.set(new Date(Date.parse("2026-12-01T09:00:00Z") + minute * 60_000));
      if (minute === 20) storm = false;
      await stormDelivery.tick();
      const retryAt = (await ledger())[0]!.retryAt;
      if (retryAt && retries.at(-1) !== retryAt) retries.push(retryAt);
    }
    const sentAt = async (sub: number) => (await h.store.deliveries.get(sub, "2026-12-01"))!;
    for (const sub of [1, 2, 3]) expect(await sentAt(sub)).toMatchObject({ state: "sent" });
    expect(posts.map((p) => p.channel.channelId).sort()).toEqual(["C1", "C2", "C3"]);
    // The gaps between tries never exceed 5 minutes; the digest is out within 5 minutes (and a tick) of the storm's end.
    const gaps = retries.map((r, i) => (i === 0 ? 0 : Date.parse(r) - Date.parse(retries[i - 1]!)));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(6 * 60_000);
    for (const sub of [1, 2, 3]) expect(Date.parse((await sentAt(sub)).updatedAt)).toBeLessThanOrEqual(Date.parse("2026-12-01T09:26:00Z"));
  });

  it("honours a Retry-After longer than the cap as the platform asked", async () => {
    const { delivery, failNext } = await setUp();
    failNext(new ChatError("retryable", "ratelimited", 15 * 60_000));
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    expect(await ledger()).toMatchObject([{ state: "failed", retryAt: "2026-12-01T09:15:00.000Z" }]);
  });
});
