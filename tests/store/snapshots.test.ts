import { afterEach, describe, expect, it } from "vitest";
import type { ChatPort } from "../../src/core/chat.ts";
import { createDigestDelivery } from "../../src/core/digest/delivery.ts";
import { parseSnapshot } from "../../src/core/export/snapshot-schema.ts";
import type { Platform } from "../../src/core/types.ts";
import { silentLogger } from "../../src/log.ts";
import { harness, type Harness } from "../support/harness.ts";

const open: Harness[] = [];
afterEach(() => {
  for (const h of open.splice(0)) h.close();
});
const fresh = (now: string) => {
  const h = harness({ now });
  open.push(h);
  return h;
};

function deliveryOver(h: Harness, posted: string[]) {
  const chat: ChatPort = {
    platform: "slack",
    async post(_channel, _message, { idempotencyKey }) {
      posted.push(idempotencyKey);
      return { messageId: idempotencyKey };
    },
    async notifyAdmins() {},
  };
  return createDigestDelivery({ store: h.store, clock: h.clock, log: silentLogger, chats: new Map<Platform, ChatPort>([["slack", chat]]), commandName: "docket", instanceId: "test" });
}

describe("a json export restored", () => {
  it("keeps the delivery ledger, so today's digest is not posted a second time", async () => {
    const source = fresh("2026-11-30T12:00:00Z");
    source.ok("ask What does membership cost?");
    source.ok("digest on 09:00 tz:Europe/London");
    const posted: string[] = [];
    source.clock.set("2026-12-01T09:00:00Z");
    await deliveryOver(source, posted).tick();
    expect(posted).toEqual(["digest-1-2026-12-01"]);

    const snapshot = parseSnapshot(JSON.parse(JSON.stringify(source.store.snapshots.read(1))) as unknown);
    expect(snapshot.deliveries).toMatchObject([{ subscriptionId: 1, localDate: "2026-12-01", state: "sent" }]);
    const restored = fresh("2026-12-01T10:00:00Z");
    restored.store.snapshots.restore(snapshot);
    await deliveryOver(restored, posted).tick();
    expect(posted).toEqual(["digest-1-2026-12-01"]);
    expect(restored.store.snapshots.read(1)).toEqual(source.store.snapshots.read(1));
  });

  it("an export written before the ledger was exported still imports, with an empty ledger", () => {
    const source = fresh("2026-11-30T12:00:00Z");
    source.ok("ask What does membership cost?");
    const { deliveries: _left, ...older } = source.store.snapshots.read(1);
    expect(parseSnapshot(older).deliveries).toEqual([]);
  });
});
