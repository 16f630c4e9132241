/**
 * Proves tests/fakes/slack against the REAL @slack/bolt 5.1 App (HTTP mode and Socket Mode).
 * Everything binds to 127.0.0.1 with port 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import type { Logger } from '@slack/bolt';
import { isRecord, jsonParam, startFakeSlack } from './slack/fake-slack.ts';
import type { FakeSlack } from './slack/fake-slack.ts';
import {
  buildBlockActionsPayload,
  buildSlashCommand,
  buildViewSubmissionPayload,
  postInteraction,
  postSlashCommand,
  signSlackBody,
} from './slack/signed-request.ts';

const BOT_TOKEN = 'xoxb-1-docket-test';
const APP_TOKEN = 'xapp-1-A1-1-docket-test';
const SECRET = 'docket-signing-secret';
const retryConfig = { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 };

/** Quiet logger that keeps what Bolt says, so tests can assert on it. */
function captureLogger(): Logger & { lines: { level: string; text: string }[] } {
  const lines: { level: string; text: string }[] = [];
  let level: LogLevel = LogLevel.DEBUG;
  const push = (lvl: string) => (...msg: unknown[]): void => {
    lines.push({ level: lvl, text: msg.map((m) => (typeof m === 'string' ? m : String(m))).join(' ') });
  };
  return {
    lines,
    debug: push('debug'),
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (v: T) => void;
}
function deferred<T>(): Deferred<T> {
  let resolve: (v: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

type Outcome = { ok: true; result: Record<string, unknown> } | { ok: false; error: unknown };

function platformErrorCode(e: unknown): string | undefined {
  if (!(e instanceof webApi.WebAPIPlatformError)) return undefined;
  return e.data.error;
}

describe('fake Slack + real Bolt App (HTTP mode)', () => {
  let fake: FakeSlack;
  let app: App;
  let eventsUrl: string;
  const logger = captureLogger();
  const ran: string[] = [];
  const outcomes = new Map<string, Deferred<Outcome>>();
  /** The handler's Web API outcome for the command whose text is `key`; fails fast if the handler never runs. */
  const expectOutcome = (key: string, timeoutMs = 4000): Promise<Outcome> => {
    const d = deferred<Outcome>();
    outcomes.set(key, d);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`handler for "${key}" did not finish within ${timeoutMs} ms`)), timeoutMs);
    });
    return Promise.race([d.promise, deadline]).finally(() => clearTimeout(timer));
  };

  beforeAll(async () => {
    fake = await startFakeSlack({ validTokens: [BOT_TOKEN] });
    app = new App({
      token: BOT_TOKEN,
      signingSecret: SECRET,
      logger,
      clientOptions: { slackApiUrl: fake.url, retryConfig },
    });

    app.command('/docket-ack', async ({ ack, command }) => {
      ran.push(command.text);
      await ack({ response_type: 'ephemeral', text: `noted: ${command.text}` });
    });

    app.command('/docket-post', async ({ ack, command, client }) => {
      ran.push(command.text);
      await ack();
      const d = outcomes.get(command.text);
      try {
        const result = await client.chat.postMessage({
          channel: command.channel_id,
          text: `Docket for ${command.text}`,
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `*Docket* ${command.text}` } }],
          metadata: { event_type: 'docket_posted', event_payload: { key: command.text } },
        });
        d?.resolve({ ok: true, result: { ...result } });
      } catch (error) {
        d?.resolve({ ok: false, error });
      }
    });

    app.action('approve', async ({ ack, respond, action }) => {
      await ack();
      const value = action.type === 'button' ? action.value : undefined;
      await respond({ replace_original: true, text: `approved ${value ?? ''}` });
    });

    app.view('docket_add', async ({ ack, view }) => {
      const date = view.state.values['due']?.['date']?.selected_date;
      if (date === '1999-01-01') {
        await ack({ response_action: 'errors', errors: { due: 'Date is in the past' } });
        return;
      }
      await ack();
    });

    const server = await app.start({ port: 0, host: '127.0.0.1' });
    const { port } = server.address() as AddressInfo;
    eventsUrl = `http://127.0.0.1:${port}/slack/events`;
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('calls auth.test against the fake at construction (token in Authorization header)', async () => {
    const call = await fake.waitFor((c) => c.method === 'auth.test');
    expect(call.token).toBe(BOT_TOKEN);
    expect(call.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(call.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(call.response).toMatchObject({ ok: true, team_id: 'T0DOCKET1', user_id: 'U0DOCKETBOT', bot_id: 'B0DOCKETBOT' });
  });

  it('returns the handler ack body for a correctly signed slash command', async () => {
    const res = await postSlashCommand(eventsUrl, SECRET, { command: '/docket-ack', text: 'hello world' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.json).toEqual({ response_type: 'ephemeral', text: 'noted: hello world' });
    expect(ran).toContain('hello world');
  });

  it('rejects a bad signature with 401 and an empty body; handler never runs', async () => {
    const res = await postSlashCommand(eventsUrl, SECRET, { command: '/docket-ack', text: 'forged' }, { badSignature: true });
    expect(res.status).toBe(401);
    expect(res.body).toBe('');
    expect(ran).not.toContain('forged');
    expect(logger.lines.some((l) => l.level === 'warn' && l.text.includes('signature mismatch'))).toBe(true);
  });

  it('rejects a stale timestamp (6 minutes old, otherwise valid signature) with 401', async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const res = await postSlashCommand(eventsUrl, SECRET, { command: '/docket-ack', text: 'stale' }, { timestamp: sixMinutesAgo });
    expect(res.status).toBe(401);
    expect(res.body).toBe('');
    expect(ran).not.toContain('stale');
    expect(logger.lines.some((l) => l.text.includes('request is stale'))).toBe(true);
  });

  it('rejects a body with a charset-suffixed content-type only at parse time (documents Bolt strictness)', async () => {
    // Signature is over the raw body, so it verifies; but Bolt then JSON.parses the form body → 400.
    const body = new URLSearchParams({ ...buildSlashCommand({ command: '/docket-ack', text: 'charset' }) }).toString();
    const res = await fetch(eventsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...signSlackBody(SECRET, body) },
      body,
    });
    expect(res.status).toBe(400);
    expect(ran).not.toContain('charset');
  });

  it('chat.postMessage from a handler reaches the fake with blocks and metadata', async () => {
    const outcome = expectOutcome('post-blocks');
    const res = await postSlashCommand(eventsUrl, SECRET, { command: '/docket-post', text: 'post-blocks', channel_id: 'C0GENERAL' });
    expect(res.status).toBe(200);
    expect(res.body).toBe('');
    const o = await outcome;
    expect(o.ok).toBe(true);
    const call = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.params['text'] === 'Docket for post-blocks');
    expect(call.encoding).toBe('form');
    expect(call.params['channel']).toBe('C0GENERAL');
    expect(typeof call.params['blocks']).toBe('string'); // JSON-encoded by @slack/web-api
    expect(jsonParam(call, 'blocks')).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '*Docket* post-blocks' } }]);
    expect(jsonParam(call, 'metadata')).toEqual({ event_type: 'docket_posted', event_payload: { key: 'post-blocks' } });
    if (o.ok) {
      expect(o.result['ts']).toMatch(/^\d{10}\.\d{6}$/);
      expect(o.result['channel']).toBe('C0GENERAL');
      expect(o.result['message']).toMatchObject({ type: 'message', bot_id: 'B0DOCKETBOT', text: 'Docket for post-blocks' });
    }
  });

  it('retries a 429 after Retry-After (1 s) and then succeeds', async () => {
    fake.fail('chat.postMessage', { status: 429, retryAfter: 1 });
    const outcome = expectOutcome('rate-limited');
    await postSlashCommand(eventsUrl, SECRET, { command: '/docket-post', text: 'rate-limited' });
    const o = await outcome;
    expect(o.ok).toBe(true);
    const attempts = fake.callsTo('chat.postMessage').filter((c) => c.params['text'] === 'Docket for rate-limited');
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(attempts[0]?.response).toEqual({ ok: false, error: 'ratelimited' });
    expect(logger.lines.some((l) => l.text.includes('rate limiting. Will retry in 1 seconds'))).toBe(true);
  });

  it('surfaces ok:false not_in_channel as WebAPIPlatformError with data.error', async () => {
    fake.setChannel('C0PRIVATE', { name: 'private-coalition', is_private: true, is_member: false });
    const outcome = expectOutcome('not-member');
    await postSlashCommand(eventsUrl, SECRET, { command: '/docket-post', text: 'not-member', channel_id: 'C0PRIVATE' });
    const o = await outcome;
    expect(o.ok).toBe(false);
    if (!o.ok) {
      expect(platformErrorCode(o.error)).toBe('not_in_channel');
      expect(isRecord(o.error) && o.error['code']).toBe(webApi.ErrorCode.PlatformError);
    }
    // Not retried: a platform error is final.
    expect(fake.callsTo('chat.postMessage').filter((c) => c.params['channel'] === 'C0PRIVATE')).toHaveLength(1);
  });

  it('scripted ok:false errors (fail) reach the caller, then the method works again', async () => {
    fake.fail('chat.postMessage', { error: 'is_archived' });
    await expect(app.client.chat.postMessage({ channel: 'C0GENERAL', text: 'x' })).rejects.toSatisfy(
      (e: unknown) => platformErrorCode(e) === 'is_archived',
    );
    await expect(app.client.chat.postMessage({ channel: 'C0GENERAL', text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it('block_actions: ack + respond() posts JSON to the fake response_url', async () => {
    const responseUrl = fake.responseUrl('act-1');
    const payload = buildBlockActionsPayload({ action_id: 'approve', value: 'Q-7', response_url: responseUrl });
    const res = await postInteraction(eventsUrl, SECRET, payload);
    expect(res.status).toBe(200);
    const r = await fake.waitForResponse('act-1');
    expect(r.headers['content-type']).toBe('application/json');
    expect(r.body).toEqual({ replace_original: true, text: 'approved Q-7' });
  });

  it('view_submission: response_action errors come back in the HTTP body', async () => {
    const payload = buildViewSubmissionPayload({
      callback_id: 'docket_add',
      private_metadata: '{"channel":"C0GENERAL"}',
      values: {
        due: { date: { type: 'datepicker', selected_date: '1999-01-01' } },
        title: { input: { type: 'plain_text_input', value: 'Budget vote' } },
      },
    });
    const res = await postInteraction(eventsUrl, SECRET, payload);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ response_action: 'errors', errors: { due: 'Date is in the past' } });

    const okPayload = buildViewSubmissionPayload({ callback_id: 'docket_add', values: { due: { date: { type: 'datepicker', selected_date: '2099-01-01' } } } });
    const okRes = await postInteraction(eventsUrl, SECRET, okPayload);
    expect(okRes.status).toBe(200);
    expect(okRes.body).toBe('');
  });
});

describe('fake Slack Web API surface (via the Bolt app client)', () => {
  let fake: FakeSlack;
  let app: App;

  beforeAll(async () => {
    fake = await startFakeSlack();
    // No receiver start needed: only the WebClient is used here.
    app = new App({ token: BOT_TOKEN, signingSecret: SECRET, logger: captureLogger(), clientOptions: { slackApiUrl: fake.url, retryConfig } });
  });

  afterAll(async () => {
    await fake?.close();
  });

  it('answers users.info with configurable is_admin / is_owner', async () => {
    fake.setUser('U0ADMIN', { is_admin: true, is_owner: false, name: 'ada', team_id: 'T0DOCKET1' });
    const r = await app.client.users.info({ user: 'U0ADMIN' });
    expect(r.user).toMatchObject({ id: 'U0ADMIN', name: 'ada', is_admin: true, is_owner: false, team_id: 'T0DOCKET1' });
    const plain = await app.client.users.info({ user: 'U0BOB' });
    expect(plain.user).toMatchObject({ id: 'U0BOB', is_admin: false, is_owner: false });
  });

  it('answers chat.postEphemeral / update / delete, conversations.info / join', async () => {
    const posted = await app.client.chat.postMessage({ channel: 'C0GENERAL', text: 'first' });
    const second = await app.client.chat.postMessage({ channel: 'C0GENERAL', text: 'second' });
    expect(Number(second.ts)).toBeGreaterThan(Number(posted.ts));
    const eph = await app.client.chat.postEphemeral({ channel: 'C0GENERAL', user: 'U0ALICE', text: 'psst' });
    expect(eph.message_ts).toMatch(/^\d{10}\.\d{6}$/);
    const upd = await app.client.chat.update({ channel: 'C0GENERAL', ts: posted.ts ?? '', text: 'edited' });
    expect(upd).toMatchObject({ ok: true, channel: 'C0GENERAL', ts: posted.ts, text: 'edited' });
    await expect(app.client.chat.delete({ channel: 'C0GENERAL', ts: posted.ts ?? '' })).resolves.toMatchObject({ ok: true, ts: posted.ts });
    await expect(app.client.chat.update({ channel: 'C0GENERAL', ts: posted.ts ?? '', text: 'again' })).rejects.toSatisfy(
      (e: unknown) => platformErrorCode(e) === 'message_not_found',
    );
    fake.setChannel('C0NEW', { name: 'new-room', is_member: false });
    const info = await app.client.conversations.info({ channel: 'C0NEW' });
    expect(info.channel).toMatchObject({ id: 'C0NEW', name: 'new-room', is_member: false, is_archived: false });
    const joined = await app.client.conversations.join({ channel: 'C0NEW' });
    expect(joined.channel).toMatchObject({ id: 'C0NEW', is_member: true });
    fake.setChannel('C0OLD', { is_archived: true });
    await expect(app.client.conversations.join({ channel: 'C0OLD' })).rejects.toSatisfy((e: unknown) => platformErrorCode(e) === 'is_archived');
  });

  it('answers views.open / views.update / views.push with a view id', async () => {
    const view = { type: 'modal' as const, callback_id: 'docket_add', title: { type: 'plain_text' as const, text: 'Add' }, blocks: [] };
    const opened = await app.client.views.open({ trigger_id: '123.456.abc', view });
    expect(opened.view?.id).toMatch(/^V/);
    expect(opened.view?.callback_id).toBe('docket_add');
    const updated = await app.client.views.update({ view_id: opened.view?.id ?? '', hash: opened.view?.hash ?? '', view });
    expect(updated.view?.id).toBe(opened.view?.id);
    const pushed = await app.client.views.push({ trigger_id: '123.456.def', view });
    expect(pushed.view?.id).not.toBe(opened.view?.id);
    const call = fake.callsTo('views.open')[0];
    expect(call && jsonParam(call, 'view')).toMatchObject({ callback_id: 'docket_add' });
  });

  it('supports files.uploadV2 end to end (upload URL on the fake, bytes recorded)', async () => {
    const bytes = Buffer.from('question,due\nBudget vote,2025-06-01\n');
    const r = await app.client.filesUploadV2({ channel_id: 'C0GENERAL', file: bytes, filename: 'docket.csv', title: 'Docket export' });
    expect(r.ok).toBe(true);
    const url = fake.callsTo('files.getUploadURLExternal')[0]?.response['upload_url'];
    expect(String(url).startsWith(`${fake.origin}/upload/`)).toBe(true);
    expect(fake.uploads).toHaveLength(1);
    expect(fake.uploads[0]?.bytes.equals(bytes)).toBe(true);
    const complete = fake.callsTo('files.completeUploadExternal')[0];
    expect(complete && jsonParam(complete, 'files')).toEqual([{ id: fake.uploads[0]?.fileId, title: 'Docket export' }]);
    expect(complete?.response['files']).toEqual([expect.objectContaining({ id: fake.uploads[0]?.fileId, title: 'Docket export' })]);
  });

  it('answers oauth.v2.access with a v2 install response, apps.uninstall, and unknown_method', async () => {
    fake.setOAuthResponse({ access_token: 'xoxb-installed', team: { id: 'T0OTHER', name: 'Other Coalition' } });
    const oauth = await app.client.oauth.v2.access({ client_id: 'cid', client_secret: 'secret', code: 'abc' });
    expect(oauth).toMatchObject({
      ok: true,
      access_token: 'xoxb-installed',
      token_type: 'bot',
      bot_user_id: 'U0DOCKETBOT',
      team: { id: 'T0OTHER', name: 'Other Coalition' },
      enterprise: null,
      is_enterprise_install: false,
      authed_user: { id: 'U0INSTALLER' },
    });
    await expect(app.client.apps.uninstall({ client_id: 'cid', client_secret: 'secret' })).resolves.toMatchObject({ ok: true });
    await expect(app.client.apiCall('docket.nope')).rejects.toSatisfy((e: unknown) => platformErrorCode(e) === 'unknown_method');
  });

  it('accepts JSON bodies (token in header) and decodes them', async () => {
    const res = await fetch(`${fake.url}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Bearer ${BOT_TOKEN}` },
      body: JSON.stringify({ channel: 'C0GENERAL', text: 'json', blocks: [{ type: 'divider' }] }),
    });
    expect(await res.json()).toMatchObject({ ok: true, channel: 'C0GENERAL' });
    const call = fake.callsTo('chat.postMessage').at(-1);
    expect(call?.encoding).toBe('json');
    expect(call && jsonParam(call, 'blocks')).toEqual([{ type: 'divider' }]);
  });

  it('slackApiUrl works with or without the trailing slash (WebClient appends it)', async () => {
    const noSlash = new webApi.WebClient(BOT_TOKEN, { slackApiUrl: fake.url.replace(/\/$/, ''), retryConfig, logger: captureLogger() });
    await expect(noSlash.auth.test()).resolves.toMatchObject({ ok: true, user_id: 'U0DOCKETBOT' });
    expect(fake.calls.at(-1)?.headers.host).toBe(`127.0.0.1:${fake.port}`);
  });

  it('token errors: revoked token → token_revoked', async () => {
    fake.revokeToken(BOT_TOKEN);
    await expect(app.client.auth.test()).rejects.toSatisfy((e: unknown) => platformErrorCode(e) === 'token_revoked');
    fake.reset();
    await expect(app.client.auth.test()).resolves.toMatchObject({ ok: true });
  });
});

describe('fake Slack + real Bolt App (Socket Mode)', () => {
  it('connects via apps.connections.open, receives a slash_commands envelope and acks it', async () => {
    const fake = await startFakeSlack();
    const logger = captureLogger();
    const app = new App({
      token: BOT_TOKEN,
      appToken: APP_TOKEN,
      socketMode: true,
      logger,
      installerOptions: { clientOptions: { slackApiUrl: fake.url, retryConfig } },
      clientOptions: { slackApiUrl: fake.url, retryConfig },
    });
    const seen: string[] = [];
    app.command('/docket', async ({ ack, command }) => {
      seen.push(command.text);
      await ack({ response_type: 'ephemeral', text: `socket: ${command.text}` });
    });
    app.action('approve', async ({ ack }) => {
      await ack();
    });
    let stopped = false;
    try {
      await app.start();
      const open = fake.callsTo('apps.connections.open')[0];
      expect(open?.token).toBe(APP_TOKEN);
      expect(fake.socketCount()).toBe(1);

      await fake.socketSend({
        envelope_id: 'env-slash-1',
        type: 'slash_commands',
        payload: buildSlashCommand({ command: '/docket', text: 'via socket', response_url: fake.responseUrl() }),
        accepts_response_payload: true,
      });
      const ack = await fake.waitForAck('env-slash-1');
      expect(ack.raw).toEqual({ envelope_id: 'env-slash-1', payload: { response_type: 'ephemeral', text: 'socket: via socket' } });
      expect(seen).toEqual(['via socket']);

      await fake.socketSend({ envelope_id: 'env-act-1', type: 'interactive', payload: buildBlockActionsPayload({ action_id: 'approve' }) });
      const bare = await fake.waitForAck('env-act-1');
      expect(bare.raw).toEqual({ envelope_id: 'env-act-1', payload: {} });

      // events_api: Bolt acks automatically, before/regardless of listeners.
      await fake.socketSend({
        envelope_id: 'env-evt-1',
        type: 'events_api',
        payload: {
          token: 'gIkuvaNzQIHg97ATvDxqgjtO',
          team_id: 'T0DOCKET1',
          api_app_id: 'A1',
          type: 'event_callback',
          event_id: 'Ev0001',
          event_time: 1700000000,
          event: { type: 'app_mention', user: 'U0ALICE', text: '<@U0DOCKETBOT> hi', ts: '1700000000.000200', channel: 'C0GENERAL', event_ts: '1700000000.000200' },
          authorizations: [{ enterprise_id: null, team_id: 'T0DOCKET1', user_id: 'U0DOCKETBOT', is_bot: true, is_enterprise_install: false }],
        },
        retry_attempt: 0,
        retry_reason: '',
      });
      const evtAck = await fake.waitForAck('env-evt-1');
      expect(evtAck.raw).toEqual({ envelope_id: 'env-evt-1', payload: {} });

      await app.stop();
      stopped = true;
      await fake.waitForNoSockets(3000); // client sends a close frame; the fake sees the socket go away
      expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
    } finally {
      if (!stopped) await app.stop();
      await fake.close();
    }
  });

  it('reconnects after a {type:"disconnect"} message (SocketModeReceiver clientPingTimeout sets the delay)', async () => {
    const fake = await startFakeSlack();
    const logger = captureLogger();
    // App({socketMode:true}) does not pass clientPingTimeout through; the reconnect delay is clientPingTimeout × failures
    // (5 s by default), so build the receiver explicitly to keep the test fast.
    const receiver = new SocketModeReceiver({
      appToken: APP_TOKEN,
      logger,
      clientPingTimeout: 200,
      installerOptions: { clientOptions: { slackApiUrl: fake.url, retryConfig } },
    });
    const app = new App({ token: BOT_TOKEN, receiver, logger, clientOptions: { slackApiUrl: fake.url, retryConfig } });
    app.command('/docket', async ({ ack }) => {
      await ack('pong');
    });
    try {
      await app.start();
      await fake.socketDisconnect('refresh_requested');
      await fake.waitForSocket(2000);
      expect(fake.connectionCount()).toBe(2);
      expect(fake.callsTo('apps.connections.open')).toHaveLength(2);
      await fake.socketSend({ envelope_id: 'env-after', type: 'slash_commands', payload: buildSlashCommand({ command: '/docket' }) });
      expect((await fake.waitForAck('env-after')).raw).toEqual({ envelope_id: 'env-after', payload: { text: 'pong' } });
    } finally {
      await app.stop();
      await fake.waitForNoSockets(2000).catch(() => undefined);
      await fake.close();
    }
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it('App-level clientOptions alone also reach the Socket Mode client (no installerOptions)', async () => {
    const fake = await startFakeSlack();
    const app = new App({ token: BOT_TOKEN, appToken: APP_TOKEN, socketMode: true, logger: captureLogger(), clientOptions: { slackApiUrl: fake.url, retryConfig } });
    try {
      await app.start();
      expect(fake.callsTo('apps.connections.open')).toHaveLength(1);
      expect(fake.socketCount()).toBe(1);
    } finally {
      await app.stop();
      await fake.waitForNoSockets(3000).catch(() => undefined);
      await fake.close();
    }
  });
});
