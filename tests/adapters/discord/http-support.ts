/**
 * Docket's Discord adapter over HTTP for real: Docket's shared HTTP server on 127.0.0.1, a core over
 * a SQLite file in a temp dir, a real Ed25519 key pair made for the test, and the fake Discord as the
 * API. The test plays Discord: it signs and POSTs each interaction, then applies Docket's HTTP
 * response to the fake as Discord would, so the webhook edits and follow-ups land there.
 */
import { generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import type { Config } from "../../../src/config.ts";
import type { Core } from "../../../src/core/core.ts";
import { createHttpServer, type HttpServer } from "../../../src/http-server.ts";
import { silentLogger } from "../../../src/log.ts";
import { createDiscordHttpAdapter, interactionsPath, type DiscordHttpAdapter } from "../../../adapters/discord/discord-http-adapter.ts";
import { startFakeDiscord, type FakeDiscord, type FakeMessageRecord, type OptionValue } from "../../fakes/discord/fake-discord.ts";
import { harness, type Harness } from "../../support/harness.ts";
import { GUILD, guilds, textOf, TOKEN, type Who } from "./support.ts";

export interface KeyPair {
  publicHex: string;
  privateKey: KeyObject;
}

/** A fresh Ed25519 key pair, the public half as the 64 hex characters the Developer Portal shows. */
export function keyPair(): KeyPair {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  // why: the SPKI encoding of an Ed25519 key is a fixed 12-byte header and then the raw 32 bytes.
  return { publicHex: publicKey.export({ format: "der", type: "spki" }).subarray(12).toString("hex"), privateKey };
}

export interface Posted {
  status: number;
  /** The response body, parsed when it is JSON. */
  json?: { type: number; data?: Record<string, unknown> };
  text: string;
}

export interface HttpOutcome extends Posted {
  /** Messages the interaction produced (the response, follow-ups, the public line), in order. */
  messages: FakeMessageRecord[];
  /** All their text, joined. */
  shown: string;
}

export interface HttpDocket {
  fake: FakeDiscord;
  h: Harness;
  adapter: DiscordHttpAdapter;
  server: HttpServer;
  keys: KeyPair;
  url: string;
  /** Unix seconds by Docket's clock: the timestamp Discord would sign with. */
  now(): number;
  /** POSTs bytes with these headers, as anyone could. */
  post(body: string, headers: Record<string, string>): Promise<Posted>;
  /** The signature headers for a body, by default with the application's key at Docket's time. */
  signed(body: string, o?: { key?: KeyObject; timestamp?: string }): Record<string, string>;
  /** Delivers an interaction signed as Discord would and applies the response to the fake; resolves once every follow-up is sent. */
  deliver(payload: { id: string }): Promise<HttpOutcome>;
  slash(name: string, options?: Record<string, OptionValue>, who?: Who): Promise<HttpOutcome>;
  /** The payload of `/docket name …` as Discord would send it, for a test that delivers it step by step. */
  chatInput(name: string, options?: Record<string, OptionValue>, who?: Who): { id: string };
  autocomplete(name: string, focused: { name: string; value: string }, who?: Who): Promise<HttpOutcome>;
  close(): Promise<void>;
}

/** `h`: a harness (store, clock, core) to run over instead of a new one, as when Slack runs in the same process; its owner closes it. */
export async function startHttpDocket(o: { now?: string; h?: Harness; wrapCore?: (core: Core) => Core; deferAfterMs?: number } = {}): Promise<HttpDocket> {
  const fake = await startFakeDiscord({ token: TOKEN, guilds });
  const h = o.h ?? harness({ now: o.now ?? "2026-11-29T10:00:00Z" });
  const keys = keyPair();
  const config: Config = {
    db: h.path, timeZone: "Europe/London", commandName: "docket", port: 0, logLevel: "error",
    discord: { token: TOKEN, applicationId: fake.applicationId, apiUrl: fake.apiUrl, guildId: GUILD, publicKey: keys.publicHex },
  };
  const server = createHttpServer({ port: 0, host: "127.0.0.1", ping: async () => true, log: silentLogger });
  await server.listen();
  const core = o.wrapCore ? o.wrapCore(h.core) : h.core;
  const adapter = createDiscordHttpAdapter({ core, config, log: silentLogger, clock: h.clock, state: h.store.platformState, http: server }, o.deferAfterMs !== undefined ? { deferAfterMs: o.deferAfterMs } : {});
  await adapter.start();
  const url = `http://127.0.0.1:${server.port()}${interactionsPath}`;
  const now = () => Math.floor(h.clock.now().getTime() / 1000);

  const signed = (body: string, s: { key?: KeyObject; timestamp?: string } = {}) => {
    const timestamp = s.timestamp ?? String(now());
    return {
      "x-signature-ed25519": sign(null, Buffer.from(timestamp + body), s.key ?? keys.privateKey).toString("hex"),
      "x-signature-timestamp": timestamp,
    };
  };

  async function post(body: string, headers: Record<string, string>): Promise<Posted> {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    const text = await res.text();
    let json: Posted["json"];
    if (res.headers.get("content-type")?.startsWith("application/json")) json = JSON.parse(text) as Posted["json"];
    return { status: res.status, text, ...(json ? { json } : {}) };
  }

  async function deliver(payload: { id: string }): Promise<HttpOutcome> {
    fake.registerHttpInteraction(payload);
    const body = JSON.stringify(payload);
    const posted = await post(body, signed(body));
    if (posted.status === 200 && posted.json) fake.applyHttpResponse(payload.id, posted.json);
    await adapter.idle();
    const messages = fake.messages.filter((m) => m.interactionId === payload.id);
    return { ...posted, messages, shown: messages.map((m) => textOf(m.message)).join("\n") };
  }

  const base = (who: Who) => ({
    user: { id: who.user ?? "1400000000000000100", username: "alice" },
    guildId: who.guildId ?? GUILD,
    channelId: who.channelId ?? "1400000000000000003",
    permissions: who.permissions ?? String(0x20 | 0x400 | 0x800),
    ...(who.roles ? { roles: who.roles } : {}),
    ...(who.attachmentSizeLimit !== undefined ? { attachmentSizeLimit: who.attachmentSizeLimit } : {}),
  });
  const chatInput = (name: string, options: Record<string, OptionValue> = {}, who: Who = {}) => {
    const [group, sub] = split(name);
    return fake.chatInput({ name: "docket", ...(group ? { subcommandGroup: group } : {}), subcommand: sub, options, ...base(who) });
  };
  const split = (name: string) => (name.includes(" ") ? (name.split(" ") as [string, string]) : [undefined, name] as const);

  return {
    fake, h, adapter, server, keys, url, now, post, signed, deliver,
    slash: (name, options = {}, who = {}) => deliver(chatInput(name, options, who)),
    chatInput,
    autocomplete(name, focused, who = {}) {
      const [group, sub] = split(name);
      return deliver(fake.autocomplete({ name: "docket", ...(group ? { subcommandGroup: group } : {}), subcommand: sub, focused, ...base(who) }));
    },
    async close() {
      await adapter.stop();
      await server.close();
      await fake.close();
      if (!o.h) h.close();
    },
  };
}
