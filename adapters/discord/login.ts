import { setTimeout as delay } from "node:timers/promises";
import { DiscordjsErrorCodes } from "discord.js";
import type { Logger } from "../../src/core/api.ts";

export interface Backoff {
  /** First wait after a failed login. */
  initialMs: number;
  /** Longest wait between attempts. */
  maxMs: number;
}

/** 1 s, 2 s, 4 s… up to 5 minutes between login attempts. */
export const defaultBackoff: Backoff = { initialMs: 1000, maxMs: 5 * 60_000 };

/**
 * 5 s, 10 s, 20 s… up to 5 minutes between identifies: at most ~300 a day however often the gateway
 * drops the session, well under the 1,000 after which Discord resets the token. Never under 5 s,
 * Discord's spacing for one identify at a time (max_concurrency 1).
 */
export const defaultIdentifyBackoff: Backoff = { initialMs: 5000, maxMs: 5 * 60_000 };

/** Waits of the nth retry (from 0), doubling up to the cap. */
export const backoffDelay = (attempt: number, b: Backoff): number => Math.min(b.maxMs, b.initialMs * 2 ** Math.min(attempt, 30));

/** A failure no retry can fix (a wrong token, intents, sharding); start-up stops with the fix in the message. */
export class DiscordLoginError extends Error {
  override readonly name = "DiscordLoginError";
}

/** Turns a login failure that retrying cannot fix into a DiscordLoginError; others are left as they are. */
export function fatalLoginError(error: unknown): DiscordLoginError | undefined {
  const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (code === DiscordjsErrorCodes.TokenInvalid || code === DiscordjsErrorCodes.TokenMissing || /Authentication failed/i.test(message))
    return new DiscordLoginError("Discord rejected DISCORD_TOKEN (invalid token). Copy the bot token again from the Developer Portal (Bot → Reset Token) and restart.");
  if (/disallowed intent|invalid intent/i.test(message))
    return new DiscordLoginError(`Discord refused the gateway intents (${message}). Docket needs only the Guilds intent; this is a bug if it persists.`);
  // why: discord.js reports these close codes (4010–4012) as errors that no reconnect can fix.
  if (/invalid shard|sharding is required|invalid API version/i.test(message))
    return new DiscordLoginError(`Discord refused the gateway connection (${message}); retrying cannot fix this.`);
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

/** How long an identify counts towards the next one's wait. */
const identifyWindowMs = 60 * 60_000;

/**
 * The wait before the next IDENTIFY, given when the recent ones happened (ms since the epoch): none
 * after a quiet hour, then doubling with each identify of the last hour, up to the cap.
 */
export function identifyDelay(recent: readonly number[], now: number, b: Backoff): number {
  const count = recent.filter((at) => now - at < identifyWindowMs).length;
  return count === 0 ? 0 : backoffDelay(count - 1, b);
}

/** What discord.js (through @discordjs/ws) asks before each IDENTIFY; it aborts `signal` when the shard closes. */
export interface IdentifyThrottler {
  waitForIdentify(shardId: number, signal: AbortSignal): Promise<void>;
}

/**
 * Replaces discord.js's identify throttle, which lets a shard whose sessions keep failing identify
 * every 5 s for ever. One per adapter, so it remembers identifies across login attempts.
 */
export function createIdentifyThrottler(o: { backoff: Backoff; log: Logger }): IdentifyThrottler {
  let recent: number[] = [];
  return {
    async waitForIdentify(shardId, signal) {
      const now = Date.now();
      recent = recent.filter((at) => now - at < identifyWindowMs);
      const wait = identifyDelay(recent, now, o.backoff);
      if (wait > 0) {
        o.log.info("waiting before identifying to the Discord gateway again", { shard: shardId, waitMs: wait, identifiesLastHour: recent.length });
        await delay(wait, undefined, { signal });
      }
      recent.push(Date.now());
    },
  };
}
