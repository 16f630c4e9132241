import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replyToText, type Reply } from "../../../src/core/reply.ts";
import { harness, type Harness } from "../../support/harness.ts";

// alice is a workspace admin (Slack admin/owner); bob and carol are ordinary members.
type Who = NonNullable<Parameters<Harness["run"]>[1]>;
const alice: Who = { id: "alice", displayName: "Alice" };
const bob: Who = { id: "U2", displayName: "Bob", isPlatformAdmin: false };
const carol: Who = { id: "U3", displayName: "Carol", isPlatformAdmin: false, roleIds: ["123"] };

let h: Harness;
beforeEach(async () => {
  h = harness();
  await ok("ask What does ITU membership cost? to:ITU", alice);
  await ok("deadline add WCIT-12 opens 2026-12-03", alice);
  await ok("digest on", alice);
});
afterEach(() => h.close());

const ok = async (text: string, who?: Parameters<Harness["run"]>[1]): Promise<Reply> => await h.ok(text, who);

/** Runs a command that must be refused for lack of rights, and checks nothing changed. */
async function refused(text: string, who: Who, code = "permission.admin"): Promise<string> {
  const before = h.snapshot();
  const reply = await h.run(text, who);
  expect(reply.error?.code, `${text} → ${replyToText(reply)}`).toBe(code);
  expect(h.snapshot()).toEqual(before);
  return replyToText(reply);
}

const status = (number: number) => (h.db.prepare("SELECT status FROM questions WHERE number = ?").get(number) as { status: string }).status;

describe("an ordinary member", () => {
  it("may ask, answer, note, reopen, list and show", async () => {
    expect((await ok("ask Will plenary be webcast?", bob)).heading).toBe("Added Q2");
    await ok("answer Q1 CHF 10,600", bob);
    expect(status(1)).toBe("answered");
    await ok("note Q1 Confirmed at the briefing", bob);
    await ok("reopen Q1 Only covers sector members", bob);
    expect(status(1)).toBe("open");
    expect((await ok("list", bob)).heading).toBe("2 open questions");
    expect((await ok("show Q1", bob)).heading).toBe("Q1 · open");
  });

  it("may search, export, see the deadlines, the digest status and the admin list", async () => {
    await ok("search membership", bob);
    expect((await ok("export csv", bob)).file?.name).toMatch(/\.csv$/);
    await ok("deadline list", bob);
    await ok("digest status", bob);
    await ok("digest preview", bob);
    await ok("admin list", bob);
    await ok("help", bob);
  });

  it("may edit and withdraw their own question", async () => {
    await ok("ask Will plenary be webcast?", bob);
    await ok('edit Q2 "Will all plenary sessions be webcast?" to:Secretariat', bob);
    await ok("withdraw Q2 Answered on the website", bob);
    expect(status(2)).toBe("withdrawn");
  });

  it("may not edit or withdraw someone else's question, and is told who can", async () => {
    expect(await refused("edit Q1 to:Secretariat", bob, "permission.asker")).toBe("Only whoever asked Q1, or an admin, can edit it.");
    expect(await refused("withdraw Q1 Not needed", bob, "permission.asker")).toBe("Only whoever asked Q1, or an admin, can withdraw it.");
  });

  it("a workspace admin may edit and withdraw a member's question", async () => {
    await ok("ask Will plenary be webcast?", bob);
    await ok("edit Q2 to:Secretariat", alice);
    await ok("withdraw Q2 Duplicate of Q1", alice);
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
  ])("may not %s (permission.admin, nothing changed)", async (command, message) => {
    const text = await refused(command, bob);
    if (message) expect(text).toBe(message);
    expect(text).toMatch(/^Only an admin of this docket can use \/docket .*; \/docket admin list shows who can\.$/);
  });

  it("is refused for rights before the input is checked, so a bad admin command says the same", async () => {
    await refused("deadline add X 2012-13-45", bob);
  });

  it("is refused on a fresh workspace too, which stays without a docket", async () => {
    const before = h.snapshot();
    expect((await h.run("deadline add X 2026-12-10", { ...bob, workspace: "T9" })).error?.code).toBe("permission.admin");
    expect(h.snapshot()).toEqual(before);
  });
});

describe("the docket's own admin list", () => {
  it("a member on the list may manage deadlines, digests and admins, and edit others' questions", async () => {
    await ok("admin add <@U2|bob>", alice);
    await ok("deadline add Comments due 2026-12-10", bob);
    await ok("deadline edit D2 date:2026-12-11", bob);
    await ok("deadline remove D2", bob);
    await ok("digest on 08:00", bob);
    await ok("digest off", bob);
    await ok("edit Q1 to:Secretariat", bob);
    await ok("withdraw Q1 Superseded", bob);
    await ok("admin add <@&123>", bob);
    expect(h.db.prepare("SELECT count(*) AS n FROM admins").get()).toEqual({ n: 2 });
  });

  it("a member holding a listed role may manage deadlines", async () => {
    await refused("deadline add Comments due 2026-12-10", carol);
    await ok("admin add <@&123>", alice);
    await ok("deadline add Comments due 2026-12-10", carol);
    await refused("deadline add Other 2026-12-11", { ...carol, roleIds: ["456"] });
  });

  it("a Slack user group on the list counts as a role", async () => {
    await ok("admin add <!subteam^S1|@organisers>", alice);
    await ok("deadline add Comments due 2026-12-10", { ...bob, roleIds: ["S1"] });
  });

  it("removing a member from the list takes the rights away", async () => {
    await ok("admin add <@U2>", alice);
    await ok("deadline add Comments due 2026-12-10", bob);
    await ok("admin remove <@U2>", alice);
    await refused("deadline add Other 2026-12-11", bob);
    await refused("edit Q1 to:Secretariat", bob, "permission.asker");
  });

  it("removing a role from the list takes the rights away", async () => {
    await ok("admin add <@&123>", alice);
    await ok("admin remove <@&123>", alice);
    await refused("deadline add Comments due 2026-12-10", carol);
  });

  it("a listed member may take themselves off the list, and then has no rights", async () => {
    await ok("admin add <@U2>", alice);
    await ok("admin remove <@U2>", bob);
    await refused("admin add <@U2>", bob);
  });

  it("a member listed on another platform is not an admin here", async () => {
    await ok("admin add <@U2>", alice);
    const reply = await h.runAs(
      { workspace: { platform: "discord", id: "T1", name: "Coalition T1" }, channel: { id: "C1" }, actor: { id: "U2", displayName: "Bob", role: { isPlatformAdmin: false, roleIds: [] } } },
      "deadline add Comments due 2026-12-10",
    );
    expect(reply.error?.code).toBe("permission.admin");
  });
});
