import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replyToText, type Reply } from "../../../src/core/reply.ts";
import { harness, type Harness } from "../../support/harness.ts";

// alice is a workspace admin (Slack admin/owner); bob and carol are ordinary members.
type Who = NonNullable<Parameters<Harness["run"]>[1]>;
const alice: Who = { id: "alice", displayName: "Alice" };
const bob: Who = { id: "U2", displayName: "Bob", isPlatformAdmin: false };
const carol: Who = { id: "U3", displayName: "Carol", isPlatformAdmin: false, roleIds: ["123"] };

let h: Harness;
beforeEach(() => {
  h = harness();
  ok("ask What does ITU membership cost? to:ITU", alice);
  ok("deadline add WCIT-12 opens 2026-12-03", alice);
  ok("digest on", alice);
});
afterEach(() => h.close());

const ok = (text: string, who?: Parameters<Harness["run"]>[1]): Reply => h.ok(text, who);

/** Runs a command that must be refused for lack of rights, and checks nothing changed. */
function refused(text: string, who: Who, code = "permission.admin"): string {
  const before = h.snapshot();
  const reply = h.run(text, who);
  expect(reply.error?.code, `${text} → ${replyToText(reply)}`).toBe(code);
  expect(h.snapshot()).toEqual(before);
  return replyToText(reply);
}

const status = (number: number) => (h.db.prepare("SELECT status FROM questions WHERE number = ?").get(number) as { status: string }).status;

describe("an ordinary member", () => {
  it("may ask, answer, note, reopen, list and show", () => {
    expect(ok("ask Will plenary be webcast?", bob).heading).toBe("Added Q2");
    ok("answer Q1 CHF 10,600", bob);
    expect(status(1)).toBe("answered");
    ok("note Q1 Confirmed at the briefing", bob);
    ok("reopen Q1 Only covers sector members", bob);
    expect(status(1)).toBe("open");
    expect(ok("list", bob).heading).toBe("2 open questions");
    expect(ok("show Q1", bob).heading).toBe("Q1 · open");
  });

  it("may search, export, see the deadlines, the digest status and the admin list", () => {
    ok("search membership", bob);
    expect(ok("export csv", bob).file?.name).toMatch(/\.csv$/);
    ok("deadline list", bob);
    ok("digest status", bob);
    ok("digest preview", bob);
    ok("admin list", bob);
    ok("help", bob);
  });

  it("may edit and withdraw their own question", () => {
    ok("ask Will plenary be webcast?", bob);
    ok('edit Q2 "Will all plenary sessions be webcast?" to:Secretariat', bob);
    ok("withdraw Q2 Answered on the website", bob);
    expect(status(2)).toBe("withdrawn");
  });

  it("may not edit or withdraw someone else's question, and is told who can", () => {
    expect(refused("edit Q1 to:Secretariat", bob, "permission.asker")).toBe("Only whoever asked Q1, or an admin, can edit it.");
    expect(refused("withdraw Q1 Not needed", bob, "permission.asker")).toBe("Only whoever asked Q1, or an admin, can withdraw it.");
  });

  it("a workspace admin may edit and withdraw a member's question", () => {
    ok("ask Will plenary be webcast?", bob);
    ok("edit Q2 to:Secretariat", alice);
    ok("withdraw Q2 Duplicate of Q1", alice);
    expect(status(2)).toBe("withdrawn");
  });

  it.each([
    ["deadline add Comments due 2026-12-10", "Only an admin of this docket can use /docket deadline add; /docket admin list shows who can."],
    ["deadline edit D1 date:2026-12-04", undefined],
    ["deadline remove D1", undefined],
    ["digest on 08:00", "Only an admin of this docket can use /docket digest on; /docket admin list shows who can."],
    ["digest off", undefined],
    ["admin add <@U2>", undefined],
    ["admin remove <@U9>", undefined],
  ])("may not %s (permission.admin, nothing changed)", (command, message) => {
    const text = refused(command, bob);
    if (message) expect(text).toBe(message);
    expect(text).toMatch(/^Only an admin of this docket can use \/docket .*; \/docket admin list shows who can\.$/);
  });

  it("is refused for rights before the input is checked, so a bad admin command says the same", () => {
    refused("deadline add X 2012-13-45", bob);
  });

  it("is refused on a fresh workspace too, which stays without a docket", () => {
    const before = h.snapshot();
    expect(h.run("deadline add X 2026-12-10", { ...bob, workspace: "T9" }).error?.code).toBe("permission.admin");
    expect(h.snapshot()).toEqual(before);
  });
});

describe("the docket's own admin list", () => {
  it("a member on the list may manage deadlines, digests and admins, and edit others' questions", () => {
    ok("admin add <@U2|bob>", alice);
    ok("deadline add Comments due 2026-12-10", bob);
    ok("deadline edit D2 date:2026-12-11", bob);
    ok("deadline remove D2", bob);
    ok("digest on 08:00", bob);
    ok("digest off", bob);
    ok("edit Q1 to:Secretariat", bob);
    ok("withdraw Q1 Superseded", bob);
    ok("admin add <@&123>", bob);
    expect(h.db.prepare("SELECT count(*) AS n FROM admins").get()).toEqual({ n: 2 });
  });

  it("a member holding a listed role may manage deadlines", () => {
    refused("deadline add Comments due 2026-12-10", carol);
    ok("admin add <@&123>", alice);
    ok("deadline add Comments due 2026-12-10", carol);
    refused("deadline add Other 2026-12-11", { ...carol, roleIds: ["456"] });
  });

  it("a Slack user group on the list counts as a role", () => {
    ok("admin add <!subteam^S1|@organisers>", alice);
    ok("deadline add Comments due 2026-12-10", { ...bob, roleIds: ["S1"] });
  });

  it("removing a member from the list takes the rights away", () => {
    ok("admin add <@U2>", alice);
    ok("deadline add Comments due 2026-12-10", bob);
    ok("admin remove <@U2>", alice);
    refused("deadline add Other 2026-12-11", bob);
    refused("edit Q1 to:Secretariat", bob, "permission.asker");
  });

  it("removing a role from the list takes the rights away", () => {
    ok("admin add <@&123>", alice);
    ok("admin remove <@&123>", alice);
    refused("deadline add Comments due 2026-12-10", carol);
  });

  it("a listed member may take themselves off the list, and then has no rights", () => {
    ok("admin add <@U2>", alice);
    ok("admin remove <@U2>", bob);
    refused("admin add <@U2>", bob);
  });

  it("a member listed on another platform is not an admin here", () => {
    ok("admin add <@U2>", alice);
    const reply = h.runAs(
      { workspace: { platform: "discord", id: "T1", name: "Coalition T1" }, channel: { id: "C1" }, actor: { id: "U2", displayName: "Bob", role: { isPlatformAdmin: false, roleIds: [] } } },
      "deadline add Comments due 2026-12-10",
    );
    expect(reply.error?.code).toBe("permission.admin");
  });
});
