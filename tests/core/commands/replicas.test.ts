import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../../src/core/commands/registry.ts";
import { createDispatcher, type Dispatcher } from "../../../src/core/dispatch.ts";
import type { Store } from "../../../src/core/ports.ts";
import { replyToText } from "../../../src/core/reply.ts";
import { defineCommand } from "../../../src/core/vocabulary.ts";
import { silentLogger } from "../../../src/log.ts";
import { openMigrated } from "../../../src/store/open.ts";
import { createSqliteStore } from "../../../src/store/sqlite-store.ts";
import { harness, invocation, type Harness, type Who } from "../../support/harness.ts";
import { countStatements } from "../../support/statement-count.ts";
import { testEngine } from "../../support/test-engine.ts";
import { typed } from "../../support/typed.ts";

// Each replica keeps the docket's deadlines and admins in memory; these stories hold it to what the database says.

/** A read-only command only admins may run, so the admin list kept in memory decides it. */
const peek = defineCommand({
  name: "peek",
  summary: "Test only: what admins may read",
  options: [],
  examples: ["peek"],
  permission: "admin",
  mutates: false,
  run: async () => ({ visibility: "ephemeral", heading: "Peeked", blocks: [] }),
});

const alice: Who = { id: "alice", displayName: "Alice" };
const bob: Who = { id: "U2", displayName: "Bob", isPlatformAdmin: false };

let h: Harness;
let first: Dispatcher;
let second: Dispatcher;
const replica = (store: Store) => createDispatcher({ store, clock: h.clock, settings: { commandName: "docket", defaultTimeZone: "Europe/London" }, log: silentLogger, commands: [...commands, peek] });
const say = async (on: Dispatcher, text: string, who: Who = alice) => replyToText(await on.runText(invocation(who), typed(text)));
const ok = async (on: Dispatcher, text: string, who: Who = alice) => {
  const reply = await on.runText(invocation(who), typed(text));
  if (reply.error) throw new Error(`${text} → ${replyToText(reply)}`);
  return replyToText(reply);
};
const code = async (on: Dispatcher, text: string, who: Who) => (await on.runText(invocation(who), typed(text))).error?.code;

beforeEach(async () => {
  h = harness();
  first = replica(h.store);
  second = replica(h.reopen());
  await ok(first, "ask What does ITU membership cost? to:ITU");
});
afterEach(() => h.close());

describe("deadlines changed on another replica", () => {
  it("are seen by this one at its next command: added, edited, given milestones, removed", async () => {
    expect(await say(first, "deadline list")).toMatch(/No deadlines yet/);
    await ok(second, "deadline add WCIT-12 opens 2026-12-03");
    expect(await say(first, "deadline list")).toMatch(/D1 WCIT-12 opens/);
    await ok(second, 'deadline edit D1 title:"WCIT-12 opens (postponed)"');
    expect(await say(first, "deadline list")).toMatch(/WCIT-12 opens \(postponed\)/);
    await ok(second, "deadline milestones D1 7,1");
    expect(await say(first, "deadline list")).toMatch(/milestones /);
    await ok(second, "deadline remove D1");
    expect(await say(first, "deadline list")).toMatch(/No deadlines yet/);
  });

  it("resolve by title on this replica as the other left them", async () => {
    await ok(first, "deadline add WCIT-12 opens 2026-12-03");
    await ok(first, "edit Q1 by:WCIT");
    expect(await say(first, "list")).toMatch(/needed by D1 WCIT-12 opens/);
    await ok(second, 'deadline edit D1 title:"Plenary"');
    expect(await say(first, "list")).toMatch(/needed by D1 Plenary/);
    expect(await say(first, "list by:Plenary")).toMatch(/Q1/);
  });
});

describe("a deadline added, then listed", () => {
  it("names the deadline, and makes its questions overdue once it passes", async () => {
    expect(await say(first, "list overdue")).toMatch(/No overdue questions/);
    await ok(first, "deadline add WCIT-12 opens 2026-12-03");
    await ok(first, "ask Who chairs the plenary? by:D1");
    expect(await say(first, "list")).toMatch(/Q2 Who chairs the plenary\?[\s\S]*needed by D1 WCIT-12 opens/);
    h.clock.set("2026-12-04T10:00:00Z");
    expect(await say(first, "list overdue")).toMatch(/1 overdue question[\s\S]*Q2/);
    expect(await say(second, "list overdue")).toMatch(/1 overdue question[\s\S]*Q2/);
  });
});

describe("an admin removed on another replica", () => {
  it("loses admin rights on this one at once, for what it reads and what it changes", async () => {
    await ok(first, "admin add @U2");
    expect(await say(first, "peek", bob)).toMatch(/Peeked/);
    await ok(first, "deadline add Plenary 2026-12-03", bob);
    await ok(second, "admin remove @U2");
    expect(await code(first, "peek", bob)).toBe("permission.admin");
    expect(await code(first, "deadline add Side event 2026-12-04", bob)).toBe("permission.admin");
    expect(await code(first, "rename Elsewhere", bob)).toBe("permission.admin");
  });

  it("and one added there gains them here at once", async () => {
    expect(await code(first, "peek", bob)).toBe("permission.admin");
    await ok(second, "admin add @U2");
    expect(await say(first, "peek", bob)).toMatch(/Peeked/);
  });
});

describe("a Discord guild that joins on another replica", () => {
  it("makes names on this one carry their platform at its next list and show", async () => {
    expect(await say(second, "list")).toContain("by Alice");
    expect(await say(second, "list")).not.toContain("(Slack)");
    const shown = await ok(first, "link");
    const linkCode = /\b[0-9A-Z]{4}(-[0-9A-Z]{4}){3}\b/.exec(shown)![0];
    await ok(first, `link ${linkCode}`, { platform: "discord", workspace: "G1", id: "100", displayName: "Amina" });
    expect(await say(second, "list")).toContain("by Alice (Slack)");
    expect(await say(second, "show Q1")).toContain("Alice (Slack)");
  });
});

describe.skipIf(testEngine === "postgres")("what a command reads (SQLite's statements, counted)", () => {
  it("reads the docket in one statement, and its deadlines only when a line names one and they changed", async () => {
    const { db } = openMigrated(h.path);
    const counted = countStatements(db);
    const third = replica(createSqliteStore(db));
    const reads = (table: string) => counted.texts.filter((t) => new RegExp(`FROM ${table}\\b`).test(t)).length;
    try {
      // why two from workspaces at first: the docket's one read, then who shares it (how names read), kept from then on.
      await ok(third, "list");
      expect([reads("workspaces"), reads("deadlines")]).toEqual([2, 0]);
      await ok(first, "deadline add WCIT-12 opens 2026-12-03");
      await ok(first, "edit Q1 by:D1");
      counted.reset();
      await ok(third, "list");
      expect([reads("workspaces"), reads("deadlines")]).toEqual([2, 1]);
      counted.reset();
      await ok(third, "list");
      expect([reads("workspaces"), reads("deadlines"), reads("admins")]).toEqual([1, 0, 0]);
      await ok(second, "deadline add Plenary 2026-12-03");
      counted.reset();
      expect(replyToText(await third.runText(invocation(alice), "deadline list"))).toMatch(/Plenary/);
      expect(reads("deadlines")).toBe(1);
    } finally {
      db.close();
    }
  });

  it("a command anyone may run reads no admin list, and help reads nothing at all", async () => {
    const { db } = openMigrated(h.path);
    const counted = countStatements(db);
    const third = replica(createSqliteStore(db));
    try {
      for (const text of ["list", "show Q1", "note Q1 Asked again", "help"]) await ok(third, text, bob);
      expect(counted.texts.filter((t) => /FROM admins/.test(t))).toEqual([]);
      counted.reset();
      await ok(third, "help ask", bob);
      expect(counted.texts).toEqual([]);
    } finally {
      db.close();
    }
  });
});
