import type { Logger } from "./core/core.ts";

const levels = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof levels)[number];

// why: tokens and secrets must never reach a log line, whoever passes them in a context object.
const secretKey = /token|secret|password|authorization/i;
const redact = (context: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(context).map(([k, v]) => [k, secretKey.test(k) ? "[redacted]" : v]));

/** One JSON object per line on stderr, so stdout stays the console's conversation. */
export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Logger {
  const min = levels.indexOf(level);
  const at = (l: LogLevel) => (message: string, context: Record<string, unknown> = {}) => {
    if (levels.indexOf(l) >= min) write(JSON.stringify({ level: l, time: new Date().toISOString(), message, ...redact(context) }));
  };
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Where log lines go, redirectable after the logger was handed out: an interactive console prints
 * them above its prompt, so a line never lands in the middle of what the user is typing.
 */
export interface LogOutput {
  write(line: string): void;
  /** Sends lines to `write` instead until the returned function is called. */
  divert(write: (line: string) => void): () => void;
}

export function createLogOutput(initial: (line: string) => void = (line) => void process.stderr.write(`${line}\n`)): LogOutput {
  let current = initial;
  return {
    write: (line) => current(line),
    divert(write) {
      current = write;
      return () => {
        if (current === write) current = initial;
      };
    },
  };
}
