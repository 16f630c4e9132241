import { afterEach, describe, expect, it } from "vitest";
import type { ChatPort } from "../../src/core/chat.ts";
import { createDigestDelivery } from "../../src/core/digest/delivery.ts";
import { parseSnapshot } from "../../src/core/export/snapshot-schema.ts";
import type { Platform } from "../../src/core/types.ts";
import { silentLogger } from "../../src/log.ts";
import { ChatError } from "../../src/core/chat.ts";
import { harness, type Harness } from "../support/harness.ts";
import { recordingChat } from "../support/recording-chat.ts";

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
    render: () => ["digest"],
    async send(_channel, _part, { deliveryKey }) {
      posted.push(deliveryKey);
      return { messageId: deliveryKey };
    },
    async notifyAdmins() {},
  };
  return createDigestDelivery({ store: h.store, clock: h.clock, log: silentLogger, chats: new Map<Platform, ChatPort>([["slack", chat]]), commandName: "docket", instanceId: "test" });
}

describe("a json export restored", () => {
  it("keeps the delivery ledger, so today's digest is not posted a second time", async () => {
    const source = fresh("2026-11-30T12:00:00Z");
    await source.ok("ask What does membership cost?");
    await source.ok("digest on 09:00 tz:Europe/London");
    const posted: string[] = [];
    source.clock.set("2026-12-01T09:00:00Z");
    await deliveryOver(source, posted).tick();
    expect(posted).toEqual(["digest-1-2026-12-01"]);

    const snapshot = parseSnapshot(JSON.parse(JSON.stringify(await source.store.snapshots.read(1))) as unknown);
    expect(snapshot.deliveries).toMatchObject([{ subscriptionId: 1, localDate: "2026-12-01", state: "sent" }]);
    const restored = fresh("2026-12-01T10:00:00Z");
    await restored.store.snapshots.restore(snapshot);
    await deliveryOver(restored, posted).tick();
    expect(posted).toEqual(["digest-1-2026-12-01"]);
    expect(await restored.store.snapshots.read(1)).toEqual(await source.store.snapshots.read(1));
  });

  it("an export written before the ledger was exported still imports, with an empty ledger", async () => {
    const source = fresh("2026-11-30T12:00:00Z");
    await source.ok("ask What does membership cost?");
    const { deliveries: _left, ...older } = await source.store.snapshots.read(1);
    expect(parseSnapshot(older).deliveries).toEqual([]);
  });

  it("keeps a half-posted digest's stored parts, so the restored docket posts only the rest", async () => {
    const source = fresh("2026-11-30T12:00:00Z");
    await source.ok("ask What does membership cost?");
    await source.ok("digest on 09:00 tz:Europe/London");
    const before = recordingChat("slack", 3);
    before.failAfter(1, new ChatError("retryable", "ratelimited", 60_000));
    source.clock.set("2026-12-01T09:00:00Z");
    await createDigestDelivery({ store: source.store, clock: source.clock, log: silentLogger, chats: new Map([["slack", before.chat]]), commandName: "docket", instanceId: "before" }).tick();
    expect(before.posts.map((p) => p.part)).toEqual([1]);

    const snapshot = parseSnapshot(JSON.parse(JSON.stringify(await source.store.snapshots.read(1))) as unknown);
    expect(snapshot.deliveries[0]!.parts.map((p) => [p.part, p.messageId, p.body !== null])).toEqual([[1, "m1", true], [2, null, true], [3, null, true]]);
    const restored = fresh("2026-12-01T09:01:00Z");
    await restored.store.snapshots.restore(snapshot);
    expect(await restored.store.snapshots.read(1)).toEqual(await source.store.snapshots.read(1));

    const after = recordingChat("slack", 3);
    await createDigestDelivery({ store: restored.store, clock: restored.clock, log: silentLogger, chats: new Map([["slack", after.chat]]), commandName: "docket", instanceId: "after" }).tick();
    expect(after.renderings).toEqual([]);
    expect(after.posts.map((p) => p.part)).toEqual([2, 3]);
    expect(await restored.store.deliveries.get(1, "2026-12-01")).toMatchObject({ state: "sent", messageId: "m1" });
  });

  it("an older export's half-posted digest, which has no parts to resume from, is not retried", async () => {
    const source = fresh("2026-11-30T12:00:00Z");
    await source.ok("ask What does membership cost?");
    await source.ok("digest on 09:00 tz:Europe/London");
    const older = {
      ...(await source.store.snapshots.read(1)),
      deliveries: [
        { subscriptionId: 1, localDate: "2026-12-01", slotAt: "2026-12-01T09:00:00.000Z", state: "failed", late: false, attempts: 1, retryAt: "2026-12-01T09:01:00.000Z", messageId: null, partsSent: 2, error: "ratelimited", updatedAt: "2026-12-01T09:00:00.000Z" },
      ],
    };
    expect(parseSnapshot(older).deliveries).toMatchObject([{ state: "failed", retryAt: null, parts: [] }]);
  });
});
