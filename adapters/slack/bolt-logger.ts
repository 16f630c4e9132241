import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "../../src/core/api.ts";

const order = [LogLevel.DEBUG, LogLevel.INFO, LogLevel.WARN, LogLevel.ERROR];
// why: Bolt and the Web API client log free text; a token (bot, user, app, refresh) must never reach a log line through it.
const tokens = /\bx(?:ox[a-z]|app)-[A-Za-z0-9-]+/g;

/** Docket's LOG_LEVEL as Bolt's. */
export const boltLevel = { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR } as const;

const text = (parts: unknown[]): string =>
  parts.map((p) => (p instanceof Error ? p.message : typeof p === "string" ? p : JSON.stringify(p) ?? String(p))).join(" ").replace(tokens, "[redacted]");

/** Bolt's and the Web API client's logger, writing through Docket's. */
export function boltLogger(log: Logger, level: "debug" | "info" | "warn" | "error"): BoltLogger {
  let current: LogLevel = boltLevel[level];
  const at = (l: LogLevel, write: (message: string) => void) => (...parts: unknown[]) => {
    if (order.indexOf(l) >= order.indexOf(current)) write(`slack: ${text(parts)}`);
  };
  return {
    debug: at(LogLevel.DEBUG, (m) => log.debug(m)),
    info: at(LogLevel.INFO, (m) => log.info(m)),
    warn: at(LogLevel.WARN, (m) => log.warn(m)),
    error: at(LogLevel.ERROR, (m) => log.error(m)),
    setLevel: (l: LogLevel) => {
      current = l;
    },
    getLevel: () => current,
    setName: () => {},
  };
}
