import { realTimers, type Timers } from "./timers.ts";

/**
 * One queue per channel that starts each job at least `intervalMs` after the previous one in that
 * channel ended: Slack allows about one message a second per channel (chat.postMessage, special tier).
 */
export interface ChannelPace {
  run<T>(channel: string, job: () => Promise<T>): Promise<T>;
}

interface Lane {
  tail: Promise<unknown>;
  /** When the lane's last job ended. */
  last: number;
  /** Jobs queued or running. */
  pending: number;
}

export function createChannelPace(intervalMs: number, timers: Timers = realTimers): ChannelPace {
  const lanes = new Map<string, Lane>();
  return {
    run(channel, job) {
      // why: forget idle channels so a long-running process does not keep one entry per channel ever posted to.
      for (const [key, idle] of lanes) if (idle.pending === 0 && idle.last + intervalMs <= timers.now()) lanes.delete(key);
      const lane = lanes.get(channel) ?? { tail: Promise.resolve(), last: Number.NEGATIVE_INFINITY, pending: 0 };
      lanes.set(channel, lane);
      lane.pending++;
      const result = lane.tail
        .catch(() => undefined)
        .then(async () => {
          const wait = lane.last + intervalMs - timers.now();
          if (wait > 0) await timers.sleep(wait);
          try {
            return await job();
          } finally {
            lane.last = timers.now();
            lane.pending--;
          }
        });
      lane.tail = result;
      return result;
    },
  };
}
