/**
 * One queue per channel that starts each job at least `intervalMs` after the previous one in that
 * channel ended: Slack allows about one message a second per channel (chat.postMessage, special tier).
 */
export interface ChannelPace {
  run<T>(channel: string, job: () => Promise<T>): Promise<T>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createChannelPace(intervalMs: number, now: () => number = Date.now): ChannelPace {
  const lanes = new Map<string, { tail: Promise<unknown>; last: number }>();
  return {
    run(channel, job) {
      const lane = lanes.get(channel) ?? { tail: Promise.resolve(), last: 0 };
      const result = lane.tail
        .catch(() => undefined)
        .then(async () => {
          const wait = lane.last + intervalMs - now();
          if (wait > 0) await sleep(wait);
          try {
            return await job();
          } finally {
            lane.last = now();
          }
        });
      lane.tail = result;
      lanes.set(channel, lane);
      // why: forget idle channels so a long-running process does not keep one entry per channel ever posted to.
      void result.catch(() => undefined).then(() => setTimeout(() => lanes.get(channel)?.tail === result && lanes.delete(channel), intervalMs).unref());
      return result;
    },
  };
}
