import { describe, expect, it } from "vitest";
import { todayIn } from "../../../src/core/dates/wall-clock.ts";
import { offsetAt, steadyOffsetAt } from "../../../src/core/dates/zones.ts";

// The offset kept per UTC day must be the offset Intl gives, on days the clocks change above all.

describe("a zone's offset kept per day", () => {
  it("agrees with Intl at every instant sampled over three years, in zones with odd offsets and half-hour changes", () => {
    const zones = ["Europe/London", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "America/Santiago"];
    const from = Date.UTC(2025, 0, 1);
    const to = Date.UTC(2028, 0, 1);
    const step = 97 * 60_000;
    const wrong: string[] = [];
    for (const zone of zones)
      for (let ms = from; ms < to; ms += step) if (steadyOffsetAt(zone, ms) !== offsetAt(zone, ms)) wrong.push(`${zone} ${new Date(ms).toISOString()}`);
    expect(wrong).toEqual([]);
  });

  it("reads the day right either side of a change, asked in either order", () => {
    expect(todayIn(new Date("2026-03-29T23:30:00Z"), "Europe/London")).toBe("2026-03-30");
    expect(todayIn(new Date("2026-03-29T00:30:00Z"), "Europe/London")).toBe("2026-03-29");
    expect(todayIn(new Date("2026-10-24T23:30:00Z"), "Europe/London")).toBe("2026-10-25");
    expect(todayIn(new Date("2026-10-25T23:30:00Z"), "Europe/London")).toBe("2026-10-25");
    expect(todayIn(new Date("2026-11-01T04:30:00Z"), "America/New_York")).toBe("2026-11-01");
    expect(todayIn(new Date("2026-11-01T03:30:00Z"), "America/New_York")).toBe("2026-10-31");
  });
});
