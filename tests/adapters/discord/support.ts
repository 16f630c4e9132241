/**
 * Docket's Discord adapter running for real: the discord.js Client logged in to the fake Discord on
 * 127.0.0.1, a core over a SQLite file in a temp dir, and helpers that act as a member would.
 */
import type { APIEmbed } from "discord.js";
import type { Config } from "../../../src/config.ts";
import type { Core } from "../../../src/core/core.ts";
import { createDigestDelivery } from "../../../src/core/digest/delivery.ts";
import { silentLogger } from "../../../src/log.ts";
import { createDiscordAdapter, type DiscordAdapter } from "../../../adapters/discord/discord-adapter.ts";
import { Permission, startFakeDiscord, type FakeDiscord, type FakeGuild, type FakeMessageRecord, type OptionInput, type OptionValue, type RecordedCallback, type RecordedRequest } from "../../fakes/discord/fake-discord.ts";
import { harness, type Harness } from "../../support/harness.ts";

export const TOKEN = "docket.test.token";
export const GUILD = "1400000000000000001";
export const GENERAL = "1400000000000000002";
export const DOCKET_CHANNEL = "1400000000000000003";
export const LOCKED = "1400000000000000004";
export const ORGANISERS = "1400000000000000005";
export const SERVER_MANAGERS = "1400000000000000006";
export const SERVER_ADMINS = "1400000000000000007";
export const MODERATORS = "1400000000000000008";
export const OTHER_GUILD = "1400000000000000010";
export const OTHER_CHANNEL = "1400000000000000011";
export const ALICE = "1400000000000000100";
export const BOB = "1400000000000000101";

/**
 * Alice manages the server; Bob is a member; Organisers is a role without special permissions; the
 * other roles carry Manage Server, Administrator, and Manage Messages (which is not enough).
 */
export const guilds: FakeGuild[] = [
  {
    id: GUILD,
    name: "Treaty Coalition",
    roles: [
      { id: ORGANISERS, name: "Organisers", mentionable: true },
      { id: SERVER_MANAGERS, name: "Server managers", permissions: Permission.ManageGuild },
      { id: SERVER_ADMINS, name: "Administrators", permissions: Permission.Administrator },
      { id: MODERATORS, name: "Moderators", permissions: Permission.ManageMessages },
    ],
    channels: [
      { id: GENERAL, name: "general" },
      { id: DOCKET_CHANNEL, name: "docket" },
      // why: @everyone (the bot included) may read but not post here, so posting gets Discord's real 403 50013.
      { id: LOCKED, name: "announcements", permissionOverwrites: [{ id: GUILD, type: 0, allow: "0", deny: String(Permission.SendMessages) }] },
    ],
    members: [
      { id: ALICE, username: "alice", globalName: "Alice" },
      { id: BOB, username: "bob", globalName: "Bob", roles: [] },
    ],
  },
  { id: OTHER_GUILD, name: "Other Coalition", channels: [{ id: OTHER_CHANNEL, name: "general" }], members: [{ id: ALICE, username: "alice", globalName: "Alice" }] },
];

export interface Who {
  user?: string;
  /** Member permissions as Discord sends them; default Manage Server for Alice, computed (none) for others. */
  permissions?: string;
  roles?: string[];
  guildId?: string;
  channelId?: string;
  attachmentSizeLimit?: number;
}

const manageGuild = String(Permission.ManageGuild | Permission.ViewChannel | Permission.SendMessages);

function base(who: Who) {
  const user = who.user ?? ALICE;
  return {
    user: { id: user, username: user === ALICE ? "alice" : user === BOB ? "bob" : `user${user.slice(-4)}` },
    guildId: who.guildId ?? GUILD,
    channelId: who.channelId ?? (who.guildId === OTHER_GUILD ? OTHER_CHANNEL : DOCKET_CHANNEL),
    ...(who.permissions !== undefined ? { permissions: who.permissions } : user === ALICE ? { permissions: manageGuild } : {}),
    ...(who.roles ? { roles: who.roles } : {}),
    ...(who.attachmentSizeLimit !== undefined ? { attachmentSizeLimit: who.attachmentSizeLimit } : {}),
  };
}

/** Everything a message shows, as text: content, then each embed's title, description and fields. */
export function textOf(message: { content?: string; embeds?: APIEmbed[] }): string {
  return [message.content ?? "", ...(message.embeds ?? []).flatMap((e) => [e.title ?? "", e.description ?? "", ...(e.fields ?? []).flatMap((f) => [f.name, f.value])])]
    .filter(Boolean)
    .join("\n");
}

export interface Outcome {
  id: string;
  callback: RecordedCallback;
  /** Messages the interaction produced (the response, follow-ups, the public line), in order. */
  messages: FakeMessageRecord[];
  /** All their text, joined. */
  text: string;
  /** Whether every message the user sees privately is ephemeral. */
  ephemeral: boolean;
  /** The public messages (the `ask`/`answer` line). */
  public: FakeMessageRecord[];
}

export interface DiscordDocket {
  fake: FakeDiscord;
  h: Harness;
  adapter: DiscordAdapter;
  config: Config;
  delivery: ReturnType<typeof createDigestDelivery>;
  /** `/docket deadline add …` as `who`; resolves once Docket has answered completely. */
  slash(name: string, options?: Record<string, OptionValue> | OptionInput[], who?: Who): Promise<Outcome>;
  /** Sends `/docket name …` without waiting: its id, and its outcome once Docket has answered completely. */
  send(name: string, options?: Record<string, OptionValue> | OptionInput[], who?: Who): { id: string; outcome(): Promise<Outcome> };
  autocomplete(name: string, focused: { name: string; value: string }, who?: Who): Promise<Array<{ name: string; value: string }>>;
  button(customId: string, messageId: string, who?: Who): Promise<Outcome>;
  submit(customId: string, fields: Record<string, string>, who?: Who & { message?: string }): Promise<Outcome>;
  close(): Promise<void>;
}

export interface DiscordDocketOptions {
  commandName?: string;
  now?: string;
  guildId?: string | null;
  nonceWindowMs?: number;
  /** A harness (store, clock, core) to run over instead of a new one, as when Slack runs in the same process; its owner closes it. */
  h?: Harness;
  /** Wraps the core the adapter talks to (a test holding a command past the deferral deadline). */
  wrapCore?: (core: Core) => Core;
  /** The adapter's deferral deadline (default its own). */
  deferAfterMs?: number;
}

export async function startDiscordDocket(o: DiscordDocketOptions = {}): Promise<DiscordDocket> {
  const fake = await startFakeDiscord({ token: TOKEN, guilds, ...(o.nonceWindowMs !== undefined ? { nonceWindowMs: o.nonceWindowMs } : {}) });
  const h = o.h ?? harness({ now: o.now ?? "2026-11-29T10:00:00Z", ...(o.commandName ? { commandName: o.commandName } : {}) });
  const commandName = o.commandName ?? "docket";
  const config: Config = {
    db: h.path, timeZone: "Europe/London", commandName, port: 0, logLevel: "error",
    discord: { token: TOKEN, applicationId: fake.applicationId, apiUrl: fake.apiUrl, ...(o.guildId === null ? {} : { guildId: o.guildId ?? GUILD }) },
  };
  const core = o.wrapCore ? o.wrapCore(h.core) : h.core;
  const adapter = createDiscordAdapter({ core, config, log: silentLogger, clock: h.clock, state: h.store.platformState }, {
    backoff: { initialMs: 5, maxMs: 20 },
    ...(o.deferAfterMs !== undefined ? { deferAfterMs: o.deferAfterMs } : {}),
  });
  await adapter.start();
  const delivery = createDigestDelivery({ store: h.store, clock: h.clock, log: silentLogger, chats: new Map([["discord", adapter.chat]]), commandName, instanceId: "test" });

  async function outcome(id: string): Promise<Outcome> {
    const callback = await fake.waitForCallback(id, 5000);
    await adapter.idle();
    const messages = fake.messages.filter((m) => m.interactionId === id);
    const isPublic = (m: FakeMessageRecord) => !m.ephemeral && m.source === "followup";
    return {
      id, callback, messages,
      text: messages.map((m) => textOf(m.message)).join("\n"),
      ephemeral: messages.filter((m) => !isPublic(m)).every((m) => m.ephemeral),
      public: messages.filter(isPublic),
    };
  }

  function send(name: string, options: Record<string, OptionValue> | OptionInput[] = {}, who: Who = {}) {
    const [group, sub] = name.includes(" ") ? (name.split(" ") as [string, string]) : [undefined, name];
    const payload = fake.sendInteraction(fake.chatInput({ name: commandName, ...(group ? { subcommandGroup: group } : {}), subcommand: sub, options, ...base(who) }));
    return { id: payload.id, outcome: () => outcome(payload.id) };
  }

  return {
    fake, h, adapter, config, delivery,
    slash: (name, options = {}, who = {}) => send(name, options, who).outcome(),
    send,
    async autocomplete(name, focused, who = {}) {
      const [group, sub] = name.includes(" ") ? (name.split(" ") as [string, string]) : [undefined, name];
      const payload = fake.sendInteraction(fake.autocomplete({ name: commandName, ...(group ? { subcommandGroup: group } : {}), subcommand: sub, focused, ...base(who) }));
      const callback = await fake.waitForCallback(payload.id, 5000);
      return (callback.data as { choices: Array<{ name: string; value: string }> }).choices;
    },
    async button(customId, messageId, who = {}) {
      const payload = fake.sendInteraction(fake.button({ customId, message: messageId, ...base(who) }));
      return outcome(payload.id);
    },
    async submit(customId, fields, who = {}) {
      const payload = fake.sendInteraction(fake.modalSubmit({ customId, fields, layout: "label", ...(who.message ? { message: who.message } : {}), ...base(who) }));
      return outcome(payload.id);
    },
    async close() {
      await adapter.stop();
      await fake.close();
      if (!o.h) h.close();
    },
  };
}

/** Requests that create or edit a message (channel posts, DMs, interaction responses, webhooks), with the message body. */
export function messageBodies(requests: readonly RecordedRequest[]): Array<{ request: RecordedRequest; body: Record<string, unknown> }> {
  const out: Array<{ request: RecordedRequest; body: Record<string, unknown> }> = [];
  for (const request of requests) {
    if (request.method !== "POST" && request.method !== "PATCH") continue;
    const raw = request.body as Record<string, unknown> | undefined;
    if (!raw || typeof raw !== "object") continue;
    const body = request.path.endsWith("/callback") ? (raw.data as Record<string, unknown> | undefined) : raw;
    if (body && (body.content !== undefined || body.embeds !== undefined)) out.push({ request, body });
  }
  return out;
}
