import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replyToText, type Reply } from "../../../src/core/reply.ts";
import { harness, type Harness } from "../../support/harness.ts";

// Two coalitions share one database: Slack workspaces T1 and T2, each with a channel C1 and a
// member with the same user id "alice". Neither may ever see or touch the other's docket.

let h: Harness;
beforeEach(async () => {
  h = harness();
});
afterEach(() => h.close());

const t1 = { workspace: "T1" };
const t2 = { workspace: "T2" };

const ok = async (text: string, who?: Parameters<Harness["run"]>[1]): Promise<Reply> => await h.ok(text, who);

const texts = (reply: Reply) => replyToText(reply);

async function twoDockets() {
  await ok("ask Alpha asks about membership fees? to:ITU #fees", t1);
  await ok("ask Alpha asks about the webcast?", t1);
  await ok("deadline add Alpha plenary 2026-12-03", t1);
  await ok("note Q1 Alpha briefing note", t1);
  await ok("answer Q2 Alpha secret answer source:alpha-source", t1);
  await ok("ask Bravo asks about observers? to:UN #fees", t2);
  await ok("deadline add Bravo consultation 2026-12-20", t2);
}

describe("two workspaces in one database", () => {
  it("each docket numbers its own questions and deadlines from 1", async () => {
    await twoDockets();
    expect(h.db.prepare("SELECT docket_id, number, text FROM questions ORDER BY id").all()).toEqual([
      { docket_id: 1, number: 1, text: "Alpha asks about membership fees?" },
      { docket_id: 1, number: 2, text: "Alpha asks about the webcast?" },
      { docket_id: 2, number: 1, text: "Bravo asks about observers?" },
    ]);
    expect(h.db.prepare("SELECT docket_id, number, title FROM deadlines ORDER BY id").all()).toEqual([
      { docket_id: 1, number: 1, title: "Alpha plenary" },
      { docket_id: 2, number: 1, title: "Bravo consultation" },
    ]);
  });

  it("show Q1 in each workspace shows its own question", async () => {
    await twoDockets();
    expect(texts(await ok("show Q1", t1))).toContain("Alpha asks about membership fees?");
    const shown = texts(await ok("show Q1", t2));
    expect(shown).toContain("Bravo asks about observers?");
    expect(shown).not.toContain("Alpha");
  });

  it("show Q2 from T2 when only T1 has a Q2 is not found", async () => {
    await twoDockets();
    const reply = await h.run("show Q2", t2);
    expect(reply.error?.code).toBe("question.not_found");
    expect(texts(reply)).toBe("There is no Q2 in this docket. Try /docket list to see the questions.");
  });

  it("list, with any status and filter, never shows the other's questions", async () => {
    await twoDockets();
    for (const command of ["list", "list all", "list answered", "list #fees", "list all to:ITU", "list overdue"]) {
      expect(texts(await ok(command, t2)), command).not.toContain("Alpha");
    }
    expect((await ok("list all", t2)).heading).toBe("1 question");
    expect((await ok("list all #fees", t1)).heading).toBe("1 question #fees");
  });

  it("deadline list and by: only know the docket's own deadlines", async () => {
    await twoDockets();
    expect(texts(await ok("deadline list", t2))).toBe("1 deadline\n• D1 Bravo consultation is in 21 days — 20 Dec 2026");
    expect((await h.run("ask Needed by the plenary? by:Alpha", t2)).error?.code).toBe("by.invalid");
    expect((await h.run("deadline remove Alpha", t2)).error?.code).toBe("deadline.not_found");
  });

  it("search never finds the other's questions, answers or notes", async () => {
    await twoDockets();
    for (const words of ["Alpha", "membership", "secret", "briefing", "source"]) expect((await ok(`search ${words}`, t2)).heading, words).toMatch(/^Nothing matches/);
    expect((await ok("search observers", t1)).heading).toBe('Nothing matches "observers"');
    expect((await ok("search secret", t1)).heading).toBe('1 match for "secret"');
  });

  it.each(["md", "csv", "json", "ics"])("export %s carries only the docket's own data", async (format) => {
    await twoDockets();
    const content = (await ok(`export ${format}`, t2)).file?.content ?? "";
    expect(content).toContain("Bravo");
    expect(content.toLowerCase()).not.toContain("alpha");
    expect(content).not.toContain("Coalition T1");
    expect((await ok(`export ${format}`, t1)).file?.content).not.toContain("Bravo");
  });

  it("export json of one docket lists only its own rows", async () => {
    await twoDockets();
    const snapshot = JSON.parse((await ok("export json", t2)).file?.content ?? "{}") as Record<string, Array<{ docketId?: number }>>;
    expect(snapshot.questions).toHaveLength(1);
    expect(snapshot.answers).toHaveLength(0);
    expect(snapshot.notes).toHaveLength(0);
    expect(snapshot.deadlines).toHaveLength(1);
    expect(snapshot.workspaces).toEqual([{ platform: "slack", externalId: "T2", name: "Coalition T2", docketId: 2 }]);
  });

  it("answering, noting, editing or withdrawing across is impossible", async () => {
    await twoDockets();
    const before = h.snapshot();
    for (const command of ["answer Q2 Cross answer", "note Q2 Cross note", "edit Q2 to:Cross", "withdraw Q2", "reopen Q2", "deadline edit D2 title:Cross"]) {
      expect((await h.run(command, t2)).error?.code, command).toMatch(/not_found$/);
    }
    expect(h.snapshot()).toEqual(before);
  });

  it("answering Q1 in T2 answers T2's Q1 and leaves T1's alone", async () => {
    await twoDockets();
    await ok("answer Q1 Observers are welcome", t2);
    expect(h.db.prepare("SELECT docket_id, number, status FROM questions ORDER BY id").all()).toEqual([
      { docket_id: 1, number: 1, status: "open" },
      { docket_id: 1, number: 2, status: "answered" },
      { docket_id: 2, number: 1, status: "answered" },
    ]);
  });

  it("a workspace that has never changed anything sees an empty docket, not another's", async () => {
    await twoDockets();
    const t3 = { workspace: "T3" };
    expect((await ok("list all", t3)).heading).toBe("No questions");
    expect((await h.run("show Q1", t3)).error?.code).toBe("question.not_found");
    expect((await ok("export json", t3)).file).toBeUndefined();
    expect((await ok("deadline list", t3)).heading).toBe("No deadlines yet");
  });

  it("digest subscriptions of channels with the same id are separate", async () => {
    await ok("digest on 08:00 tz:Asia/Tokyo", t1);
    expect((await ok("digest status", t2)).heading).toBe("No digest in this channel");
    await ok("digest on 18:00", t2);
    expect(h.db.prepare("SELECT docket_id, workspace_id, channel_id, time FROM subscriptions ORDER BY id").all()).toEqual([
      { docket_id: 1, workspace_id: "T1", channel_id: "C1", time: "08:00" },
      { docket_id: 2, workspace_id: "T2", channel_id: "C1", time: "18:00" },
    ]);
    await ok("digest off", t2);
    const t1Status = await ok("digest status", t1);
    expect(t1Status.heading).toBe("Digest on in this channel");
    expect(texts(t1Status)).toContain("08:00 Asia/Tokyo");
  });

  it("admin lists are separate: an admin of T1 has no rights in T2", async () => {
    await ok("admin add <@U2|ben>", t1);
    const ben = { id: "U2", displayName: "Ben", isPlatformAdmin: false };
    await ok("deadline add Comments due 2026-12-10", { ...ben, ...t1 });
    expect((await h.run("deadline add Comments due 2026-12-10", { ...ben, ...t2 })).error?.code).toBe("permission.admin");
    expect((await ok("admin list", t2)).heading).toBe("No one is on this docket's own admin list");
    expect((await h.run("admin remove <@U2>", t2)).error?.code).toBe("admin.not_listed");
  });

  it("the asker of a question is the member of that docket, even with the same user id", async () => {
    await ok("ask T1 question", { ...t1, id: "U5", isPlatformAdmin: false });
    await ok("ask T2 question", { ...t2, id: "U9", isPlatformAdmin: false });
    expect((await h.run("withdraw Q1", { ...t2, id: "U5", isPlatformAdmin: false })).error?.code).toBe("permission.asker");
    expect(h.db.prepare("SELECT docket_id, user_id FROM members ORDER BY id").all()).toEqual([
      { docket_id: 1, user_id: "U5" },
      { docket_id: 2, user_id: "U9" },
    ]);
  });
});

describe("platforms", () => {
  const runDiscord = async (text: string, actor: { id?: string; isPlatformAdmin?: boolean } = {}) => await h.run(text, { platform: "discord", workspace: "T1", ...actor });

  it("a Discord guild with the same external id as a Slack workspace is a different docket", async () => {
    await ok("ask Slack question about fees?", t1);
    await ok("admin add <@U2>", t1);
    await ok("digest on", t1);

    expect((await runDiscord("list all")).heading).toBe("No questions");
    expect((await runDiscord("search fees")).heading).toBe('Nothing matches "fees"');
    expect((await runDiscord("admin list")).heading).toBe("No one is on this docket's own admin list");
    expect((await runDiscord("digest status")).heading).toBe("No digest in this channel");

    expect((await runDiscord("ask Discord question?")).heading).toBe("Added Q1");
    expect(h.db.prepare("SELECT platform, external_id, docket_id FROM workspaces ORDER BY docket_id").all()).toEqual([
      { platform: "slack", external_id: "T1", docket_id: 1 },
      { platform: "discord", external_id: "T1", docket_id: 2 },
    ]);
    expect(replyToText(await ok("show Q1", t1))).toContain("Slack question about fees?");
    expect(replyToText(await runDiscord("show Q1"))).toContain("Discord question?");
  });

  it("the Slack docket's admin list gives no rights in the Discord docket", async () => {
    await ok("admin add <@U2>", t1);
    expect((await runDiscord("deadline add Comments due 2026-12-10", { id: "U2", isPlatformAdmin: false })).error?.code).toBe("permission.admin");
  });
});
