import type { AckFn } from "@slack/bolt";

/**
 * An ack that answers only the first time, and says whether it has: a listener acks on every path,
 * its error path included, because Slack shows the member an error when nothing is acked within 3 s.
 */
export function ackOnce<T>(ack: AckFn<T>): { ack: AckFn<T>; readonly done: boolean } {
  let done = false;
  return {
    async ack(response) {
      if (done) return;
      done = true;
      await ack(response);
    },
    get done() {
      return done;
    },
  };
}
