import { Client, Events, GatewayIntentBits, REST, type Interaction } from "discord.js";
import type { PlatformAdapter, AdapterDeps } from "../../src/platform.ts";
import { commandDefinitions } from "./command-definitions.ts";
import { defaultDeferAfterMs } from "./defer-deadline.ts";
import { createDiscordChat, noMentions } from "./discord-chat.ts";
import { handleInteraction } from "./interactions.ts";
import { createIdentifyThrottler, defaultBackoff, defaultIdentifyBackoff, loginWithBackoff, type Backoff } from "./login.ts";
import { registerCommands } from "./registration.ts";

export interface DiscordAdapterOptions {
  /** Waits between login attempts (tests shorten them). */
  backoff?: Backoff;
  /** Waits between gateway identifies (tests shorten them). */
  identifyBackoff?: Backoff;
  /** How long an interaction may wait for the core before it is deferred (default 2000 ms, under Discord's 3 s). */
  deferAfterMs?: number;
}

export interface DiscordAdapter extends PlatformAdapter {
  readonly client: Client;
  /** Resolves once every interaction received so far has been answered. */
  idle(): Promise<void>;
}

/**
 * `DISCORD_API_URL` is the API base without a version (`https://discord.com/api`), as
 * @discordjs/rest wants it; a pasted `/api/v10` or trailing slash is forgiven.
 */
export const restBase = (url: string): string => url.replace(/\/+$/, "").replace(/\/v\d+$/, "");

/**
 * Docket on Discord: one discord.js Client over the gateway with the Guilds intent only (no
 * message content, no members list), the `/docket` command registered from the vocabulary when it
 * changed, and a chat port for digests. No message it sends can ping anyone.
 */
export function createDiscordAdapter(deps: AdapterDeps, options: DiscordAdapterOptions = {}): DiscordAdapter {
  const { core, config, log, state } = deps;
  const discord = config.discord;
  if (!discord) throw new Error("createDiscordAdapter needs config.discord (DISCORD_TOKEN and DISCORD_APPLICATION_ID)");
  const restOptions = discord.apiUrl ? { api: restBase(discord.apiUrl) } : {};
  const digestRest = new REST(restOptions).setToken(discord.token);
  const chat = createDiscordChat({ rest: digestRest, guild: (id) => client.guilds.cache.get(id), log });
  const identifyThrottler = createIdentifyThrottler({ backoff: options.identifyBackoff ?? defaultIdentifyBackoff, log });
  const inFlight = new Set<Promise<void>>();
  const stopping = new AbortController();
  const logRateLimits = (rest: REST) =>
    rest.on("rateLimited", (info) => log.debug("Discord rate limit", { route: info.route, retryAfterMs: info.retryAfter, global: info.global }));
  logRateLimits(digestRest);

  /**
   * A client with Docket's listeners. Each login attempt gets a fresh one: discord.js 14 marks a
   * client destroyed for good when its login fails, and such a client never reports ready again.
   */
  function newClient(): Client {
    const c = new Client({
      intents: [GatewayIntentBits.Guilds],
      allowedMentions: noMentions,
      // why: with a custom API the gateway address comes from that API's /gateway/bot, as it does from Discord's.
      rest: restOptions,
      ws: { buildIdentifyThrottler: () => identifyThrottler },
    });
    c.on(Events.InteractionCreate, (interaction: Interaction) => {
      const handled = handleInteraction(interaction, { core, log, deferAfterMs: options.deferAfterMs ?? defaultDeferAfterMs }).finally(() => inFlight.delete(handled));
      inFlight.add(handled);
    });
    // why: discord.js emits GuildDelete only for a removal; an outage (unavailable) is GuildUnavailable.
    c.on(Events.GuildDelete, (guild) => {
      void core.workspaceGone({ platform: "discord", id: guild.id }, "Docket was removed from the server").then(
        (paused) => log.info("removed from a Discord server", { guild: guild.id, paused }),
        (error: unknown) => log.error("could not pause the digests of a Discord server Docket left", { guild: guild.id, error: String(error) }),
      );
    });
    c.on(Events.Error, (error) => log.error("Discord client error", { error: error.message }));
    c.on(Events.Warn, (message) => log.warn("Discord client warning", { message }));
    // why: close codes such as 4004 (token reset) end the connection for good; the operator must act.
    c.on(Events.ShardDisconnect, (event, shard) => log.error("Discord gateway closed and will not reconnect", { code: event.code, shard }));
    logRateLimits(c.rest);
    return c;
  }

  let client = newClient();

  const login = async (): Promise<void> => {
    const attempt = newClient();
    // why: stop() during a login must reach the client that is connecting.
    client = attempt;
    // why: discord.js may emit ready before login() resolves; listen first.
    const ready = new Promise<void>((resolve) => attempt.once(Events.ClientReady, () => resolve()));
    await attempt.login(discord.token);
    await ready;
  };

  async function idle(): Promise<void> {
    while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
  }

  return {
    chat,
    get client() {
      return client;
    },
    idle,
    async start() {
      await loginWithBackoff(login, { backoff: options.backoff ?? defaultBackoff, log, signal: stopping.signal });
      const appId = client.application?.id;
      if (appId && appId !== discord.applicationId)
        log.warn("DISCORD_APPLICATION_ID is not the application of DISCORD_TOKEN's bot", { configured: discord.applicationId, actual: appId });
      try {
        const result = await registerCommands({
          rest: client.rest,
          applicationId: discord.applicationId,
          ...(discord.guildId ? { guildId: discord.guildId } : {}),
          definitions: commandDefinitions(core.vocabulary, core.commandName),
          state,
          at: deps.clock.now().toISOString(),
        });
        log.info(result.changed ? "Discord commands registered" : "Discord commands unchanged; not re-registered", { target: result.target, command: `/${core.commandName}` });
        for (const p of result.previous) {
          if (p.outcome === "removed") log.info("Discord commands removed from a target Docket no longer uses", { target: p.target });
          else if (p.outcome === "forgotten") log.info("Discord commands of an old target left with the bot; forgotten", { target: p.target, error: p.error });
          else log.warn("could not remove Discord commands from a target Docket no longer uses; retrying at the next start", { target: p.target, error: p.error });
        }
      } catch (error) {
        await client.destroy();
        throw error;
      }
      log.info("Discord connected", { user: client.user?.tag, guilds: client.guilds.cache.size });
    },
    async stop() {
      stopping.abort();
      // why: answer the interactions already received before the connection goes.
      await idle();
      await client.destroy();
      digestRest.clearHashSweeper();
      digestRest.clearHandlerSweeper();
    },
  };
}
