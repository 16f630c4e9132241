import { openMigrated } from "./store/open.ts";
import { createSqliteStore } from "./store/sqlite-store.ts";
import { createCore, type Core, type Logger } from "./core/core.ts";
import { systemClock, type Clock } from "./core/clock.ts";
import type { Config } from "./config.ts";
import { consoleChat, runConsole } from "../adapters/console/console-adapter.ts";

export interface Running {
  core: Core;
  stop(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  log: Logger;
  clock?: Clock;
  input?: NodeJS.ReadableStream & import("node:stream").Readable;
  output?: import("node:stream").Writable;
}

/**
 * The composition root: opens the store, builds the core, and starts the adapters the
 * configuration asks for, or the console when it asks for none.
 */
export async function start(options: StartOptions): Promise<{ core: Core; done: Promise<void>; stop(): Promise<void> }> {
  const { config, log } = options;
  const clock = options.clock ?? systemClock;
  const { db, migration } = openMigrated(config.db);
  if (migration.applied.length) log.info("database migrated", { from: migration.from, to: migration.to, applied: migration.applied });
  const store = createSqliteStore(db);
  const core = createCore({ store, clock, settings: { commandName: config.commandName, defaultTimeZone: config.timeZone }, log });
  const stops: Array<() => Promise<void> | void> = [];
  let done: Promise<void>;
  if (!config.slack && !config.discord) {
    const input = options.input ?? process.stdin;
    const output = options.output ?? process.stdout;
    void consoleChat;
    done = runConsole(core, { input, output, directory: process.cwd(), interactive: Boolean((input as { isTTY?: boolean }).isTTY) });
  } else {
    done = new Promise(() => {});
  }
  const stop = async () => {
    for (const s of stops.reverse()) await s();
    db.close();
  };
  return { core, done, stop };
}
