import cron from "node-cron";
import type { Logger } from "../core/core.ts";
import type { DigestDelivery } from "../core/digest/delivery.ts";

/**
 * node-cron is only the trigger: a tick each minute asks the core what is due. It keeps no state
 * and decides nothing, so a restart or a missed tick loses nothing — the next tick catches up.
 */
export function startDigestTicker(delivery: DigestDelivery, log: Logger, hourly: () => void | Promise<void> = () => {}): { stop(): void } {
  const run = () => {
    delivery.tick().catch((error: unknown) => log.error("digest tick failed", { error: String(error) }));
  };
  const task = cron.schedule("* * * * *", run, { name: "docket-digests", noOverlap: true, missedExecutionTolerance: 90_000 });
  const maintenance = cron.schedule("17 * * * *", hourly, { name: "docket-maintenance", noOverlap: true });
  // why: a digest due while Docket was down goes out at start-up, not a minute later.
  run();
  return {
    stop() {
      for (const t of [task, maintenance]) {
        void t.stop();
        void t.destroy();
      }
    },
  };
}
