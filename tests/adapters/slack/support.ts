/**
 * A Slack rig for the adapter's tests: the fake Slack Web API, a real SQLite docket (tests/support/harness),
 * and the real Bolt app from createSlackAdapter listening on 127.0.0.1, with helpers that sign requests
 * the way Slack does.
 */
import type { Config } from "../../../src/config.ts";
import type { Core, Logger } from "../../../src/core/core.ts";
import { createDigestDelivery } from "../../../src/core/digest/delivery.ts";
import { createSlackAdapter, type SlackAdapter } from "../../../adapters/slack/slack-adapter.ts";
import type { Timers } from "../../../adapters/slack/timers.ts";
import { jsonParam, startFakeSlack, type FakeSlack, type FakeSlackOptions, type RecordedCall, type RecordedResponse } from "../../fakes/slack/fake-slack.ts";
import { postInteraction, postSlashCommand, signSlackBody, type SignedPostResult, type SlashCommandFields } from "../../fakes/slack/signed-request.ts";
import { harness, type Harness } from "../../support/harness.ts";

export const SECRET = "docket-test-signing-secret";
export const BOT_TOKEN = "xoxb-1-docket-test";
export const APP_TOKEN = "xapp-1-A1-1-docket-test";
export const TEAM = "T0DOCKET1";

/** A logger that keeps every line, so tests can read the bound port and check that no token was logged. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: string, context: Record<string, unknown> = {}) => {
    lines.push(JSON.stringify({ level, message, ...context }));
  };
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

/**
 * Virtual time for the adapter's digest path: waiting moves the clock on at once and is recorded, so a
 * test reads how long Docket waited (pace, Retry-After) without waiting it out or reading a real clock.
 */
export function virtualTimers(start = 1_700_000_000_000): Timers & { slept: number[] } {
  let now = start;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    async sleep(ms) {
      slept.push(ms);
      now += ms;
    },
  };
}

export interface RigOptions {
  oauth?: boolean;
  /** DOCKET_SECRET_KEY: the platform state (installations) is encrypted with it. */
  secretKey?: string;
  socket?: boolean;
  fake?: FakeSlackOptions;
  now?: string;
  /** A harness (store, clock, core) to run over instead of a new one, as when Discord runs in the same process; its owner closes it. */
  h?: Harness;
  /** Wraps the core the adapter talks to (a test holding a command past the ack deadline). */
  wrapCore?: (core: Core) => Core;
  /** The adapter's ack deadline (default its own, 2.5 s). */
  ackDeadlineMs?: number;
  /** How long Bolt's receiver waits for an ack before answering the request itself (default Bolt's). */
  receiverAckTimeoutMs?: number;
}

export interface Rig {
  fake: FakeSlack;
  h: Harness;
  adapter: SlackAdapter;
  config: Config;
  log: ReturnType<typeof recordingLogger>;
  /** The adapter's digest clock, which the fake's recorded `at` times are read from too. */
  timers: ReturnType<typeof virtualTimers>;
  /** `http://127.0.0.1:PORT` of the adapter. */
  origin: string;
  events: string;
  /** Runs `/docket <text>` as Slack would send it; the response_url points at the fake under `responseId`. */
  command(text: string, fields?: Partial<SlashCommandFields>): Promise<SignedPostResult & { responseId: string }>;
  interact(payload: object): Promise<SignedPostResult>;
  /** POSTs an Events API callback, signed, as JSON. */
  event(team: string, event: Record<string, unknown>): Promise<SignedPostResult>;
  /** What the adapter posted to a command's response_url, waiting briefly for `count` of them. */
  responses(responseId: string, count?: number): Promise<RecordedResponse[]>;
  close(): Promise<void>;
}

let responseCounter = 0;

export function slackConfig(h: Harness, fake: FakeSlack, o: RigOptions = {}): Config {
  return {
    db: h.path,
    timeZone: "Europe/London",
    commandName: "docket",
    port: 0,
    logLevel: "debug",
    ...(o.secretKey ? { secretKey: o.secretKey } : {}),
    slack: {
      botToken: BOT_TOKEN,
      signingSecret: SECRET,
      apiUrl: fake.url,
      ...(o.socket ? { appToken: APP_TOKEN } : {}),
      ...(o.oauth ? { oauth: { clientId: "111.222", clientSecret: "client-secret", stateSecret: "state-secret" } } : {}),
    },
  };
}

export async function startRig(o: RigOptions = {}): Promise<Rig> {
  const timers = virtualTimers();
  const fake = await startFakeSlack({
    users: { U0ALICE: { name: "alice", real_name: "Alice Admin", is_admin: true }, U0BOB: { name: "bob", real_name: "Bob Member" } },
    now: timers.now,
    ...o.fake,
  });
  const h = o.h ?? harness({ now: o.now ?? "2026-11-29T10:00:00Z", ...(o.secretKey ? { secretKey: o.secretKey } : {}) });
  const log = recordingLogger();
  const config = slackConfig(h, fake, o);
  const { store } = h;
  const core = o.wrapCore ? o.wrapCore(h.core) : h.core;
  const adapter = createSlackAdapter({ core, config, log, clock: h.clock, state: store.platformState }, {
    host: "127.0.0.1", timers,
    ...(o.ackDeadlineMs !== undefined ? { ackDeadlineMs: o.ackDeadlineMs } : {}),
    ...(o.receiverAckTimeoutMs !== undefined ? { receiverAckTimeoutMs: o.receiverAckTimeoutMs } : {}),
  });
  await adapter.start();
  const origin = `http://127.0.0.1:${adapter.port()}`;
  const events = `${origin}/slack/events`;
  return {
    fake, h, adapter, config, log, timers, origin, events,
    async command(text, fields = {}) {
      const responseId = `cmd-${++responseCounter}`;
      const res = await postSlashCommand(events, SECRET, { command: "/docket", text, response_url: fake.responseUrl(responseId), ...fields });
      return { ...res, responseId };
    },
    interact: (payload) => postInteraction(events, SECRET, payload),
    async event(team, event) {
      const body = JSON.stringify({
        token: "gIkuvaNzQIHg97ATvDxqgjtO", team_id: team, api_app_id: "A1", type: "event_callback", event_id: `Ev${++responseCounter}`, event_time: 1700000000, event,
        authorizations: [{ enterprise_id: null, team_id: team, user_id: "U0DOCKETBOT", is_bot: true, is_enterprise_install: false }],
      });
      const res = await fetch(events, { method: "POST", headers: { "content-type": "application/json", ...signSlackBody(SECRET, body) }, body });
      const text = await res.text();
      return { status: res.status, body: text, json: text ? (JSON.parse(text) as unknown) : undefined, headers: Object.fromEntries(res.headers.entries()) };
    },
    async responses(responseId, count = 1) {
      const deadline = Date.now() + 3000;
      while (fake.responsesTo(responseId).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return fake.responsesTo(responseId);
    },
    async close() {
      await adapter.stop();
      if (o.socket) await fake.waitForNoSockets(3000).catch(() => undefined);
      await fake.close();
      if (!o.h) h.close();
    },
  };
}

/** Every string inside a JSON value, to check what reaches Slack. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}

/** The text of an ack or message body: its fallback text and every block's text, joined. */
export function textOf(body: unknown): string {
  return stringsIn(body).join("\n");
}

/** The digest delivery main.ts would run, posting through the rig's Slack chat port, on the harness clock. */
export function digestDelivery(rig: Rig) {
  return createDigestDelivery({ store: rig.h.store, clock: rig.h.clock, log: rig.log, chats: new Map([["slack", rig.adapter.chat]]), commandName: "docket", instanceId: "test" });
}

/** A slash command's text as Slack sends what the member typed: `&`, `<` and `>` as entities. */
export const wire = (typed: string) => typed.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

/** Every text Docket sent towards Slack: Web API parameters (decoded), response_url bodies, and what it answered on its endpoint. */
export function slackBound(rig: Rig, acks: unknown[]): Array<{ where: string; text: string }> {
  const fromCall = (c: RecordedCall) =>
    Object.keys(c.params).flatMap((key) => {
      if (["token", "trigger_id", "channel", "user", "users", "length", "channel_id", "file_id"].includes(key)) return [];
      const value = ["blocks", "view", "metadata", "files", "attachments"].includes(key) ? jsonParam(c, key) : c.params[key];
      return stringsIn(value).map((text) => ({ where: `${c.method}.${key}`, text }));
    });
  return [
    ...rig.fake.calls.filter((c) => c.method !== "auth.test" && c.method !== "users.info").flatMap(fromCall),
    ...rig.fake.responses.flatMap((r) => stringsIn(r.body).map((text) => ({ where: `response_url ${r.id}`, text }))),
    ...acks.flatMap((a, i) => stringsIn(a).map((text) => ({ where: `ack ${i}`, text }))),
  ];
}
