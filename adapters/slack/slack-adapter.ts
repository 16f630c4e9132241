import type { IncomingMessage, ServerResponse } from "node:http";
import type { Server } from "node:net";
import { App, ErrorCode, HTTPReceiver, SocketModeReceiver, webApi, type AppOptions, type CodedError, type CustomRoute } from "@slack/bolt";
import type { ChatPort } from "../../src/core/api.ts";
import type { AdapterDeps, PlatformAdapter } from "../../src/platform.ts";
import { defaultAckDeadlineMs } from "./ack-deadline.ts";
import { boltLevel, boltLogger } from "./bolt-logger.ts";
import { createChannelPace } from "./channel-pace.ts";
import { createInstallationStore, type HomeWorkspace } from "./installation-store.ts";
import { registerInteractions } from "./interactions.ts";
import { botScopes } from "./manifest.ts";
import { createMemberDirectory } from "./member-directory.ts";
import { createSlackChat } from "./slack-chat.ts";
import { errorText } from "./slack-errors.ts";
import { guardSlackRequests } from "./request-guard.ts";
import { responseUrlPolicy } from "./response-url-policy.ts";
import { registerSlashCommand } from "./slash-command.ts";
import { realTimers, type Timers } from "./timers.ts";
import { registerWorkspaceEvents } from "./workspace-events.ts";

export interface SlackAdapterOptions {
  /** Interface to listen on over HTTP (default: all); Bolt's Socket Mode receiver always listens on all. */
  host?: string;
  /** Least time between two digest messages in one channel (default 1000 ms: Slack's one a second). */
  channelIntervalMs?: number;
  /** The clock and the waits of digest posting (pace, Retry-After); tests give virtual ones. */
  timers?: Timers;
  /** How long a command or a modal submission may work before it is acked empty and answered through response_url (default 2500 ms, under Slack's 3 s). */
  ackDeadlineMs?: number;
  /** How long Bolt's HTTP receiver waits for an ack before it answers the request itself (default Bolt's 3001 ms); tests shorten it. */
  receiverAckTimeoutMs?: number;
}

export interface SlackAdapter extends PlatformAdapter {
  readonly mode: "http" | "socket";
  /** The port Slack's endpoints and /healthz listen on, once started (useful with PORT=0). */
  port(): number | undefined;
}

/**
 * The Web API client's retry policy: two retries within seconds, a 10 s timeout per request. The SDK's
 * default (ten retries over about half an hour) would hold a command or a digest pass far too long.
 */
export const retryPolicy = { retries: 2, factor: 2, minTimeout: 500, maxTimeout: 3000, randomize: true } as const;
const requestTimeoutMs = 10_000;

/**
 * The digest client's options: it hands a 429 back (so one rate-limited channel never pauses every
 * call) and never retries by itself, since a post that timed out may have been stored: the delivery
 * ledger retries it, after looking for it in the channel (SlackChat's `findSent`).
 */
export const digestClientOptions = (apiUrl?: string, timeoutMs = requestTimeoutMs) =>
  ({ retryConfig: { retries: 0 }, timeout: timeoutMs, rejectRateLimitedCalls: true, ...(apiUrl ? { slackApiUrl: apiUrl } : {}) }) as const;

/**
 * Docket in Slack on @slack/bolt: `/docket` commands, modals and buttons over HTTP (`/slack/events`)
 * or Socket Mode, `/healthz`, the OAuth install flow when configured, and the chat port digests are
 * posted through. Nothing connects until `start()`.
 */
export function createSlackAdapter(deps: AdapterDeps, options: SlackAdapterOptions = {}): SlackAdapter {
  const { core, config, log } = deps;
  const slack = config.slack;
  if (!slack) throw new Error("createSlackAdapter needs config.slack (SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET).");
  const { appToken, oauth, signingSecret } = slack;
  const mode = appToken ? "socket" : "http";
  const logger = boltLogger(log, config.logLevel);
  const logLevel = boltLevel[config.logLevel];
  const timers = options.timers ?? realTimers;
  const clientOptions = { retryConfig: { ...retryPolicy }, timeout: requestTimeoutMs, ...(slack.apiUrl ? { slackApiUrl: slack.apiUrl } : {}) };

  let home: HomeWorkspace | undefined;
  const installations = createInstallationStore(deps.state, deps.clock, () => home);
  const directory = createMemberDirectory({ log });
  // why: digests get their own client, which hands a 429 back and never re-posts by itself.
  const chatClient = new webApi.WebClient(undefined, { ...digestClientOptions(slack.apiUrl), logger });
  const chat: ChatPort = createSlackChat({
    client: chatClient,
    tokenFor: (team) => installations.botToken(team),
    installerOf: (team) => installations.installer(team),
    log,
    pace: createChannelPace(options.channelIntervalMs ?? 1000, timers),
    timers,
  });

  let app: App | undefined;
  let server: Server | undefined;
  const shared = deps.http;
  shared?.describe("slack", mode);
  // why: over HTTP on the shared server, Bolt's receiver never listens, so it must not be told to stop.
  const ownsListening = !(shared && mode === "http");

  const health: CustomRoute = {
    path: "/healthz",
    method: ["GET"],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ status: "ok", slack: mode }));
    },
  };

  function build(h: HomeWorkspace): { app: App; receiver?: SocketModeReceiver } {
    const installer = oauth && { clientId: oauth.clientId, clientSecret: oauth.clientSecret, stateSecret: oauth.stateSecret, scopes: [...botScopes], installationStore: installations };
    // why: Bolt refuses a token together with OAuth; then the installation store answers for the token's own workspace.
    const auth: Partial<AppOptions> = installer || { token: h.botToken, ...(h.botId ? { botId: h.botId } : {}), ...(h.botUserId ? { botUserId: h.botUserId } : {}) };
    const installerOptions = { directInstall: true, clientOptions };
    // why: with Docket's shared server, /healthz is the server's; a receiver of ours adds no routes of its own.
    const customRoutes = shared ? [] : [health];
    if (appToken) {
      // why: in Socket Mode the OAuth options belong to the receiver, which also serves /healthz and the install pages on PORT.
      // With the shared server on PORT (config.ts refuses OAuth then), this receiver has no routes and so no server of its own.
      const receiver = new SocketModeReceiver({ appToken, logger, logLevel, customRoutes, ...installer, installerOptions: { ...installerOptions, port: config.port } });
      return { app: new App({ receiver, logger, logLevel, clientOptions, ...(installer ? {} : auth) }), receiver };
    }
    // why: Docket's own receiver, so every POST to /slack/events is screened before Bolt reads it (request-guard.ts).
    // why signatureVerification off: the guard has checked the signature (both ways in time) of every
    // POST Bolt handles as an event, and Bolt checking it again cost a second HMAC and body parse.
    const receiver = new HTTPReceiver({
      signingSecret, signatureVerification: false, logger, logLevel, customRoutes, ...installer, installerOptions,
      ...(options.receiverAckTimeoutMs !== undefined ? { unhandledRequestTimeoutMillis: options.receiverAckTimeoutMs } : {}),
    });
    receiver.requestListener = guardSlackRequests(receiver.requestListener, { signingSecret, log });
    // why: Bolt's App wires its receiver in its constructor, so the listener serves without the receiver listening itself.
    shared?.fallback(receiver.requestListener);
    return { app: new App({ receiver, logger, logLevel, clientOptions, ...(installer ? {} : auth) }) };
  }

  return {
    chat,
    mode,
    port() {
      if (shared) return shared.port();
      const address = server?.address();
      return address && typeof address === "object" ? address.port : undefined;
    },
    async start() {
      if (app) return;
      const probe = new webApi.WebClient(slack.botToken, { ...clientOptions, logger });
      let identity: webApi.AuthTestResponse;
      try {
        identity = await probe.auth.test();
      } catch (error) {
        throw new Error(`Slack did not accept SLACK_BOT_TOKEN (${errorText(error)}); check the token${slack.apiUrl ? " and SLACK_API_URL" : ""}.`);
      }
      home = {
        teamId: identity.team_id ?? "", botToken: slack.botToken,
        ...(identity.team ? { teamName: identity.team } : {}), ...(identity.bot_id ? { botId: identity.bot_id } : {}), ...(identity.user_id ? { botUserId: identity.user_id } : {}),
      };
      const built = build(home);
      const rt = { core, log, directory, responseUrls: responseUrlPolicy(slack.apiUrl), ackDeadlineMs: options.ackDeadlineMs ?? defaultAckDeadlineMs };
      registerSlashCommand(built.app, rt);
      registerInteractions(built.app, rt);
      registerWorkspaceEvents(built.app, rt, installations);
      built.app.error(async (error: CodedError) => {
        // why: a request from a workspace without an installation (uninstalled, or never installed) is not a bug.
        if (error.code === ErrorCode.AuthorizationError) log.warn("slack request from a workspace Docket is not installed in", { error: error.message });
        else log.error("slack listener failed", { error: error.stack ?? error.message });
      });
      if (built.receiver) {
        // why: SocketModeReceiver keeps its HTTP server (for /healthz and the OAuth pages) private and listens without a callback.
        const http = (built.receiver as unknown as { httpServer?: Server }).httpServer;
        const listening = http ? waitListening(http) : Promise.resolve();
        await built.app.start();
        await listening;
        server = http;
      } else if (ownsListening) {
        server = await built.app.start({ port: config.port, ...(options.host ? { host: options.host } : {}) });
      }
      app = built.app;
      log.info("slack adapter started", { mode, port: this.port(), team: home.teamId, oauth: Boolean(slack.oauth) });
    },
    async stop() {
      const running = app;
      app = undefined;
      if (!running) return;
      if (ownsListening) await running.stop();
      server = undefined;
    },
  };
}

function waitListening(server: Server): Promise<void> {
  if (server.listening) return Promise.resolve();
  return new Promise((resolve, reject) => {
    server.once("listening", () => resolve());
    server.once("error", reject);
  });
}
