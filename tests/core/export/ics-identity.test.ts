import ICAL from "ical.js";
import { afterEach, describe, expect, it } from "vitest";
import { toIcs } from "../../../src/core/export/ics.ts";
import { parseSnapshot } from "../../../src/core/export/snapshot-schema.ts";
import { replyToText } from "../../../src/core/reply.ts";
import { openMigrated } from "../../../src/store/open.ts";
import { createSqliteStore } from "../../../src/store/sqlite-store.ts";
import { harness, tempDir, type Harness } from "../../support/harness.ts";

// Issue 10, item 14: calendars recognise an event by its UID and keep the copy with the highest
// SEQUENCE. UIDs made of numbers alone (`docket-1-d1@docket`) were the same in every installation,
// a moved deadline carried no SEQUENCE, and a time that the clocks skip was accepted silently.

const open: Harness[] = [];
const docket = (now = "2026-11-29T10:00:00Z") => {
  const h = harness({ now });
  open.push(h);
  return h;
};
afterEach(async () => {
  for (const h of open.splice(0)) h.close();
});

interface Event {
  uid: string;
  sequence: number;
  start: string;
}

function events(ics: string): Event[] {
  return ICAL.Component.fromString(ics)
    .getAllSubcomponents("vevent")
    .map((component) => {
      const event = new ICAL.Event(component);
      return { uid: event.uid, sequence: event.sequence, start: event.startDate.toString() };
    });
}

const calendar = async (h: Harness) => events((await h.ok("export ics")).file!.content);

describe("ics UIDs", () => {
  it("two installations' first deadlines, both D1 of docket 1, get different UIDs", async () => {
    const geneva = docket("2026-11-29T10:00:00Z");
    const nairobi = docket("2026-11-30T07:12:45.123Z");
    await geneva.ok("deadline add WCIT opens 2026-12-20");
    await nairobi.ok("deadline add WCIT opens 2026-12-20");
    const [a] = await calendar(geneva);
    const [b] = await calendar(nairobi);
    expect(a!.uid).not.toBe(b!.uid);
    expect(a!.uid).toMatch(/^docket-1-d1-[0-9a-z]+-[0-9a-z]+@docket$/);
  });

  it("a deadline keeps its UID across exports, days, other deadlines, and a json export and import", async () => {
    const h = docket();
    await h.ok("deadline add WCIT opens 2026-12-20");
    const first = (await calendar(h))[0]!.uid;
    h.clock.set(new Date("2026-12-01T08:00:00Z"));
    await h.ok("deadline add Comments due 2026-12-10");
    expect((await calendar(h)).map((e) => e.uid)).toContain(first);

    const { dir, cleanup } = tempDir();
    try {
      const snapshot = parseSnapshot(JSON.parse((await h.ok("export json")).file!.content) as unknown);
      const { db } = openMigrated(`${dir}/restored.sqlite`);
      const store = createSqliteStore(db);
      await store.snapshots.restore(snapshot);
      const restored = toIcs(await store.snapshots.read(snapshot.docket.id), new Date("2026-12-02T08:00:00Z"));
      db.close();
      expect(events(restored)).toEqual(await calendar(h));
    } finally {
      cleanup();
    }
  });
});

describe("ics SEQUENCE", () => {
  it("is 0 for a new deadline and rises by one each time it moves, not when it is renamed or placed", async () => {
    const h = docket();
    await h.ok("deadline add WCIT opens 2026-12-20");
    expect((await calendar(h))[0]).toMatchObject({ sequence: 0, start: "2026-12-20" });
    await h.ok("deadline edit D1 date:2026-12-21");
    expect((await calendar(h))[0]).toMatchObject({ sequence: 1, start: "2026-12-21" });
    await h.ok('deadline edit D1 title:"WCIT-12 opens" at:Dubai');
    expect((await calendar(h))[0]!.sequence).toBe(1);
    await h.ok("deadline edit D1 time:09:00 tz:Asia/Dubai");
    expect((await calendar(h))[0]).toMatchObject({ sequence: 2, start: "2026-12-21T05:00:00Z" });
  });

  it("counts only its own deadline's moves", async () => {
    const h = docket();
    await h.ok("deadline add WCIT opens 2026-12-20");
    await h.ok("deadline add Comments due 2026-12-10");
    await h.ok("deadline edit D2 date:2026-12-11");
    expect((await calendar(h)).map((e) => e.sequence)).toEqual([0, 1]);
  });
});

describe("a local time the clocks skip (spring forward)", () => {
  const refused = async (h: Harness, text: string) => {
    const before = h.snapshot();
    const reply = await h.run(text);
    expect(reply.error?.code, replyToText(reply)).toBe("deadline.time_skipped");
    expect(h.snapshot()).toEqual(before);
    return replyToText(reply);
  };

  it("is refused on deadline add, saying why and what to write instead", async () => {
    const h = docket();
    expect(await refused(h, "deadline add Vote 2027-03-28 01:30")).toBe(
      "There is no 01:30 on 28 Mar 2027 in Europe/London: at 01:00 the clocks go forward to 02:00, so 01:00–01:59 never happens there. " +
        "Write 02:00 (the moment they change) or a time outside that gap.",
    );
    expect(await refused(h, "deadline add Vote 2027-03-14 2:30am tz:America/New_York")).toContain("at 02:00 the clocks go forward to 03:00");
    await h.ok("deadline add Vote 2027-03-28 02:00");
  });

  it("is refused on deadline edit, whether the date, the time or the zone moves it into the gap", async () => {
    const h = docket();
    await h.ok("deadline add Vote 2027-03-27 01:30");
    await h.ok("deadline add Hearing 2027-03-14 02:30 tz:Europe/London");
    await refused(h, "deadline edit D1 date:2027-03-28");
    await refused(h, "deadline edit D2 tz:America/New_York");
    await h.ok("deadline edit D1 date:2027-03-28 time:00:30");
    await refused(h, "deadline edit D1 time:01:00");
  });

  it("a time that happens twice (clocks go back) is still accepted", async () => {
    const h = docket();
    await h.ok("deadline add Vote 2027-10-31 01:30");
    expect(await h.store.deadlines.get((await h.docketOf())!.id, 1)).toMatchObject({ time: "01:30" });
  });
});
