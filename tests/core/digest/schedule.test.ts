import { execFile } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  nextSlot,
  slotContaining,
  slotOn,
  slotsBetween,
  type DailySchedule,
  type Slot,
} from "../../../src/core/digest/schedule.ts";
import { parseDays } from "../../../src/core/dates/read-days.ts";
import { weekdays } from "../../../src/core/types.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

// ---------------------------------------------------------------------------------------------
// An independent model of the zones, from the published 2026 clock changes (checked against Intl
// below), so expected instants do not come from the code under test.

interface ZoneModel {
  /** Offset from UTC, in minutes, on 1 Jan 2026. */
  offset: number;
  /** Clock changes in the simulated period: the UTC instant and the offset from then on. */
  changes: ReadonlyArray<{ at: string; offset: number }>;
}

const zoneModels: Readonly<Record<string, ZoneModel>> = {
  // BST from 29 Mar 01:00 UTC to 25 Oct 01:00 UTC.
  "Europe/London": {
    offset: 0,
    changes: [
      { at: "2026-03-29T01:00:00Z", offset: 60 },
      { at: "2026-10-25T01:00:00Z", offset: 0 },
    ],
  },
  // EDT from 8 Mar 02:00 EST to 1 Nov 02:00 EDT.
  "America/New_York": {
    offset: -300,
    changes: [
      { at: "2026-03-08T07:00:00Z", offset: -240 },
      { at: "2026-11-01T06:00:00Z", offset: -300 },
    ],
  },
  // AEDT ends 5 Apr 03:00 AEDT, starts again 4 Oct 02:00 AEST.
  "Australia/Sydney": {
    offset: 660,
    changes: [
      { at: "2026-04-04T16:00:00Z", offset: 600 },
      { at: "2026-10-03T16:00:00Z", offset: 660 },
    ],
  },
  // No daylight saving.
  "Asia/Kolkata": { offset: 330, changes: [] },
  // Moves with New Zealand (03:00 NZDT / 02:00 NZST), which on Chatham is 03:45 → 02:45 on
  // 5 Apr and 02:45 → 03:45 on 27 Sep.
  "Pacific/Chatham": {
    offset: 825,
    changes: [
      { at: "2026-04-04T14:00:00Z", offset: 765 },
      { at: "2026-09-26T14:00:00Z", offset: 825 },
    ],
  },
};

function modelOf(zone: string): ZoneModel {
  const model = zoneModels[zone];
  if (!model) throw new Error(`no model for ${zone}`);
  return model;
}

/** The modelled offset, in minutes, at an instant. */
function modelOffset(zone: string, ms: number): number {
  let offset = modelOf(zone).offset;
  for (const change of modelOf(zone).changes) if (ms >= Date.parse(change.at)) offset = change.offset;
  return offset;
}

const isoDate = (wallMs: number): string => new Date(wallMs).toISOString().slice(0, 10);
const modelDate = (zone: string, ms: number): string => isoDate(ms + modelOffset(zone, ms) * MINUTE);
const nextDate = (date: string): string => isoDate(Date.parse(`${date}T00:00:00Z`) + DAY);
const modelWeekday = (date: string) => weekdays[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7];

/**
 * When a schedule should fire on a local date, by the rules stated in the brief: an ordinary day
 * has one offset; on a change day a time before the change uses the old offset (so a repeated
 * time is its first occurrence), a skipped time fires at the change, and a later time uses the new one.
 */
function expectedAt(zone: string, date: string, time: string): number {
  const wall = Date.parse(`${date}T${time}:00Z`);
  for (const change of modelOf(zone).changes) {
    const at = Date.parse(change.at);
    const before = modelOffset(zone, at - 1);
    const wallBefore = at + before * MINUTE; // the wall clock as the change happens, old reading
    const wallAfter = at + change.offset * MINUTE; // …and new reading
    if (isoDate(wallBefore) !== date) continue;
    if (wall < wallBefore) return wall - before * MINUTE;
    if (wall < wallAfter) return at;
    return wall - change.offset * MINUTE;
  }
  const localNoon = Date.parse(`${date}T12:00:00Z`) - modelOf(zone).offset * MINUTE;
  return wall - modelOffset(zone, localNoon) * MINUTE;
}

const intlFormats = new Map<string, Intl.DateTimeFormat>();

/** Intl's offset, in minutes, at an instant: what the model is checked against. */
function intlOffset(zone: string, ms: number): number {
  let format = intlFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    intlFormats.set(zone, format);
  }
  const text = format.format(ms);
  const match = /GMT(?:([+-])(\d\d):(\d\d))?$/.exec(text);
  if (!match) throw new Error(`unexpected ${text}`);
  const size = Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
  return match[1] === "-" ? -size : size;
}

// ---------------------------------------------------------------------------------------------
// A simulated ticker, as the scheduler runs it

interface Firing {
  date: string;
  at: number;
  firedAt: number;
}

/**
 * Ticks every `step` from `start` to `end` inclusive. On each tick it asks for the slot of today
 * and fires it once `at <= now`, once per local date. It also fires the previous tick's slot if
 * still due: why, a 23:59 slot falls between two ticks whose local dates differ, and by the second
 * tick `slotContaining` is already answering for the new day.
 */
function runTicker(schedule: DailySchedule, start: number, end: number, step: number): Firing[] {
  const fired = new Set<string>();
  const firings: Firing[] = [];
  let previous: Slot | null = null;
  for (let now = start; now <= end; now += step) {
    const current = slotContaining(schedule, new Date(now));
    for (const slot of [previous, current]) {
      if (slot && slot.at.getTime() <= now && !fired.has(slot.date)) {
        fired.add(slot.date);
        firings.push({ date: slot.date, at: slot.at.getTime(), firedAt: now });
      }
    }
    previous = current;
  }
  return firings;
}

/** The firings the model expects for ticks from `start` to `lastTick`: each selected local date from the first tick's. */
function expectedFirings(schedule: DailySchedule, start: number, lastTick: number): Array<{ date: string; at: number }> {
  const expected: Array<{ date: string; at: number }> = [];
  const lastDate = modelDate(schedule.timeZone, lastTick);
  for (let date = modelDate(schedule.timeZone, start); date <= lastDate; date = nextDate(date)) {
    const weekday = modelWeekday(date);
    if (!weekday || !schedule.days.includes(weekday)) continue;
    const at = expectedAt(schedule.timeZone, date, schedule.time);
    if (at <= lastTick) expected.push({ date, at });
  }
  return expected;
}

/** Runs the ticker and checks every firing against the model: one per selected day, at the right instant, on time. */
function checkTicker(schedule: DailySchedule, start: number, end: number, step: number): Firing[] {
  const firings = runTicker(schedule, start, end, step);
  const lastTick = start + Math.floor((end - start) / step) * step;
  const expected = expectedFirings(schedule, start, lastTick);
  const show = (ms: number) => new Date(ms).toISOString();
  expect(firings.map((f) => [f.date, show(f.at)])).toEqual(expected.map((e) => [e.date, show(e.at)]));
  for (const firing of firings) {
    expect(schedule.days).toContain(modelWeekday(firing.date));
    expect(firing.firedAt).toBeGreaterThanOrEqual(firing.at);
    // A slot that was already past when the ticker started fires at once; the others on time.
    if (firing.at >= start) expect(firing.firedAt - firing.at).toBeLessThan(step);
  }
  return firings;
}

const everyDay = [...weekdays];
const schedule = (timeZone: string, time: string, days: string): DailySchedule => ({
  time,
  timeZone,
  days: days === "daily" ? everyDay : parseDays(days),
});

/** Ordinary times, and times in each zone's gap (spring) and overlap (autumn) of 2026. */
const schedules: DailySchedule[] = [
  schedule("Europe/London", "09:00", "daily"),
  schedule("Europe/London", "00:00", "mon-fri"),
  schedule("Europe/London", "23:59", "daily"),
  schedule("Europe/London", "01:30", "daily"), // gap 29 Mar, overlap 25 Oct
  schedule("Europe/London", "01:30", "sat-sun"),
  schedule("America/New_York", "09:00", "mon-fri"),
  schedule("America/New_York", "00:00", "daily"),
  schedule("America/New_York", "23:59", "mon,wed,fri"),
  schedule("America/New_York", "02:30", "daily"), // gap 8 Mar
  schedule("America/New_York", "01:30", "sun"), // overlap 1 Nov
  schedule("Australia/Sydney", "09:00", "daily"),
  schedule("Australia/Sydney", "00:00", "daily"),
  schedule("Australia/Sydney", "23:59", "mon-fri"),
  schedule("Australia/Sydney", "02:30", "daily"), // overlap 5 Apr, gap 4 Oct
  schedule("Asia/Kolkata", "09:00", "daily"),
  schedule("Asia/Kolkata", "00:00", "mon-fri"),
  schedule("Asia/Kolkata", "23:59", "daily"),
  schedule("Pacific/Chatham", "09:00", "mon-fri"),
  schedule("Pacific/Chatham", "00:00", "daily"),
  schedule("Pacific/Chatham", "23:59", "daily"),
  schedule("Pacific/Chatham", "03:00", "daily"), // gap 27 Sep (02:45 → 03:45)
  schedule("Pacific/Chatham", "02:50", "daily"), // overlap 5 Apr (03:45 → 02:45)
];

const label = (s: DailySchedule): string =>
  `${s.timeZone} ${s.time} on ${s.days.length === 7 ? "every day" : s.days.join(",")}`;

const simulationStart = Date.parse("2026-01-01T00:00:00Z");
const simulationEnd = simulationStart + 400 * DAY;

// ---------------------------------------------------------------------------------------------

describe("the zone model the expectations come from", () => {
  it.each(Object.keys(zoneModels))("matches Intl for %s, every hour of the 400 days", (zone) => {
    for (let ms = simulationStart; ms <= simulationEnd; ms += HOUR) {
      if (modelOffset(zone, ms) !== intlOffset(zone, ms)) {
        const at = new Date(ms).toISOString();
        throw new Error(`${zone} at ${at}: model ${modelOffset(zone, ms)}, Intl ${intlOffset(zone, ms)}`);
      }
    }
    for (const change of modelOf(zone).changes) {
      const at = Date.parse(change.at);
      expect(intlOffset(zone, at)).toBe(change.offset);
      expect(intlOffset(zone, at - MINUTE)).not.toBe(change.offset);
    }
  });
});

describe("a ticker every 29 minutes for 400 days from 1 Jan 2026", () => {
  // why 29: it does not divide an hour, so ticks land at every phase of the slots over time.
  it.each(schedules.map((s) => [label(s), s] as const))(
    "fires %s once per selected day, at the right instant",
    (_, s) => {
      const firings = checkTicker(s, simulationStart, simulationEnd, 29 * MINUTE);
      expect(firings.length).toBeGreaterThan(s.days.length * 55);
    },
  );
});

describe("a ticker every minute for two days around each clock change", () => {
  const windows = schedules.flatMap((s) =>
    modelOf(s.timeZone).changes.map((change) => [label(s), change.at, s] as const),
  );
  it.each(windows)("fires %s correctly around the change at %s", (_, changeAt, s) => {
    const at = Date.parse(changeAt);
    checkTicker(s, at - DAY, at + DAY, MINUTE);
  });
});

describe("clock-change days, instant by instant", () => {
  const firingOn = (s: DailySchedule, date: string): string | undefined => {
    // A minute-by-minute ticker from a day before UTC midnight of `date` to a day after it.
    const midnight = Date.parse(`${date}T00:00:00Z`);
    const found = runTicker(s, midnight - DAY, midnight + DAY, MINUTE).find((f) => f.date === date);
    return found && new Date(found.at).toISOString();
  };

  it.each([
    // Skipped times fire at the first minute that exists after them: the change itself.
    ["Europe/London", "01:30", "2026-03-29", "2026-03-29T01:00:00.000Z"], // 02:00 BST
    ["America/New_York", "02:30", "2026-03-08", "2026-03-08T07:00:00.000Z"], // 03:00 EDT
    ["Australia/Sydney", "02:30", "2026-10-04", "2026-10-03T16:00:00.000Z"], // 03:00 AEDT
    ["Pacific/Chatham", "03:00", "2026-09-27", "2026-09-26T14:00:00.000Z"], // 03:45 +13:45
    // Repeated times fire once, at their first occurrence.
    ["Europe/London", "01:30", "2026-10-25", "2026-10-25T00:30:00.000Z"], // 01:30 BST
    ["America/New_York", "01:30", "2026-11-01", "2026-11-01T05:30:00.000Z"], // 01:30 EDT
    ["Australia/Sydney", "02:30", "2026-04-05", "2026-04-04T15:30:00.000Z"], // 02:30 AEDT
    ["Pacific/Chatham", "02:50", "2026-04-05", "2026-04-04T13:05:00.000Z"], // 02:50 +13:45
    // Ordinary times on the same days.
    ["Europe/London", "09:00", "2026-03-29", "2026-03-29T08:00:00.000Z"],
    ["Europe/London", "00:00", "2026-10-25", "2026-10-24T23:00:00.000Z"],
    ["Pacific/Chatham", "23:59", "2026-09-27", "2026-09-27T10:14:00.000Z"],
    ["Australia/Sydney", "00:00", "2026-04-05", "2026-04-04T13:00:00.000Z"],
  ])("%s %s on %s fires at %s", async (zone, time, date, expected) => {
    const s = schedule(zone, time, "daily");
    expect(slotOn(s, date)?.toISOString()).toBe(expected);
    expect(firingOn(s, date)).toBe(expected);
  });
});

describe("slotOn, slotContaining, nextSlot and slotsBetween", () => {
  const weekdaysAt9 = schedule("Europe/London", "09:00", "mon-fri");

  it("has no slot on an unselected day", () => {
    expect(slotOn(weekdaysAt9, "2026-11-28")).toBeNull(); // a Saturday
    expect(slotContaining(weekdaysAt9, new Date("2026-11-28T12:00:00Z"))).toBeNull();
  });

  it("gives the slot of today's local date whether it has passed or not", () => {
    const morning = slotContaining(weekdaysAt9, new Date("2026-11-30T06:00:00Z"));
    const evening = slotContaining(weekdaysAt9, new Date("2026-11-30T20:00:00Z"));
    expect(morning).toEqual({ date: "2026-11-30", at: new Date("2026-11-30T09:00:00Z") });
    expect(evening).toEqual(morning);
  });

  it("answers for the schedule's local date, not UTC's", () => {
    const kolkata = schedule("Asia/Kolkata", "09:00", "daily");
    // 20:00 UTC on 30 Nov is 01:30 on 1 Dec in Kolkata.
    expect(slotContaining(kolkata, new Date("2026-11-30T20:00:00Z"))).toEqual({
      date: "2026-12-01",
      at: new Date("2026-12-01T03:30:00Z"),
    });
  });

  it("finds the next slot strictly after an instant, skipping the weekend", () => {
    const friday = new Date("2026-11-27T09:00:00Z");
    expect(nextSlot(weekdaysAt9, new Date(friday.getTime() - 1))).toEqual({ date: "2026-11-27", at: friday });
    expect(nextSlot(weekdaysAt9, friday)).toEqual({ date: "2026-11-30", at: new Date("2026-11-30T09:00:00Z") });
  });

  it("refuses to look for the next slot of a schedule with no days", () => {
    expect(() => nextSlot({ time: "09:00", timeZone: "UTC", days: [] }, new Date(simulationStart))).toThrow();
  });

  it("lists slots from `from` inclusive to `to` exclusive", () => {
    const from = new Date("2026-11-27T09:00:00Z");
    const to = new Date("2026-12-01T09:00:00Z");
    expect(slotsBetween(weekdaysAt9, from, to).map((slot) => slot.date)).toEqual(["2026-11-27", "2026-11-30"]);
    expect(slotsBetween(weekdaysAt9, to, from)).toEqual([]);
    expect(slotsBetween(weekdaysAt9, from, from)).toEqual([]);
  });

  it.each(schedules.map((s) => [label(s), s] as const))(
    "agrees with the ticker and with chained nextSlot over 400 days: %s",
    (_, s) => {
      const listed = slotsBetween(s, new Date(simulationStart), new Date(simulationEnd));
      const expected = expectedFirings(s, simulationStart, simulationEnd - 1).filter((e) => e.at >= simulationStart);
      expect(listed.map((slot) => [slot.date, slot.at.getTime()])).toEqual(expected.map((e) => [e.date, e.at]));
      const chained: Slot[] = [];
      let slot = nextSlot(s, new Date(simulationStart - 1));
      while (slot.at.getTime() < simulationEnd) {
        chained.push(slot);
        slot = nextSlot(s, slot.at);
      }
      expect(chained).toEqual(listed);
    },
  );

  it("never has a slot between an instant and its next slot", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...schedules),
        fc.integer({ min: simulationStart, max: simulationEnd }),
        (s, ms) => {
          const after = new Date(ms);
          const next = nextSlot(s, after);
          expect(next.at.getTime()).toBeGreaterThan(ms);
          expect(slotsBetween(s, new Date(ms + 1), next.at)).toEqual([]);
          expect(slotsBetween(s, new Date(ms + 1), new Date(next.at.getTime() + 1))).toEqual([next]);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("independence from the server's time zone", () => {
  const datesDir = fileURLToPath(new URL("../../../src/core/dates/", import.meta.url));
  const sources = [
    fileURLToPath(new URL("../../../src/core/digest/schedule.ts", import.meta.url)),
    ...readdirSync(datesDir).map((file) => `${datesDir}${file}`),
  ].map((path) => readFileSync(path, "utf8"));

  it("uses no local-time Date methods and no hidden clock", () => {
    const localTimeMethod = /\.(get|set)(FullYear|Month|Date|Day|Hours|Minutes|Seconds)\(|getTimezoneOffset|toLocale/;
    // Date.parse reads a date-time without a zone as local time; new Date() is the hidden clock.
    const hiddenClockOrZone = /Date\.now|new Date\(\)|Date\.parse/;
    for (const source of sources) {
      expect(source).not.toMatch(localTimeMethod);
      expect(source).not.toMatch(hiddenClockOrZone);
    }
  });

  it("computes the same slots in a process whose TZ is Pacific/Kiritimati (UTC+14)", async () => {
    const [from, to] = ["2026-03-01T00:00:00Z", "2026-11-15T00:00:00Z"];
    const here = schedules.map((s) =>
      slotsBetween(s, new Date(from), new Date(to)).map((slot) => `${slot.date} ${slot.at.toISOString()}`),
    );
    const moduleUrl = new URL("../../../src/core/digest/schedule.ts", import.meta.url).href;
    const script = `
      const { slotsBetween } = await import(${JSON.stringify(moduleUrl)});
      const slots = JSON.parse(process.argv[1]).map((s) =>
        slotsBetween(s, new Date("${from}"), new Date("${to}")).map((slot) => slot.date + " " + slot.at.toISOString()));
      console.log(JSON.stringify({ offset: new Date("2026-06-01T00:00:00Z").getTimezoneOffset(), slots }));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script, JSON.stringify(schedules)],
      { env: { ...process.env, TZ: "Pacific/Kiritimati" }, cwd: fileURLToPath(new URL("../../..", import.meta.url)) },
    );
    const child = JSON.parse(stdout) as { offset: number; slots: string[][] };
    expect(child.offset).toBe(-14 * 60); // the child really ran at UTC+14
    expect(child.slots).toEqual(here);
  }, 20_000);
});
