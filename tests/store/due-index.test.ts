import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/core/ports.ts";
import { openMigrated } from "../../src/store/open.ts";
import { createPostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { openPostgres } from "../../src/store/postgres/open-postgres.ts";
import { createSqliteStore } from "../../src/store/sqlite-store.ts";
import { freshDatabase, testPostgres, type FreshDatabase } from "../support/postgres.ts";
import { tempDir } from "../support/harness.ts";

// The due index on both engines: takeDue reads only the subscriptions whose next look has come,
// holds them past now, and gives them back to anyone once the hold passes.

const now = "2026-12-01T09:00:00.000Z";
const minuteAfter = "2026-12-01T09:01:00.000Z";
const tomorrow = "2026-12-02T09:00:00.000Z";

async function subscribe(store: Store, count: number): Promise<number[]> {
  const docket = await store.dockets.create({ name: "ITU", timeZone: "Europe/London", createdAt: now });
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    const sub = await store.subscriptions.upsert(
      { docketId: docket.id, channel: { platform: "slack", workspaceId: "T1", channelId: `C${i}` }, time: "09:00", timeZone: "Europe/London", days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], filter: { tag: null, addressee: null, deadlineNumber: null } },
      now,
    );
    ids.push(sub.id);
  }
  return ids;
}

function dueIndexStory(engine: string, open: () => Promise<{ store: Store; second?: () => Store; close(): Promise<void> }>) {
  describe(`the due index on ${engine}`, () => {
    let rig: Awaited<ReturnType<typeof open>>;
    beforeAll(async () => {
      rig = await open();
    });
    afterAll(() => rig.close());
    afterEach(async () => {
      for (const sub of await rig.store.subscriptions.active()) await rig.store.subscriptions.turnOff(sub.id, now);
    });

    it("a pass over 1,000 subscriptions of which 3 are due reads those 3", async () => {
      const ids = await subscribe(rig.store, 1000);
      // Everything new is due at once; after one look each waits for tomorrow's slot, except three.
      expect(await rig.store.subscriptions.takeDue(now, minuteAfter, 2000)).toHaveLength(1000);
      const due = [ids[17]!, ids[500]!, ids[999]!];
      for (const id of ids) await rig.store.subscriptions.setNextSlot(id, due.includes(id) ? now : tomorrow);
      const taken = await rig.store.subscriptions.takeDue(now, minuteAfter, 100);
      expect(taken.map((s) => s.id)).toEqual(due);
      // Held: a second pass in the same minute finds nothing.
      expect(await rig.store.subscriptions.takeDue(now, minuteAfter, 100)).toEqual([]);
    });

    it("a hold that expires (its taker died) lets another claimer take the subscription, once", async () => {
      const [id] = await subscribe(rig.store, 1);
      expect((await rig.store.subscriptions.takeDue(now, minuteAfter, 10)).map((s) => s.id)).toEqual([id]);
      expect(await rig.store.subscriptions.takeDue("2026-12-01T09:00:59.999Z", "2026-12-01T09:01:59.999Z", 10)).toEqual([]);
      const later = "2026-12-01T09:02:00.000Z";
      expect((await rig.store.subscriptions.takeDue(minuteAfter, later, 10)).map((s) => s.id)).toEqual([id]);
      // The first taker, were it only stalled, can no longer set the next look over the second's hold.
      expect(await rig.store.subscriptions.setNextSlot(id!, tomorrow, minuteAfter)).toBe(false);
      expect(await rig.store.subscriptions.setNextSlot(id!, tomorrow, later)).toBe(true);
      expect(await rig.store.subscriptions.takeDue(later, "2026-12-01T09:03:00.000Z", 10)).toEqual([]);
    });

    it("a changed or resumed subscription is due at the next look, and a paused one never", async () => {
      const [a, b] = await subscribe(rig.store, 2);
      await rig.store.subscriptions.takeDue(now, minuteAfter, 10);
      await rig.store.subscriptions.setNextSlot(a!, tomorrow);
      await rig.store.subscriptions.setNextSlot(b!, tomorrow);
      await rig.store.subscriptions.pause(b!, "channel gone", now);
      expect(await rig.store.subscriptions.takeDue("2026-12-01T23:59:00.000Z", "2026-12-02T00:00:00.000Z", 10)).toEqual([]);
      const sub = (await rig.store.subscriptions.get(a!))!;
      await rig.store.subscriptions.upsert({ ...sub, time: "08:00" }, now);
      await rig.store.subscriptions.resume(b!, now);
      expect((await rig.store.subscriptions.takeDue(now, minuteAfter, 10)).map((s) => s.id)).toEqual([a, b]);
    });

    it("concurrent passes never take the same subscription", async () => {
      const ids = await subscribe(rig.store, 300);
      const stores = [rig.store, rig.second?.() ?? rig.store, rig.second?.() ?? rig.store];
      const taken = (await Promise.all(stores.flatMap((s) => [s, s]).map((s) => s.subscriptions.takeDue(now, minuteAfter, 60)))).flat().map((s) => s.id);
      expect(new Set(taken).size).toBe(taken.length);
      expect(taken).toHaveLength(300);
      expect([...taken].sort((x, y) => x - y)).toEqual(ids);
    });
  });
}

dueIndexStory("SQLite", async () => {
  const { dir, cleanup } = tempDir();
  const { db } = openMigrated(`${dir}/docket.sqlite`);
  const others: Array<{ close(): void }> = [];
  return {
    store: createSqliteStore(db),
    second: () => {
      const other = openMigrated(`${dir}/docket.sqlite`).db;
      others.push(other);
      return createSqliteStore(other);
    },
    async close() {
      for (const o of others) o.close();
      db.close();
      cleanup();
    },
  };
});

const server = await testPostgres();

describe.skipIf(!server)("PostgreSQL", () => {
  let databases: FreshDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((d) => d.drop()));
    databases = [];
  });
  dueIndexStory("PostgreSQL", async () => {
    const db = await freshDatabase();
    databases.push(db);
    const pools = [openPostgres(db.url, { max: 4 })];
    return {
      store: createPostgresStore(pools[0]!),
      second: () => {
        const pool = openPostgres(db.url, { max: 4 });
        pools.push(pool);
        return createPostgresStore(pool);
      },
      async close() {
        await Promise.all(pools.map((p) => p.end()));
      },
    };
  });
});
