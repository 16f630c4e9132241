import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { harness, type Harness } from "../../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = harness({ now: "2026-11-29T10:00:00Z" });
});
afterEach(() => h.close());

const report = async () => (await h.ok("export md")).file!.content;

describe("the md report reads true on any later day it is opened", () => {
  it("gives dates instead of 'asked today' or 'in 52 days', and heads questions without an addressee in words", async () => {
    await h.ok("deadline add WCIT opens 2027-01-20");
    await h.ok("ask Who chairs it? by:D1");
    const text = await report();
    expect(text).not.toMatch(/asked today|in \d+ days|days before|tomorrow/);
    expect(text).toContain("_(asked 29 Nov 2026; needed by D1 WCIT opens \\(20 Jan 2027\\))_");
    expect(text).toContain("### No addressee named yet");
    expect(text).not.toContain("Asked of No addressee named");
  });

  it("lists a partly answered question's partial answer with its source", async () => {
    await h.ok("ask Who may attend? to:ITU");
    await h.ok("answer Q1 Observers only source:https://itu.int/rules partial:yes");
    expect(await report()).toContain("- **Q1** Who may attend? _(asked 29 Nov 2026; partly answered)_\n  - Partly: Observers only. Source: <https://itu.int/rules> (logged by alice, 29 Nov 2026)");
  });
});

describe("rename names the docket its reports are titled with", () => {
  it("an admin renames the docket and the report's title follows, with one audit row", async () => {
    await h.ok("ask Who may attend?");
    expect((await report()).split("\n")[0]).toBe("# Coalition T1: open questions");
    expect((await h.ok('rename "WCIT-12 coalition"')).heading).toBe("This docket is now called WCIT-12 coalition");
    expect((await report()).split("\n")[0]).toBe("# WCIT\\-12 coalition: open questions");
  });

  it("a member who is not an admin cannot rename, and nothing changes", async () => {
    await h.ok("ask Who may attend?");
    const before = h.snapshot();
    const reply = await h.run("rename Mine now", { id: "bob", isPlatformAdmin: false });
    expect(reply.error).toBeDefined();
    expect(h.snapshot()).toEqual(before);
  });

  it("renaming to the same name is refused and records nothing", async () => {
    await h.ok('rename "WCIT-12 coalition"');
    const before = h.snapshot();
    expect((await h.run('rename "WCIT-12 coalition"')).error?.code).toBe("docket.same_name");
    expect(h.snapshot()).toEqual(before);
  });
});
