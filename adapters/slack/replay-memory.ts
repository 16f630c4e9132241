/**
 * The requests accepted lately, each remembered until its signature could no longer be accepted,
 * so an exact repeat within that time is recognised. Bounded: past `capacity` the oldest is
 * forgotten first (and that is logged by the caller), so memory stays flat under any load.
 */
export interface ReplayMemory {
  /** Remembers `key` until `untilMs`; false when it was already remembered (a replay). */
  admit(key: string, untilMs: number): boolean;
  readonly size: number;
  /** How many keys were forgotten early because memory was full. */
  readonly evicted: number;
}

export function createReplayMemory(capacity: number, now: () => number): ReplayMemory {
  // why: a Map iterates in insertion order, which is close to expiry order, so pruning reads from the front.
  const until = new Map<string, number>();
  let evicted = 0;
  const prune = (at: number) => {
    for (const [key, expiry] of until) {
      if (expiry > at && until.size < capacity) break;
      if (expiry > at) evicted += 1;
      until.delete(key);
    }
  };
  return {
    admit(key, untilMs) {
      const at = now();
      const known = until.get(key);
      if (known !== undefined && known > at) return false;
      until.delete(key);
      prune(at);
      until.set(key, untilMs);
      return true;
    },
    get size() {
      return until.size;
    },
    get evicted() {
      return evicted;
    },
  };
}
