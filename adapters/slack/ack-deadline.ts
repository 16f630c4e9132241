import type { Logger } from "../../src/core/api.ts";
import { errorText } from "./slack-errors.ts";

/** How long a listener may work before it acks empty and answers through response_url instead. */
export const defaultAckDeadlineMs = 2500;

/**
 * Acks empty when `ms` pass before the listener has acked. why: Slack (and Bolt's receiver, at
 * 3 s) gives up on a request not acked in time, and the ack that comes later fails; a busy store
 * must not turn a command that worked into an error. The reply then goes through response_url.
 */
export function ackByDeadline(once: { ack(): Promise<void>; readonly done: boolean }, ms: number, log: Logger, what: string): { clear(): void } {
  const timer = setTimeout(() => {
    if (once.done) return;
    log.info("acknowledged before the outcome was ready; the reply follows through response_url", { what, afterMs: ms });
    once.ack().catch((error: unknown) => log.warn("could not acknowledge in time", { what, error: errorText(error) }));
  }, ms);
  return { clear: () => clearTimeout(timer) };
}
