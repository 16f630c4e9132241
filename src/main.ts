import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Readable, Writable } from "node:stream";
import { createConsoleModule } from "../adapters/console/index.ts";
import { discordModule } from "../adapters/discord/index.ts";
import { slackModule } from "../adapters/slack/index.ts";
import type { Config } from "./config.ts";
import type { LogOutput } from "./log.ts";
import type { ChatPort } from "./core/chat.ts";
import { systemClock, type Clock } from "./core/clock.ts";
import { commands } from "./core/commands/registry.ts";
import { createCore, describeCommand, type Core, type Logger } from "./core/core.ts";
import { createDigestDelivery, type DigestDelivery } from "./core/digest/delivery.ts";
import type { Platform } from "./core/types.ts";
import { createHttpServer, type HttpServer } from "./http-server.ts";
import { PlatformStartError, type OpenedStore, type OperatorTool, type PlatformModule, type ToolContext } from "./platform.ts";
import { startDigestTicker } from "./scheduler/cron.ts";
import { backupDatabase } from "./store/backup.ts";
import { openMigrated } from "./store/open.ts";
import { createSqliteStore } from "./store/sqlite-store.ts";

/** The chat platforms Docket can serve; the console runs when the configuration names none of them. */
export const platforms: readonly PlatformModule[] = [slackModule, discordModule];

/** True when the configuration names no chat platform, so `docket start` runs the console. */
export const runsConsole = (config: Config): boolean => !platforms.some((p) => p.configured(config));

/** The operator commands the platforms add to `docket` (slack-manifest, discord-register). */
export const platformTools: readonly OperatorTool[] = platforms.flatMap((p) => p.tools ?? []);

/** Opens the configured database (PostgreSQL at DATABASE_URL, else the SQLite file DOCKET_DB), migrated, as Docket's store: the one way anything gets a store. */
export async function openStore(config: Config): Promise<OpenedStore> {
  const options = config.secretKey ? { secretKey: config.secretKey } : {};
  if (config.databaseUrl) {
    // why: loaded only when asked for, so a self-hosted Docket on SQLite never loads the PostgreSQL client.
    const { openPostgresStore } = await import("./store/postgres/open-postgres-store.ts");
    return openPostgresStore(config.databaseUrl, options);
  }
  const { db, migration } = openMigrated(config.db);
  const store = createSqliteStore(db, options);
  return { store, migration, close: () => store.close() };
}

/** What an operator command gets to work with (see ToolContext). */
export function toolContext(configOrLoad: Config | (() => Config), out: (text: string) => void): ToolContext {
  // why: a loader lets `docket help` and argument mistakes answer without reading the environment.
  const config = typeof configOrLoad === "function" ? configOrLoad : () => configOrLoad;
  return {
    get config() {
      return config();
    },
    out,
    vocabulary: commands.map(describeCommand),
    openStore: () => openStore(config()),
    backup: (file) => backupDatabase(config().db, file),
  };
}

export interface StartOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  /** The console's streams (default: the process's own). */
  input?: Readable;
  output?: Writable;
  /** Where the console writes exports (default: the working directory). */
  directory?: string;
  /** Where `log` writes its lines, so that the console can print them above its prompt. */
  logOutput?: LogOutput;
  /** The console's error stream, where it prints log lines (default: the process's). */
  errors?: Writable;
  /**
   * Whether the database answers, for /healthz (default: a trivial read through the store).
   * why: injectable so that an asynchronous store's own ping can replace it.
   */
  ping?: (store: OpenedStore["store"]) => Promise<boolean>;
}

/** The default database check: one indexed read that needs no data. */
const defaultPing = (store: OpenedStore["store"]): Promise<boolean> => store.ping();

export interface Running {
  core: Core;
  delivery: DigestDelivery;
  /** Settles, with the exit code, when Docket has nothing more to do: the console's session ended. Platforms run until stopped. */
  done: Promise<number>;
  /** The port of Docket's HTTP server, when a platform serves over HTTP (useful with PORT=0). */
  httpPort(): number | undefined;
  stop(): Promise<void>;
}

/** A start-up failure as the operator should read it. */
function startError(error: unknown, config: Config): PlatformStartError {
  const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
  const message = code === "EADDRINUSE" ? `PORT ${config.port} is already taken by another program: stop it, or set PORT to a free port.` : error instanceof Error ? error.message : String(error);
  return new PlatformStartError(message, { cause: error });
}

/**
 * The composition root, the only place that wires store, core, adapters and scheduler: the
 * platforms the configuration names, or the console when it names none.
 */
export async function start(options: StartOptions): Promise<Running> {
  const { config, log } = options;
  const clock = options.clock ?? systemClock;
  const { store, migration, close } = await openStore(config);
  if (migration.applied.length) log.info("database migrated", { from: migration.from, to: migration.to, applied: migration.applied });
  await store.optimize();
  const openLimit = config.digestOpenLimit;
  const core = createCore({ store, clock, settings: { commandName: config.commandName, defaultTimeZone: config.timeZone, ...(openLimit ? { digestOpenLimit: openLimit } : {}) }, log });
  const chats = new Map<Platform, ChatPort>();
  const stops: Array<() => Promise<void> | void> = [];
  const dones: Array<Promise<number>> = [];

  const configured = platforms.filter((p) => p.configured(config));
  const { input, output, directory, logOutput, errors } = options;
  const io = { ...(input ? { input } : {}), ...(output ? { output } : {}), ...(directory ? { directory } : {}), ...(logOutput ? { logOutput } : {}), ...(errors ? { errors } : {}) };
  const chosen = configured.length > 0 ? configured : [createConsoleModule(io)];
  // why: one port for every platform that takes requests (Slack's events, Discord's interactions) and /healthz.
  let http: HttpServer | undefined;
  if (chosen.some((p) => p.servesHttp?.(config))) {
    const ping = options.ping ?? defaultPing;
    http = createHttpServer({ port: config.port, ping: () => ping(store), log });
    try {
      await http.listen();
    } catch (error) {
      await close();
      throw startError(error, config);
    }
  }
  for (const platform of chosen) {
    const adapter = await platform.create({ core, config, log, clock, state: store.platformState, ...(http ? { http } : {}) });
    try {
      await adapter.start();
    } catch (error) {
      // why: what stops a platform at start-up is the operator's to fix and its message says how; the stack is kept for debugging.
      log.debug("platform start failed", { platform: platform.name, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      await adapter.stop();
      for (const s of stops) await s();
      await http?.close();
      await close();
      throw startError(error, config);
    }
    chats.set(platform.name, adapter.chat);
    stops.push(() => adapter.stop());
    if (adapter.done) dones.push(adapter.done);
  }
  http?.started();

  // why host and pid: a claim in the ledger names the replica holding it, for an operator looking at a stuck one.
  const delivery = createDigestDelivery({ store, clock, log, chats, commandName: config.commandName, instanceId: `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`, ...(openLimit ? { openLimit } : {}), ...(config.leaseMs ? { leaseMs: config.leaseMs } : {}) });
  // why: a replica with DOCKET_SCHEDULER=off serves requests only; the others post the digests.
  if (config.scheduler === false) log.info("digest scheduler off (DOCKET_SCHEDULER=off): this process posts no digests");
  else {
    const ticker = startDigestTicker(delivery, log, async () => {
      await store.search.catchUp();
      await store.optimize();
    });
    // why: stop the trigger and let a pass in flight finish before the adapters disconnect under it.
    stops.unshift(() => ticker.stop(), () => delivery.settled());
  }

  let stopped = false;
  return {
    core,
    delivery,
    // why: a platform that serves until stopped never settles this; the console settles it at the end of its input.
    httpPort: () => http?.port(),
    done: dones.length > 0 ? Promise.all(dones).then((codes) => Math.max(0, ...codes)) : new Promise<number>(() => {}),
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const s of stops) await s();
      // why: after the adapters, which answer the requests they already took first.
      await http?.close();
      await close();
    },
  };
}
