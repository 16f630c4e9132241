import { DiscordjsErrorCodes } from "discord.js";
import type { Logger } from "../../src/core/core.ts";

export interface Backoff {
  /** First wait after a failed login. */
  initialMs: number;
  /** Longest wait between attempts. */
  maxMs: number;
}

/**
 * 1 s, 2 s, 4 s… up to 5 minutes between attempts: at most ~300 identifies a day even if Discord
 * stays unreachable, well under the 1,000 after which Discord resets the token.
 */
export const defaultBackoff: Backoff = { initialMs: 1000, maxMs: 5 * 60_000 };

/** Waits of the nth retry (from 0), doubling up to the cap. */
export const backoffDelay = (attempt: number, b: Backoff): number => Math.min(b.maxMs, b.initialMs * 2 ** Math.min(attempt, 30));

/** A failure no retry can fix: a wrong token or intents; start-up stops with the fix in the message. */
export class DiscordLoginError extends Error {
  override readonly name = "DiscordLoginError";
}

/** Turns a login failure that retrying cannot fix into a DiscordLoginError; others are left as they are. */
export function fatalLoginError(error: unknown): DiscordLoginError | undefined {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === DiscordjsErrorCodes.TokenInvalid || code === DiscordjsErrorCodes.TokenMissing || /Authentication failed/i.test(message))
    return new DiscordLoginError("Discord rejected DISCORD_TOKEN (invalid token). Copy the bot token again from the Developer Portal (Bot → Reset Token) and restart.");
  if (/disallowed intent|invalid intent/i.test(message))
    return new DiscordLoginError(`Discord refused the gateway intents (${message}). Docket needs only the Guilds intent; this is a bug if it persists.`);
  return undefined;
}

/**
 * Calls `login` until it succeeds, waiting longer after each failure; a fatal failure (wrong token)
 * throws at once rather than spending the day's identify budget. `signal` ends the wait on stop.
 */
export async function loginWithBackoff(login: () => Promise<unknown>, o: { backoff: Backoff; log: Logger; signal: AbortSignal }): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await login();
      return;
    } catch (error) {
      const fatal = fatalLoginError(error);
      if (fatal) throw fatal;
      if (o.signal.aborted) throw error;
      const wait = backoffDelay(attempt, o.backoff);
      o.log.warn("Discord login failed; retrying", { error: error instanceof Error ? error.message : String(error), attempt: attempt + 1, retryInMs: wait });
      await sleep(wait, o.signal);
      if (o.signal.aborted) throw new Error("Docket stopped before it could log in to Discord");
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
