import type { Config } from "./config.ts";
import type { ChatPort, Clock, Core, Logger, PlatformStateStore } from "./core/api.ts";

/** What the composition root needs from a chat platform's adapter. */
export interface PlatformAdapter {
  /** Delivers digests and admin notices on this platform. */
  readonly chat: ChatPort;
  /** Connects (listens, logs in); resolves once commands can be served. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface AdapterDeps {
  core: Core;
  config: Config;
  log: Logger;
  /** Real time, except in tests (installation times, registration stamps). */
  clock: Clock;
  /** The adapter's own small state (installations, registered-commands hash), kept by the core's store. */
  state: PlatformStateStore;
}
