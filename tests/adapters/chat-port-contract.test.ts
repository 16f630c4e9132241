/**
 * The chat-port contract: the same delivery stories told against the Slack, Discord and console
 * ports, each over its platform (the fakes on 127.0.0.1; a stream for the console) and a real SQLite
 * file. A restart is what a new process has: a new store, delivery engine and port over the same file.
 */
import { Writable } from "node:stream";
import { REST } from "discord.js";
import { webApi } from "@slack/bolt";
import { afterEach, describe, expect, it } from "vitest";
import { consoleChat } from "../../adapters/console/console-chat.ts";
import { restBase } from "../../adapters/discord/discord-adapter.ts";
import { createDiscordChat, nonceOf } from "../../adapters/discord/discord-chat.ts";
import { createChannelPace } from "../../adapters/slack/channel-pace.ts";
import { digestClientOptions } from "../../adapters/slack/slack-adapter.ts";
import { createSlackChat } from "../../adapters/slack/slack-chat.ts";
import type { ChatPort } from "../../src/core/chat.ts";
import { createDigestDelivery } from "../../src/core/digest/delivery.ts";
import { defaultDigestOpenLimit, subscriptionDigest } from "../../src/core/digest/model.ts";
import type { ChannelRef } from "../../src/core/types.ts";
import { silentLogger } from "../../src/log.ts";
import { startFakeDiscord } from "../fakes/discord/fake-discord.ts";
import { jsonParam, startFakeSlack } from "../fakes/slack/fake-slack.ts";
import { harness, type Harness, type Who } from "../support/harness.ts";
import { DOCKET_CHANNEL, GUILD, guilds, TOKEN, textOf } from "./discord/support.ts";
import { BOT_TOKEN, stringsIn, TEAM, virtualTimers } from "./slack/support.ts";

/** A digest message as it reached the channel: its place in the delivery and everything it shows. */
interface Arrived {
  part: number;
  text: string;
}

/** One platform under the contract: its channel, a port as a fresh process builds it, and ways to make the platform fail. */
interface PlatformRig {
  channel: ChannelRef;
  /** A port as a newly started process builds it, over the same platform. */
  newPort(): ChatPort;
  /** The platform refuses the `nth` digest message from now on with an error worth retrying (every retry its client makes included). */
  failMessage(nth: number): void;
  /** The platform refuses the channel for good (it is gone, or the bot may not post there). */
  refuseChannel(): void;
  /** The digest messages that reached the channel, in order. */
  arrived(): Arrived[];
  close(): Promise<void>;
}

const slot = "2026-11-30T09:00:00Z";
const deliveryKey = "digest-1-2026-11-30";

async function slackRig(): Promise<PlatformRig> {
  const fake = await startFakeSlack();
  const channel: ChannelRef = { platform: "slack", workspaceId: TEAM, channelId: "C0DIGEST" };
  return {
    channel,
    newPort() {
      const timers = virtualTimers();
      const client = new webApi.WebClient(undefined, { ...digestClientOptions(fake.url), logLevel: webApi.LogLevel.ERROR });
      return createSlackChat({ client, tokenFor: async () => BOT_TOKEN, installerOf: async () => undefined, log: silentLogger, pace: createChannelPace(1000, timers), timers });
    },
    failMessage: (nth) => fake.fail("chat.postMessage", { error: "internal_error", skip: nth - 1 }),
    refuseChannel: () => fake.fail("chat.postMessage", { error: "channel_not_found" }),
    arrived: () =>
      fake
        .callsTo("chat.postMessage")
        .filter((c) => c.params["channel"] === channel.channelId && c.response["ok"] === true)
        .map((c) => {
          const metadata = jsonParam(c, "metadata") as { event_payload: { delivery_key: string; part: number } };
          expect(metadata.event_payload.delivery_key).toBe(deliveryKey);
          return { part: metadata.event_payload.part, text: stringsIn(jsonParam(c, "blocks")).join("\n") };
        }),
    close: () => fake.close(),
  };
}

async function discordRig(): Promise<PlatformRig> {
  // why: a nonce window of 0 makes the ledger alone answer for duplicates, as it must past Discord's few minutes.
  const fake = await startFakeDiscord({ token: TOKEN, guilds, nonceWindowMs: 0 });
  const channel: ChannelRef = { platform: "discord", workspaceId: GUILD, channelId: DOCKET_CHANNEL };
  const rests: REST[] = [];
  const toChannel = (r: { method: string; path: string }) => r.method === "POST" && r.path === `/channels/${DOCKET_CHANNEL}/messages`;
  return {
    channel,
    newPort() {
      const rest = new REST({ api: restBase(fake.apiUrl) }).setToken(TOKEN);
      rests.push(rest);
      return createDiscordChat({ rest, guild: () => undefined, log: silentLogger });
    },
    failMessage(nth) {
      const before = fake.channelMessages(DOCKET_CHANNEL).length;
      // why: discord.js retries a 5xx three times; all four attempts fail.
      fake.failNext((r) => toChannel(r) && fake.channelMessages(DOCKET_CHANNEL).length === before + nth - 1, { status: 500, times: 4 });
    },
    refuseChannel: () => fake.failNext(toChannel, { status: 404, code: 10003, message: "Unknown Channel" }),
    arrived: () =>
      fake.channelMessages(DOCKET_CHANNEL).map((m) => {
        const part = [0, 1, 2, 3, 4, 5, 6, 7].findIndex((i) => nonceOf(deliveryKey, i) === String(m.nonce)) + 1;
        expect(part, "a message with this delivery's nonce").toBeGreaterThan(0);
        return { part, text: textOf(m) };
      }),
    async close() {
      for (const rest of rests) {
        rest.clearHashSweeper();
        rest.clearHandlerSweeper();
      }
      await fake.close();
    },
  };
}

async function consoleRig(): Promise<PlatformRig> {
  const printed: string[] = [];
  const failing: number[] = [];
  let writes = 0;
  let output: Writable | undefined;
  return {
    channel: { platform: "console", workspaceId: "console", channelId: "console" },
    newPort() {
      output = new Writable({
        write(chunk: Buffer, _encoding, done) {
          writes++;
          if (failing.includes(writes)) done(new Error("EPIPE: the terminal went away"));
          else {
            printed.push(chunk.toString());
            done();
          }
        },
      });
      // why: a failed write is also emitted as an error event; the port reports it through its callback.
      output.on("error", () => undefined);
      return consoleChat(output);
    },
    failMessage: (nth) => failing.push(writes + nth),
    refuseChannel: () => output?.destroy(),
    arrived: () =>
      printed.map((text) => {
        const numbered = /\(part (\d+) of \d+\)\n*$/.exec(text);
        return { part: numbered ? Number(numbered[1]) : 1, text };
      }),
    close: async () => undefined,
  };
}

const platforms = [
  { name: "Slack", start: slackRig },
  { name: "Discord", start: discordRig },
  { name: "the console", start: consoleRig },
];

/** The question numbers a digest lists, in the order a reader meets them. */
const questionsIn = (text: string) => [...text.matchAll(/Question (\d+):/g)].map((m) => Number(m[1]));
const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe.each(platforms)("the chat port of $name", ({ start }) => {
  let rig: PlatformRig;
  let h: Harness;
  afterEach(async () => {
    await rig.close();
    h.close();
  });

  async function setUp() {
    rig = await start();
    h = harness({ now: "2026-11-30T07:00:00Z" });
    const who: Who = { platform: rig.channel.platform, workspace: rig.channel.workspaceId, channel: rig.channel.channelId };
    await h.ok("digest on 09:00 tz:UTC", who);
    return { who, port: rig.newPort() };
  }

  /** A delivery engine as a process starts one: over its own store on the harness's file when `restarted`. */
  function engine(port: ChatPort, restarted = false) {
    const store = restarted ? h.reopen() : h.store;
    return { store, delivery: createDigestDelivery({ store, clock: h.clock, log: silentLogger, chats: new Map([[port.platform, port]]), commandName: "docket", instanceId: restarted ? "after" : "before" }) };
  }

  /** Asks and answers questions until the digest at the slot takes `parts` messages on this platform; returns how many it lists. */
  async function growDigest(port: ChatPort, who: Who, parts: number): Promise<number> {
    const sub = (await h.store.subscriptions.active())[0]!;
    const docket = (await h.store.dockets.get(sub.docketId))!;
    const rendered = async () => port.render(await subscriptionDigest(h.store, docket, sub, new Date(slot), { commandName: "docket", openLimit: defaultDigestOpenLimit })).length;
    for (let n = 1; n <= 400; n++) {
      await h.ok(`ask "Question ${n}: ${"why is the consultation text not public yet and who decided that ".repeat(4)}" to:Secretariat`, who);
      await h.ok(`answer Q${n} "${"It will be published after the council session ".repeat(3)}"`, who);
      const now = await rendered();
      if (now === parts) return n;
      expect(now, `the digest jumped past ${parts} messages`).toBeLessThan(parts);
    }
    throw new Error(`400 answered questions did not make ${parts} messages`);
  }

  it("a digest that fits one message is posted once, as part 1 of 1", async () => {
    const { who, port } = await setUp();
    await h.ok(`ask "Question 1: will sessions be webcast?"`, who);
    const { delivery, store } = engine(port);
    h.clock.set("2026-11-30T09:00:10Z");
    expect(await delivery.tick()).toMatchObject({ sent: 1, failed: 0 });
    h.clock.set("2026-11-30T09:30:00Z");
    expect(await delivery.tick()).toMatchObject({ sent: 0 });
    const arrived = rig.arrived();
    expect(arrived.map((m) => m.part)).toEqual([1]);
    expect(questionsIn(arrived[0]!.text)).toEqual([1]);
    const parts = await store.deliveries.parts(1, "2026-11-30");
    expect(parts).toMatchObject([{ part: 1, body: null, messageId: expect.any(String) }]);
    expect(await store.deliveries.get(1, "2026-11-30")).toMatchObject({ state: "sent", messageId: parts[0]!.messageId });
  });

  it("a digest of four messages interrupted after the second resumes at the third after a restart, from its first rendering: each posted once, in order", async () => {
    const { who, port } = await setUp();
    const listed = await growDigest(port, who, 4);
    rig.failMessage(3);
    h.clock.set("2026-11-30T09:00:10Z");
    expect(await engine(port).delivery.tick()).toMatchObject({ sent: 0, failed: 1, paused: 0 });
    expect(rig.arrived().map((m) => m.part)).toEqual([1, 2]);
    expect(await h.store.deliveries.get(1, "2026-11-30")).toMatchObject({ state: "failed", retryAt: expect.stringMatching(/^2026-11-30T09:0/) });

    // Meanwhile the docket changes: a fresh rendering would split elsewhere and show the new text.
    for (const n of [1, 2, 3, 4, 5]) await h.ok(`edit Q${n} "Short question ${n}?"`, who);
    const restart = engine(rig.newPort(), true);
    h.clock.set("2026-11-30T09:05:00Z");
    expect(await restart.delivery.tick()).toMatchObject({ sent: 1, failed: 0 });
    h.clock.set("2026-11-30T10:00:00Z");
    expect(await restart.delivery.tick()).toMatchObject({ sent: 0 });

    const arrived = rig.arrived();
    expect(arrived.map((m) => m.part)).toEqual([1, 2, 3, 4]);
    const text = arrived.map((m) => m.text).join("\n");
    expect(questionsIn(text)).toEqual(oneToN(listed));
    expect(text).not.toContain("Short question");
    const parts = await restart.store.deliveries.parts(1, "2026-11-30");
    expect(parts.map((p) => p.part)).toEqual([1, 2, 3, 4]);
    expect(new Set(parts.map((p) => p.messageId)).size).toBe(4);
    expect(await restart.store.deliveries.get(1, "2026-11-30")).toMatchObject({ state: "sent", attempts: 2, messageId: parts[0]!.messageId });
  });

  it("a channel the platform refuses for good pauses the digest, and nothing more is posted", async () => {
    const { who, port } = await setUp();
    await h.ok(`ask "Question 1: will sessions be webcast?"`, who);
    rig.refuseChannel();
    const { delivery } = engine(port);
    h.clock.set("2026-11-30T09:00:10Z");
    expect(await delivery.tick()).toMatchObject({ sent: 0, paused: 1 });
    expect(await h.store.subscriptions.active()).toEqual([]);
    expect(await h.store.deliveries.get(1, "2026-11-30")).toMatchObject({ state: "failed", retryAt: null });
    h.clock.set("2026-12-01T09:00:10Z");
    expect(await engine(rig.newPort(), true).delivery.tick()).toMatchObject({ sent: 0, failed: 0 });
    expect(rig.arrived()).toEqual([]);
  });
});
