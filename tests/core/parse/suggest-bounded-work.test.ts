import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as distanceModule from "../../../src/core/parse/edit-distance.ts";
import { closest, longestTypo } from "../../../src/core/parse/suggest.ts";
import { replyToText } from "../../../src/core/reply.ts";
import { harness, type Harness } from "../../support/harness.ts";

// Issue 11: a `tz:` of ~6,000 letters cost 0.5 s of edit distance against ~600 zones, an unknown
// 6,000-letter first word ~60 ms. Every "did you mean" goes through the one edit distance; here
// each call is recorded, so the tests count the work done rather than time it.
const calls: Array<{ a: number; b: number; limit: number }> = [];
vi.mock("../../../src/core/parse/edit-distance.ts", async (importOriginal) => {
  const actual = await importOriginal<typeof distanceModule>();
  return {
    editDistance: (a: string, b: string, limit?: number) => {
      calls.push({ a: a.length, b: b.length, limit: limit ?? Number.POSITIVE_INFINITY });
      return actual.editDistance(a, b, limit);
    },
  };
});

/** An upper bound on the table cells the banded distance can fill for these calls. */
const cellsAtMost = () => calls.reduce((sum, c) => sum + Math.min(c.a, c.b) * (2 * Math.min(c.limit, Math.max(c.a, c.b)) + 1), 0);

let h: Harness;
beforeEach(async () => {
  h = harness();
  calls.length = 0;
});
afterEach(() => h.close());

describe("suggestions are bounded work, whatever a member types", () => {
  it("a 5,900-letter tz: is refused without comparing it to any zone, and the reply stays short", async () => {
    const reply = await h.run(`digest on 09:00 tz:${"a".repeat(5900)}`);
    expect(reply.error?.code).toBe("zone.invalid");
    expect(calls).toEqual([]);
    expect(replyToText(reply).length).toBeLessThan(400);
  });

  it("an unknown 5,900-letter first word gets no suggestion and no comparisons", async () => {
    const reply = await h.run(`${"x".repeat(5900)} something`);
    expect(reply.error?.code).toBe("command.unknown");
    expect(calls).toEqual([]);
  });

  it("a near-miss zone is still suggested, comparing only short words with a small limit", async () => {
    expect(await h.text("digest on 09:00 tz:Europe/Londn")).toContain("did you mean Europe/London?");
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) {
      expect(Math.max(c.a, c.b)).toBeLessThanOrEqual(longestTypo);
      expect(c.limit).toBeLessThanOrEqual(3);
    }
    // ~600 zones, each compared by full name and by city, in a band of at most 7 cells a row.
    expect(cellsAtMost()).toBeLessThan(2 * 700 * 12 * 7);
  });

  it("a mistyped command is still suggested, with every comparison limited by the word's length", async () => {
    expect(await h.text("aks What?")).toContain("Did you mean ask?");
    for (const c of calls) expect(c.limit).toBe(1);
  });

  it("a word longer than any candidate by far is never compared", async () => {
    expect(closest("q".repeat(longestTypo + 1), ["ask", "answer"])).toBeUndefined();
    expect(calls).toEqual([]);
  });
});

describe("the banded edit distance", () => {
  const unbanded = (a: string, b: string) => distanceModule.editDistance(a, b);

  it("counts a swap of neighbouring letters as one edit", async () => {
    expect(distanceModule.editDistance("aks", "ask")).toBe(1);
    expect(distanceModule.editDistance("londno", "london", 1)).toBe(1);
  });

  it("agrees with the full distance up to its limit, and says limit + 1 beyond it", async () => {
    const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "d"), maxLength: 12 });
    fc.assert(
      fc.property(word, word, fc.integer({ min: 0, max: 6 }), (a, b, limit) => {
        const full = unbanded(a, b);
        expect(distanceModule.editDistance(a, b, limit)).toBe(full <= limit ? full : limit + 1);
      }),
      { numRuns: 2000 },
    );
  });
});
