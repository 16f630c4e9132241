import { afterEach, describe, expect, it } from "vitest";
import { FixedClock } from "../../src/core/clock.ts";
import { commands } from "../../src/core/commands/registry.ts";
import { createDispatcher } from "../../src/core/dispatch.ts";
import type { Store } from "../../src/core/ports.ts";
import { replyToText } from "../../src/core/reply.ts";
import { silentLogger } from "../../src/log.ts";
import { openPostgres } from "../../src/store/postgres/open-postgres.ts";
import { createPostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { harness, invocation } from "../support/harness.ts";
import { freshDatabase, testPostgres } from "../support/postgres.ts";

// Eight members of one workspace each ask 100 questions at once, the very first command of the
// workspace among them: one docket, numbers 1–800 with no gap and no repeat, one audit row each.

const writers = 8;
const each = 100;

/** Runs the eight loops side by side through one dispatcher over `store`; resolves to every number the replies gave. */
async function askAtOnce(store: Store): Promise<number[]> {
  const clock = new FixedClock("2026-11-30T12:00:00Z");
  const core = createDispatcher({ store, clock, settings: { commandName: "docket", defaultTimeZone: "Europe/London" }, log: silentLogger, commands });
  const numbers = await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const mine: number[] = [];
      for (let i = 1; i <= each; i++) {
        const reply = await core.runText(invocation({ id: `U${w}`, displayName: `member ${w}` }), `ask Question ${i} from member ${w}?`);
        const text = replyToText(reply);
        if (reply.error) throw new Error(`member ${w}, question ${i}: ${text}`);
        mine.push(Number(/\bQ(\d+)\b/.exec(text)?.[1]));
      }
      return mine;
    }),
  );
  return numbers.flat();
}

async function expectOneDocketNumberedOneToEightHundred(store: Store, numbers: number[]) {
  const all = Array.from({ length: writers * each }, (_, i) => i + 1);
  expect([...numbers].sort((a, b) => a - b)).toEqual(all);
  const dockets = await store.dockets.list();
  expect(dockets).toHaveLength(1);
  expect(await store.workspaces.forDocket(dockets[0]!.id)).toHaveLength(1);
  const snapshot = await store.snapshots.read(dockets[0]!.id);
  expect(snapshot.questions.map((q) => q.number)).toEqual(all);
  expect(snapshot.members).toHaveLength(writers);
  const actions = new Map<string, number>();
  for (const e of snapshot.audit) actions.set(e.action, (actions.get(e.action) ?? 0) + 1);
  expect(Object.fromEntries(actions)).toEqual({ "docket.create": 1, "question.ask": writers * each });
  expect(new Set(snapshot.audit.filter((e) => e.action === "question.ask").map((e) => e.subject)).size).toBe(writers * each);
}

const server = await testPostgres();

describe.skipIf(!server)("eight connections asking at once on PostgreSQL", () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it("800 questions numbered 1–800 in one docket, 800 audit rows, the docket created once", { timeout: 60_000 }, async () => {
    const database = await freshDatabase();
    cleanups.push(database.drop);
    const pool = openPostgres(database.url, { max: writers });
    const store = createPostgresStore(pool);
    cleanups.push(() => store.close());
    const numbers = await askAtOnce(store);
    // why: the loops really overlapped on the server, each on a connection of its own.
    expect(pool.totalCount).toBe(writers);
    await expectOneDocketNumberedOneToEightHundred(store, numbers);
  });

  it("two transactions that lock two dockets in opposite orders both commit: the deadlock's victim runs again", { timeout: 60_000 }, async () => {
    const database = await freshDatabase();
    cleanups.push(database.drop);
    const store = createPostgresStore(openPostgres(database.url, { max: 2 }));
    cleanups.push(() => store.close());
    const [a, b] = [await store.dockets.create({ name: "A", timeZone: "UTC", createdAt: "2026-11-30T12:00:00Z" }), await store.dockets.create({ name: "B", timeZone: "UTC", createdAt: "2026-11-30T12:00:00Z" })];
    let runs = 0;
    // why the handshake: each holds its first lock before either asks for its second, so they must deadlock.
    let holding = 0;
    let bothHold!: () => void;
    const ready = new Promise<void>((done) => (bothHold = done));
    const crosswise = (first: number, second: number, name: string) =>
      store.transaction(async (tx) => {
        runs++;
        await tx.lock([{ docket: first }]);
        if (++holding === 2) bothHold();
        await ready;
        await tx.lock([{ docket: second }]);
        await tx.dockets.rename(first, name);
        return name;
      });
    expect(await Promise.all([crosswise(a.id, b.id, "A renamed"), crosswise(b.id, a.id, "B renamed")])).toEqual(["A renamed", "B renamed"]);
    expect(runs).toBe(3);
    expect((await store.dockets.list()).map((d) => d.name).sort()).toEqual(["A renamed", "B renamed"]);
  });
});

describe("the same eight writers on SQLite", () => {
  it("800 questions numbered 1–800 in one docket, 800 audit rows, the docket created once", { timeout: 60_000 }, async () => {
    const h = harness();
    try {
      const numbers = await askAtOnce(h.store);
      await expectOneDocketNumberedOneToEightHundred(h.store, numbers);
    } finally {
      h.close();
    }
  });
});
