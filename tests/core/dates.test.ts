import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, daysBetween, weekdayOf } from "../../src/core/dates/calendar.ts";
import { formatDate, formatDateLong, formatDays, formatInstant } from "../../src/core/dates/format.ts";
import { parseDate } from "../../src/core/dates/read-date.ts";
import { parseDays } from "../../src/core/dates/read-days.ts";
import { parseTime } from "../../src/core/dates/read-time.ts";
import { localInstant, localParts, todayIn } from "../../src/core/dates/wall-clock.ts";
import { parseZone } from "../../src/core/dates/zones.ts";
import { UserError } from "../../src/core/errors.ts";
import { weekdays, type Weekday } from "../../src/core/types.ts";

/** The UserError a call throws, so tests can check its code and message. */
function userErrorOf(call: () => unknown): UserError {
  try {
    call();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error("expected a UserError, but nothing was thrown");
}

// Sunday 29 Nov 2026, midday in London.
const now = new Date("2026-11-29T12:00:00Z");
const london = { now, zone: "Europe/London" };

describe("parseZone", () => {
  it.each([
    ["Europe/London", "Europe/London"],
    ["europe/london", "Europe/London"],
    ["  AMERICA/NEW_YORK ", "America/New_York"],
    ["UTC", "UTC"],
    ["utc", "UTC"],
    ["Etc/UTC", "UTC"],
    ["pacific/chatham", "Pacific/Chatham"],
    ["america/port-au-prince", "America/Port-au-Prince"],
    ["asia/kolkata", "Asia/Kolkata"],
    ["Asia/Calcutta", "Asia/Kolkata"],
    ["Europe/Kiev", "Europe/Kyiv"],
    ["US/Pacific", "America/Los_Angeles"],
  ])("reads %j as %s", async (input, zone) => {
    expect(parseZone(input)).toBe(zone);
  });

  it("suggests the closest real zone for a misspelling", () => {
    const error = userErrorOf(() => parseZone("Europe/Londn"));
    expect(error.code).toBe("zone.invalid");
    expect(error.message).toBe(
      '"Europe/Londn" is not a time zone I know: did you mean Europe/London? ' +
        "Write a time zone like Europe/London, America/New_York or UTC.",
    );
  });

  it("suggests the zone of a bare city name", () => {
    expect(userErrorOf(() => parseZone("new york")).message).toContain("did you mean America/New_York?");
    expect(userErrorOf(() => parseZone("Sidney")).message).toContain("did you mean Australia/Sydney?");
  });

  it("refuses abbreviations, which ICU would map to surprising zones (BST → Dhaka)", () => {
    for (const input of ["BST", "EST", "pst", "IST"]) {
      const error = userErrorOf(() => parseZone(input));
      expect(error.code).toBe("zone.invalid");
      expect(error.message).toContain("abbreviation");
    }
  });

  it("gives only the example when nothing is close", () => {
    const error = userErrorOf(() => parseZone("Mars/Olympus_Mons"));
    expect(error.code).toBe("zone.invalid");
    expect(error.message).not.toContain("did you mean");
    expect(error.message).toContain("Europe/London");
  });

  it("knows every modern spelling it maps old ICU names to", () => {
    for (const zone of ["Asia/Kolkata", "Europe/Kyiv", "America/Nuuk", "Pacific/Kanton", "Asia/Yangon"]) {
      expect(() => new Intl.DateTimeFormat("en", { timeZone: zone })).not.toThrow();
      expect(parseZone(zone.toLowerCase())).toBe(zone);
    }
  });
});

describe("calendar arithmetic", () => {
  it("counts calendar days in either direction, across DST and leap days", () => {
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2);
    expect(daysBetween("2026-03-30", "2026-03-28")).toBe(-2);
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween("2026-12-31", "2027-01-01")).toBe(1);
  });

  it("adds days across month and year ends", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addDays("2026-10-25", 0)).toBe("2026-10-25");
  });

  it("addDays and daysBetween undo each other", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 * 366 }), fc.integer({ min: -5000, max: 5000 }), (start, n) => {
        const date = addDays("1900-01-01", start);
        expect(daysBetween(date, addDays(date, n))).toBe(n);
      }),
    );
  });

  it("names weekdays", () => {
    expect(weekdayOf("2012-12-03")).toBe("mon");
    expect(weekdayOf("2026-11-29")).toBe("sun");
    expect(weekdayOf("2024-02-29")).toBe("thu");
  });

  it("formats dates short and long", () => {
    expect(formatDate("2012-12-03")).toBe("3 Dec 2012");
    expect(formatDate("2026-09-10")).toBe("10 Sep 2026");
    expect(formatDateLong("2012-12-03")).toBe("Monday 3 December 2012");
  });

  it("treats a malformed LocalDate as a bug, not a user error", () => {
    expect(() => addDays("2026-02-30", 1)).toThrow(Error);
    expect(() => addDays("2026-02-30", 1)).not.toThrow(UserError);
  });
});

describe("parseDate", () => {
  it.each([
    ["2026-12-03", "2026-12-03"],
    ["3 Dec 2026", "2026-12-03"],
    ["3 December 2026", "2026-12-03"],
    ["Dec 3 2026", "2026-12-03"],
    ["Dec 3, 2026", "2026-12-03"],
    ["December 3rd, 2026", "2026-12-03"],
    ["3rd of December 2026", "2026-12-03"],
    ["  DEC    3  ", "2026-12-03"],
    ["3 Dec", "2026-12-03"],
    ["Dec 3", "2026-12-03"],
    ["29 Nov", "2026-11-29"],
    ["28 Nov", "2027-11-28"],
    ["29 Feb", "2028-02-29"],
    ["today", "2026-11-29"],
    ["Tomorrow", "2026-11-30"],
    ["in 3 days", "2026-12-02"],
    ["in 2 weeks", "2026-12-13"],
    ["in 1 month", "2026-12-29"],
    ["in a week", "2026-12-06"],
    ["monday", "2026-11-30"],
    ["mon", "2026-11-30"],
    ["next monday", "2026-11-30"],
    ["sunday", "2026-12-06"],
    ["Thurs", "2026-12-03"],
    ["13/12/2026", "2026-12-13"],
    ["12/13/2026", "2026-12-13"],
    ["5/5/2027", "2027-05-05"],
    ["Thursday 3 December 2026", "2026-12-03"],
  ])("reads %j as %s (today being Sun 29 Nov 2026 in London)", async (input, date) => {
    expect(parseDate(input, london)).toBe(date);
  });

  it("reads relative forms from today in the given zone, not in UTC", () => {
    // 29 Nov 2026 12:00 UTC is already 30 Nov in Auckland and Kiritimati.
    expect(parseDate("today", { now, zone: "Pacific/Auckland" })).toBe("2026-11-30");
    expect(parseDate("tomorrow", { now: new Date("2026-11-29T23:30:00Z"), zone: "America/New_York" })).toBe(
      "2026-11-30",
    );
    expect(parseDate("3 Dec", { now: new Date("2026-12-03T06:00:00Z"), zone: "America/Los_Angeles" })).toBe(
      "2026-12-03",
    );
  });

  it("clamps a month ahead to the end of a shorter month", () => {
    expect(parseDate("in 1 month", { now: new Date("2027-01-31T12:00:00Z"), zone: "UTC" })).toBe("2027-02-28");
  });

  it("says both readings of an ambiguous numeric date", () => {
    const error = userErrorOf(() => parseDate("3/12/2012", { ...london, allowPast: true }));
    expect(error.code).toBe("date.ambiguous");
    expect(error.message).toBe(
      '"3/12/2012" could be 3 Dec 2012 or 12 Mar 2012: write 2012-12-03 or 2012-03-12 instead.',
    );
  });

  it.each([
    ["2012-02-30", "February 2012 has only 29 days"],
    ["2026-02-29", "February 2026 has only 28 days"],
    ["2012-13-45", "there is no month 13"],
    ["2012-04-00", "there is no day 0"],
    ["31 Apr", "April 2027 has only 30 days"],
    ["31/2/2027", "February 2027 has only 28 days"],
    ["13/13/2027", "neither 13 nor 13 can be a month"],
    ["Tue 3 Dec 2026", "3 Dec 2026 is a Thursday, not a Tuesday"],
  ])("refuses the impossible date %j: %s", async (input, problem) => {
    const error = userErrorOf(() => parseDate(input, { ...london, allowPast: true }));
    expect(error.code).toBe("date.invalid");
    expect(error.message).toContain(`"${input}" is not a date: ${problem}.`);
    // The examples are two weeks from the docket's today (29 Nov 2026), never a fixed, aging date.
    expect(error.message).toContain("2026-12-13");
  });

  it("quotes the input back with examples when it is not a date at all", () => {
    const error = userErrorOf(() => parseDate("soonish", london));
    expect(error.code).toBe("date.invalid");
    expect(error.message).toBe(
      '"soonish" is not a date I understand. Write a date like 2026-12-13, 13 Dec 2026, tomorrow, friday or "in 2 weeks".',
    );
  });

  it("refuses a past date, saying what it understood and what today is", () => {
    const error = userErrorOf(() => parseDate("3 Dec 2012", london));
    expect(error.code).toBe("date.past");
    expect(error.message).toBe(
      '3 Dec 2012 is in the past (today is 29 Nov 2026): write today or a later date, like 13 Dec 2026 or "in 2 weeks".',
    );
    expect(userErrorOf(() => parseDate("yesterday", london)).message).toMatch(
      /^"yesterday" is 28 Nov 2026, which is in the past \(today is 29 Nov 2026\)/,
    );
  });

  it("accepts past dates when asked to", () => {
    expect(parseDate("3 Dec 2012", { ...london, allowPast: true })).toBe("2012-12-03");
    expect(parseDate("yesterday", { ...london, allowPast: true })).toBe("2026-11-28");
  });

  it("reads back every date it formats, short or long", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 * 366 }), (n) => {
        const date = addDays("1950-01-01", n);
        const opts = { ...london, allowPast: true };
        expect(parseDate(formatDate(date), opts)).toBe(date);
        expect(parseDate(formatDateLong(date), opts)).toBe(date);
        expect(parseDate(date, opts)).toBe(date);
      }),
    );
  });
});

describe("parseTime", () => {
  it.each([
    ["9:00", "09:00"],
    ["09:00", "09:00"],
    ["21:30", "21:30"],
    ["0:05", "00:05"],
    ["9am", "09:00"],
    ["9 AM", "09:00"],
    ["9:30 pm", "21:30"],
    ["9.30pm", "21:30"],
    ["9 p.m.", "21:00"],
    ["12am", "00:00"],
    ["12pm", "12:00"],
    ["noon", "12:00"],
    ["midnight", "00:00"],
  ])("reads %j as %s", async (input, time) => {
    expect(parseTime(input)).toBe(time);
  });

  it.each([
    ["25:00", "there is no hour 25"],
    ["9:75", "there is no minute 75"],
    ["13pm", "13pm is not an hour on a 12-hour clock"],
  ])("refuses %j: %s", async (input, problem) => {
    const error = userErrorOf(() => parseTime(input));
    expect(error.code).toBe("time.invalid");
    expect(error.message).toBe(`"${input}" is not a time: ${problem}. Write a time like 09:00, 21:30, 9am or 9:30pm.`);
  });

  it("refuses a bare number, which could be morning or evening", () => {
    expect(userErrorOf(() => parseTime("9")).code).toBe("time.invalid");
    expect(userErrorOf(() => parseTime("teatime")).message).toContain("09:00");
  });
});

describe("parseDays and formatDays", () => {
  it.each([
    ["mon-fri", ["mon", "tue", "wed", "thu", "fri"]],
    ["Mon – Fri", ["mon", "tue", "wed", "thu", "fri"]],
    ["mon to fri", ["mon", "tue", "wed", "thu", "fri"]],
    ["mon,wed,fri", ["mon", "wed", "fri"]],
    ["fri, mon, wed, mon", ["mon", "wed", "fri"]],
    ["sat-sun", ["sat", "sun"]],
    ["daily", [...weekdays]],
    ["every day", [...weekdays]],
    ["all", [...weekdays]],
    ["weekdays", ["mon", "tue", "wed", "thu", "fri"]],
    ["weekends", ["sat", "sun"]],
    ["Monday, Wednesday and Friday", ["mon", "wed", "fri"]],
    ["fri-mon", ["mon", "fri", "sat", "sun"]],
    ["sun-sun", ["sun"]],
    ["weekends, tue", ["tue", "sat", "sun"]],
  ])("reads %j in Monday-to-Sunday order", async (input, days) => {
    expect(parseDays(input)).toEqual(days);
  });

  it.each(["mon-fry", "", "mon-wed-fri", "soon"])("refuses %j", (input) => {
    const error = userErrorOf(() => parseDays(input));
    expect(error.code).toBe("days.invalid");
    expect(error.message).toContain("mon-fri");
  });

  it("names the part that is not a day", () => {
    expect(userErrorOf(() => parseDays("mon-fry")).message).toBe(
      '"mon-fry" is not a list of days: "fry" is not a day of the week. ' +
        "Write days like mon-fri, mon,wed,fri, weekdays, weekends or daily.",
    );
  });

  it("formats runs with a dash and the rest as a list", () => {
    expect(formatDays(weekdays)).toBe("every day");
    expect(formatDays(["mon", "tue", "wed", "thu", "fri"])).toBe("Mon–Fri");
    expect(formatDays(["mon", "wed", "fri"])).toBe("Mon, Wed, Fri");
    expect(formatDays(["sat", "sun"])).toBe("Sat, Sun");
    expect(formatDays(["mon", "tue", "wed", "sat"])).toBe("Mon–Wed, Sat");
    expect(formatDays([])).toBe("no days");
  });

  it("reads back whatever it formats", () => {
    fc.assert(
      fc.property(fc.subarray([...weekdays], { minLength: 1 }), (days: Weekday[]) => {
        expect(parseDays(formatDays(days))).toEqual(days);
      }),
    );
  });
});

describe("local wall clocks", () => {
  it("finds today and the wall clock in the zone, not in UTC", () => {
    const at = new Date("2026-11-29T23:30:00Z");
    expect(todayIn(at, "UTC")).toBe("2026-11-29");
    expect(todayIn(at, "Asia/Kolkata")).toBe("2026-11-30");
    expect(localParts(at, "Asia/Kolkata")).toEqual({ date: "2026-11-30", time: "05:00", weekday: "mon" });
    expect(localParts(at, "Pacific/Chatham")).toEqual({ date: "2026-11-30", time: "13:15", weekday: "mon" });
    expect(localParts(at, "America/New_York")).toEqual({ date: "2026-11-29", time: "18:30", weekday: "sun" });
  });

  it("formats an instant with the zone's short name, or its offset when it has none", () => {
    expect(formatInstant(new Date("2026-12-01T09:00:00Z"), "Europe/London")).toBe("Tue 1 Dec 2026, 09:00 GMT");
    expect(formatInstant(new Date("2026-07-01T09:00:00Z"), "Europe/London")).toBe("Wed 1 Jul 2026, 10:00 BST");
    expect(formatInstant(new Date("2026-12-01T09:00:00Z"), "America/New_York")).toBe("Tue 1 Dec 2026, 04:00 EST");
    expect(formatInstant(new Date("2026-12-01T09:00:00Z"), "Asia/Tokyo")).toBe("Tue 1 Dec 2026, 18:00 GMT+9");
    expect(formatInstant(new Date("2026-12-01T09:00:00Z"), "UTC")).toBe("Tue 1 Dec 2026, 09:00 UTC");
  });
});

describe("localInstant", () => {
  const instant = (date: string, time: string, zone: string): string =>
    localInstant(date, time, zone).toISOString();

  it("turns an ordinary wall-clock time into its instant", () => {
    expect(instant("2026-12-01", "09:00", "Europe/London")).toBe("2026-12-01T09:00:00.000Z");
    expect(instant("2026-07-01", "09:00", "Europe/London")).toBe("2026-07-01T08:00:00.000Z");
    expect(instant("2026-07-01", "09:00", "Asia/Kolkata")).toBe("2026-07-01T03:30:00.000Z");
    expect(instant("2026-07-01", "00:00", "Pacific/Chatham")).toBe("2026-06-30T11:15:00.000Z");
  });

  // A skipped time fires at the first wall-clock minute that exists after it: the moment of the change.
  it.each([
    ["2026-03-29", "01:30", "Europe/London", "2026-03-29T01:00:00.000Z"], // 02:00 BST
    ["2026-03-29", "01:00", "Europe/London", "2026-03-29T01:00:00.000Z"],
    ["2026-03-29", "01:59", "Europe/London", "2026-03-29T01:00:00.000Z"],
    ["2026-03-08", "02:30", "America/New_York", "2026-03-08T07:00:00.000Z"], // 03:00 EDT
    ["2026-10-04", "02:30", "Australia/Sydney", "2026-10-03T16:00:00.000Z"], // 03:00 AEDT
    ["2026-09-27", "03:00", "Pacific/Chatham", "2026-09-26T14:00:00.000Z"], // 03:45 +13:45
    ["2026-09-27", "02:45", "Pacific/Chatham", "2026-09-26T14:00:00.000Z"],
    ["2026-10-04", "02:15", "Australia/Lord_Howe", "2026-10-03T15:30:00.000Z"], // 02:30 +11
    ["2011-12-30", "09:00", "Pacific/Apia", "2011-12-30T10:00:00.000Z"], // the day Samoa skipped
  ])("moves %s %s in %s, skipped by the clocks, to the change at %s", async (date, time, zone, expected) => {
    expect(instant(date, time, zone)).toBe(expected);
  });

  it.each([
    ["2026-03-29", "02:00", "Europe/London", "2026-03-29T01:00:00.000Z"],
    ["2026-03-29", "00:59", "Europe/London", "2026-03-29T00:59:00.000Z"],
    ["2026-09-27", "03:45", "Pacific/Chatham", "2026-09-26T14:00:00.000Z"],
    ["2026-09-27", "02:44", "Pacific/Chatham", "2026-09-26T13:59:00.000Z"],
  ])("leaves %s %s in %s, just outside the gap, alone (%s)", async (date, time, zone, expected) => {
    expect(instant(date, time, zone)).toBe(expected);
  });

  // A repeated time fires at its first occurrence, still on summer time.
  it.each([
    ["2026-10-25", "01:30", "Europe/London", "2026-10-25T00:30:00.000Z"], // BST, not GMT's 01:30Z
    ["2026-11-01", "01:30", "America/New_York", "2026-11-01T05:30:00.000Z"], // EDT, not EST's 06:30Z
    ["2026-04-05", "02:30", "Australia/Sydney", "2026-04-04T15:30:00.000Z"], // AEDT, not AEST's 16:30Z
    ["2026-04-05", "02:50", "Pacific/Chatham", "2026-04-04T13:05:00.000Z"], // +13:45, not +12:45's 14:05Z
    ["2026-04-05", "01:45", "Australia/Lord_Howe", "2026-04-04T14:45:00.000Z"], // +11, not +10:30's 15:15Z
  ])("takes the first of the two %s %s in %s (%s)", async (date, time, zone, expected) => {
    expect(instant(date, time, zone)).toBe(expected);
  });

  const zones = [
    "Europe/London", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe",
    "Pacific/Chatham", "Asia/Kolkata", "America/Santiago", "Pacific/Apia", "UTC",
  ];

  it("always lands on the earliest instant whose wall clock has reached the time that day", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 12 * 366 }),
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
        fc.constantFrom(...zones),
        (dayNumber, minuteOfDay, zone) => {
          const date = addDays("2020-01-01", dayNumber);
          const time = `${String(Math.floor(minuteOfDay / 60)).padStart(2, "0")}:${String(minuteOfDay % 60).padStart(2, "0")}`;
          const at = localInstant(date, time, zone);
          const here = localParts(at, zone);
          const minuteBefore = localParts(new Date(at.getTime() - 60_000), zone);
          // It reads `time` (or, in a gap, a later minute of the same day)…
          expect(here.date).toBe(date);
          expect(here.time >= time).toBe(true);
          // …and a minute earlier the wall clock had not yet reached it: this is the first such instant.
          expect(minuteBefore.date < date || minuteBefore.time < time).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
