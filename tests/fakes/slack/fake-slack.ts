/**
 * A local fake of Slack's servers for tests: Web API (`/api/<method>`), file upload URLs,
 * response_url capture and a Socket Mode WebSocket, all on one HTTP server bound to 127.0.0.1.
 *
 * Behaviour mirrors what @slack/web-api 8 / @slack/socket-mode 3 / @slack/bolt 5.1 send and expect:
 * - the Web API is POSTed form-encoded (`application/x-www-form-urlencoded`), token in
 *   `Authorization: Bearer …`, object fields (blocks, metadata, view, files…) JSON-encoded as strings;
 *   JSON bodies (token must then be in the header, as on real Slack) and multipart are accepted too;
 * - HTTP 200 `{ ok: false, error }` for API errors, HTTP 429 + `Retry-After` (seconds) for rate limits;
 * - Socket Mode: `apps.connections.open` (app-level `xapp-` token) returns a `ws://` URL on this server;
 *   on connection the server sends `hello`; the client acks envelopes with `{ envelope_id, payload }`.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { WebSocketServer, WebSocket } from 'ws';
import type { RawData } from 'ws';

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/** Decoded request parameters. Form/multipart/query fields are strings; JSON bodies keep their types. */
export type Params = Record<string, unknown>;

export type BodyEncoding = 'form' | 'json' | 'multipart' | 'query' | 'none';

export interface RecordedCall {
  /** Web API method, e.g. `chat.postMessage`. */
  method: string;
  params: Params;
  headers: IncomingHttpHeaders;
  /** When the fake answered, on its clock (`FakeSlackOptions.now`, default `Date.now()`). */
  at: number;
  /** Token from `Authorization: Bearer` or (form bodies only) the `token` param. */
  token: string | undefined;
  encoding: BodyEncoding;
  /** HTTP status the fake answered with. */
  status: number;
  /** JSON body the fake answered with. */
  response: Record<string, unknown>;
}

export interface FailureSpec {
  /** How many calls fail before the method works again (default 1; `Infinity` for always). */
  times?: number;
  /** How many calls still succeed before the failures start (default 0). */
  skip?: number;
  /** 429 (default when `retryAfter` is set) or any other HTTP status; 200 means `{ ok: false, error }`. */
  status?: number;
  /** Seconds for the `Retry-After` header of a 429 (default 1). */
  retryAfter?: number;
  /** Error code for `{ ok: false, error }` (default `ratelimited` for 429, `internal_error` otherwise). */
  error?: string;
  /** Extra fields merged into the error body, e.g. `{ needed: 'chat:write', provided: 'commands' }`. */
  extra?: Record<string, unknown>;
}

export interface FakeUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  deleted: boolean;
  is_admin: boolean;
  is_owner: boolean;
  is_primary_owner: boolean;
  is_restricted: boolean;
  is_ultra_restricted: boolean;
  is_bot: boolean;
  is_app_user: boolean;
  tz: string;
  tz_label: string;
  tz_offset: number;
}

export interface FakeChannel {
  id: string;
  name: string;
  is_channel: boolean;
  is_group: boolean;
  is_im: boolean;
  is_mpim: boolean;
  is_private: boolean;
  is_archived: boolean;
  is_general: boolean;
  /** Whether the bot is a member; `false` makes chat.postMessage fail with `not_in_channel`. */
  is_member: boolean;
  created: number;
  creator: string;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts: string | undefined;
  text: string;
  blocks: unknown;
  metadata: unknown;
  deleted: boolean;
  updatedTimes: number;
}

export interface StoredView {
  id: string;
  view: Record<string, unknown>;
  hash: string;
  root_view_id: string;
  previous_view_id: string | null;
  external_id: string;
}

export interface RecordedUpload {
  fileId: string;
  /** The filename given to files.getUploadURLExternal. */
  filename: string;
  /** The file bytes (the `file`/`body` multipart part, or the raw body). */
  bytes: Buffer;
  contentType: string | undefined;
  at: number;
}

export interface RecordedResponse {
  id: string;
  /** Parsed JSON body (or the raw text when not JSON). */
  body: unknown;
  headers: IncomingHttpHeaders;
  at: number;
  status: number;
}

export interface SocketEnvelope {
  envelope_id: string;
  type: 'slash_commands' | 'interactive' | 'events_api' | (string & {});
  payload: unknown;
  /** Defaults to true for slash_commands / interactive, false for events_api. */
  accepts_response_payload?: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface SocketAck {
  envelope_id: string;
  /** What the client put in `payload` (Bolt always sends an object, `{}` for a bare ack()). */
  payload: unknown;
  /** The whole parsed message. */
  raw: Record<string, unknown>;
  at: number;
}

export interface OAuthV2AccessResponse {
  ok: true;
  app_id: string;
  authed_user: { id: string; scope?: string; access_token?: string; token_type?: string };
  scope: string;
  token_type: 'bot';
  access_token: string;
  bot_user_id: string;
  team: { id: string; name: string } | null;
  enterprise: { id: string; name: string } | null;
  is_enterprise_install: boolean;
  [extra: string]: unknown;
}

/** Custom responder: return the JSON body (include `ok`). */
export type MethodHandler = (call: Omit<RecordedCall, 'status' | 'response'>) => Record<string, unknown>;

export interface FakeSlackOptions {
  team?: { id: string; name: string; domain: string };
  bot?: { userId: string; botId: string; name: string };
  appId?: string;
  /** If set, only these tokens (plus app-level `xapp-` tokens for Socket Mode) are accepted; others → `invalid_auth`. */
  validTokens?: readonly string[];
  users?: Record<string, Partial<Omit<FakeUser, 'id'>>>;
  channels?: Record<string, Partial<Omit<FakeChannel, 'id'>>>;
  /** Unknown user ids: auto-created (`default`, the default) or `user_not_found`. */
  unknownUsers?: 'default' | 'not_found';
  /** Unknown channel ids: auto-created public channels with the bot as member (default) or `channel_not_found`. */
  unknownChannels?: 'default' | 'not_found';
  /** Merged over the default oauth.v2.access response. */
  oauth?: Partial<OAuthV2AccessResponse>;
  /** Seconds part of the first message ts (default 1700000000 → "1700000000.000100"). */
  tsStart?: number;
  /** response_url uses before 404 `used_url` (default 5, as documented). */
  responseUrlMaxUses?: number;
  /** WebSocket ping interval of the Socket Mode server (default 10 s; the client gives up after 30 s without). */
  serverPingIntervalMs?: number;
  /** The clock the recorded `at` times are read from (default `Date.now`), e.g. the virtual clock of the app under test. */
  now?: () => number;
}

export interface FakeSlack {
  /** `http://127.0.0.1:PORT/api/` — pass as `slackApiUrl` (WebClient appends a missing slash itself). */
  readonly url: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  readonly port: number;
  readonly calls: readonly RecordedCall[];
  readonly responses: readonly RecordedResponse[];
  readonly uploads: readonly RecordedUpload[];
  readonly acks: readonly SocketAck[];
  readonly messages: readonly StoredMessage[];
  readonly views: ReadonlyMap<string, StoredView>;
  callsTo(method: string): RecordedCall[];
  /** Resolves with the first recorded call (past or future) matching `predicate`. */
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  fail(method: string, spec?: FailureSpec): void;
  /** Drop every failure still pending for a method (the end of a storm). */
  recover(method: string): void;
  /** Hold the next `times` calls of a method for `ms` real milliseconds before answering (and recording) them. */
  stall(method: string, ms: number, times?: number): void;
  /**
   * Carry out the next `times` calls of a method at once (a message is stored) but answer them only after
   * `ms` real milliseconds: a slow Slack, whose answer a client with a shorter timeout never sees.
   */
  answerLate(method: string, ms: number, times?: number): void;
  /** Replace the built-in responder for a method (or add one). */
  setHandler(method: string, handler: MethodHandler): void;
  setUser(id: string, user: Partial<Omit<FakeUser, 'id'>>): FakeUser;
  setChannel(id: string, channel: Partial<Omit<FakeChannel, 'id'>>): FakeChannel;
  setOAuthResponse(patch: Partial<OAuthV2AccessResponse>): void;
  revokeToken(token: string): void;
  /** A response_url on this fake (`/response/<id>`); POSTed JSON lands in `responses`. */
  responseUrl(id?: string): string;
  responsesTo(id: string): RecordedResponse[];
  waitForResponse(id: string, timeoutMs?: number): Promise<RecordedResponse>;
  /** Make a response_url answer 404 `expired_url` from now on. */
  expireResponseUrl(id: string): void;
  /** Number of open Socket Mode connections. */
  socketCount(): number;
  /**
   * Resolves once a connection exists whose client has processed `hello` (detected by the client's pong to a
   * ping sent right after hello). Use after `socketDisconnect()` before stopping the app: stopping a
   * SocketModeClient mid-reconnect leaves an unhandled rejection.
   */
  waitForSocket(timeoutMs?: number): Promise<void>;
  waitForNoSockets(timeoutMs?: number): Promise<void>;
  /** Push an envelope to the most recent open connection (waits for one, up to 2 s). */
  socketSend(envelope: SocketEnvelope): Promise<void>;
  waitForAck(envelopeId: string, timeoutMs?: number): Promise<SocketAck>;
  /**
   * Send `{ type: 'disconnect', reason }` to every open connection, like Slack does before recycling one,
   * and resolve once those connections have closed (the client closes them, then reconnects after its
   * `clientPingTimeout`, 5 s by default). Follow with `waitForSocket()` to wait for the reconnect.
   */
  socketDisconnect(reason?: string, timeoutMs?: number): Promise<void>;
  /** Total WebSocket connections accepted so far (reconnects included). */
  connectionCount(): number;
  /** Clear recorded data, scripted failures, custom handlers, messages, views; restore initial users/channels/oauth. */
  reset(): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Param helpers
// ---------------------------------------------------------------------------------------------

function paramsOf(source: RecordedCall | Params): Params {
  if (isRecordedCall(source)) return source.params;
  return source;
}

function isRecordedCall(v: RecordedCall | Params): v is RecordedCall {
  return typeof v['method'] === 'string' && typeof v['params'] === 'object' && v['params'] !== null;
}

/**
 * Read a JSON-encoded field (blocks, metadata, view, files, attachments…) as a value.
 * Undefined when absent; already-decoded values (JSON bodies) are returned as-is; throws on bad JSON.
 */
export function jsonParam(source: RecordedCall | Params, key: string): unknown {
  const value = paramsOf(source)[key];
  if (typeof value !== 'string') return value;
  return JSON.parse(value) as unknown;
}

/** Read a field as a string (numbers/booleans from JSON bodies are stringified). */
export function stringParam(source: RecordedCall | Params, key: string): string | undefined {
  const value = paramsOf(source)[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------

const NO_TOKEN_METHODS = new Set(['oauth.v2.access', 'oauth.v2.exchange', 'oauth.access', 'api.test']);
const APP_TOKEN_METHODS = new Set(['apps.connections.open', 'apps.event.authorizations.list']);

interface Waiter<T> {
  match: (item: T) => boolean;
  resolve: (item: T) => void;
}

interface PendingFailure extends Required<Omit<FailureSpec, 'extra' | 'retryAfter'>> {
  retryAfter: number | undefined;
  extra: Record<string, unknown>;
}

interface ApiResult {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
}

function ok(body: Record<string, unknown> = {}): Record<string, unknown> {
  return { ok: true, ...body };
}

function err(error: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ok: false, error, ...extra };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }
  return Buffer.concat(chunks);
}

function mediaType(headers: IncomingHttpHeaders): string {
  const ct = headers['content-type'] ?? '';
  return (ct.split(';')[0] ?? '').trim().toLowerCase();
}

async function parseMultipart(raw: Buffer, contentType: string): Promise<FormData> {
  return new Response(raw, { headers: { 'content-type': contentType } }).formData();
}

function bearer(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth === undefined) return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(auth);
  return m?.[1]?.trim();
}

function basicClientId(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth === undefined) return undefined;
  const m = /^Basic\s+(.+)$/i.exec(auth);
  if (m?.[1] === undefined) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  return decoded.split(':')[0];
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
  res.end(text);
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: () => string, onTimeout: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`fake-slack: timed out after ${timeoutMs} ms waiting for ${what()}`));
    }, timeoutMs);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const team = options.team ?? { id: 'T0DOCKET1', name: 'Docket Test', domain: 'docket-test' };
  const bot = options.bot ?? { userId: 'U0DOCKETBOT', botId: 'B0DOCKETBOT', name: 'docket' };
  const appId = options.appId ?? 'A1';
  const tsStart = options.tsStart ?? 1_700_000_000;
  const responseUrlMaxUses = options.responseUrlMaxUses ?? 5;
  const validTokens = options.validTokens !== undefined ? new Set(options.validTokens) : undefined;
  const now = options.now ?? Date.now;

  // ---- mutable state ----
  const calls: RecordedCall[] = [];
  const responses: RecordedResponse[] = [];
  const uploads: RecordedUpload[] = [];
  const acks: SocketAck[] = [];
  const messages: StoredMessage[] = [];
  const views = new Map<string, StoredView>();
  const users = new Map<string, FakeUser>();
  const channels = new Map<string, FakeChannel>();
  const failures = new Map<string, PendingFailure[]>();
  const stalls = new Map<string, { ms: number; times: number }>();
  const lateAnswers = new Map<string, { ms: number; times: number }>();
  const handlers = new Map<string, MethodHandler>();
  const revoked = new Set<string>();
  const pendingUploads = new Map<string, { fileId: string; filename: string; length: number; uploaded: boolean }>();
  const uploadTickets = new Map<string, string>(); // ticket → fileId
  const expiredResponseUrls = new Set<string>();
  let oauthResponse: OAuthV2AccessResponse = defaultOAuth();
  let callWaiters: Waiter<RecordedCall>[] = [];
  let responseWaiters: Waiter<RecordedResponse>[] = [];
  let ackWaiters: Waiter<SocketAck>[] = [];
  let socketWaiters: (() => void)[] = [];
  let noSocketWaiters: (() => void)[] = [];
  let tsCounter = 0;
  let idCounter = 0;

  function defaultOAuth(): OAuthV2AccessResponse {
    return {
      ok: true,
      app_id: appId,
      authed_user: { id: 'U0INSTALLER' },
      scope: 'commands,chat:write,users:read,channels:read,files:write',
      token_type: 'bot',
      access_token: 'xoxb-fake-installed-bot-token',
      bot_user_id: bot.userId,
      team: { id: team.id, name: team.name },
      enterprise: null,
      is_enterprise_install: false,
      ...options.oauth,
    };
  }

  function nextId(prefix: string): string {
    idCounter += 1;
    return `${prefix}${String(idCounter).padStart(10, '0')}`;
  }

  function nextTs(): string {
    tsCounter += 1;
    const micros = tsCounter * 100;
    const sec = tsStart + Math.floor(micros / 1_000_000);
    return `${sec}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  function makeUser(id: string, patch: Partial<Omit<FakeUser, 'id'>> = {}): FakeUser {
    const name = patch.name ?? `user_${id.toLowerCase()}`;
    return {
      id,
      team_id: team.id,
      name,
      real_name: patch.real_name ?? name,
      deleted: false,
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      is_restricted: false,
      is_ultra_restricted: false,
      is_bot: false,
      is_app_user: false,
      tz: 'Europe/Berlin',
      tz_label: 'Central European Time',
      tz_offset: 3600,
      ...patch,
    };
  }

  function makeChannel(id: string, patch: Partial<Omit<FakeChannel, 'id'>> = {}): FakeChannel {
    const isPrivate = patch.is_private ?? false;
    const isIm = patch.is_im ?? id.startsWith('D');
    return {
      id,
      name: patch.name ?? `channel-${id.toLowerCase()}`,
      is_channel: !isPrivate && !isIm,
      is_group: isPrivate,
      is_im: isIm,
      is_mpim: false,
      is_private: isPrivate,
      is_archived: false,
      is_general: false,
      is_member: true,
      created: 1_600_000_000,
      creator: 'U0CREATOR',
      ...patch,
    };
  }

  function seedDirectory(): void {
    users.clear();
    channels.clear();
    users.set(bot.userId, makeUser(bot.userId, { name: bot.name, is_bot: true, real_name: bot.name }));
    for (const [id, patch] of Object.entries(options.users ?? {})) users.set(id, makeUser(id, patch));
    for (const [id, patch] of Object.entries(options.channels ?? {})) channels.set(id, makeChannel(id, patch));
  }
  seedDirectory();

  function lookupUser(id: string): FakeUser | undefined {
    const existing = users.get(id);
    if (existing !== undefined) return existing;
    if (options.unknownUsers === 'not_found') return undefined;
    const created = makeUser(id);
    users.set(id, created);
    return created;
  }

  function lookupChannel(id: string): FakeChannel | undefined {
    const existing = channels.get(id);
    if (existing !== undefined) return existing;
    if (options.unknownChannels === 'not_found') return undefined;
    const created = makeChannel(id);
    channels.set(id, created);
    return created;
  }

  function userJson(u: FakeUser): Record<string, unknown> {
    return {
      ...u,
      color: '9f69e7',
      updated: 1_700_000_000,
      has_2fa: false,
      profile: {
        real_name: u.real_name,
        display_name: u.name,
        real_name_normalized: u.real_name,
        display_name_normalized: u.name,
        team: u.team_id,
        ...(u.is_bot ? { bot_id: bot.botId, api_app_id: appId } : {}),
      },
    };
  }

  function channelJson(c: FakeChannel): Record<string, unknown> {
    return {
      ...c,
      unlinked: 0,
      name_normalized: c.name,
      is_shared: false,
      is_ext_shared: false,
      is_org_shared: false,
      is_pending_ext_shared: false,
      pending_shared: [],
      context_team_id: team.id,
      topic: { value: '', creator: '', last_set: 0 },
      purpose: { value: '', creator: '', last_set: 0 },
      previous_names: [],
    };
  }

  function findMessage(channel: string, ts: string): StoredMessage | undefined {
    return messages.find((m) => m.channel === channel && m.ts === ts && !m.deleted);
  }

  function messageJson(m: StoredMessage): Record<string, unknown> {
    const out: Record<string, unknown> = {
      user: bot.userId,
      type: 'message',
      ts: m.ts,
      bot_id: bot.botId,
      app_id: appId,
      text: m.text,
      team: team.id,
      bot_profile: { id: bot.botId, app_id: appId, name: bot.name, deleted: false, team_id: team.id },
    };
    if (m.blocks !== undefined) out['blocks'] = m.blocks;
    if (m.thread_ts !== undefined) out['thread_ts'] = m.thread_ts;
    if (m.metadata !== undefined) out['metadata'] = m.metadata;
    return out;
  }

  /** Validate and decode the blocks param. Returns an error body or the decoded blocks. */
  function decodeBlocks(params: Params, max: number): { error: Record<string, unknown> } | { blocks: unknown } {
    if (params['blocks'] === undefined) return { blocks: undefined };
    let blocks: unknown;
    try {
      blocks = jsonParam(params, 'blocks');
    } catch {
      return { error: err('invalid_blocks_format') };
    }
    if (!Array.isArray(blocks)) return { error: err('invalid_blocks_format') };
    if (blocks.length > max) {
      return { error: err('invalid_blocks', { response_metadata: { messages: [`[ERROR] no more than ${max} items allowed [json-pointer:/blocks]`] } }) };
    }
    return { blocks };
  }

  function decodeJsonObject(params: Params, key: string): Record<string, unknown> | undefined {
    try {
      const v = jsonParam(params, key);
      return isRecord(v) ? v : undefined;
    } catch {
      return undefined;
    }
  }

  function hasText(params: Params): boolean {
    const text = stringParam(params, 'text');
    return (text !== undefined && text !== '') || params['blocks'] !== undefined || params['attachments'] !== undefined;
  }

  function storeView(view: Record<string, unknown>, previous: StoredView | undefined, id?: string): StoredView {
    const viewId = id ?? nextId('V');
    const hash = `${Math.floor(Date.now() / 1000)}.${randomUUID().slice(0, 8)}`;
    const stored: StoredView = {
      id: viewId,
      view,
      hash,
      root_view_id: previous?.root_view_id ?? viewId,
      previous_view_id: previous !== undefined && id === undefined ? previous.id : null,
      external_id: typeof view['external_id'] === 'string' ? view['external_id'] : '',
    };
    views.set(viewId, stored);
    return stored;
  }

  function viewJson(v: StoredView): Record<string, unknown> {
    const type = typeof v.view['type'] === 'string' ? v.view['type'] : 'modal';
    return {
      id: v.id,
      team_id: team.id,
      type,
      blocks: Array.isArray(v.view['blocks']) ? v.view['blocks'] : [],
      private_metadata: typeof v.view['private_metadata'] === 'string' ? v.view['private_metadata'] : '',
      callback_id: typeof v.view['callback_id'] === 'string' ? v.view['callback_id'] : '',
      state: { values: {} },
      hash: v.hash,
      title: v.view['title'] ?? null,
      close: v.view['close'] ?? null,
      submit: v.view['submit'] ?? null,
      clear_on_close: v.view['clear_on_close'] === true,
      notify_on_close: v.view['notify_on_close'] === true,
      previous_view_id: v.previous_view_id,
      root_view_id: v.root_view_id,
      app_id: appId,
      external_id: v.external_id,
      app_installed_team_id: team.id,
      bot_id: bot.botId,
    };
  }

  // ---- built-in method implementations ----
  type Builtin = (params: Params, ctx: { token: string | undefined; headers: IncomingHttpHeaders }) => Record<string, unknown>;

  const builtins: Record<string, Builtin> = {
    'api.test': (params) => ok({ args: params }),

    'auth.test': () =>
      ok({
        url: `https://${team.domain}.slack.com/`,
        team: team.name,
        user: bot.name,
        team_id: team.id,
        user_id: bot.userId,
        bot_id: bot.botId,
        is_enterprise_install: false,
      }),

    'auth.revoke': (_params, { token }) => {
      if (token !== undefined) revoked.add(token);
      return ok({ revoked: true });
    },

    'chat.postMessage': (params) => {
      const channelId = stringParam(params, 'channel');
      if (channelId === undefined || channelId === '') return err('channel_not_found');
      const channel = lookupChannel(channelId);
      if (channel === undefined) return err('channel_not_found');
      if (channel.is_archived) return err('is_archived');
      if (!channel.is_member) return err('not_in_channel');
      if (!hasText(params)) return err('no_text');
      const text = stringParam(params, 'text') ?? '';
      if (text.length > 40_000) return err('msg_too_long');
      const decoded = decodeBlocks(params, 50);
      if ('error' in decoded) return decoded.error;
      const threadTs = stringParam(params, 'thread_ts');
      const msg: StoredMessage = {
        channel: channelId,
        ts: nextTs(),
        thread_ts: threadTs === '' ? undefined : threadTs,
        text,
        blocks: decoded.blocks,
        metadata: decodeJsonObject(params, 'metadata'),
        deleted: false,
        updatedTimes: 0,
      };
      messages.push(msg);
      return ok({ channel: channelId, ts: msg.ts, message: messageJson(msg) });
    },

    'chat.postEphemeral': (params) => {
      const channelId = stringParam(params, 'channel');
      const user = stringParam(params, 'user');
      if (channelId === undefined || channelId === '') return err('channel_not_found');
      const channel = lookupChannel(channelId);
      if (channel === undefined) return err('channel_not_found');
      if (channel.is_archived) return err('is_archived');
      if (!channel.is_member) return err('not_in_channel');
      if (user === undefined || user === '') return err('user_not_in_channel');
      if (!hasText(params)) return err('no_text');
      const decoded = decodeBlocks(params, 50);
      if ('error' in decoded) return decoded.error;
      return ok({ message_ts: nextTs() });
    },

    'chat.update': (params) => {
      const channelId = stringParam(params, 'channel');
      const ts = stringParam(params, 'ts');
      if (channelId === undefined || channelId === '') return err('channel_not_found');
      if (ts === undefined) return err('message_not_found');
      const msg = findMessage(channelId, ts);
      if (msg === undefined) return err('message_not_found');
      if (lookupChannel(channelId)?.is_archived === true) return err('is_archived');
      if (!hasText(params)) return err('no_text');
      const decoded = decodeBlocks(params, 50);
      if ('error' in decoded) return decoded.error;
      msg.text = stringParam(params, 'text') ?? '';
      if (params['blocks'] !== undefined) msg.blocks = decoded.blocks;
      msg.updatedTimes += 1;
      return ok({ channel: channelId, ts, text: msg.text, message: { ...messageJson(msg), edited: { user: bot.userId, ts: nextTs() } } });
    },

    'chat.delete': (params) => {
      const channelId = stringParam(params, 'channel');
      const ts = stringParam(params, 'ts');
      if (channelId === undefined || channelId === '') return err('channel_not_found');
      const msg = ts === undefined ? undefined : findMessage(channelId, ts);
      if (msg === undefined) return err('message_not_found');
      msg.deleted = true;
      return ok({ channel: channelId, ts: msg.ts });
    },

    'chat.getPermalink': (params) => {
      const channelId = stringParam(params, 'channel');
      const ts = stringParam(params, 'message_ts');
      if (channelId === undefined || ts === undefined) return err('invalid_arguments');
      if (findMessage(channelId, ts) === undefined) return err('message_not_found');
      return ok({ channel: channelId, permalink: `https://${team.domain}.slack.com/archives/${channelId}/p${ts.replace('.', '')}` });
    },

    'views.open': (params) => {
      const trigger = stringParam(params, 'trigger_id');
      if (trigger === undefined || trigger === '') return err('invalid_arguments');
      const view = decodeJsonObject(params, 'view');
      if (view === undefined) return err('invalid_arguments');
      const decoded = decodeBlocks({ blocks: view['blocks'] === undefined ? undefined : JSON.stringify(view['blocks']) }, 100);
      if ('error' in decoded) return decoded.error;
      return ok({ view: viewJson(storeView(view, undefined)) });
    },

    'views.push': (params) => {
      const trigger = stringParam(params, 'trigger_id');
      if (trigger === undefined || trigger === '') return err('invalid_arguments');
      const view = decodeJsonObject(params, 'view');
      if (view === undefined) return err('invalid_arguments');
      const root = [...views.values()].at(-1);
      return ok({ view: viewJson(storeView(view, root)) });
    },

    'views.update': (params) => {
      const view = decodeJsonObject(params, 'view');
      if (view === undefined) return err('invalid_arguments');
      const viewId = stringParam(params, 'view_id');
      const externalId = stringParam(params, 'external_id');
      let existing: StoredView | undefined;
      if (viewId !== undefined && viewId !== '') existing = views.get(viewId);
      else if (externalId !== undefined && externalId !== '') existing = [...views.values()].find((v) => v.external_id === externalId);
      else return err('invalid_arguments');
      if (existing === undefined) return err('not_found');
      const hash = stringParam(params, 'hash');
      if (hash !== undefined && hash !== '' && hash !== existing.hash) return err('hash_conflict');
      const updated = storeView(view, existing, existing.id);
      return ok({ view: viewJson(updated) });
    },

    'views.publish': (params) => {
      const userId = stringParam(params, 'user_id');
      if (userId === undefined || userId === '') return err('invalid_arguments');
      const view = decodeJsonObject(params, 'view');
      if (view === undefined) return err('invalid_arguments');
      return ok({ view: viewJson(storeView(view, undefined)) });
    },

    'users.info': (params) => {
      const id = stringParam(params, 'user');
      if (id === undefined || id === '') return err('user_not_found');
      const u = lookupUser(id);
      if (u === undefined) return err('user_not_found');
      return ok({ user: userJson(u) });
    },

    // Newest first, top-level messages only; `metadata` only with include_all_metadata, as Slack does. One page.
    'conversations.history': (params) => {
      const id = stringParam(params, 'channel');
      if (id === undefined || id === '') return err('channel_not_found');
      const c = lookupChannel(id);
      if (c === undefined) return err('channel_not_found');
      if (!c.is_member) return err('not_in_channel');
      const limit = Math.min(Math.max(Number(stringParam(params, 'limit') ?? '100') || 100, 1), 999);
      const withMetadata = String(params['include_all_metadata']) === 'true' || params['include_all_metadata'] === '1';
      const inChannel = messages.filter((m) => m.channel === id && !m.deleted && (m.thread_ts === undefined || m.thread_ts === m.ts)).reverse();
      const page = inChannel.slice(0, limit).map((m) => {
        const json = messageJson(m);
        if (!withMetadata) delete json['metadata'];
        return json;
      });
      return ok({ messages: page, has_more: inChannel.length > limit, pin_count: 0, response_metadata: { next_cursor: '' } });
    },

    'conversations.info': (params) => {
      const id = stringParam(params, 'channel');
      if (id === undefined || id === '') return err('channel_not_found');
      const c = lookupChannel(id);
      if (c === undefined) return err('channel_not_found');
      return ok({ channel: channelJson(c) });
    },

    'conversations.join': (params) => {
      const id = stringParam(params, 'channel');
      if (id === undefined || id === '') return err('channel_not_found');
      const c = lookupChannel(id);
      if (c === undefined) return err('channel_not_found');
      if (c.is_archived) return err('is_archived');
      if (c.is_private || c.is_im || c.is_mpim) return err('method_not_supported_for_channel_type');
      const already = c.is_member;
      c.is_member = true;
      return already
        ? ok({ channel: channelJson(c), warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } })
        : ok({ channel: channelJson(c) });
    },

    'files.getUploadURLExternal': (params) => {
      const filename = stringParam(params, 'filename');
      const length = Number(stringParam(params, 'length'));
      if (filename === undefined || filename === '' || !Number.isFinite(length) || length <= 0) return err('invalid_arguments');
      const fileId = nextId('F');
      const ticket = randomUUID();
      pendingUploads.set(fileId, { fileId, filename, length, uploaded: false });
      uploadTickets.set(ticket, fileId);
      return ok({ upload_url: `${origin}/upload/v1/${ticket}`, file_id: fileId });
    },

    'files.completeUploadExternal': (params) => {
      let files: unknown;
      try {
        files = jsonParam(params, 'files');
      } catch {
        return err('invalid_arguments');
      }
      if (!Array.isArray(files) || files.length === 0) return err('invalid_arguments');
      const channelId = stringParam(params, 'channel_id');
      const out: Record<string, unknown>[] = [];
      for (const f of files) {
        if (!isRecord(f) || typeof f['id'] !== 'string') return err('invalid_arguments');
        const pending = pendingUploads.get(f['id']);
        if (pending === undefined || !pending.uploaded) return err('file_not_found');
        const upload = uploads.find((u) => u.fileId === pending.fileId);
        const title = typeof f['title'] === 'string' ? f['title'] : pending.filename;
        out.push({
          id: pending.fileId,
          created: Math.floor(Date.now() / 1000),
          timestamp: Math.floor(Date.now() / 1000),
          name: pending.filename,
          title,
          mimetype: upload?.contentType ?? 'application/octet-stream',
          filetype: pending.filename.includes('.') ? (pending.filename.split('.').pop() ?? '') : '',
          user: bot.userId,
          user_team: team.id,
          size: upload?.bytes.length ?? pending.length,
          url_private: `https://files.slack.com/files-pri/${team.id}-${pending.fileId}/${pending.filename}`,
          permalink: `https://${team.domain}.slack.com/files/${bot.userId}/${pending.fileId}/${pending.filename}`,
          channels: channelId !== undefined ? [channelId] : [],
        });
      }
      return ok({ files: out });
    },

    'oauth.v2.access': (params, { headers }) => {
      const clientId = stringParam(params, 'client_id') ?? basicClientId(headers);
      if (clientId === undefined || clientId === '') return err('invalid_client_id');
      const code = stringParam(params, 'code');
      if (code === undefined || code === '') return err('invalid_code');
      return { ...oauthResponse };
    },

    'apps.connections.open': () => ok({ url: `ws://127.0.0.1:${port}/link/?ticket=${randomUUID()}&app_id=${appId}` }),

    'apps.uninstall': (params) => {
      const clientId = stringParam(params, 'client_id');
      const clientSecret = stringParam(params, 'client_secret');
      if (clientId === undefined || clientId === '') return err('invalid_client_id');
      if (clientSecret === undefined || clientSecret === '') return err('bad_client_secret');
      return ok();
    },
  };

  function takeFailure(method: string): PendingFailure | undefined {
    const queue = failures.get(method);
    const head = queue?.[0];
    if (queue === undefined || head === undefined) return undefined;
    if (head.skip > 0) {
      head.skip -= 1;
      return undefined;
    }
    head.times -= 1;
    if (head.times <= 0) queue.shift();
    if (queue.length === 0) failures.delete(method);
    return head;
  }

  function authError(method: string, token: string | undefined): string | undefined {
    if (NO_TOKEN_METHODS.has(method)) return undefined;
    if (token === undefined || token === '') return 'not_authed';
    if (revoked.has(token)) return 'token_revoked';
    const isAppToken = token.startsWith('xapp-');
    if (APP_TOKEN_METHODS.has(method) !== isAppToken && method !== 'auth.test') return 'not_allowed_token_type';
    if (validTokens !== undefined && !isAppToken && !validTokens.has(token)) return 'invalid_auth';
    return undefined;
  }

  function answerApi(method: string, params: Params, token: string | undefined, headers: IncomingHttpHeaders, encoding: BodyEncoding): ApiResult {
    const failure = takeFailure(method);
    if (failure !== undefined) {
      if (failure.status === 429) {
        return {
          status: 429,
          body: err(failure.error, failure.extra),
          headers: { 'retry-after': String(failure.retryAfter ?? 1) },
        };
      }
      return { status: failure.status, body: err(failure.error, failure.extra), headers: {} };
    }
    const custom = handlers.get(method);
    if (custom !== undefined) {
      return { status: 200, body: custom({ method, params, headers, at: now(), token, encoding }), headers: {} };
    }
    const builtin = builtins[method];
    if (builtin === undefined) return { status: 200, body: err('unknown_method'), headers: {} };
    const denied = authError(method, token);
    if (denied !== undefined) return { status: 200, body: err(denied), headers: {} };
    return { status: 200, body: builtin(params, { token, headers }), headers: {} };
  }

  function record<T>(list: T[], waiters: Waiter<T>[], item: T): Waiter<T>[] {
    list.push(item);
    const remaining: Waiter<T>[] = [];
    for (const w of waiters) {
      if (w.match(item)) w.resolve(item);
      else remaining.push(w);
    }
    return remaining;
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string, query: URLSearchParams): Promise<void> {
    const raw = await readBody(req);
    const type = mediaType(req.headers);
    let params: Params = {};
    let encoding: BodyEncoding = 'none';
    for (const [k, v] of query) params[k] = v;
    if (query.size > 0) encoding = 'query';
    let badJson = false;
    if (raw.length > 0) {
      if (type === 'application/json') {
        encoding = 'json';
        try {
          const parsed: unknown = JSON.parse(raw.toString('utf8'));
          if (isRecord(parsed)) params = { ...params, ...parsed };
          else badJson = true;
        } catch {
          badJson = true;
        }
      } else if (type === 'multipart/form-data') {
        encoding = 'multipart';
        const form = await parseMultipart(raw, req.headers['content-type'] ?? '');
        for (const [k, v] of form) params[k] = typeof v === 'string' ? v : `[file ${v.name}]`;
      } else {
        encoding = 'form';
        for (const [k, v] of new URLSearchParams(raw.toString('utf8'))) params[k] = v;
      }
    }
    // Real Slack ignores a `token` inside JSON bodies: it must come in the Authorization header.
    const bodyToken = encoding === 'json' ? undefined : stringParam(params, 'token');
    const token = bearer(req.headers) ?? bodyToken;
    const stall = stalls.get(method);
    if (stall !== undefined) {
      if (--stall.times <= 0) stalls.delete(method);
      await new Promise((resolve) => setTimeout(resolve, stall.ms));
    }
    const result = badJson
      ? { status: 200, body: err('invalid_json'), headers: {} }
      : answerApi(method, params, token, req.headers, encoding);
    const call: RecordedCall = {
      method,
      params,
      headers: req.headers,
      at: now(),
      token,
      encoding,
      status: result.status,
      response: result.body,
    };
    callWaiters = record(calls, callWaiters, call);
    const late = lateAnswers.get(method);
    if (late !== undefined) {
      if (--late.times <= 0) lateAnswers.delete(method);
      await new Promise((resolve) => setTimeout(resolve, late.ms));
      // why: the client gave up waiting and closed the connection; there is no one left to answer.
      if (res.destroyed || req.socket.destroyed) return;
    }
    sendJson(res, result.status, result.body, result.headers);
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, ticket: string): Promise<void> {
    const raw = await readBody(req);
    const fileId = uploadTickets.get(ticket);
    const pending = fileId === undefined ? undefined : pendingUploads.get(fileId);
    if (fileId === undefined || pending === undefined) {
      sendText(res, 404, 'not_found');
      return;
    }
    let bytes = raw;
    const filename = pending.filename; // as announced to files.getUploadURLExternal
    let contentType = req.headers['content-type'];
    if (mediaType(req.headers) === 'multipart/form-data') {
      const form = await parseMultipart(raw, req.headers['content-type'] ?? '');
      for (const [, v] of form) {
        if (typeof v !== 'string') {
          bytes = Buffer.from(await v.arrayBuffer());
          contentType = v.type !== '' ? v.type : undefined;
          break;
        }
      }
    }
    pending.uploaded = true;
    uploads.push({ fileId, filename, bytes, contentType, at: now() });
    sendText(res, 200, `OK - ${bytes.length}`);
  }

  async function handleResponseUrl(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const raw = await readBody(req);
    const text = raw.toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      // keep raw text
    }
    const used = responses.filter((r) => r.id === id && r.status === 200).length;
    let status = 200;
    let answer = 'ok';
    if (expiredResponseUrls.has(id)) {
      status = 404;
      answer = 'expired_url';
    } else if (used >= responseUrlMaxUses) {
      status = 404;
      answer = 'used_url';
    }
    responseWaiters = record(responses, responseWaiters, { id, body, headers: req.headers, at: now(), status });
    if (status === 200) sendJson(res, 200, { ok: true });
    else sendText(res, status, answer);
  }

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const run = async (): Promise<void> => {
      const api = /^\/api\/([A-Za-z0-9._]+)$/.exec(path);
      if (api?.[1] !== undefined && (req.method === 'POST' || req.method === 'GET')) {
        await handleApi(req, res, api[1], url.searchParams);
        return;
      }
      const upload = /^\/upload\/v1\/([^/]+)$/.exec(path);
      if (upload?.[1] !== undefined && req.method === 'POST') {
        await handleUpload(req, res, upload[1]);
        return;
      }
      const resp = /^\/response\/([^/]+)$/.exec(path);
      if (resp?.[1] !== undefined && req.method === 'POST') {
        await handleResponseUrl(req, res, decodeURIComponent(resp[1]));
        return;
      }
      sendText(res, 404, 'not_found');
    };
    run().catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'fatal_error', detail: String(e) });
      else res.end();
    });
  });

  // ---- Socket Mode ----
  const wss = new WebSocketServer({ noServer: true });
  const sockets: WebSocket[] = [];
  /**
   * Sockets whose client has processed `hello`. The fake sends a ping right after hello; the client's
   * automatic pong can only come back after it parsed (and synchronously dispatched) the hello frame,
   * so the first pong means "SocketModeClient emitted connected".
   */
  const readySockets = new Set<WebSocket>();
  let totalConnections = 0;
  const serverPingMs = options.serverPingIntervalMs ?? 10_000;

  function openSockets(): WebSocket[] {
    return sockets.filter((s) => s.readyState === WebSocket.OPEN);
  }

  function liveSockets(): WebSocket[] {
    return openSockets().filter((s) => readySockets.has(s));
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (path !== '/link/' && path !== '/link') {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    totalConnections += 1;
    sockets.push(ws);
    // Like Slack, ping periodically; @slack/socket-mode drops the connection if pings stop for 30 s after the first.
    const pinger = setInterval(() => {
      if (ws.readyState === WebSocket.OPEN) ws.ping('fake-slack');
    }, serverPingMs);
    pinger.unref();
    ws.on('pong', () => {
      if (readySockets.has(ws)) return;
      readySockets.add(ws);
      const waiting = socketWaiters;
      socketWaiters = [];
      for (const w of waiting) w();
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) return;
      const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return;
      }
      if (!isRecord(parsed) || typeof parsed['envelope_id'] !== 'string') return;
      ackWaiters = record(acks, ackWaiters, { envelope_id: parsed['envelope_id'], payload: parsed['payload'], raw: parsed, at: now() });
    });
    ws.on('close', () => {
      clearInterval(pinger);
      readySockets.delete(ws);
      const i = sockets.indexOf(ws);
      if (i >= 0) sockets.splice(i, 1);
      if (openSockets().length === 0) {
        const waiting = noSocketWaiters;
        noSocketWaiters = [];
        for (const w of waiting) w();
      }
    });
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: openSockets().length,
        debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: appId },
      }),
    );
    ws.ping('hello-check');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  function waitOn<T>(
    list: readonly T[],
    getWaiters: () => Waiter<T>[],
    setWaiters: (w: Waiter<T>[]) => void,
    match: (item: T) => boolean,
    timeoutMs: number,
    what: () => string,
  ): Promise<T> {
    const found = list.find(match);
    if (found !== undefined) return Promise.resolve(found);
    let waiter: Waiter<T> | undefined;
    const p = new Promise<T>((resolve) => {
      waiter = { match, resolve };
      setWaiters([...getWaiters(), waiter]);
    });
    return withTimeout(p, timeoutMs, what, () => setWaiters(getWaiters().filter((w) => w !== waiter)));
  }

  const fake: FakeSlack = {
    url: `${origin}/api/`,
    origin,
    port,
    calls,
    responses,
    uploads,
    acks,
    messages,
    views,

    callsTo: (method) => calls.filter((c) => c.method === method),

    waitFor: (predicate, timeoutMs = 2000) =>
      waitOn(calls, () => callWaiters, (w) => (callWaiters = w), predicate, timeoutMs, () =>
        `a matching Web API call (recorded: ${calls.map((c) => c.method).join(', ') || 'none'})`,
      ),

    fail(method, spec = {}) {
      const status = spec.status ?? (spec.retryAfter !== undefined ? 429 : 200);
      const failure: PendingFailure = {
        times: spec.times ?? 1,
        skip: spec.skip ?? 0,
        status,
        retryAfter: spec.retryAfter,
        error: spec.error ?? (status === 429 ? 'ratelimited' : 'internal_error'),
        extra: spec.extra ?? {},
      };
      failures.set(method, [...(failures.get(method) ?? []), failure]);
    },

    recover(method) {
      failures.delete(method);
    },

    stall(method, ms, times = 1) {
      stalls.set(method, { ms, times });
    },

    answerLate(method, ms, times = 1) {
      lateAnswers.set(method, { ms, times });
    },

    setHandler(method, handler) {
      handlers.set(method, handler);
    },

    setUser(id, patch) {
      const existing = users.get(id);
      const u = existing !== undefined ? { ...existing, ...patch } : makeUser(id, patch);
      users.set(id, u);
      return u;
    },

    setChannel(id, patch) {
      const existing = channels.get(id);
      const c = existing !== undefined ? { ...existing, ...patch } : makeChannel(id, patch);
      channels.set(id, c);
      return c;
    },

    setOAuthResponse(patch) {
      oauthResponse = { ...oauthResponse, ...patch };
    },

    revokeToken(token) {
      revoked.add(token);
    },

    responseUrl: (id = randomUUID()) => `${origin}/response/${encodeURIComponent(id)}`,

    responsesTo: (id) => responses.filter((r) => r.id === id),

    waitForResponse: (id, timeoutMs = 2000) =>
      waitOn(responses, () => responseWaiters, (w) => (responseWaiters = w), (r) => r.id === id, timeoutMs, () => `a POST to response_url ${id}`),

    expireResponseUrl(id) {
      expiredResponseUrls.add(id);
    },

    socketCount: () => openSockets().length,

    waitForSocket(timeoutMs = 2000) {
      if (liveSockets().length > 0) return Promise.resolve();
      let cb: (() => void) | undefined;
      const p = new Promise<void>((resolve) => {
        cb = resolve;
        socketWaiters.push(resolve);
      });
      return withTimeout(p, timeoutMs, () => 'a Socket Mode connection', () => {
        socketWaiters = socketWaiters.filter((w) => w !== cb);
      });
    },

    waitForNoSockets(timeoutMs = 2000) {
      if (openSockets().length === 0) return Promise.resolve();
      let cb: (() => void) | undefined;
      const p = new Promise<void>((resolve) => {
        cb = resolve;
        noSocketWaiters.push(resolve);
      });
      return withTimeout(p, timeoutMs, () => 'all Socket Mode connections to close', () => {
        noSocketWaiters = noSocketWaiters.filter((w) => w !== cb);
      });
    },

    async socketSend(envelope) {
      await fake.waitForSocket(2000);
      const ws = liveSockets().at(-1);
      if (ws === undefined) throw new Error('fake-slack: no open Socket Mode connection');
      const message = {
        ...envelope,
        accepts_response_payload: envelope.accepts_response_payload ?? envelope.type !== 'events_api',
      };
      await new Promise<void>((resolve, reject) => {
        ws.send(JSON.stringify(message), (e) => (e ? reject(e) : resolve()));
      });
    },

    waitForAck: (envelopeId, timeoutMs = 2000) =>
      waitOn(acks, () => ackWaiters, (w) => (ackWaiters = w), (a) => a.envelope_id === envelopeId, timeoutMs, () => `an ack for envelope ${envelopeId}`),

    async socketDisconnect(reason = 'refresh_requested', timeoutMs = 2000) {
      const targets = openSockets();
      const closed = targets.map(
        (ws) =>
          new Promise<void>((resolve) => {
            ws.once('close', () => resolve());
          }),
      );
      for (const ws of targets) {
        ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-fake-1' } }));
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((_resolve, reject) => {
        timer = setTimeout(() => {
          for (const ws of targets) ws.terminate();
          reject(new Error(`fake-slack: client did not close the connection within ${timeoutMs} ms after disconnect`));
        }, timeoutMs);
      });
      try {
        await Promise.race([Promise.all(closed).then(() => undefined), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },

    connectionCount: () => totalConnections,

    reset() {
      calls.length = 0;
      responses.length = 0;
      uploads.length = 0;
      acks.length = 0;
      messages.length = 0;
      views.clear();
      failures.clear();
      stalls.clear();
      handlers.clear();
      revoked.clear();
      pendingUploads.clear();
      uploadTickets.clear();
      expiredResponseUrls.clear();
      oauthResponse = defaultOAuth();
      seedDirectory();
      tsCounter = 0;
    },

    async close() {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return fake;
}
