import { afterEach, describe, expect, it } from "vitest";
import { commands } from "../../src/core/commands/registry.ts";
import { createDigestDelivery } from "../../src/core/digest/delivery.ts";
import { createDispatcher } from "../../src/core/dispatch.ts";
import type { Store } from "../../src/core/ports.ts";
import { replyToText } from "../../src/core/reply.ts";
import { silentLogger } from "../../src/log.ts";
import { openPostgresStore } from "../../src/store/postgres/open-postgres-store.ts";
import { createSqliteStore } from "../../src/store/sqlite-store.ts";
import { harness, invocation, type Harness } from "../support/harness.ts";
import { freshDatabase, testPostgres, type FreshDatabase } from "../support/postgres.ts";
import { recordingChat } from "../support/recording-chat.ts";
import { runDocket } from "../support/run-docket.ts";

// `docket copy --to`: the real CLI moves a SQLite deployment into a new PostgreSQL database, and what
// each side then holds is compared through the store's own reads.

const secretKey = "correct horse battery staple";
const installation = JSON.stringify({ team: { id: "T1" }, bot: { token: "xoxb-secret-token", userId: "UB" } });

const server = await testPostgres();

describe.skipIf(!server)("docket copy --to <DATABASE_URL>", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  const fresh = async (): Promise<FreshDatabase> => {
    const db = await freshDatabase();
    cleanups.push(db.drop);
    return db;
  };
  const sqliteDocket = (): Harness => {
    const h = harness({ now: "2026-11-30T12:00:00Z" });
    cleanups.push(() => h.close());
    return h;
  };
  const copy = (h: Harness, to: string) => runDocket(["copy", "--to", to], { cwd: h.dir, env: { DOCKET_DB: h.path, DOCKET_SECRET_KEY: secretKey } });

  /** Two dockets (Slack T1, Discord G1) with every kind of row, a digest delivered and one half-posted, and a Slack installation. */
  async function fullDeployment(h: Harness): Promise<Store> {
    await h.ok("deadline add Comments due 2026-12-10");
    await h.ok("ask What does membership cost? to:ITU #membership by:D1");
    await h.ok("ask Who chairs the study group?", { id: "bob" });
    await h.ok("answer 1 CHF 10,600 a year source:https://www.itu.int/en/join partial:yes");
    await h.ok("note Q2 Ask the secretariat first", { id: "bob" });
    await h.ok("admin add <@U2|bob>");
    await h.ok("digest on 09:00 tz:Europe/London");
    await h.ok("digest on 10:00 tz:Europe/London", { channel: "C2" });
    await h.ok("ask Is the plenary open to observers?", { platform: "discord", workspace: "G1", channel: "D1" });
    h.clock.set("2026-12-01T09:00:00Z");
    const sent = recordingChat("slack", 2);
    await createDigestDelivery({ store: h.store, clock: h.clock, log: silentLogger, chats: new Map([["slack", sent.chat]]), commandName: "docket", instanceId: "one" }).tick();
    h.clock.set("2026-12-01T10:00:00Z");
    const half = recordingChat("slack", 2);
    half.failAfter(1, new Error("network down"));
    await createDigestDelivery({ store: h.store, clock: h.clock, log: silentLogger, chats: new Map([["slack", half.chat]]), commandName: "docket", instanceId: "two" }).tick();
    const sealed = createSqliteStore(h.db, { secretKey });
    await sealed.platformState.set("slack", "installation:T1", installation, "2026-11-30T12:00:00.000Z");
    await sealed.platformState.set("discord", "commands-hash", "abc123", "2026-11-30T12:00:00.000Z");
    return sealed;
  }

  it("copies every docket, its delivery ledger and the Slack installations, and PostgreSQL numbers on from there", async () => {
    const h = sqliteDocket();
    const source = await fullDeployment(h);
    const target = await fresh();

    const run = await copy(h, target.url);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Copied .*: 2 dockets, 3 questions, 1 Slack installation \(2 platform state entries\)\. Set DATABASE_URL/);

    const pg = await openPostgresStore(target.url, { secretKey });
    cleanups.push(() => pg.close());
    const dockets = await source.dockets.list();
    expect(dockets).toHaveLength(2);
    expect(await pg.store.dockets.list()).toEqual(dockets);
    for (const docket of dockets) {
      const before = await source.snapshots.read(docket.id);
      expect(JSON.parse(JSON.stringify(await pg.store.snapshots.read(docket.id)))).toEqual(JSON.parse(JSON.stringify(before)));
    }
    const first = await source.snapshots.read(1);
    expect([first.deadlines, first.answers, first.notes, first.admins, first.subscriptions].map((rows) => rows.length)).toEqual([1, 1, 1, 1, 2]);
    expect(first.deliveries.map((d) => [d.state, d.parts.length])).toEqual([["sent", 2], ["failed", 2]]);

    expect(await pg.store.platformState.keys("slack", "")).toEqual(["installation:T1"]);
    expect(await pg.store.platformState.get("slack", "installation:T1")).toBe(installation);
    expect(await pg.store.platformState.get("discord", "commands-hash")).toBe("abc123");
    // why: sealed again with the same key, never written out in the clear.
    const raw = await openPostgresStore(target.url);
    cleanups.push(() => raw.close());
    await expect(raw.store.platformState.get("slack", "installation:T1")).rejects.toThrow(/DOCKET_SECRET_KEY/);

    // The identity sequences moved past the copied ids: the next question, answer and audit row just work.
    const core = createDispatcher({ store: pg.store, clock: h.clock, settings: { commandName: "docket", defaultTimeZone: "Europe/London" }, log: silentLogger, commands });
    const asked = await core.runText(invocation(), "ask Does the copy number on?");
    expect(asked.error).toBeFalsy();
    expect(replyToText(asked)).toMatch(/Q3\b/);
    expect((await core.runText(invocation(), "answer Q3 It does")).error).toBeFalsy();
    expect((await pg.store.questions.get(1, 3))?.text).toBe("Does the copy number on?");
    const opened = await core.runText(invocation({ platform: "discord", workspace: "G9" }), "ask A new workspace gets a new docket?");
    expect(opened.error).toBeFalsy();
    expect((await pg.store.dockets.list()).map((d) => d.id)).toEqual([1, 2, 3]);
  });

  it("refuses a target that already holds a docket, in one line, changing nothing", async () => {
    const h = sqliteDocket();
    await fullDeployment(h);
    const target = await fresh();
    expect((await copy(h, target.url)).code).toBe(0);
    const again = await copy(h, target.url);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^docket: postgres:\/\/.* already holds 2 dockets; copy fills an empty database only\. Point --to at a new database\.\n$/);
    const pg = await openPostgresStore(target.url, { secretKey });
    cleanups.push(() => pg.close());
    expect(await pg.store.questions.list(1, { statuses: ["open", "partial", "answered", "withdrawn"], limit: 10 })).toMatchObject({ total: 2 });
  });

  it("without the DOCKET_SECRET_KEY the installations were sealed with, nothing is copied and one line says why", async () => {
    const h = sqliteDocket();
    await fullDeployment(h);
    const target = await fresh();
    const run = await runDocket(["copy", "--to", target.url], { cwd: h.dir, env: { DOCKET_DB: h.path } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^docket: Could not read slack's installation:T1 from .*: This value was encrypted with DOCKET_SECRET_KEY, which is not set now: set it to the key used before\.\n$/);
    const pg = await openPostgresStore(target.url, { secretKey });
    cleanups.push(() => pg.close());
    expect(await pg.store.dockets.list()).toEqual([]);
  });

  it("a URL that is not PostgreSQL's, or a server out of reach, is one line and exit 2", async () => {
    const h = sqliteDocket();
    await h.ok("ask What does membership cost?");
    const bad = await copy(h, "mysql://root@localhost/docket");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe("docket: copy needs the PostgreSQL database to fill: docket copy --to postgres://docket@db.example.org:5432/docket\n");
    const away = await copy(h, "postgres://docket:hunter2@127.0.0.1:1/docket");
    expect(away.code).toBe(2);
    expect(away.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(away.stderr).toMatch(/^docket: Docket could not use PostgreSQL at postgres:\/\/docket:\*\*\*@127\.0\.0\.1:1\/docket/);
    expect(away.stderr).not.toContain("hunter2");
  });
});
