import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replyToText } from "../../../src/core/reply.ts";
import { harness, type Harness } from "../../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = harness();
});
afterEach(() => h.close());

describe("show's history is told in words", () => {
  it("an edit of the needed-by, addressee and tags shows no JSON and no field names", async () => {
    await h.ok("deadline add WCIT-12 opens 2026-12-03");
    await h.ok("ask What does membership cost? to:ITU by:D1 #fees");
    const edited = await h.ok("edit Q1 by:2026-12-20 to:none");
    expect(replyToText(edited)).toContain("Changed the addressee and what it is needed by.");
    const text = replyToText(await h.ok("show Q1"));
    expect(text).toContain("The addressee changed from ITU to nothing; what it is needed by changed from D1 WCIT-12 opens (3 Dec 2026) to 20 Dec 2026");
    expect(text).not.toMatch(/[{}]|neededBy|"kind"|deadlineNumber/);
  });

  it("reopen and withdraw say the status before and after, and why", async () => {
    await h.ok("ask Who may attend?");
    await h.ok("answer Q1 Observers partial:yes");
    await h.ok("withdraw Q1 Superseded by Q9");
    const text = replyToText(await h.ok("show Q1"));
    expect(text).toContain("withdrawn by alice");
    expect(text).toContain("was partly answered, now withdrawn · reason: Superseded by Q9");
  });
});
