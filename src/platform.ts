import type { Config } from "./config.ts";
import type { ChatPort } from "./core/chat.ts";
import type { Core, Logger } from "./core/core.ts";
import type { PlatformStateStore } from "./core/ports.ts";

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
  /** The adapter's own small state (installations, registered-commands hash), kept by the core's store. */
  state: PlatformStateStore;
}
