/**
 * Digests against a Slack that misbehaves the way a real one did (issue 11): slow to answer a post it
 * stored, and a storm of 429s and 5xx. The real slack-chat port on the adapter's digest client
 * options, over the fake on 127.0.0.1, with the real ledger; only time is virtual (the delivery's clock
 * and the port's waits). The one real wait is the fake answering after the client's short timeout.
 */
import { webApi } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { createChannelPace } from "../../../adapters/slack/channel-pace.ts";
import { digestClientOptions } from "../../../adapters/slack/slack-adapter.ts";
import { createSlackChat } from "../../../adapters/slack/slack-chat.ts";
import type { ChatPort } from "../../../src/core/chat.ts";
import { createDigestDelivery } from "../../../src/core/digest/delivery.ts";
import type { Platform } from "../../../src/core/types.ts";
import { silentLogger } from "../../../src/log.ts";
import { jsonParam, startFakeSlack, type FakeSlack } from "../../fakes/slack/fake-slack.ts";
import { harness, type Harness } from "../../support/harness.ts";
import { BOT_TOKEN, TEAM, virtualTimers } from "./support.ts";

let h: Harness | undefined;
let fake: FakeSlack | undefined;
afterEach(async () => {
  h?.close();
  await fake?.close();
  h = fake = undefined;
});

/** The client timeout the test uses in place of the adapter's 10 s; the fake answers a slow post after three times it. */
const timeoutMs = 150;

async function setUp(channels: readonly string[]) {
  h = harness({ now: "2026-11-30T12:00:00Z" });
  const admin = { workspace: TEAM, id: "U0ALICE", displayName: "alice", isPlatformAdmin: true };
  await h.ok("ask What does membership cost? to:ITU", { ...admin, channel: channels[0]! });
  for (const channel of channels) await h.ok("digest on 09:00 tz:UTC", { ...admin, channel });
  fake = await startFakeSlack();
  const timers = virtualTimers();
  // The adapter's own digest client options: no retries of its own, only the timeout shortened.
  const client = new webApi.WebClient(undefined, { ...digestClientOptions(fake.url, timeoutMs), logLevel: webApi.LogLevel.ERROR });
  const chat = createSlackChat({ client, tokenFor: async () => BOT_TOKEN, installerOf: async () => undefined, log: silentLogger, pace: createChannelPace(1000, timers), timers });
  const delivery = createDigestDelivery({ store: h.store, clock: h.clock, log: silentLogger, chats: new Map<Platform, ChatPort>([["slack", chat]]), commandName: "docket", instanceId: "test" });
  const stored = (channel: string) => fake!.messages.filter((m) => m.channel === channel && !m.deleted);
  const key = async (channel: string) => {
    const sub = (await h!.store.subscriptions.forChannel({ platform: "slack", workspaceId: TEAM, channelId: channel }))!;
    return { sub: sub.id, ledger: () => h!.store.deliveries.get(sub.id, "2026-12-01") };
  };
  return { delivery, chat, stored, key, fake, h };
}

describe("digests in Slack under faults", () => {
  it("Slack stores the post but answers after the client's timeout: the retry finds it by its metadata, one digest", async () => {
    const { delivery, stored, key, fake, h } = await setUp(["C0SLOW"]);
    fake.answerLate("chat.postMessage", timeoutMs * 3);
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    // The client gave up without retrying; the message is in the channel all the same.
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    expect(stored("C0SLOW")).toHaveLength(1);
    expect((await (await key("C0SLOW")).ledger())).toMatchObject({ state: "failed", attempts: 1, retryAt: "2026-12-01T09:00:30.000Z" });
    h.clock.set("2026-12-01T09:01:00Z");
    await delivery.tick();
    expect(stored("C0SLOW")).toHaveLength(1);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    const history = fake.callsTo("conversations.history");
    expect(history).toHaveLength(1);
    expect(history[0]!.params).toMatchObject({ channel: "C0SLOW", include_all_metadata: "true", limit: "100" });
    expect((await (await key("C0SLOW")).ledger())).toMatchObject({ state: "sent", attempts: 2, messageId: stored("C0SLOW")[0]!.ts });
  });

  it("a process that died after Slack stored its post: another takes the claim over after the lease and finds it, one digest", async () => {
    const { chat, stored, key, fake, h } = await setUp(["C0DEAD"]);
    // The first process posts, and dies before it hears back: its send never returns, nothing is recorded.
    const dying: ChatPort = { ...chat, send: async (channel, part, partKey) => (await chat.send(channel, part, partKey), new Promise<never>(() => undefined)) };
    const first = createDigestDelivery({ store: h.store, clock: h.clock, log: silentLogger, chats: new Map<Platform, ChatPort>([["slack", dying]]), commandName: "docket", instanceId: "dead" });
    h.clock.set("2026-12-01T09:00:00Z");
    void first.tick();
    await fake.waitFor((c) => c.method === "chat.postMessage");
    expect((await (await key("C0DEAD")).ledger())).toMatchObject({ state: "claimed" });
    const second = createDigestDelivery({ store: h.store, clock: h.clock, log: silentLogger, chats: new Map<Platform, ChatPort>([["slack", chat]]), commandName: "docket", instanceId: "alive" });
    h.clock.set("2026-12-01T09:00:30Z");
    await second.tick();
    expect((await (await key("C0DEAD")).ledger())).toMatchObject({ state: "claimed", attempts: 1 });
    h.clock.set("2026-12-01T09:01:00Z");
    await second.tick();
    expect(fake.callsTo("conversations.history")).toHaveLength(1);
    expect(stored("C0DEAD")).toHaveLength(1);
    expect((await (await key("C0DEAD")).ledger())).toMatchObject({ state: "sent", attempts: 2, messageId: stored("C0DEAD")[0]!.ts });
  });

  it("a post that got a 5xx and was not stored is looked for, then posted once", async () => {
    const { delivery, stored, key, fake, h } = await setUp(["C0FLAKY"]);
    fake.fail("chat.postMessage", { status: 503 });
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    expect(stored("C0FLAKY")).toHaveLength(0);
    h.clock.set("2026-12-01T09:01:00Z");
    await delivery.tick();
    expect(fake.callsTo("conversations.history")).toHaveLength(1);
    expect(stored("C0FLAKY")).toHaveLength(1);
    expect(jsonParam(fake.callsTo("chat.postMessage").at(-1)!, "metadata")).toMatchObject({ event_payload: { delivery_key: `digest-${(await key("C0FLAKY")).sub}-2026-12-01`, part: 1 } });
    expect((await (await key("C0FLAKY")).ledger())).toMatchObject({ state: "sent", attempts: 2 });
  });

  it("a refused post (429) certainly did not land: the retry posts without looking", async () => {
    const { delivery, stored, fake, h } = await setUp(["C0RATE"]);
    fake.fail("chat.postMessage", { status: 429, retryAfter: 60 });
    h.clock.set("2026-12-01T09:00:00Z");
    await delivery.tick();
    h.clock.set("2026-12-01T09:01:00Z");
    await delivery.tick();
    expect(fake.callsTo("conversations.history")).toHaveLength(0);
    expect(stored("C0RATE")).toHaveLength(1);
  });

  it("a 20-minute storm of 429s and 5xx over three channels delays each digest by minutes: one each, none lost", async () => {
    const channels = ["C0STORM1", "C0STORM2", "C0STORM3"];
    const { delivery, stored, key, fake, h } = await setUp(channels);
    fake.fail("chat.postMessage", { status: 429, retryAfter: 30, times: 5 });
    fake.fail("chat.postMessage", { status: 503, times: Infinity });
    for (let minute = 0; minute <= 90; minute++) {
      if (minute === 20) fake.recover("chat.postMessage");
      h.clock.set(new Date(Date.parse("2026-12-01T09:00:00Z") + minute * 60_000));
      await delivery.tick();
    }
    for (const channel of channels) {
      expect(stored(channel), channel).toHaveLength(1);
      const row = (await (await key(channel)).ledger())!;
      expect(row.state).toBe("sent");
      // Tries 30 s, 1, 2, 4, then every 5 minutes: out within 5 minutes (and a tick) of the storm's end.
      expect(Date.parse(row.updatedAt)).toBeLessThanOrEqual(Date.parse("2026-12-01T09:26:00Z"));
    }
  });
});
