import type { IncomingMessage, ServerResponse } from "node:http";
import { REST, Routes, type APIGuild, type APIInteraction, type RESTGetAPICurrentUserGuildsResult } from "discord.js";
import type { Core, Logger, PlatformStateStore } from "../../src/core/api.ts";
import type { AdapterDeps, PlatformAdapter } from "../../src/platform.ts";
import { commandDefinitions } from "./command-definitions.ts";
import { restBase } from "./discord-adapter.ts";
import { defaultDeferAfterMs } from "./defer-deadline.ts";
import { createDiscordChat, type GuildContacts } from "./discord-chat.ts";
import { answerInteraction } from "./http-interactions.ts";
import { registerCommands } from "./registration.ts";
import { discordPublicKey, verifyDiscordRequest } from "./signature.ts";

/** Where Discord posts interactions (the Interactions Endpoint URL's path). */
export const interactionsPath = "/discord/interactions";

/** Larger bodies are refused (413) unread: Discord's interactions are a few kilobytes. */
export const maxBodyBytes = 256 * 1024;

const dayMs = 24 * 60 * 60_000;

export interface DiscordHttpAdapterOptions {
  /** Time between two checks of the bot's server list (default a day; the first runs a minute after start). */
  guildCheckMs?: number;
  firstGuildCheckMs?: number;
  /** How long an interaction may wait for the core before it is deferred (default 2000 ms, under Discord's 3 s). */
  deferAfterMs?: number;
}

export interface DiscordHttpAdapter extends PlatformAdapter {
  /** Resolves once every follow-up of the interactions answered so far has been sent. */
  idle(): Promise<void>;
  /** Pauses the digests of every server an interaction came from that Docket is no longer in; resolves with those servers. */
  checkGuilds(): Promise<string[]>;
}

/** The platform-state keys of the servers interactions came from, for the daily check. */
const knownKey = (guildId: string) => `guild:${guildId}`;

/**
 * Docket on Discord without the gateway: interactions arrive at `POST /discord/interactions` on
 * Docket's shared HTTP server, verified with the application's Ed25519 key; replies go back in the
 * HTTP response or through the interaction's webhook; digests and notices through the bot's REST
 * client. With no GUILD_DELETE event, a removal is noticed at the first failed post and by a daily
 * look at the bot's server list.
 */
export function createDiscordHttpAdapter(deps: AdapterDeps, options: DiscordHttpAdapterOptions = {}): DiscordHttpAdapter {
  const { core, config, log, state, clock, http } = deps;
  const discord = config.discord;
  if (!discord?.publicKey) throw new Error("createDiscordHttpAdapter needs config.discord with publicKey (DISCORD_PUBLIC_KEY)");
  if (!http) throw new Error("createDiscordHttpAdapter needs Docket's HTTP server (deps.http)");
  const applicationId = discord.applicationId;
  const key = discordPublicKey(discord.publicKey);
  const restOptions = discord.apiUrl ? { api: restBase(discord.apiUrl) } : {};
  const botRest = new REST(restOptions).setToken(discord.token);
  // why: interaction webhooks are outside the bot's global rate limit; they must not queue behind a digest run.
  const webhookRest = new REST(restOptions);
  botRest.on("rateLimited", (info) => log.debug("Discord rate limit", { route: info.route, retryAfterMs: info.retryAfter, global: info.global }));

  const guilds = new Map<string, Promise<APIGuild | undefined>>();
  /** The server as Discord describes it now, fetched once per process (GET /guilds/{id}); undefined when out of reach. */
  const guild = (id: string): Promise<APIGuild | undefined> => {
    let found = guilds.get(id);
    if (!found) {
      found = (botRest.get(Routes.guild(id)) as Promise<APIGuild>).catch((error: unknown) => {
        guilds.delete(id);
        log.warn("could not look up a Discord server", { guild: id, error: error instanceof Error ? error.message : String(error) });
        return undefined;
      });
      guilds.set(id, found);
    }
    return found;
  };
  const contacts = async (id: string): Promise<GuildContacts | undefined> => {
    const g = await guild(id);
    return g ? { systemChannelId: g.system_channel_id, ownerId: g.owner_id } : undefined;
  };
  const chat = createDiscordChat({ rest: botRest, guild: contacts, log });

  const known = new Set<string>();
  const seen = (guildId: string) => {
    if (known.has(guildId)) return;
    known.add(guildId);
    state.set("discord", knownKey(guildId), "seen", clock.now().toISOString()).catch((error: unknown) => {
      log.warn("could not record a Discord server for the daily check", { guild: guildId, error: error instanceof Error ? error.message : String(error) });
    });
  };
  // why: the name names a new docket; Discord has 3 s for the whole answer, so a slow lookup is not waited for.
  const guildName = (id: string) => Promise.race([guild(id).then((g) => g?.name), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000).unref())]);
  const interactionDeps = { core, log, rest: webhookRest, applicationId, guildName, seen, deferAfterMs: options.deferAfterMs ?? defaultDeferAfterMs };

  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    // why: nothing awaits a follow-up; one that fails (Discord down, the interaction unknown to it) is
    // logged here, where unhandled it would end the process and every other interaction with it.
    const p = work
      .catch((error: unknown) => log.warn("could not send an interaction's follow-up through its webhook", { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };
  let serving = false;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, maxBodyBytes);
    if (body === undefined) {
      res.writeHead(413, { "content-type": "text/plain", connection: "close" });
      res.end("Request body too large\n");
      return;
    }
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    // why: Discord probes the endpoint with bad signatures and drops the URL if one gets a 2xx; nothing is parsed before this.
    if (!serving || !verifyDiscordRequest(key, { body, signature: header("x-signature-ed25519"), timestamp: header("x-signature-timestamp") }, clock.now().getTime())) {
      res.writeHead(serving ? 401 : 503, { "content-type": "text/plain" });
      res.end(serving ? "Invalid request signature\n" : "Starting\n");
      return;
    }
    let interaction: APIInteraction;
    try {
      interaction = JSON.parse(body.toString("utf8")) as APIInteraction;
    } catch {
      res.writeHead(400, { "content-type": "text/plain" });
      res.end("Body is not JSON\n");
      return;
    }
    const answer = await answerInteraction(interaction, interactionDeps);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(answer.body));
    if (answer.after) {
      const after = answer.after;
      // why: the follow-ups go to the webhook, which exists only once Discord has our response.
      track(
        new Promise<void>((resolve) => res.once("finish", resolve))
          .then(after)
          // why: the core has answered by now; a reply that cannot be sent is logged, never apologised for.
          .catch((error: unknown) => log.error("Discord follow-up could not be delivered; the command itself was done", { error: error instanceof Error ? (error.stack ?? error.message) : String(error), interaction: interaction.id })),
      );
    }
  }

  http.route("POST", interactionsPath, (req, res) => {
    void serve(req, res).catch((error: unknown) => {
      log.error("Discord interactions endpoint failed", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end();
    });
  });
  http.describe("discord", "http");

  async function checkGuilds(): Promise<string[]> {
    return reconcileGuilds({ rest: botRest, state, core, log, known });
  }

  let firstCheck: NodeJS.Timeout | undefined;
  let dailyCheck: NodeJS.Timeout | undefined;
  const runCheck = () =>
    void checkGuilds().catch((error: unknown) => log.warn("could not check which Discord servers Docket is in; trying again tomorrow", { error: error instanceof Error ? error.message : String(error) }));

  return {
    chat,
    idle: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    checkGuilds,
    async start() {
      for (const k of await state.keys("discord", "guild:")) known.add(k.slice("guild:".length));
      const result = await registerCommands({
        rest: botRest,
        applicationId,
        ...(discord.guildId ? { guildId: discord.guildId } : {}),
        definitions: commandDefinitions(core.vocabulary, core.commandName),
        state,
        at: clock.now().toISOString(),
      });
      log.info(result.changed ? "Discord commands registered" : "Discord commands unchanged; not re-registered", { target: result.target, command: `/${core.commandName}` });
      for (const p of result.previous) if (p.outcome === "kept") log.warn("could not remove Discord commands from a target Docket no longer uses; retrying at the next start", { target: p.target, error: p.error });
      serving = true;
      firstCheck = setTimeout(runCheck, options.firstGuildCheckMs ?? 60_000).unref();
      dailyCheck = setInterval(runCheck, options.guildCheckMs ?? dayMs).unref();
      log.info("Discord interactions endpoint ready", { path: interactionsPath, port: http.port() });
    },
    async stop() {
      serving = false;
      clearTimeout(firstCheck);
      clearInterval(dailyCheck);
      // why: finish the follow-ups of interactions already answered.
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      for (const r of [botRest, webhookRest]) {
        r.clearHashSweeper();
        r.clearHandlerSweeper();
      }
    },
  };
}

/** The raw body, or `undefined` once it passes `limit` bytes (the rest is not read). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(req.headers["content-length"] ?? 0) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners("data");
        req.resume();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Every server the bot is in, 200 a page as Discord lists them. */
export async function botGuildIds(rest: REST): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let after: string | undefined; ; ) {
    const page = (await rest.get(Routes.userGuilds(), { query: new URLSearchParams({ limit: "200", ...(after ? { after } : {}) }) })) as RESTGetAPICurrentUserGuildsResult;
    for (const g of page) ids.add(g.id);
    if (page.length < 200) return ids;
    after = page[page.length - 1]!.id;
  }
}

/**
 * The daily check that stands in for the gateway's GUILD_DELETE: every server an interaction came
 * from that the bot's list no longer has gets its digests paused (`core.workspaceGone`) and is
 * forgotten. A list that cannot be had pauses nothing.
 */
export async function reconcileGuilds(o: { rest: REST; state: PlatformStateStore; core: Core; log: Logger; known: Set<string> }): Promise<string[]> {
  const present = await botGuildIds(o.rest);
  const gone = [...o.known].filter((id) => !present.has(id));
  for (const id of gone) {
    const paused = await o.core.workspaceGone({ platform: "discord", id }, "Docket was removed from the server");
    o.log.info("removed from a Discord server (daily check)", { guild: id, paused });
    o.known.delete(id);
    await o.state.delete("discord", knownKey(id));
  }
  return gone;
}
