import { randomUUID } from "node:crypto";
import type { Readable, Writable } from "node:stream";
import { consoleChat, runConsole } from "../adapters/console/console-adapter.ts";
import type { Config } from "./config.ts";
import type { ChatPort } from "./core/chat.ts";
import { systemClock, type Clock } from "./core/clock.ts";
import { createCore, type Core, type Logger } from "./core/core.ts";
import { createDigestDelivery, type DigestDelivery } from "./core/digest/delivery.ts";
import type { Platform } from "./core/types.ts";
import { startDigestTicker } from "./scheduler/cron.ts";
import { openMigrated } from "./store/open.ts";
import { createSqliteStore } from "./store/sqlite-store.ts";

export interface StartOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  /** The console's streams (default: the process's own). */
  input?: Readable;
  output?: Writable;
  /** Where the console writes exports (default: the working directory). */
  directory?: string;
}

export interface Running {
  core: Core;
  delivery: DigestDelivery;
  /** Settles when Docket has nothing more to do: the console's input ended. Platforms run until stopped. */
  done: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The composition root, the only place that wires store, core, adapters and scheduler: the
 * platforms the configuration names, or the console when it names none.
 */
export async function start(options: StartOptions): Promise<Running> {
  const { config, log } = options;
  const clock = options.clock ?? systemClock;
  const { db, migration } = openMigrated(config.db);
  if (migration.applied.length) log.info("database migrated", { from: migration.from, to: migration.to, applied: migration.applied });
  const store = createSqliteStore(db, config.secretKey ? { secretKey: config.secretKey } : {});
  store.optimize();
  const openLimit = config.digestOpenLimit;
  const core = createCore({ store, clock, settings: { commandName: config.commandName, defaultTimeZone: config.timeZone, ...(openLimit ? { digestOpenLimit: openLimit } : {}) }, log });
  const chats = new Map<Platform, ChatPort>();
  const stops: Array<() => Promise<void> | void> = [];
  let done: Promise<void> = new Promise<void>(() => {});

  if (!config.slack && !config.discord) {
    const output = options.output ?? process.stdout;
    const input = options.input ?? process.stdin;
    chats.set("console", consoleChat(output));
    done = runConsole(core, { input, output, directory: options.directory ?? process.cwd(), interactive: Boolean((input as { isTTY?: boolean }).isTTY) });
  }

  if (config.slack) {
    const { createSlackAdapter } = await import("../adapters/slack/slack-adapter.ts");
    const slack = createSlackAdapter({ core, config, log, clock, state: store.platformState });
    await slack.start();
    chats.set("slack", slack.chat);
    stops.push(() => slack.stop());
  }
  if (config.discord) {
    const { createDiscordAdapter } = await import("../adapters/discord/discord-adapter.ts");
    const discord = createDiscordAdapter({ core, config, log, clock, state: store.platformState });
    await discord.start();
    chats.set("discord", discord.chat);
    stops.push(() => discord.stop());
  }

  const delivery = createDigestDelivery({ store, clock, log, chats, commandName: config.commandName, instanceId: randomUUID(), ...(openLimit ? { openLimit } : {}) });
  const ticker = startDigestTicker(delivery, log, () => {
    store.search.catchUp();
    store.optimize();
  });
  // why: stop the trigger and let a pass in flight finish before the adapters disconnect under it.
  stops.unshift(() => ticker.stop(), () => delivery.settled());

  let stopped = false;
  return {
    core,
    delivery,
    done,
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const s of stops) await s();
      db.close();
    },
  };
}
