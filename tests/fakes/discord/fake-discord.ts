/**
 * A fake of Discord's REST API (v10) and gateway for tests, faithful enough to drive the real
 * discord.js Client. One HTTP server on 127.0.0.1 serves REST under /api/v10 and the gateway
 * WebSocket under /gateway.
 *
 *   const fake = await startFakeDiscord();
 *   const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
 *   await client.login('any-token');
 *   fake.dispatch('INTERACTION_CREATE', fake.chatInput({ name: 'docket', subcommand: 'list' }));
 *   const cb = await fake.waitForCallback(id);
 *
 * See README.md in this folder for what is verified against discord.js 14.28.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type {
  APIApplication,
  APIApplicationCommand,
  APIApplicationCommandAutocompleteInteraction,
  APIChatInputApplicationCommandInteraction,
  APIGuildMember,
  APIMessage,
  APIMessageComponentButtonInteraction,
  APIMessageComponentSelectMenuInteraction,
  APIMessageTopLevelComponent,
  APIModalSubmitInteraction,
  APIUser,
  GatewayReadyDispatchData,
} from 'discord.js';
import { DiscordHttpError, FormErrors, apiError, defaultErrorBody, errors, type DiscordErrorBody } from './errors.ts';
import { decodePath, matchRoute, parseBody, readRaw, splitPath, type Params, type ParsedBody, type Route } from './http.ts';
import {
  buildAutocomplete,
  buildButton,
  buildChatInput,
  buildModalSubmit,
  buildStringSelect,
  type AutocompleteOptions,
  type ChatInputOptions,
  type ComponentOptions,
  type InteractionContext,
  type ModalSubmitOptions,
  type StringSelectOptions,
} from './interactions.ts';
import {
  MESSAGE_FLAG_EPHEMERAL,
  MESSAGE_FLAG_LOADING,
  asArray,
  asNumber,
  asString,
  guildCreatePayload,
  guildObject,
  hasMessageContent,
  isRecord,
  makeAttachments,
  makeChannel,
  makeMember,
  makeRole,
  makeUser,
  parseMessageBody,
  resolveMentions,
  type ChannelState,
  type FakeGuild,
  type GuildState,
  type MessageInput,
  type StoredFile,
} from './payloads.ts';
import { DEFAULT_EVERYONE_PERMISSIONS, Permission, channelPermissions, has, toPermissionBits } from './permissions.ts';
import { shardForGuild, snowflake } from './snowflake.ts';

export type { FakeChannel, FakeGuild, FakeMember, FakeRole, StoredFile } from './payloads.ts';
export type {
  AutocompleteOptions,
  ChatInputOptions,
  ComponentOptions,
  InteractionBaseOptions,
  ModalSubmitOptions,
  OptionInput,
  OptionValue,
  StringSelectOptions,
} from './interactions.ts';
export { ErrorCode, type DiscordErrorBody } from './errors.ts';
export { ALL_PERMISSIONS, DEFAULT_EVERYONE_PERMISSIONS, Permission } from './permissions.ts';

export const DEFAULT_APPLICATION_ID = '1300000000000000001';
export const DEFAULT_GUILD_ID = '1300000000000000100';
export const DEFAULT_CHANNEL_ID = '1300000000000000101';
export const DEFAULT_USER_ID = '1300000000000000200';
export const DEFAULT_OWNER_ID = '1300000000000000201';

const API_PREFIX = '/api/v10';
const INTENT_GUILD_MEMBERS = 1 << 1;
const INTENT_GUILD_PRESENCES = 1 << 8;
const INTENT_GUILD_MESSAGES = 1 << 9;
const INTENT_DIRECT_MESSAGES = 1 << 12;
const INTENT_MESSAGE_CONTENT = 1 << 15;
const PRIVILEGED_INTENTS = INTENT_GUILD_MEMBERS | INTENT_GUILD_PRESENCES | INTENT_MESSAGE_CONTENT;
/** https://discord.com/developers/docs/interactions/application-commands#application-command-object-application-command-naming */
const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
/** Every intent bit defined by the gateway: 0–16, 20, 21, 24, 25. */
const KNOWN_INTENTS = (1 << 17) - 1 + (1 << 20) + (1 << 21) + (1 << 24) + (1 << 25);

// ---------------------------------------------------------------------------------------------
// Public types

export interface FakeDiscordOptions {
  applicationId?: string;
  /** Default: the application id (true for every app created since 2022). */
  botUserId?: string;
  botUsername?: string;
  /** Default: one guild (DEFAULT_GUILD_ID) with one text channel "general" (DEFAULT_CHANNEL_ID). */
  guilds?: FakeGuild[];
  /** The bot token to accept. Undefined accepts any token. */
  token?: string;
  /**
   * Where a wrong token is rejected. Real Discord rejects it on REST first (GET /gateway/bot → 401,
   * discord.js login rejects with TokenInvalid); 'gateway' lets REST pass so IDENTIFY closes with 4004.
   * Default 'both'.
   */
  rejectInvalidToken?: 'rest' | 'gateway' | 'both';
  /** HELLO heartbeat_interval. Default 41250 ms as Discord sends. */
  heartbeatIntervalMs?: number;
  /** Recommended shard count returned by /gateway/bot. Default 1. */
  shards?: number;
  /** Privileged intents enabled "in the developer portal"; others close with 4014. Default: all. */
  privilegedIntents?: number;
  /** The initial response must arrive within this long or the callback gets 10062. Default 3000; null disables. */
  interactionResponseDeadlineMs?: number | null;
  /** Interaction tokens (webhooks) are valid this long. Default 15 minutes. */
  interactionTokenLifetimeMs?: number;
  /** enforce_nonce de-duplication window. Default 5 minutes ("the past few minutes"). */
  nonceWindowMs?: number;
  /** X-RateLimit-* bucket size sent on every response (not enforced). Default 50 per 1000 ms. */
  rateLimit?: { limit: number; windowMs: number };
  /** Check the bot's channel permissions on channel message routes (403 50001/50013). Default true. */
  enforcePermissions?: boolean;
  /** Debug log sink. */
  log?: (line: string) => void;
}

export interface RecordedRequest {
  seq: number;
  method: string;
  /** Decoded path without the /api/v10 prefix, e.g. "/webhooks/1/tok/messages/@original". */
  path: string;
  /** The path as it arrived, e.g. "/api/v10/webhooks/1/tok/messages/%40original". */
  rawPath: string;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON; for multipart bodies the parsed payload_json. */
  body: unknown;
  multipart: boolean;
  /** Non-file multipart fields (payload_json as text). */
  fields: Record<string, string>;
  /** Uploaded files (multipart). */
  files: StoredFile[];
  at: number;
  /** Response status (set once handled). */
  status: number;
  /** Response JSON (undefined for 204). */
  response: unknown;
}

export interface RecordedCallback {
  interactionId: string;
  token: string;
  /** Callback type: 4 message, 5 deferred message, 6 deferred update, 7 update, 8 autocomplete, 9 modal. */
  type: number;
  data: unknown;
  /** The with_response query parameter as sent ("false" when discord.js does not ask for it). */
  withResponse: string | null;
  request: RecordedRequest;
}

export interface RecordedIdentify {
  token: string;
  intents: number;
  properties: unknown;
  shard: [number, number];
  compress: unknown;
  largeThreshold: unknown;
  presence: unknown;
  /** The gateway URL query (v, encoding, compress). */
  query: Record<string, string>;
  accepted: boolean;
  at: number;
}

export interface GatewayLogEntry {
  direction: 'in' | 'out';
  op: number;
  t?: string | null;
  s?: number | null;
  d: unknown;
  at: number;
}

export interface FakeMessageRecord {
  message: APIMessage;
  channelId: string;
  guildId: string | null;
  source: 'channel' | 'interaction' | 'followup' | 'fixture';
  interactionId?: string;
  ephemeral: boolean;
  deleted: boolean;
  nonce?: string | number;
  /** allowed_mentions as sent (undefined when absent: Discord then parses users, roles and everyone). */
  allowedMentions: unknown;
  files: StoredFile[];
  createdAt: number;
}

export type RequestMatcher = ((request: RecordedRequest) => boolean) | { method?: string; path?: string | RegExp };

export interface FailureSpec {
  status: number;
  /** JSON error code; default per status (403 → 50001, 404 → per path e.g. 10003 Unknown Channel). */
  code?: number;
  message?: string;
  /** Seconds (429). Sent as retry_after in the body and in Retry-After / X-RateLimit-Reset-After. Default 0.05. */
  retryAfter?: number;
  /** 429: global rate limit (X-RateLimit-Global, scope "global"). */
  global?: boolean;
  /** 429: X-RateLimit-Scope. Default "user" (or "global"). */
  scope?: 'user' | 'global' | 'shared';
  /** How many matching requests fail. Default 1. */
  times?: number;
  /** Replaces the whole JSON body. */
  body?: unknown;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

export interface ScriptedFailure {
  readonly spec: FailureSpec;
  /** Matching requests answered with the failure so far. */
  readonly hits: number;
  /** Failures left. */
  readonly remaining: number;
  cancel(): void;
}

export interface InteractionRecord {
  id: string;
  token: string;
  type: number;
  applicationId: string;
  guildId: string | null;
  channelId: string | null;
  user: APIUser | null;
  createdAt: number;
  /** Id of the message a component/modal interaction came from. */
  sourceMessageId: string | null;
  acknowledged: boolean;
  callbackType: number | null;
  originalMessageId: string | null;
  /** Deferred (type 5) and not yet edited: the original is the "thinking…" message. */
  loading: boolean;
  commandName: string | null;
  followupIds: string[];
}

export interface FakeDiscord {
  /** What `new Client({ rest: { api } })` takes: "http://127.0.0.1:PORT/api" (@discordjs/rest appends /v10). */
  readonly apiUrl: string;
  /** "http://127.0.0.1:PORT" */
  readonly baseUrl: string;
  /** "ws://127.0.0.1:PORT/gateway", as returned by GET /gateway/bot. */
  readonly gatewayUrl: string;
  readonly port: number;
  readonly applicationId: string;
  readonly botUser: APIUser;
  /** Every REST request, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Every interaction callback that was accepted. */
  readonly callbacks: RecordedCallback[];
  readonly identifies: RecordedIdentify[];
  readonly gatewayLog: GatewayLogEntry[];
  /** Every message created (channel sends, interaction responses, follow-ups), including deleted ones. */
  readonly messages: FakeMessageRecord[];
  readonly interactions: ReadonlyMap<string, InteractionRecord>;
  /** Heartbeats (op 1) received, over all connections. */
  readonly heartbeats: number;
  /** RESUME (op 6) attempts received. */
  readonly resumes: number;
  /** Open gateway connections. */
  readonly connectionCount: number;

  // --- state
  guildIds(): string[];
  guild(id: string): GuildState | undefined;
  channel(id: string): ChannelState | undefined;
  /** Visible (not ephemeral, not deleted) messages of a channel, oldest first. */
  channelMessages(channelId: string): APIMessage[];
  message(id: string): FakeMessageRecord | undefined;
  /** Global commands, or a guild's commands. */
  commands(guildId?: string): APIApplicationCommand[];
  /** Change the accepted token (undefined: accept any). */
  setToken(token: string | undefined): void;

  // --- gateway
  /** Send a dispatch (op 0) to the gateway sessions (routed by guild when sharded). Throws if none. */
  dispatch(t: string, d: unknown, options?: { shardId?: number }): void;
  /** dispatch('INTERACTION_CREATE', payload) and return the payload. */
  sendInteraction<T extends { id: string }>(payload: T): T;
  /** Discord over HTTP: makes the interaction known (its token works for webhooks) without a gateway dispatch. */
  registerHttpInteraction<T extends { id: string }>(payload: T): T;
  /**
   * Discord over HTTP: applies the endpoint's JSON response to the interaction as Discord applies a
   * callback (recorded in `callbacks`, checked the same way); throws what the callback route would answer.
   */
  applyHttpResponse(interactionId: string, body: unknown): void;
  chatInput(options: ChatInputOptions): APIChatInputApplicationCommandInteraction;
  autocomplete(options: AutocompleteOptions): APIApplicationCommandAutocompleteInteraction;
  button(options: ComponentOptions): APIMessageComponentButtonInteraction;
  stringSelect(options: StringSelectOptions): APIMessageComponentSelectMenuInteraction;
  modalSubmit(options: ModalSubmitOptions): APIModalSubmitInteraction;
  /** Add a guild and send GUILD_CREATE (the bot joined). */
  guildCreate(guild: FakeGuild): void;
  /** GUILD_DELETE: bot removed (default; the guild's routes then answer 403) or `{ unavailable: true }` (outage). */
  guildDelete(guildId: string, options?: { unavailable?: boolean }): void;
  /** The bot is removed from a guild with no gateway session to tell (Discord over HTTP): its routes answer 403 from now on. */
  removeBot(guildId: string): void;
  /** Store a message as if someone posted it (no gateway event); returns it. */
  seedMessage(channelId: string, init?: { content?: string; author?: APIUser; components?: unknown[] }): APIMessage;
  /** Ask connected clients to reconnect (op 7); discord.js then resumes. */
  reconnect(): void;
  /** Close every gateway connection with `code` (default 4000: resumable). */
  closeGateway(code?: number): void;
  /** Send INVALID_SESSION (op 9). */
  invalidateSession(resumable?: boolean): void;

  // --- REST scripting and waiting
  failNext(matcher: RequestMatcher, spec: FailureSpec): ScriptedFailure;
  /** Resolve with the first recorded request (from index `since`, default 0) matching, waiting up to timeoutMs. */
  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number, since?: number): Promise<RecordedRequest>;
  /** Resolve with the accepted callback of an interaction. */
  waitForCallback(interactionId: string, timeoutMs?: number): Promise<RecordedCallback>;
  waitForIdentify(timeoutMs?: number): Promise<RecordedIdentify>;
  /** Resolve when `check` returns something other than undefined (re-checked on every request and gateway frame). */
  waitFor<T>(check: () => T | undefined, timeoutMs?: number, what?: string): Promise<T>;
  close(): Promise<void>;
}

export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscordServer(options);
  await fake.listen();
  return fake;
}

// ---------------------------------------------------------------------------------------------
// Implementation

interface Session {
  id: string;
  token: string;
  intents: number;
  shard: [number, number];
  seq: number;
  events: Array<{ s: number; t: string; d: unknown }>;
  connection: Connection | null;
}

interface Connection {
  socket: WebSocket;
  session: Session | null;
  query: Record<string, string>;
}

interface Reply {
  status: number;
  body?: unknown;
}

interface Ctx {
  params: Params;
  query: URLSearchParams;
  body: unknown;
  parsed: ParsedBody;
  record: RecordedRequest;
}

type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

interface FailureEntry {
  matcher: RequestMatcher;
  spec: FailureSpec;
  remaining: number;
  hits: number;
}

const ok = (body: unknown, status = 200): Reply => ({ status, body });
const noContent = (): Reply => ({ status: 204 });

class FakeDiscordServer implements FakeDiscord {
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly requests: RecordedRequest[] = [];
  readonly callbacks: RecordedCallback[] = [];
  readonly identifies: RecordedIdentify[] = [];
  readonly gatewayLog: GatewayLogEntry[] = [];
  readonly messages: FakeMessageRecord[] = [];
  readonly interactions = new Map<string, InteractionRecord>();
  heartbeats = 0;
  resumes = 0;

  private readonly opts: FakeDiscordOptions;
  private expectedToken: string | undefined;
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly routes: Array<Route<Handler>> = [];
  private readonly guilds = new Map<string, GuildState>();
  private readonly leftGuilds = new Set<string>();
  private readonly channels = new Map<string, ChannelState>();
  private readonly users = new Map<string, APIUser>();
  private readonly dmChannels = new Map<string, string>();
  private readonly globalCommands: APIApplicationCommand[] = [];
  private readonly guildCommands = new Map<string, APIApplicationCommand[]>();
  private readonly attachmentData = new Map<string, StoredFile>();
  private readonly sessions = new Map<string, Session>();
  private readonly connections = new Set<Connection>();
  private readonly failures: FailureEntry[] = [];
  private readonly buckets = new Map<string, { remaining: number; resetAt: number }>();
  private readonly waiters = new Set<() => void>();
  private readonly pendingTimers = new Set<{ timer: NodeJS.Timeout; reject: (e: Error) => void }>();
  private requestSeq = 0;
  private closed = false;
  private address: AddressInfo | null = null;

  constructor(options: FakeDiscordOptions) {
    this.opts = options;
    this.expectedToken = options.token;
    this.applicationId = options.applicationId ?? DEFAULT_APPLICATION_ID;
    this.botUser = makeUser(options.botUserId ?? this.applicationId, { username: options.botUsername ?? 'Docket', bot: true, discriminator: '0001' });
    this.users.set(this.botUser.id, this.botUser);
    const guilds = options.guilds ?? [{ id: DEFAULT_GUILD_ID, name: 'Docket Test Guild', channels: [{ id: DEFAULT_CHANNEL_ID, name: 'general' }] }];
    for (const g of guilds) this.addGuild(g);
    this.server = createServer((req, res) => {
      void this.handleHttp(req, res);
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.handleUpgrade(req, socket, head));
    this.registerRoutes();
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.address = this.server.address() as AddressInfo;
  }

  get port(): number {
    if (!this.address) throw new Error('fake-discord: not listening');
    return this.address.port;
  }
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  get apiUrl(): string {
    return `${this.baseUrl}/api`;
  }
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }
  get connectionCount(): number {
    return this.connections.size;
  }

  // ------------------------------------------------------------------------------------------
  // State

  private log(line: string): void {
    this.opts.log?.(`[fake-discord] ${line}`);
  }

  private addGuild(input: FakeGuild): GuildState {
    const ownerId = input.ownerId ?? DEFAULT_OWNER_ID;
    const joinedAt = input.joinedAt ?? new Date().toISOString();
    const roles = [makeRole(input.id, { id: input.id, name: '@everyone', permissions: input.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS })];
    for (const r of input.roles ?? []) roles.push(makeRole(input.id, r));
    const botRoles = [...(input.botRoles ?? [])];
    if (input.botPermissions !== undefined) {
      const managedId = snowflake();
      roles.push(
        makeRole(input.id, { id: managedId, name: this.botUser.username, permissions: input.botPermissions, managed: true, position: roles.length }, this.botUser.id),
      );
      botRoles.push(managedId);
    }
    const guild: GuildState = {
      id: input.id,
      name: input.name ?? `Guild ${input.id.slice(-4)}`,
      ownerId,
      preferredLocale: input.preferredLocale ?? 'en-US',
      joinedAt,
      features: input.features ?? [],
      description: input.description ?? null,
      roles,
      channelIds: [],
      members: new Map(),
      memberCount: 0,
    };
    const channels = input.channels ?? [{ id: snowflake(), name: 'general' }];
    channels.forEach((c, i) => {
      const state = makeChannel(input.id, c, i);
      this.channels.set(state.id, state);
      guild.channelIds.push(state.id);
    });
    guild.members.set(this.botUser.id, makeMember(this.botUser, { roles: botRoles, joinedAt }));
    if (ownerId !== this.botUser.id) {
      const owner = this.users.get(ownerId) ?? makeUser(ownerId, { username: 'owner' });
      this.users.set(ownerId, owner);
      guild.members.set(ownerId, makeMember(owner, {}));
    }
    for (const m of input.members ?? []) {
      const user = makeUser(m.id, { username: m.username ?? `user${m.id.slice(-4)}`, globalName: m.globalName ?? null, bot: m.bot ?? false });
      this.users.set(m.id, user);
      const init: { nick?: string | null; roles?: string[]; joinedAt?: string } = { nick: m.nick ?? null, roles: m.roles ?? [] };
      if (m.joinedAt !== undefined) init.joinedAt = m.joinedAt;
      guild.members.set(m.id, makeMember(user, init));
    }
    guild.memberCount = Math.max(input.memberCount ?? 0, guild.members.size);
    this.guilds.set(guild.id, guild);
    this.leftGuilds.delete(guild.id);
    return guild;
  }

  guildIds(): string[] {
    return [...this.guilds.keys()];
  }
  guild(id: string): GuildState | undefined {
    return this.guilds.get(id);
  }
  channel(id: string): ChannelState | undefined {
    return this.channels.get(id);
  }
  channelMessages(channelId: string): APIMessage[] {
    return this.messages.filter((m) => m.channelId === channelId && !m.deleted && !m.ephemeral).map((m) => m.message);
  }
  message(id: string): FakeMessageRecord | undefined {
    return this.messages.find((m) => m.message.id === id);
  }
  commands(guildId?: string): APIApplicationCommand[] {
    return guildId === undefined ? [...this.globalCommands] : [...(this.guildCommands.get(guildId) ?? [])];
  }
  setToken(token: string | undefined): void {
    this.expectedToken = token;
  }

  private channelGuild(channel: ChannelState): GuildState | undefined {
    return channel.guild_id === undefined ? undefined : this.guilds.get(channel.guild_id);
  }

  private permissionsIn(guild: GuildState, channel: ChannelState | undefined, userId: string): bigint {
    const member = guild.members.get(userId);
    return channelPermissions(
      { guildId: guild.id, ownerId: guild.ownerId, userId, roleIds: member?.roles ?? [], roles: guild.roles },
      channel?.permission_overwrites ?? [],
    );
  }

  private dmChannelFor(user: APIUser): ChannelState {
    const existing = this.dmChannels.get(user.id);
    const known = existing === undefined ? undefined : this.channels.get(existing);
    if (known) return known;
    const channel: ChannelState = { id: snowflake(), type: 1, last_message_id: null, flags: 0, recipients: [user] };
    this.channels.set(channel.id, channel);
    this.dmChannels.set(user.id, channel.id);
    return channel;
  }

  private lookupUser(id: string): APIUser {
    const user = this.users.get(id) ?? makeUser(id);
    this.users.set(id, user);
    return user;
  }

  private findCommand(name: string, guildId: string | null): APIApplicationCommand | undefined {
    const guildCmds = guildId === null ? undefined : this.guildCommands.get(guildId);
    return guildCmds?.find((c) => c.name === name && c.type === 1) ?? this.globalCommands.find((c) => c.name === name && c.type === 1);
  }

  private interactionContext(): InteractionContext {
    return {
      applicationId: this.applicationId,
      defaultUser: this.users.get(DEFAULT_USER_ID) ?? makeUser(DEFAULT_USER_ID, { username: 'tester', globalName: 'Tester' }),
      guild: (id) => (this.leftGuilds.has(id) ? undefined : this.guilds.get(id)),
      firstGuildId: () => this.guildIds().find((id) => !this.leftGuilds.has(id)) ?? null,
      channel: (id) => this.channels.get(id),
      firstTextChannelId: (guildId) => this.guilds.get(guildId)?.channelIds.find((id) => this.channels.get(id)?.type === 0),
      dmChannelFor: (user) => this.dmChannelFor(user),
      knownUser: (id) => this.users.get(id),
      rememberMember: (guildId, user, roles, nick) => {
        this.users.set(user.id, user);
        const guild = this.guilds.get(guildId);
        if (!guild) throw new Error(`fake-discord: unknown guild ${guildId}`);
        const existing = guild.members.get(user.id);
        const member: APIGuildMember = existing
          ? { ...existing, user, roles: roles ?? existing.roles, nick: nick === undefined ? (existing.nick ?? null) : nick }
          : makeMember(user, { roles: roles ?? [], nick: nick ?? null });
        if (!existing) guild.memberCount += 1;
        guild.members.set(user.id, member);
        return member;
      },
      memberChannelPermissions: (guildId, channelId, userId) => {
        const guild = this.guilds.get(guildId);
        return guild ? this.permissionsIn(guild, this.channels.get(channelId), userId) : 0n;
      },
      botChannelPermissions: (guildId, channelId) => {
        const guild = this.guilds.get(guildId);
        return guild ? this.permissionsIn(guild, this.channels.get(channelId), this.botUser.id) : 0n;
      },
      findCommand: (name, guildId) => this.findCommand(name, guildId),
      storedMessage: (id) => this.message(id)?.message,
      newMessageFor: (channelId, customId, componentType) =>
        this.seedMessage(channelId, {
          content: 'Message with a component',
          author: this.botUser,
          components: [
            {
              type: 1,
              components: [
                componentType === 2
                  ? { type: 2, style: 1, label: 'Button', custom_id: customId }
                  : { type: componentType, custom_id: customId, options: [{ label: 'One', value: 'one' }] },
              ],
            },
          ],
        }),
    };
  }

  // ------------------------------------------------------------------------------------------
  // Interaction builders

  chatInput(options: ChatInputOptions): APIChatInputApplicationCommandInteraction {
    return buildChatInput(this.interactionContext(), options);
  }
  autocomplete(options: AutocompleteOptions): APIApplicationCommandAutocompleteInteraction {
    return buildAutocomplete(this.interactionContext(), options);
  }
  button(options: ComponentOptions): APIMessageComponentButtonInteraction {
    return buildButton(this.interactionContext(), options);
  }
  stringSelect(options: StringSelectOptions): APIMessageComponentSelectMenuInteraction {
    return buildStringSelect(this.interactionContext(), options);
  }
  modalSubmit(options: ModalSubmitOptions): APIModalSubmitInteraction {
    return buildModalSubmit(this.interactionContext(), options);
  }
  sendInteraction<T extends { id: string }>(payload: T): T {
    this.dispatch('INTERACTION_CREATE', payload);
    return payload;
  }
  registerHttpInteraction<T extends { id: string }>(payload: T): T {
    this.registerInteraction(payload);
    return payload;
  }
  applyHttpResponse(interactionId: string, body: unknown): void {
    const interaction = this.interactions.get(interactionId);
    if (!interaction) throw new Error(`fake-discord: unknown interaction ${interactionId}`);
    const path = `/interactions/${interactionId}/${interaction.token}/callback`;
    const record: RecordedRequest = { seq: -1, method: 'POST', path, rawPath: path, query: {}, headers: {}, body, multipart: false, fields: {}, files: [] } as unknown as RecordedRequest;
    this.interactionCallback({ params: { id: interactionId, token: interaction.token }, query: new URLSearchParams(), body, parsed: { json: body, multipart: false, fields: {}, files: [] }, record });
  }

  seedMessage(channelId: string, init: { content?: string; author?: APIUser; components?: unknown[] } = {}): APIMessage {
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error(`fake-discord: unknown channel ${channelId}`);
    const author = init.author ?? this.botUser;
    this.users.set(author.id, author);
    const message = this.buildMessage(channel, { content: init.content ?? '', enforceNonce: false, tts: false, components: init.components ?? [] }, [], author, {});
    this.storeMessage({ message, channel, source: 'fixture', ephemeral: false, allowedMentions: undefined, files: [] });
    return message;
  }

  private registerInteraction(d: unknown): void {
    if (!isRecord(d)) return;
    const id = asString(d.id);
    const token = asString(d.token);
    const type = asNumber(d.type);
    if (id === undefined || token === undefined || type === undefined || this.interactions.has(id)) return;
    const member = isRecord(d.member) ? d.member : undefined;
    const userRaw = isRecord(d.user) ? d.user : member && isRecord(member.user) ? member.user : undefined;
    const channel = isRecord(d.channel) ? d.channel : undefined;
    const message = isRecord(d.message) ? d.message : undefined;
    const data = isRecord(d.data) ? d.data : undefined;
    const messageId = message ? asString(message.id) : undefined;
    if (message && messageId !== undefined && !this.message(messageId)) {
      const channelId = asString(message.channel_id);
      const ch = channelId === undefined ? undefined : this.channels.get(channelId);
      if (ch) this.storeMessage({ message: message as unknown as APIMessage, channel: ch, source: 'fixture', ephemeral: false, allowedMentions: undefined, files: [] });
    }
    this.interactions.set(id, {
      id,
      token,
      type,
      applicationId: asString(d.application_id) ?? this.applicationId,
      guildId: asString(d.guild_id) ?? null,
      channelId: asString(d.channel_id) ?? (channel ? (asString(channel.id) ?? null) : null),
      user: userRaw ? (userRaw as unknown as APIUser) : null,
      createdAt: Date.now(),
      sourceMessageId: messageId ?? null,
      acknowledged: false,
      callbackType: null,
      originalMessageId: null,
      loading: false,
      commandName: data ? (asString(data.name) ?? null) : null,
      followupIds: [],
    });
  }

  // ------------------------------------------------------------------------------------------
  // Gateway

  private handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith('/gateway') || this.closed) {
      socket.destroy();
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, Object.fromEntries(url.searchParams)));
  }

  private onConnection(socket: WebSocket, query: Record<string, string>): void {
    const connection: Connection = { socket, session: null, query };
    this.connections.add(connection);
    this.log(`gateway connection ${JSON.stringify(query)}`);
    socket.on('message', (data: RawData, isBinary: boolean) => this.onGatewayFrame(connection, data, isBinary));
    socket.on('close', (code: number) => {
      this.connections.delete(connection);
      const session = connection.session;
      if (session && session.connection === connection) {
        session.connection = null;
        // Discord invalidates the session when the client closes with 1000/1001.
        if (code === 1000 || code === 1001) this.sessions.delete(session.id);
      }
      this.notify();
    });
    socket.on('error', () => undefined);
    if (query.v !== undefined && query.v !== '10') {
      socket.close(4012, 'Invalid API version');
      return;
    }
    if (query.encoding !== undefined && query.encoding !== 'json') {
      socket.close(4002, 'Error while decoding payload.');
      return;
    }
    this.send(connection, { op: 10, d: { heartbeat_interval: this.opts.heartbeatIntervalMs ?? 41250, _trace: ['["fake-discord",{}]'] }, s: null, t: null });
  }

  private send(connection: Connection, payload: { op: number; d: unknown; s: number | null; t: string | null }): void {
    if (connection.socket.readyState !== WebSocket.OPEN) return;
    this.pushLog({ direction: 'out', op: payload.op, t: payload.t, s: payload.s, d: payload.d, at: Date.now() });
    connection.socket.send(JSON.stringify(payload));
  }

  private pushLog(entry: GatewayLogEntry): void {
    this.gatewayLog.push(entry);
    if (this.gatewayLog.length > 5000) this.gatewayLog.splice(0, this.gatewayLog.length - 5000);
  }

  private sendDispatch(session: Session, t: string, d: unknown): void {
    session.seq += 1;
    const event = { s: session.seq, t, d };
    session.events.push(event);
    if (session.events.length > 1000) session.events.splice(0, session.events.length - 1000);
    if (session.connection) this.send(session.connection, { op: 0, d, s: event.s, t });
  }

  private onGatewayFrame(connection: Connection, data: RawData, isBinary: boolean): void {
    let payload: unknown;
    try {
      if (isBinary) throw new Error('binary');
      payload = JSON.parse(data.toString()) as unknown;
    } catch {
      connection.socket.close(4002, 'Error while decoding payload.');
      return;
    }
    if (!isRecord(payload) || typeof payload.op !== 'number') {
      connection.socket.close(4002, 'Error while decoding payload.');
      return;
    }
    this.pushLog({ direction: 'in', op: payload.op, d: payload.d, at: Date.now() });
    const d = payload.d;
    switch (payload.op) {
      case 1: // HEARTBEAT
        this.heartbeats += 1;
        this.send(connection, { op: 11, d: null, s: null, t: null });
        break;
      case 2: // IDENTIFY
        this.onIdentify(connection, d);
        break;
      case 6: // RESUME
        this.onResume(connection, d);
        break;
      case 3: // PRESENCE_UPDATE
      case 4: // VOICE_STATE_UPDATE
        if (!connection.session) connection.socket.close(4003, 'Not authenticated.');
        break;
      case 8: // REQUEST_GUILD_MEMBERS
        if (!connection.session) connection.socket.close(4003, 'Not authenticated.');
        else this.onRequestGuildMembers(connection.session, d);
        break;
      default:
        connection.socket.close(4001, 'Unknown opcode.');
    }
    this.notify();
  }

  private onIdentify(connection: Connection, d: unknown): void {
    if (connection.session) {
      connection.socket.close(4005, 'Already authenticated.');
      return;
    }
    const body = isRecord(d) ? d : {};
    const token = asString(body.token) ?? '';
    const intents = asNumber(body.intents) ?? -1;
    const shardRaw = asArray(body.shard);
    const shard: [number, number] = [asNumber(shardRaw?.[0]) ?? 0, asNumber(shardRaw?.[1]) ?? 1];
    const record: RecordedIdentify = {
      token,
      intents,
      properties: body.properties,
      shard,
      compress: body.compress,
      largeThreshold: body.large_threshold,
      presence: body.presence,
      query: connection.query,
      accepted: false,
      at: Date.now(),
    };
    this.identifies.push(record);
    const mode = this.opts.rejectInvalidToken ?? 'both';
    if (this.expectedToken !== undefined && mode !== 'rest' && token !== this.expectedToken) {
      connection.socket.close(4004, 'Authentication failed.');
      return;
    }
    if (intents < 0 || (intents & ~KNOWN_INTENTS) !== 0) {
      connection.socket.close(4013, 'Invalid intent(s).');
      return;
    }
    const allowedPrivileged = this.opts.privilegedIntents ?? PRIVILEGED_INTENTS;
    if ((intents & PRIVILEGED_INTENTS & ~allowedPrivileged) !== 0) {
      connection.socket.close(4014, 'Disallowed intent(s).');
      return;
    }
    if (shard[1] < 1 || shard[0] < 0 || shard[0] >= shard[1]) {
      connection.socket.close(4010, 'Invalid shard.');
      return;
    }
    record.accepted = true;
    const session: Session = { id: randomBytes(16).toString('hex'), token, intents, shard, seq: 0, events: [], connection };
    connection.session = session;
    this.sessions.set(session.id, session);
    const myGuilds = this.guildIds().filter((id) => !this.leftGuilds.has(id) && shardForGuild(id, shard[1]) === shard[0]);
    const ready: GatewayReadyDispatchData = {
      v: 10,
      user: { ...this.botUser, verified: true, mfa_enabled: false },
      guilds: myGuilds.map((id) => ({ id, unavailable: true })),
      session_id: session.id,
      resume_gateway_url: `ws://127.0.0.1:${this.port}/gateway/resume`,
      shard,
      application: { id: this.applicationId, flags: this.applicationFlags(), flags_new: String(this.applicationFlags()) },
    };
    this.sendDispatch(session, 'READY', ready);
    for (const id of myGuilds) this.sendDispatch(session, 'GUILD_CREATE', this.guildCreateData(id));
  }

  private guildCreateData(guildId: string): ReturnType<typeof guildCreatePayload> {
    const guild = this.guilds.get(guildId);
    if (!guild) throw new Error(`fake-discord: unknown guild ${guildId}`);
    const channels = guild.channelIds.map((id) => this.channels.get(id)).filter((c): c is ChannelState => c !== undefined);
    return guildCreatePayload(guild, channels);
  }

  private applicationFlags(): number {
    const allowed = this.opts.privilegedIntents ?? PRIVILEGED_INTENTS;
    let flags = 0;
    if (allowed & INTENT_GUILD_PRESENCES) flags |= 1 << 13; // GATEWAY_PRESENCE_LIMITED
    if (allowed & INTENT_GUILD_MEMBERS) flags |= 1 << 15; // GATEWAY_GUILD_MEMBERS_LIMITED
    if (allowed & INTENT_MESSAGE_CONTENT) flags |= 1 << 19; // GATEWAY_MESSAGE_CONTENT_LIMITED
    return flags;
  }

  private onResume(connection: Connection, d: unknown): void {
    this.resumes += 1;
    const body = isRecord(d) ? d : {};
    const session = this.sessions.get(asString(body.session_id) ?? '');
    const seq = asNumber(body.seq) ?? 0;
    if (!session || session.token !== asString(body.token) || (session.connection && session.connection !== connection)) {
      this.send(connection, { op: 9, d: false, s: null, t: null });
      return;
    }
    session.connection = connection;
    connection.session = session;
    for (const event of session.events) {
      if (event.s > seq) this.send(connection, { op: 0, d: event.d, s: event.s, t: event.t });
    }
    this.sendDispatch(session, 'RESUMED', { _trace: ['fake-discord'] });
  }

  private onRequestGuildMembers(session: Session, d: unknown): void {
    const body = isRecord(d) ? d : {};
    const guildIds = Array.isArray(body.guild_id) ? body.guild_id.filter((v): v is string => typeof v === 'string') : [asString(body.guild_id) ?? ''];
    const userIds = asArray(body.user_ids)?.filter((v): v is string => typeof v === 'string') ?? (typeof body.user_ids === 'string' ? [body.user_ids] : undefined);
    const query = asString(body.query);
    const limit = asNumber(body.limit) ?? 0;
    for (const guildId of guildIds) {
      const guild = this.guilds.get(guildId);
      if (!guild) continue;
      let members = [...guild.members.values()];
      const notFound: string[] = [];
      if (userIds) {
        notFound.push(...userIds.filter((id) => !guild.members.has(id)));
        members = members.filter((m) => userIds.includes(m.user.id));
      } else if (query !== undefined && query !== '') {
        members = members.filter((m) => m.user.username.toLowerCase().startsWith(query.toLowerCase()));
      }
      if (limit > 0) members = members.slice(0, limit);
      const chunk: Record<string, unknown> = { guild_id: guildId, members, chunk_index: 0, chunk_count: 1 };
      if (notFound.length > 0) chunk.not_found = notFound;
      if (body.nonce !== undefined) chunk.nonce = body.nonce;
      this.sendDispatch(session, 'GUILD_MEMBERS_CHUNK', chunk);
    }
  }

  dispatch(t: string, d: unknown, options: { shardId?: number } = {}): void {
    const targets = this.routeSessions(d, t, options.shardId);
    if (targets.length === 0) throw new Error(`fake-discord: no gateway session to receive ${t} (is the client logged in?)`);
    if (t === 'INTERACTION_CREATE') this.registerInteraction(d);
    for (const session of targets) this.sendDispatch(session, t, d);
    this.notify();
  }

  private routeSessions(d: unknown, t: string, shardId: number | undefined): Session[] {
    const sessions = [...this.sessions.values()];
    if (shardId !== undefined) return sessions.filter((s) => s.shard[0] === shardId);
    let guildId: string | undefined;
    if (isRecord(d)) guildId = asString(d.guild_id) ?? (t.startsWith('GUILD_') ? asString(d.id) : undefined);
    return sessions.filter((s) => (guildId === undefined ? s.shard[0] === 0 : shardForGuild(guildId, s.shard[1]) === s.shard[0]));
  }

  /** Fake-generated events (MESSAGE_CREATE…) go only to sessions whose intents ask for them. */
  private emitToIntent(t: string, d: unknown, intent: number, guildId: string | undefined): void {
    for (const session of this.sessions.values()) {
      if ((session.intents & intent) === 0) continue;
      if (guildId !== undefined && shardForGuild(guildId, session.shard[1]) !== session.shard[0]) continue;
      if (guildId === undefined && session.shard[0] !== 0) continue;
      this.sendDispatch(session, t, d);
    }
  }

  guildCreate(input: FakeGuild): void {
    const guild = this.addGuild(input);
    this.dispatch('GUILD_CREATE', this.guildCreateData(guild.id));
  }

  removeBot(guildId: string): void {
    this.leftGuilds.add(guildId);
  }

  guildDelete(guildId: string, options: { unavailable?: boolean } = {}): void {
    if (options.unavailable) {
      this.dispatch('GUILD_DELETE', { id: guildId, unavailable: true });
      return;
    }
    this.leftGuilds.add(guildId);
    this.dispatch('GUILD_DELETE', { id: guildId });
  }

  reconnect(): void {
    for (const c of this.connections) this.send(c, { op: 7, d: null, s: null, t: null });
  }

  closeGateway(code = 4000): void {
    for (const c of this.connections) c.socket.close(code, 'fake-discord closeGateway');
  }

  invalidateSession(resumable = false): void {
    for (const c of this.connections) {
      if (!resumable && c.session) this.sessions.delete(c.session.id);
      this.send(c, { op: 9, d: resumable, s: null, t: null });
    }
  }

  // ------------------------------------------------------------------------------------------
  // Waiting

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  waitFor<T>(check: () => T | undefined, timeoutMs = 2000, what = 'condition'): Promise<T> {
    const first = check();
    if (first !== undefined) return Promise.resolve(first);
    return new Promise<T>((resolve, reject) => {
      const pending = {
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          this.pendingTimers.delete(pending);
          reject(new Error(`fake-discord: timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs),
        reject: (e: Error) => reject(e),
      };
      const waiter = (): void => {
        const value = check();
        if (value === undefined) return;
        clearTimeout(pending.timer);
        this.waiters.delete(waiter);
        this.pendingTimers.delete(pending);
        resolve(value);
      };
      this.waiters.add(waiter);
      this.pendingTimers.add(pending);
    });
  }

  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs = 2000, since = 0): Promise<RecordedRequest> {
    return this.waitFor(() => this.requests.slice(since).find((r) => r.status !== 0 && predicate(r)), timeoutMs, 'a matching request');
  }

  waitForCallback(interactionId: string, timeoutMs = 2000): Promise<RecordedCallback> {
    return this.waitFor(() => this.callbacks.find((c) => c.interactionId === interactionId), timeoutMs, `the callback of interaction ${interactionId}`);
  }

  waitForIdentify(timeoutMs = 2000): Promise<RecordedIdentify> {
    return this.waitFor(() => this.identifies[0], timeoutMs, 'IDENTIFY');
  }

  // ------------------------------------------------------------------------------------------
  // Failures

  failNext(matcher: RequestMatcher, spec: FailureSpec): ScriptedFailure {
    const entry: FailureEntry = { matcher, spec, remaining: spec.times ?? 1, hits: 0 };
    this.failures.push(entry);
    return {
      spec,
      get hits() {
        return entry.hits;
      },
      get remaining() {
        return entry.remaining;
      },
      cancel: () => {
        entry.remaining = 0;
      },
    };
  }

  private matchFailure(record: RecordedRequest): FailureEntry | undefined {
    for (const entry of this.failures) {
      if (entry.remaining <= 0) continue;
      const m = entry.matcher;
      const hit =
        typeof m === 'function'
          ? m(record)
          : (m.method === undefined || m.method.toUpperCase() === record.method) &&
            (m.path === undefined || (typeof m.path === 'string' ? m.path === record.path : m.path.test(record.path)));
      if (hit) return entry;
    }
    return undefined;
  }

  private failureResponse(entry: FailureEntry, record: RecordedRequest): { status: number; body: unknown; headers: Record<string, string> } {
    entry.remaining -= 1;
    entry.hits += 1;
    const { spec } = entry;
    const headers: Record<string, string> = { ...this.rateLimitHeaders(record.method, record.path) };
    let body: DiscordErrorBody | Record<string, unknown> = { ...defaultErrorBody(spec.status, record.path) };
    if (spec.code !== undefined) body.code = spec.code;
    if (spec.message !== undefined) body.message = spec.message;
    if (spec.status === 429) {
      const retryAfter = spec.retryAfter ?? 0.05;
      const scope = spec.scope ?? (spec.global ? 'global' : 'user');
      body = { message: spec.message ?? 'You are being rate limited.', retry_after: retryAfter, global: spec.global ?? false, ...(spec.code === undefined ? {} : { code: spec.code }) };
      headers['Retry-After'] = String(retryAfter);
      headers['X-RateLimit-Remaining'] = '0';
      headers['X-RateLimit-Reset-After'] = String(retryAfter);
      headers['X-RateLimit-Reset'] = ((Date.now() + retryAfter * 1000) / 1000).toFixed(3);
      headers['X-RateLimit-Scope'] = scope;
      if (spec.global) headers['X-RateLimit-Global'] = 'true';
    }
    return { status: spec.status, body: spec.body ?? body, headers: { ...headers, ...spec.headers } };
  }

  // ------------------------------------------------------------------------------------------
  // HTTP

  private rateLimitHeaders(method: string, path: string): Record<string, string> {
    const { limit, windowMs } = this.opts.rateLimit ?? { limit: 50, windowMs: 1000 };
    const parts = splitPath(path);
    const majorIndex = ['channels', 'guilds', 'webhooks'].includes(parts[0] ?? '') ? 1 : -1;
    const bucketRoute = parts
      .map((p, i) => (i === majorIndex ? p : /^\d{15,21}$/.test(p) ? ':id' : i === 2 && (parts[0] === 'webhooks' || parts[0] === 'interactions') ? ':token' : p))
      .join('/');
    const major = majorIndex === 1 ? (parts[1] ?? '') : 'global';
    const key = `${method}:${bucketRoute}:${major}`;
    const now = Date.now();
    let bucket = this.buckets.get(key);
    if (!bucket || now >= bucket.resetAt) {
      bucket = { remaining: limit, resetAt: now + windowMs };
      this.buckets.set(key, bucket);
    }
    bucket.remaining = Math.max(0, bucket.remaining - 1);
    const hash = createHash('sha1').update(`${method}:${bucketRoute}`).digest('hex').slice(0, 32);
    return {
      'X-RateLimit-Limit': String(limit),
      'X-RateLimit-Remaining': String(bucket.remaining),
      'X-RateLimit-Reset': (bucket.resetAt / 1000).toFixed(3),
      'X-RateLimit-Reset-After': ((bucket.resetAt - now) / 1000).toFixed(3),
      'X-RateLimit-Bucket': hash,
    };
  }

  private async handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = (req.method ?? 'GET').toUpperCase();
    const raw = await readRaw(req);
    if (url.pathname.startsWith('/attachments/')) {
      this.serveAttachment(url.pathname, res);
      return;
    }
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    const inApi = url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`);
    const path = inApi ? decodePath(url.pathname.slice(API_PREFIX.length)) || '/' : decodePath(url.pathname);
    const record: RecordedRequest = {
      seq: ++this.requestSeq,
      method,
      path,
      rawPath: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: undefined,
      multipart: false,
      fields: {},
      files: [],
      at: Date.now(),
      status: 0,
      response: undefined,
    };
    this.requests.push(record);
    let status = 500;
    let body: unknown;
    let extraHeaders: Record<string, string> = {};
    try {
      const parsed = await parseBody(raw, headers['content-type']);
      record.body = parsed.json;
      record.multipart = parsed.multipart;
      record.fields = parsed.fields;
      record.files = parsed.files;
      const failure = this.matchFailure(record);
      if (failure) {
        ({ status, body, headers: extraHeaders } = this.failureResponse(failure, record));
      } else if (!inApi) {
        throw /^\/api\/v\d+/.test(url.pathname) ? apiError(400, 50041, 'Invalid API version') : errors.notFound();
      } else {
        const match = matchRoute(this.routes, method, path);
        if (match === undefined) throw errors.notFound();
        if (match === 'method') throw errors.methodNotAllowed();
        if (match.route.auth) this.checkAuth(headers.authorization);
        const reply = await match.route.handler({ params: match.params, query: url.searchParams, body: parsed.json, parsed, record });
        status = reply.status;
        body = reply.body;
        extraHeaders = this.rateLimitHeaders(method, path);
      }
    } catch (error) {
      if (error instanceof DiscordHttpError) {
        status = error.status;
        body = error.body;
        extraHeaders = { ...this.rateLimitHeaders(method, path), ...error.headers };
      } else {
        this.log(`handler error on ${method} ${path}: ${String(error)}`);
        status = 500;
        body = { message: '500: Internal Server Error', code: 0 };
      }
    }
    record.status = status;
    record.response = body;
    this.log(`${method} ${record.rawPath}${url.search} -> ${status}`);
    const out: Record<string, string> = { ...extraHeaders, Via: '1.1 google', 'X-Fake-Discord': '1' };
    if (status === 204 || body === undefined) {
      res.writeHead(status === 200 && body === undefined ? 204 : status, out);
      res.end();
    } else {
      out['Content-Type'] = 'application/json';
      res.writeHead(status, out);
      res.end(JSON.stringify(body));
    }
    this.notify();
  }

  private serveAttachment(pathname: string, res: ServerResponse): void {
    const id = splitPath(pathname)[2] ?? '';
    const file = this.attachmentData.get(id);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': String(file.size) });
    res.end(file.data);
  }

  private checkAuth(authorization: string | undefined): void {
    if (!authorization) throw errors.unauthorized();
    const m = /^Bot (.+)$/.exec(authorization);
    if (!m) throw errors.unauthorized();
    const mode = this.opts.rejectInvalidToken ?? 'both';
    if (this.expectedToken !== undefined && mode !== 'gateway' && m[1] !== this.expectedToken) throw errors.unauthorized();
  }

  private route(method: string, pattern: string, handler: Handler, auth = true): void {
    this.routes.push({ method, segments: splitPath(pattern), handler, auth });
  }

  private registerRoutes(): void {
    this.route('GET', '/gateway', () => ok({ url: this.gatewayUrl }), false);
    this.route('GET', '/gateway/bot', () =>
      ok({
        url: this.gatewayUrl,
        shards: this.opts.shards ?? 1,
        session_start_limit: {
          total: 1000,
          remaining: Math.max(0, 1000 - this.identifies.length),
          reset_after: 86_400_000,
          max_concurrency: 1,
        },
      }),
    );
    this.route('GET', '/users/@me', () => ok({ ...this.botUser, verified: true, mfa_enabled: false, locale: 'en-US', email: null }));
    this.route('GET', '/users/@me/guilds', () =>
      ok(
        this.guildIds()
          .filter((id) => !this.leftGuilds.has(id))
          .map((id) => {
            const g = this.guilds.get(id);
            return { id, name: g?.name, icon: null, banner: null, owner: g?.ownerId === this.botUser.id, permissions: g ? this.permissionsIn(g, undefined, this.botUser.id).toString() : '0', features: g?.features ?? [] };
          }),
      ),
    );
    this.route('POST', '/users/@me/channels', ({ body }) => {
      const recipient = isRecord(body) ? asString(body.recipient_id) : undefined;
      if (recipient === undefined) {
        const form = new FormErrors();
        form.add(['recipient_id'], 'BASE_TYPE_REQUIRED', 'This field is required');
        form.throwIfAny();
      }
      return ok(this.dmChannelFor(this.lookupUser(recipient ?? '')));
    });
    this.route('GET', '/users/:user', ({ params }) => {
      const user = this.users.get(params.user ?? '');
      if (!user) throw errors.unknownUser();
      return ok(user);
    });
    this.route('GET', '/applications/@me', () => ok(this.applicationObject()));
    this.route('GET', '/oauth2/applications/@me', () => ok(this.applicationObject()));

    // Commands
    for (const scope of ['global', 'guild'] as const) {
      const base = scope === 'global' ? '/applications/:app/commands' : '/applications/:app/guilds/:guild/commands';
      this.route('GET', base, (ctx) => ok(this.commandList(ctx.params)));
      this.route('PUT', base, (ctx) => ok(this.bulkOverwrite(ctx.params, ctx.body)));
      this.route('POST', base, (ctx) => this.createCommand(ctx.params, ctx.body));
      this.route('GET', `${base}/:command`, (ctx) => ok(this.getCommand(ctx.params)));
      this.route('PATCH', `${base}/:command`, (ctx) => ok(this.editCommand(ctx.params, ctx.body)));
      this.route('DELETE', `${base}/:command`, (ctx) => {
        const list = this.commandList(ctx.params);
        const index = list.findIndex((c) => c.id === ctx.params.command);
        if (index < 0) throw errors.unknownCommand();
        list.splice(index, 1);
        return noContent();
      });
    }

    // Interactions
    this.route('POST', '/interactions/:id/:token/callback', (ctx) => this.interactionCallback(ctx), false);
    this.route('GET', '/webhooks/:app/:token/messages/:message', (ctx) => ok(this.webhookMessage(ctx.params).message), false);
    this.route('PATCH', '/webhooks/:app/:token/messages/:message', (ctx) => ok(this.editWebhookMessage(ctx)), false);
    this.route(
      'DELETE',
      '/webhooks/:app/:token/messages/:message',
      (ctx) => {
        const record = this.webhookMessage(ctx.params);
        this.deleteMessage(record);
        return noContent();
      },
      false,
    );
    this.route('POST', '/webhooks/:app/:token', (ctx) => this.followUp(ctx), false);

    // Channels and messages
    this.route('GET', '/channels/:channel', ({ params }) => {
      const channel = this.accessibleChannel(params.channel ?? '');
      return ok(channel);
    });
    this.route('POST', '/channels/:channel/messages', (ctx) => ok(this.createChannelMessage(ctx)));
    this.route('GET', '/channels/:channel/messages', ({ params, query }) => {
      const channel = this.accessibleChannel(params.channel ?? '', Permission.ReadMessageHistory);
      const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 50)));
      const before = query.get('before');
      const after = query.get('after');
      let list = this.channelMessages(channel.id);
      if (before) list = list.filter((m) => BigInt(m.id) < BigInt(before));
      if (after) list = list.filter((m) => BigInt(m.id) > BigInt(after));
      return ok(list.reverse().slice(0, limit));
    });
    this.route('GET', '/channels/:channel/messages/:message', ({ params }) => ok(this.channelMessageRecord(params).message));
    this.route('PATCH', '/channels/:channel/messages/:message', (ctx) => {
      const record = this.channelMessageRecord(ctx.params);
      if (record.message.author.id !== this.botUser.id) throw errors.cannotEditOthers();
      return ok(this.applyEdit(record, ctx.body, ctx.parsed.files));
    });
    this.route('DELETE', '/channels/:channel/messages/:message', ({ params }) => {
      const record = this.channelMessageRecord(params);
      if (record.message.author.id !== this.botUser.id) {
        const channel = this.accessibleChannel(params.channel ?? '');
        const guild = this.channelGuild(channel);
        if (guild && !has(this.permissionsIn(guild, channel, this.botUser.id), Permission.ManageMessages)) throw errors.missingPermissions();
      }
      this.deleteMessage(record);
      return noContent();
    });
    this.route('POST', '/channels/:channel/typing', ({ params }) => {
      this.accessibleChannel(params.channel ?? '', Permission.SendMessages);
      return noContent();
    });

    // Guilds
    this.route('GET', '/guilds/:guild', ({ params, query }) => {
      const guild = this.memberGuild(params.guild ?? '');
      const channels = guild.channelIds.map((id) => this.channels.get(id));
      const body: Record<string, unknown> = { ...guildObject(guild, channels.find((c) => c?.type === 0)?.id ?? null) };
      if (query.get('with_counts') === 'true') {
        body.approximate_member_count = guild.memberCount;
        body.approximate_presence_count = 0;
      }
      return ok(body);
    });
    this.route('GET', '/guilds/:guild/channels', ({ params }) => {
      const guild = this.memberGuild(params.guild ?? '');
      return ok(guild.channelIds.map((id) => this.channels.get(id)).filter((c) => c !== undefined));
    });
    this.route('GET', '/guilds/:guild/roles', ({ params }) => ok(this.memberGuild(params.guild ?? '').roles));
    this.route('GET', '/guilds/:guild/members', ({ params, query }) => {
      const guild = this.memberGuild(params.guild ?? '');
      const limit = Math.min(1000, Math.max(1, Number(query.get('limit') ?? 1)));
      return ok([...guild.members.values()].slice(0, limit));
    });
    this.route('GET', '/guilds/:guild/members/:user', ({ params }) => {
      const guild = this.memberGuild(params.guild ?? '');
      const member = guild.members.get(params.user === '@me' ? this.botUser.id : (params.user ?? ''));
      if (!member) throw errors.unknownMember();
      return ok(member);
    });
  }

  private applicationObject(): APIApplication {
    return {
      id: this.applicationId,
      name: this.botUser.username,
      icon: null,
      description: '',
      summary: '',
      bot_public: true,
      bot_require_code_grant: false,
      bot: this.botUser,
      verify_key: createHash('sha256').update(this.applicationId).digest('hex'),
      team: null,
      owner: this.lookupUser(DEFAULT_OWNER_ID),
      flags: this.applicationFlags(),
      flags_new: String(this.applicationFlags()),
      redirect_uris: [],
      interactions_endpoint_url: null,
      approximate_guild_count: this.guilds.size - this.leftGuilds.size,
      integration_types_config: { 0: {} },
    };
  }

  private memberGuild(guildId: string): GuildState {
    const guild = this.guilds.get(guildId);
    if (!guild) throw errors.unknownGuild();
    if (this.leftGuilds.has(guildId)) throw errors.missingAccess();
    return guild;
  }

  /** The channel, or 404 Unknown Channel / 403 Missing Access (no View Channel, or bot not in the guild) / 403 Missing Permissions. */
  private accessibleChannel(channelId: string, needs: bigint = 0n): ChannelState {
    const channel = this.channels.get(channelId);
    if (!channel) throw errors.unknownChannel();
    if (channel.guild_id === undefined) return channel;
    if (this.leftGuilds.has(channel.guild_id)) throw errors.missingAccess();
    const guild = this.channelGuild(channel);
    if (guild && this.opts.enforcePermissions !== false) {
      const perms = this.permissionsIn(guild, channel, this.botUser.id);
      if (!has(perms, Permission.ViewChannel)) throw errors.missingAccess();
      if (needs !== 0n && !has(perms, needs)) throw errors.missingPermissions();
    }
    return channel;
  }

  // ------------------------------------------------------------------------------------------
  // Messages

  private buildMessage(
    channel: ChannelState,
    input: MessageInput,
    attachments: APIMessage['attachments'],
    author: APIUser,
    extra: { webhookId?: string; interaction?: InteractionRecord; flags?: number; type?: number; referenced?: APIMessage },
  ): APIMessage {
    const guild = this.channelGuild(channel);
    const mentions = resolveMentions(input.content ?? '', input.allowedMentions, {
      lookupUser: (id) => this.lookupUser(id),
      roleExists: (id) => guild?.roles.some((r) => r.id === id) ?? false,
      canMentionEveryone: guild ? has(this.permissionsIn(guild, channel, author.id), Permission.MentionEveryone) : false,
    });
    const message: APIMessage = {
      id: snowflake(),
      channel_id: channel.id,
      author,
      content: input.content ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: input.tts,
      ...mentions,
      attachments,
      embeds: input.embeds ?? [],
      pinned: false,
      type: extra.type ?? 0,
      flags: extra.flags ?? input.flags ?? 0,
      components: (input.components ?? []) as APIMessageTopLevelComponent[],
    };
    if (input.nonce !== undefined) message.nonce = input.nonce;
    if (extra.referenced) {
      message.type = 19;
      message.message_reference = { type: 0, message_id: extra.referenced.id, channel_id: channel.id, ...(guild ? { guild_id: guild.id } : {}) };
      message.referenced_message = extra.referenced;
      const repliedAllowed = input.allowedMentions === undefined || input.allowedMentions.replied_user === true;
      if (repliedAllowed && !message.mentions.some((u) => u.id === extra.referenced?.author.id)) {
        message.mentions = [...message.mentions, extra.referenced.author];
      }
    }
    if (extra.webhookId !== undefined) {
      message.webhook_id = extra.webhookId;
      message.application_id = this.applicationId;
    }
    const interaction = extra.interaction;
    if (interaction) {
      const user = interaction.user ?? this.botUser;
      message.interaction_metadata = {
        id: interaction.id,
        type: interaction.type,
        user,
        authorizing_integration_owners: interaction.guildId ? { 0: interaction.guildId } : { 0: '0' },
      } as APIMessage['interaction_metadata'];
      if (interaction.type === 2 && interaction.commandName !== null) {
        message.interaction = { id: interaction.id, type: 2, name: interaction.commandName, user };
      }
    }
    return message;
  }

  private storeMessage(init: Omit<FakeMessageRecord, 'deleted' | 'createdAt' | 'channelId' | 'guildId'> & { channel: ChannelState }): FakeMessageRecord {
    const { channel, ...rest } = init;
    const record: FakeMessageRecord = { ...rest, channelId: channel.id, guildId: channel.guild_id ?? null, deleted: false, createdAt: Date.now() };
    this.messages.push(record);
    if (!record.ephemeral) channel.last_message_id = record.message.id;
    return record;
  }

  private publish(t: 'MESSAGE_CREATE' | 'MESSAGE_UPDATE', record: FakeMessageRecord): void {
    if (record.ephemeral) return;
    const channel = this.channels.get(record.channelId);
    if (!channel) return;
    const guild = this.channelGuild(channel);
    const d: Record<string, unknown> = { ...record.message };
    if (guild) {
      d.guild_id = guild.id;
      const member = guild.members.get(record.message.author.id);
      if (member && record.message.webhook_id === undefined) {
        const { user: _user, ...rest } = member;
        void _user;
        d.member = rest;
      }
    }
    this.emitToIntent(t, d, guild ? INTENT_GUILD_MESSAGES : INTENT_DIRECT_MESSAGES, guild?.id);
  }

  private deleteMessage(record: FakeMessageRecord): void {
    record.deleted = true;
    if (record.ephemeral) return;
    const d: Record<string, unknown> = { id: record.message.id, channel_id: record.channelId };
    if (record.guildId) d.guild_id = record.guildId;
    this.emitToIntent('MESSAGE_DELETE', d, record.guildId ? INTENT_GUILD_MESSAGES : INTENT_DIRECT_MESSAGES, record.guildId ?? undefined);
  }

  private createChannelMessage(ctx: Ctx): APIMessage {
    const channelId = ctx.params.channel ?? '';
    const channel = this.accessibleChannel(channelId);
    if (![0, 1, 2, 3, 5, 10, 11, 12, 13].includes(channel.type)) throw errors.nonTextChannel();
    const guild = this.channelGuild(channel);
    if (guild && this.opts.enforcePermissions !== false) {
      const perms = this.permissionsIn(guild, channel, this.botUser.id);
      if (!has(perms, Permission.SendMessages)) throw errors.missingPermissions();
      if (ctx.parsed.files.length > 0 && !has(perms, Permission.AttachFiles)) throw errors.missingPermissions();
    }
    const input = parseMessageBody(ctx.body);
    if (!hasMessageContent(input, ctx.parsed.files.length)) throw errors.emptyMessage();
    if (input.enforceNonce && input.nonce !== undefined) {
      const window = this.opts.nonceWindowMs ?? 5 * 60_000;
      const existing = this.messages.find(
        (m) =>
          m.channelId === channel.id &&
          m.message.author.id === this.botUser.id &&
          m.nonce !== undefined &&
          String(m.nonce) === String(input.nonce) &&
          Date.now() - m.createdAt <= window,
      );
      if (existing) return existing.message;
    }
    let referenced: APIMessage | undefined;
    if (input.messageReference) {
      const target = this.message(input.messageReference.message_id);
      if (target && !target.deleted && target.channelId === channel.id) referenced = target.message;
      else if (input.messageReference.fail_if_not_exists !== false) {
        const form = new FormErrors();
        form.add(['message_reference'], 'MESSAGE_REFERENCE_UNKNOWN_MESSAGE', 'Unknown message');
        form.throwIfAny();
      }
    }
    const { attachments, data } = makeAttachments(
      ctx.parsed.files,
      input.attachments,
      (id, filename) => `${this.baseUrl}/attachments/${channel.id}/${id}/${encodeURIComponent(filename)}`,
      () => snowflake(),
    );
    for (const [id, file] of data) this.attachmentData.set(id, file);
    const extra: { referenced?: APIMessage } = {};
    if (referenced) extra.referenced = referenced;
    const message = this.buildMessage(channel, input, attachments, this.botUser, extra);
    const record = this.storeMessage({ message, channel, source: 'channel', ephemeral: false, allowedMentions: isRecord(ctx.body) ? ctx.body.allowed_mentions : undefined, files: ctx.parsed.files, ...(input.nonce === undefined ? {} : { nonce: input.nonce }) });
    this.publish('MESSAGE_CREATE', record);
    return message;
  }

  private channelMessageRecord(params: Params): FakeMessageRecord {
    const channel = this.accessibleChannel(params.channel ?? '');
    const record = this.message(params.message ?? '');
    if (!record || record.deleted || record.channelId !== channel.id || record.ephemeral) throw errors.unknownMessage();
    return record;
  }

  /** PATCH semantics: fields present replace, absent fields stay; null clears. Editing ends a deferred "thinking" state. */
  private applyEdit(record: FakeMessageRecord, body: unknown, files: StoredFile[], path: ReadonlyArray<string | number> = []): APIMessage {
    const input = parseMessageBody(body, path);
    const b = isRecord(body) ? body : {};
    const m: APIMessage = structuredClone(record.message);
    if ('content' in b) m.content = input.content ?? '';
    if ('embeds' in b) m.embeds = input.embeds ?? [];
    if ('components' in b) m.components = (input.components ?? []) as APIMessageTopLevelComponent[];
    const ephemeralBit = (m.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL;
    if ('flags' in b && input.flags !== undefined) m.flags = input.flags;
    m.flags = (((m.flags ?? 0) & ~MESSAGE_FLAG_LOADING) & ~MESSAGE_FLAG_EPHEMERAL) | ephemeralBit;
    let newFiles: StoredFile[] = [];
    if ('attachments' in b || files.length > 0) {
      const keep = (asArray(b.attachments) ?? []).filter(isRecord).map((a) => asString(a.id)).filter((id): id is string => id !== undefined);
      const kept = 'attachments' in b ? m.attachments.filter((a) => keep.includes(a.id)) : m.attachments;
      const channelId = record.channelId;
      const { attachments, data } = makeAttachments(files, input.attachments, (id, filename) => `${this.baseUrl}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`, () => snowflake());
      for (const [id, file] of data) this.attachmentData.set(id, file);
      m.attachments = [...kept, ...attachments];
      newFiles = files;
    }
    if ('allowed_mentions' in b || 'content' in b) {
      const channel = this.channels.get(record.channelId);
      const guild = channel ? this.channelGuild(channel) : undefined;
      Object.assign(
        m,
        resolveMentions(m.content, input.allowedMentions, {
          lookupUser: (id) => this.lookupUser(id),
          roleExists: (id) => guild?.roles.some((r) => r.id === id) ?? false,
          canMentionEveryone: guild && channel ? has(this.permissionsIn(guild, channel, m.author.id), Permission.MentionEveryone) : false,
        }),
      );
    }
    if (m.content === '' && m.embeds.length === 0 && (m.components ?? []).length === 0 && m.attachments.length === 0 && m.poll === undefined) {
      throw errors.emptyMessage();
    }
    m.edited_timestamp = new Date().toISOString();
    record.message = m;
    record.files = [...record.files, ...newFiles];
    if ('allowed_mentions' in b) record.allowedMentions = b.allowed_mentions;
    this.publish('MESSAGE_UPDATE', record);
    return m;
  }

  // ------------------------------------------------------------------------------------------
  // Interaction callbacks and webhooks

  private interactionCallback(ctx: Ctx): Reply {
    const interaction = this.interactions.get(ctx.params.id ?? '');
    if (!interaction || interaction.token !== ctx.params.token) throw errors.unknownInteraction();
    const deadline = this.opts.interactionResponseDeadlineMs === undefined ? 3000 : this.opts.interactionResponseDeadlineMs;
    if (!interaction.acknowledged && deadline !== null && Date.now() - interaction.createdAt > deadline) throw errors.unknownInteraction();
    if (interaction.acknowledged) throw errors.alreadyAcknowledged();
    const body = isRecord(ctx.body) ? ctx.body : {};
    const type = asNumber(body.type);
    const allowed: Record<number, number[]> = {
      2: [4, 5, 9, 12],
      3: [4, 5, 6, 7, 9, 12],
      4: [8],
      5: interaction.sourceMessageId ? [4, 5, 6, 7] : [4, 5],
    };
    const permitted = allowed[interaction.type] ?? [];
    if (type === undefined || !permitted.includes(type)) {
      const form = new FormErrors();
      form.add(['type'], 'BASE_TYPE_CHOICES', `Value must be one of {${permitted.join(', ')}}.`);
      form.throwIfAny();
    }
    const data = body.data;
    const channel = interaction.channelId === null ? undefined : this.channels.get(interaction.channelId);
    let resourceMessage: APIMessage | undefined;
    switch (type) {
      case 4: {
        const input = parseMessageBody(data, ['data']);
        if (!hasMessageContent(input, ctx.parsed.files.length)) throw errors.emptyMessage();
        if (!channel) throw errors.unknownChannel();
        const ephemeral = ((input.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL) !== 0;
        const { attachments, data: files } = makeAttachments(ctx.parsed.files, input.attachments, (id, filename) => `${this.baseUrl}/attachments/${channel.id}/${id}/${encodeURIComponent(filename)}`, () => snowflake());
        for (const [id, file] of files) this.attachmentData.set(id, file);
        const message = this.buildMessage(channel, input, attachments, this.botUser, {
          webhookId: this.applicationId,
          interaction,
          type: interaction.type === 2 ? 20 : 0,
        });
        const record = this.storeMessage({ message, channel, source: 'interaction', interactionId: interaction.id, ephemeral, allowedMentions: isRecord(data) ? data.allowed_mentions : undefined, files: ctx.parsed.files });
        interaction.originalMessageId = message.id;
        this.publish('MESSAGE_CREATE', record);
        resourceMessage = message;
        break;
      }
      case 5: {
        if (!channel) throw errors.unknownChannel();
        const flags = isRecord(data) ? (asNumber(data.flags) ?? 0) : 0;
        const ephemeral = (flags & MESSAGE_FLAG_EPHEMERAL) !== 0;
        const message = this.buildMessage(channel, { enforceNonce: false, tts: false }, [], this.botUser, {
          webhookId: this.applicationId,
          interaction,
          type: interaction.type === 2 ? 20 : 0,
          flags: MESSAGE_FLAG_LOADING | (ephemeral ? MESSAGE_FLAG_EPHEMERAL : 0),
        });
        const record = this.storeMessage({ message, channel, source: 'interaction', interactionId: interaction.id, ephemeral, allowedMentions: undefined, files: [] });
        interaction.originalMessageId = message.id;
        interaction.loading = true;
        this.publish('MESSAGE_CREATE', record);
        resourceMessage = message;
        break;
      }
      case 6:
      case 7: {
        const source = interaction.sourceMessageId === null ? undefined : this.message(interaction.sourceMessageId);
        if (!source) throw errors.unknownMessage();
        interaction.originalMessageId = source.message.id;
        if (type === 7) this.applyEdit(source, data, ctx.parsed.files, ['data']);
        resourceMessage = source.message;
        break;
      }
      case 8: {
        const choices = isRecord(data) ? asArray(data.choices) : undefined;
        const form = new FormErrors();
        if (!choices) form.add(['data', 'choices'], 'BASE_TYPE_REQUIRED', 'This field is required');
        else {
          if (choices.length > 25) form.add(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
          choices.forEach((c, i) => {
            const name = isRecord(c) ? asString(c.name) : undefined;
            if (name === undefined || name.length < 1 || name.length > 100) form.add(['data', 'choices', i, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
            const value = isRecord(c) ? c.value : undefined;
            if (typeof value === 'string' ? value.length > 100 : typeof value !== 'number') form.add(['data', 'choices', i, 'value'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
          });
        }
        form.throwIfAny();
        break;
      }
      case 9: {
        const form = new FormErrors();
        const d = isRecord(data) ? data : {};
        const customId = asString(d.custom_id);
        const title = asString(d.title);
        const components = asArray(d.components);
        if (customId === undefined || customId.length < 1 || customId.length > 100) form.add(['data', 'custom_id'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
        if (title === undefined || title.length < 1 || title.length > 45) form.add(['data', 'title'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 45 in length.');
        if (!components || components.length < 1 || components.length > 5) form.add(['data', 'components'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 5 in length.');
        form.throwIfAny();
        break;
      }
      default:
        break;
    }
    interaction.acknowledged = true;
    interaction.callbackType = type ?? null;
    this.callbacks.push({ interactionId: interaction.id, token: interaction.token, type: type ?? -1, data, withResponse: ctx.query.get('with_response'), request: ctx.record });
    if (ctx.query.get('with_response') !== 'true') return noContent();
    const response: Record<string, unknown> = {
      interaction: {
        id: interaction.id,
        type: interaction.type,
        ...(resourceMessage
          ? {
              response_message_id: resourceMessage.id,
              response_message_loading: interaction.loading,
              response_message_ephemeral: ((resourceMessage.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL) !== 0,
            }
          : {}),
      },
    };
    if (type !== 6) response.resource = resourceMessage ? { type, message: resourceMessage } : { type };
    return ok(response);
  }

  private webhookInteraction(params: Params): InteractionRecord {
    const interaction = [...this.interactions.values()].find((i) => i.token === params.token);
    if (!interaction || params.app !== interaction.applicationId) throw errors.unknownWebhook();
    const lifetime = this.opts.interactionTokenLifetimeMs ?? 15 * 60_000;
    if (Date.now() - interaction.createdAt > lifetime) throw errors.invalidWebhookToken();
    if (!interaction.acknowledged) throw errors.unknownWebhook();
    return interaction;
  }

  private webhookMessage(params: Params): FakeMessageRecord {
    const interaction = this.webhookInteraction(params);
    const messageId = params.message === '@original' ? interaction.originalMessageId : (params.message ?? null);
    if (messageId === null) throw errors.unknownMessage();
    const record = this.message(messageId);
    const belongs = messageId === interaction.originalMessageId || interaction.followupIds.includes(messageId);
    if (!record || record.deleted || !belongs) throw errors.unknownMessage();
    return record;
  }

  private editWebhookMessage(ctx: Ctx): APIMessage {
    const record = this.webhookMessage(ctx.params);
    const interaction = this.webhookInteraction(ctx.params);
    const message = this.applyEdit(record, ctx.body, ctx.parsed.files);
    if (record.message.id === interaction.originalMessageId) interaction.loading = ((message.flags ?? 0) & MESSAGE_FLAG_LOADING) !== 0;
    return message;
  }

  private followUp(ctx: Ctx): Reply {
    const interaction = this.webhookInteraction(ctx.params);
    const wait = ctx.query.get('wait') === 'true';
    // After a deferred reply (type 5), the first follow-up replaces the "thinking…" original.
    if (interaction.loading && interaction.originalMessageId !== null) {
      const original = this.message(interaction.originalMessageId);
      if (original && !original.deleted) {
        const body = isRecord(ctx.body) ? { ...ctx.body } : {};
        delete body.flags;
        const message = this.applyEdit(original, body, ctx.parsed.files);
        interaction.loading = false;
        return wait ? ok(message) : noContent();
      }
    }
    const channel = interaction.channelId === null ? undefined : this.channels.get(interaction.channelId);
    if (!channel) throw errors.unknownChannel();
    const input = parseMessageBody(ctx.body);
    if (!hasMessageContent(input, ctx.parsed.files.length)) throw errors.emptyMessage();
    const ephemeral = ((input.flags ?? 0) & MESSAGE_FLAG_EPHEMERAL) !== 0;
    const { attachments, data } = makeAttachments(ctx.parsed.files, input.attachments, (id, filename) => `${this.baseUrl}/attachments/${channel.id}/${id}/${encodeURIComponent(filename)}`, () => snowflake());
    for (const [id, file] of data) this.attachmentData.set(id, file);
    const message = this.buildMessage(channel, input, attachments, this.botUser, { webhookId: this.applicationId, interaction, type: 0 });
    if (message.interaction_metadata && interaction.originalMessageId !== null) {
      (message.interaction_metadata as { original_response_message_id?: string }).original_response_message_id = interaction.originalMessageId;
    }
    const record = this.storeMessage({ message, channel, source: 'followup', interactionId: interaction.id, ephemeral, allowedMentions: isRecord(ctx.body) ? ctx.body.allowed_mentions : undefined, files: ctx.parsed.files });
    interaction.followupIds.push(message.id);
    this.publish('MESSAGE_CREATE', record);
    return wait ? ok(message) : noContent();
  }

  // ------------------------------------------------------------------------------------------
  // Application commands

  private commandList(params: Params): APIApplicationCommand[] {
    if (params.app !== this.applicationId) throw errors.missingAccess();
    if (params.guild === undefined) return this.globalCommands;
    if (!this.guilds.has(params.guild) || this.leftGuilds.has(params.guild)) throw errors.missingAccess();
    let list = this.guildCommands.get(params.guild);
    if (!list) {
      list = [];
      this.guildCommands.set(params.guild, list);
    }
    return list;
  }

  private normalizeCommand(raw: unknown, path: Array<string | number>, form: FormErrors, guildId: string | undefined, existing: APIApplicationCommand | undefined): APIApplicationCommand | undefined {
    if (!isRecord(raw)) {
      form.add(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a ModelType');
      return undefined;
    }
    const type = asNumber(raw.type) ?? 1;
    const name = asString(raw.name);
    const description = asString(raw.description) ?? '';
    if (name === undefined || name.length < 1 || name.length > 32) {
      form.add([...path, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.');
    } else if (type === 1 && (!COMMAND_NAME.test(name) || name !== name.toLowerCase())) {
      // Chat-input names: lower case letters, digits, - _ ' (documented regex).
      form.add([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
    if (type === 1 && (description.length < 1 || description.length > 100)) {
      form.add([...path, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
    }
    if (type !== 1 && description !== '') {
      form.add([...path, 'description'], 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION', 'Context menu commands cannot have description');
    }
    const options = asArray(raw.options);
    if (options) this.checkOptions(options, [...path, 'options'], form, 0);
    const dmp = raw.default_member_permissions;
    const command: APIApplicationCommand = {
      id: existing?.id ?? snowflake(),
      application_id: this.applicationId,
      version: existing?.version ?? snowflake(),
      default_member_permissions: dmp === null || dmp === undefined ? null : String(toPermissionBits(typeof dmp === 'string' || typeof dmp === 'number' ? dmp : '0')),
      type,
      name: name ?? '',
      description,
      dm_permission: raw.dm_permission === false ? false : true,
      contexts: (asArray(raw.contexts) as APIApplicationCommand['contexts'] | undefined) ?? null,
      integration_types: (asArray(raw.integration_types) as APIApplicationCommand['integration_types'] | undefined) ?? [0],
      nsfw: raw.nsfw === true,
    };
    if (options) command.options = options as APIApplicationCommand['options'];
    if (isRecord(raw.name_localizations)) command.name_localizations = raw.name_localizations as APIApplicationCommand['name_localizations'];
    if (isRecord(raw.description_localizations)) command.description_localizations = raw.description_localizations as APIApplicationCommand['description_localizations'];
    if (guildId !== undefined) {
      command.guild_id = guildId;
      delete command.dm_permission;
    }
    if (existing && JSON.stringify({ ...existing, version: '' }) !== JSON.stringify({ ...command, version: '' })) command.version = snowflake();
    return command;
  }

  private checkOptions(options: unknown[], path: Array<string | number>, form: FormErrors, depth: number): void {
    if (options.length > 25) form.add(path, 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    let seenOptional = false;
    const names = new Set<string>();
    options.forEach((o, i) => {
      if (!isRecord(o)) return;
      const name = asString(o.name);
      const type = asNumber(o.type);
      const description = asString(o.description) ?? '';
      if (name === undefined || !COMMAND_NAME.test(name) || name !== name.toLowerCase()) {
        form.add([...path, i, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
      } else if (names.has(name)) {
        form.add([...path, i, 'name'], 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS', 'Option names must be unique');
      } else names.add(name);
      if (description.length < 1 || description.length > 100) form.add([...path, i, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      if (type === undefined || type < 1 || type > 11) form.add([...path, i, 'type'], 'BASE_TYPE_CHOICES', 'Value must be one of {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}.');
      const choices = asArray(o.choices);
      if (choices && choices.length > 25) form.add([...path, i, 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      if (choices && o.autocomplete === true) form.add([...path, i, 'autocomplete'], 'APPLICATION_COMMAND_OPTION_CHOICES_AUTOCOMPLETE', 'Autocomplete cannot be enabled with choices');
      if (type === 1 || type === 2) {
        if ((type === 2 && depth > 0) || (type === 1 && depth > 1)) form.add([...path, i, 'type'], 'APPLICATION_COMMAND_OPTION_TYPE_INVALID', 'Subcommands cannot be nested this deep');
        const sub = asArray(o.options);
        if (sub) this.checkOptions(sub, [...path, i, 'options'], form, depth + 1);
      } else if (o.required === true) {
        if (seenOptional) form.add([...path, i, 'required'], 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', 'Required options must be placed before non-required options');
      } else seenOptional = true;
    });
  }

  private bulkOverwrite(params: Params, body: unknown): APIApplicationCommand[] {
    const list = this.commandList(params);
    const raw = asArray(body);
    const form = new FormErrors();
    if (!raw) {
      form.add([], 'BASE_TYPE_LIST', 'Must be a list.');
      form.throwIfAny();
      return list;
    }
    const next: APIApplicationCommand[] = [];
    const seen = new Set<string>();
    raw.forEach((item, i) => {
      const name = isRecord(item) ? asString(item.name) : undefined;
      const type = isRecord(item) ? (asNumber(item.type) ?? 1) : 1;
      const existing = list.find((c) => c.name === name && c.type === type);
      const command = this.normalizeCommand(item, [i], form, params.guild, existing);
      if (!command) return;
      const key = `${command.type}:${command.name}`;
      if (seen.has(key)) form.add([i, 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
      seen.add(key);
      next.push(command);
    });
    if (next.filter((c) => c.type === 1).length > 100) form.add([], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
    form.throwIfAny();
    list.splice(0, list.length, ...next);
    return next;
  }

  private createCommand(params: Params, body: unknown): Reply {
    const list = this.commandList(params);
    const form = new FormErrors();
    const name = isRecord(body) ? asString(body.name) : undefined;
    const type = isRecord(body) ? (asNumber(body.type) ?? 1) : 1;
    const existingIndex = list.findIndex((c) => c.name === name && c.type === type);
    const command = this.normalizeCommand(body, [], form, params.guild, list[existingIndex]);
    form.throwIfAny();
    if (!command) throw errors.invalidJson();
    if (existingIndex >= 0) {
      list[existingIndex] = command;
      return ok(command, 200);
    }
    if (type === 1 && list.filter((c) => c.type === 1).length >= 100) throw apiError(400, 30032, 'Maximum number of application commands reached (100)');
    list.push(command);
    return ok(command, 201);
  }

  private getCommand(params: Params): APIApplicationCommand {
    const command = this.commandList(params).find((c) => c.id === params.command);
    if (!command) throw errors.unknownCommand();
    return command;
  }

  private editCommand(params: Params, body: unknown): APIApplicationCommand {
    const list = this.commandList(params);
    const index = list.findIndex((c) => c.id === params.command);
    const existing = list[index];
    if (!existing) throw errors.unknownCommand();
    const merged: Record<string, unknown> = { ...existing, ...(isRecord(body) ? body : {}) };
    const form = new FormErrors();
    const command = this.normalizeCommand(merged, [], form, params.guild, existing);
    form.throwIfAny();
    if (!command) throw errors.unknownCommand();
    list[index] = command;
    return command;
  }

  // ------------------------------------------------------------------------------------------

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const pending of this.pendingTimers) {
      clearTimeout(pending.timer);
      pending.reject(new Error('fake-discord: closed'));
    }
    this.pendingTimers.clear();
    this.waiters.clear();
    for (const c of this.connections) c.socket.terminate();
    this.connections.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A unique-enough nonce (≤ 25 characters) for channel sends. */
export function makeNonce(): string {
  return randomUUID().replace(/-/g, '').slice(0, 25);
}
