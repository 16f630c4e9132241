import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDigestDelivery } from "../../../src/core/digest/delivery.ts";
import type { DocketSnapshot } from "../../../src/core/ports.ts";
import { replyToText, type Reply } from "../../../src/core/reply.ts";
import { silentLogger } from "../../../src/log.ts";
import type { Outcome } from "../../../src/core/events.ts";
import { harness, invocation as invocationOf, type Harness, type Who } from "../../support/harness.ts";
import { recordingChat } from "../../support/recording-chat.ts";

// One docket shared by a Slack workspace (T1) and a Discord guild (G1), through the dispatcher as
// each platform's adapter drives it; G3, a guild not linked, must see nothing of it.

let h: Harness;
beforeEach(() => {
  h = harness({ now: "2026-11-29T10:00:00Z" });
});
afterEach(() => h.close());

const slack: Who = { workspace: "T1", id: "U1", displayName: "Ben" };
const discord: Who = { platform: "discord", workspace: "G1", id: "100", displayName: "Amina", channel: "D1" };
const third: Who = { platform: "discord", workspace: "G3", id: "300", displayName: "Zoe", channel: "D3" };
const codePattern = /\b[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}\b/;

const text = async (command: string, who: Who) => replyToText(await h.run(command, who));
async function codeFrom(who: Who): Promise<string> {
  const shown = replyToText(await h.ok("link", who));
  const code = codePattern.exec(shown)?.[0];
  if (!code) throw new Error(`no code in ${shown}`);
  return code;
}
async function exportJson(who: Who): Promise<DocketSnapshot> {
  const reply = await h.ok("export json", who);
  return JSON.parse(reply.file!.content) as DocketSnapshot;
}
function firstReply(outcome: Outcome): Reply {
  if (outcome.kind !== "reply") throw new Error(`expected a reply, got ${outcome.kind}`);
  return outcome.reply;
}
/** What a docket holds, without the ids and numbers a merge gives anew. */
const content = (s: DocketSnapshot) => ({
  questions: s.questions.map((q) => [q.text, q.addressee, q.tags, q.status, q.neededBy?.kind ?? null, q.askedAt]).sort(),
  answers: s.answers.map((a) => [a.text, a.source, a.kind, a.loggedAt]).sort(),
  notes: s.notes.map((n) => [n.text, n.createdAt]).sort(),
  chases: s.chases.map((c) => [c.text, c.via, c.onDate, c.contact]).sort(),
  deadlines: s.deadlines.map((d) => [d.title, d.date, d.time, d.place, d.removedAt, d.milestones ?? null]).sort(),
});

describe("link: one docket for a Slack workspace and a Discord guild", () => {
  it("links from Slack, joins from Discord; both see and name the same questions, a third guild sees nothing", async () => {
    await h.ok("ask What does membership cost? to:ITU #fees", slack);
    const issued = await h.ok("link", slack);
    expect(issued.visibility).toBe("ephemeral");
    const shown = replyToText(issued);
    const code = codePattern.exec(shown)![0];
    expect(shown).toContain(`/docket link ${code}`);
    expect(shown).toMatch(/24 hours/);
    expect(shown).toMatch(/single use/);
    // Only the hash is stored.
    expect(JSON.stringify(h.snapshot())).not.toContain(code);
    expect(JSON.stringify(h.db.prepare("SELECT * FROM link_codes").all())).not.toContain(code.replaceAll("-", ""));

    const joined = replyToText(await h.ok(`link ${code.toLowerCase().replaceAll("-", " ")}`, discord));
    expect(joined).toContain("Slack: Coalition T1 · Discord: Coalition G1");
    await h.ok("ask Who chairs the study group? to:ITU", discord);
    await h.ok("answer Q2 The Secretary-General source:https://itu.int", slack);
    await h.ok("note Q1 Ask the secretariat first", discord);

    for (const who of [slack, discord]) {
      const q2 = await text("show Q2", who);
      expect(q2).toContain("Who chairs the study group?");
      expect(q2).toContain("by Amina (Discord)");
      expect(q2).toContain("logged by Ben (Slack)");
      const q1 = await text("show Q1", who);
      expect(q1).toContain("by Ben (Slack)");
      expect(q1).toContain("Amina (Discord)");
      expect(await text("list", who)).toContain("by Ben (Slack)");
    }
    expect(await text("link status", { ...discord, isPlatformAdmin: false })).toContain("Slack: Coalition T1 · Discord: Coalition G1");
    const md = (await h.ok("export md", discord)).file!.content;
    expect(md).toContain(String.raw`logged by Ben \(Slack\)`);
    const csv = (await h.ok("export csv", slack)).file!.content;
    expect(csv).toContain("Amina (Discord)");
    h.clock.set("2026-11-30T09:00:00Z");
    const digest = replyToText((await h.ok("digest preview", slack)));
    expect(digest).toContain("logged by Ben (Slack)");
    expect(digest).toContain("by Ben (Slack)");

    await h.ok("ask Bravo's own question", third);
    expect(await text("show Q2", third)).toMatch(/There is no Q2/);
    const thirdQ1 = await text("show Q1", third);
    expect(thirdQ1).toContain("Bravo's own question");
    expect(thirdQ1).not.toMatch(/membership|Ben|Amina/);
    expect(await text("list all", third)).not.toMatch(/membership|study group/);
    expect(await text("search membership", third)).not.toMatch(/membership cost/);
    expect(await text("search membership", discord)).toMatch(/membership cost/);
    const thirds = await exportJson(third);
    expect(thirds.questions.map((q) => q.text)).toEqual(["Bravo's own question"]);
    expect(thirds.workspaces.map((w) => w.externalId)).toEqual(["G3"]);
    expect(await h.core.suggest({ invocation: invocationOf(third), command: "answer", option: "question", typed: "study" })).toEqual([]);
    expect((await h.core.suggest({ invocation: invocationOf(discord), command: "answer", option: "question", typed: "study" })).length).toBe(1);
    expect(await text("link status", third)).toMatch(/not shared/);
  });

  it("refuses a wrong, an expired and a used code with nothing changed but the attempt count", async () => {
    await h.ok("ask Alpha?", slack);
    const code = await codeFrom(slack);
    await h.ok("ask Bravo?", discord);
    const before = await exportJson(discord);

    const wrong = await h.run("link ABCD-EFGH-JKMN-PQRS", discord);
    expect(wrong.error?.code).toBe("link.wrong");
    expect(replyToText(wrong)).toMatch(/not a link code/);

    h.clock.set("2026-11-30T11:00:00Z");
    const expired = await h.run(`link ${code}`, discord);
    expect(expired.error?.code).toBe("link.expired");
    expect(replyToText(expired)).toMatch(/expired/);

    h.clock.set("2026-11-30T11:05:00Z");
    const fresh = await codeFrom(slack);
    await h.ok(`link ${fresh}`, { ...discord, workspace: "G2" });
    const used = await h.run(`link ${fresh}`, discord);
    expect(used.error?.code).toBe("link.used");
    expect(replyToText(used)).toMatch(/already used/);

    const after = await exportJson(discord);
    expect(after).toEqual(before);
    expect(h.db.prepare("SELECT outcome FROM link_attempts WHERE workspace_id = 'G1' ORDER BY id").all()).toEqual([{ outcome: "wrong" }, { outcome: "expired" }, { outcome: "used" }]);
  });

  it("refuses the sixth try within the hour even with the right code, and takes it once the hour has passed", async () => {
    const code = await codeFrom(slack);
    for (let i = 0; i < 5; i++) {
      h.clock.set(`2026-11-29T10:0${i}:00Z`);
      expect((await h.run("link 0000-0000-0000-0000", discord)).error?.code).toBe("link.wrong");
    }
    h.clock.set("2026-11-29T10:30:00Z");
    const limited = await h.run(`link ${code}`, discord);
    expect(limited.error?.code).toBe("link.too_many");
    expect(replyToText(limited)).toMatch(/Try again after .*11:00/);
    expect(await h.docketOf(discord)).toBeUndefined();
    // A refusal at the limit is not itself counted, or the wait would never end.
    expect(h.db.prepare("SELECT count(*) AS n FROM link_attempts").get()).toEqual({ n: 5 });

    h.clock.set("2026-11-29T11:00:30Z");
    expect(replyToText(await h.ok(`link ${code}`, discord))).toContain("Discord: Coalition G1");
    expect((await h.docketOf(discord))!.id).toBe((await h.docketOf(slack))!.id);
  });

  it("lets only admins make or use a code, and refuses a code of its own docket or while shared", async () => {
    await h.ok("ask Alpha?", slack);
    const member = (who: Who): Who => ({ ...who, isPlatformAdmin: false, id: "nobody" });
    expect((await h.run("link", member(slack))).error?.code).toBe("permission.admin");
    const code = await codeFrom(slack);
    expect((await h.run(`link ${code}`, member(discord))).error?.code).toBe("permission.admin");
    expect((await h.run(`link ${code}`, slack)).error?.code).toBe("link.same_docket");
    await h.ok(`link ${code}`, discord);
    await h.ok("ask Other?", third);
    const other = await codeFrom(third);
    const shared = await h.run(`link ${other} merge:yes`, discord);
    expect(shared.error?.code).toBe("link.already_shared");
    expect(replyToText(shared)).toMatch(/unlink first/);
    expect((await h.run("unlink", member(discord))).error?.code).toBe("permission.admin");
  });

  it("merges a docket with content only with merge:yes, keeping everything under new numbers", async () => {
    await h.ok("deadline add Plenary 2026-12-10", slack);
    await h.ok("deadline add Comments due 2026-12-05", slack);
    await h.ok("ask Alpha one? by:D1", slack);
    await h.ok("ask Alpha two?", slack);
    await h.ok("ask Alpha three?", slack);
    const code = await codeFrom(slack);

    await h.ok("deadline add Study group 2026-12-20", discord);
    await h.ok("ask Bravo one? to:ITU #fees by:D1", discord);
    await h.ok("ask Bravo two?", discord);
    await h.ok("answer Q1 Yes source:minutes partial:yes", discord);
    await h.ok("note Q2 Ring them", discord);
    await h.ok("chase Q1 Emailed again via:email", discord);
    await h.ok("edit Q2 to:UN by:D1", discord);
    const theirs = await exportJson(discord);
    const ours = await exportJson(slack);

    const refused = await h.run(`link ${code}`, discord);
    expect(refused.error?.code).toBe("link.merge_needed");
    expect(replyToText(refused)).toMatch(/2 questions and 1 deadline.*merge:yes/);
    expect(await exportJson(discord)).toEqual(theirs);
    expect(h.db.prepare("SELECT count(*) AS n FROM link_attempts").get()).toEqual({ n: 0 });

    const merged = replyToText(await h.ok(`link ${code} merge:yes`, discord));
    expect(merged).toContain("Q1→Q4, Q2→Q5; D1→D3");
    const shared = await exportJson(slack);
    expect(content(shared)).toEqual({
      questions: [...content(ours).questions, ...content(theirs).questions].sort(),
      answers: [...content(ours).answers, ...content(theirs).answers].sort(),
      notes: [...content(ours).notes, ...content(theirs).notes].sort(),
      chases: [...content(ours).chases, ...content(theirs).chases].sort(),
      deadlines: [...content(ours).deadlines, ...content(theirs).deadlines].sort(),
    });
    const q4 = shared.questions.find((q) => q.number === 4)!;
    expect(q4).toMatchObject({ text: "Bravo one?", neededBy: { kind: "deadline", deadlineNumber: 3 }, tags: ["fees"] });
    const shownQ5 = await text("show Q5", slack);
    expect(shownQ5).toContain("Ring them");
    expect(shownQ5).toMatch(/edited by Amina/);
    // Its history names the deadline by its new number.
    expect(shownQ5).toMatch(/what it is needed by changed from nothing to D3 Study group/);
    expect(await text("show Q4", discord)).toMatch(/Emailed again/);
    expect(shared.audit.filter((e) => e.action === "docket.link").map((e) => (e.after as { moved: string }).moved)).toEqual(["Q1→Q4, Q2→Q5; D1→D3"]);
    // The old docket stays, unbound, with its own record of the move.
    const old = await h.store.snapshots.read(theirs.docket.id);
    expect(old.workspaces).toEqual([]);
    expect(old.audit.at(-1)).toMatchObject({ action: "docket.link" });
    expect(await text("ask Next?", discord)).toMatch(/Q6/);
    expect(await text("search Ring", slack)).toMatch(/Q5/);
    expect(await text("search Bravo", slack)).toMatch(/Q4/);
    // The shared docket, with both workspaces, exports and imports back losslessly.
    const other = harness();
    try {
      const snapshot = await h.store.snapshots.read(shared.docket.id);
      await other.store.snapshots.restore(snapshot);
      expect(await other.store.snapshots.read(shared.docket.id)).toEqual(snapshot);
      expect(snapshot.workspaces.map((w) => w.platform).sort()).toEqual(["discord", "slack"]);
    } finally {
      other.close();
    }
  });

  it("moves a merged docket's digest with its ledger, so the day's digest is not posted twice", async () => {
    const code = await codeFrom(slack);
    await h.ok("deadline add Study group 2026-12-20", discord);
    await h.ok("ask Bravo one? by:D1", discord);
    await h.ok("digest on 09:00 tz:Europe/London by:D1", discord);
    h.clock.set("2026-11-30T09:00:00Z");
    const chat = recordingChat("discord");
    const delivery = createDigestDelivery({ store: h.store, clock: h.clock, log: silentLogger, chats: new Map([["discord", chat.chat]]), commandName: "docket", instanceId: "one" });
    await delivery.tick();
    expect(chat.posts).toHaveLength(1);
    h.clock.set("2026-11-30T09:30:00Z");
    await h.ok("deadline add Plenary 2026-12-10", slack);
    await h.ok(`link ${code} merge:yes`, discord);
    const shared = (await h.docketOf(slack))!.id;
    const [sub] = await h.store.subscriptions.forDocket(shared);
    expect(sub).toMatchObject({ channel: { platform: "discord", workspaceId: "G1", channelId: "D1" }, filter: { deadlineNumber: 2 } });
    expect((await h.store.deliveries.latest(sub!.id))?.state).toBe("sent");
    h.clock.set("2026-11-30T10:00:00Z");
    await delivery.tick();
    expect(chat.posts).toHaveLength(1);
  });

  it("unlink starts an empty docket, or with copy:yes takes a full copy, and moves the channel's digest", async () => {
    await h.ok("deadline add Plenary 2026-12-10", slack);
    await h.ok("ask Alpha one? by:D1", slack);
    await h.ok(`link ${await codeFrom(slack)}`, discord);
    await h.ok("ask Bravo one?", discord);
    await h.ok(`link ${await codeFrom(slack)}`, third);
    await h.ok("digest on 09:00 by:D1", discord);
    await h.ok("digest on 09:00 by:D1", third);
    const shared = await exportJson(slack);

    await h.ok("admin add <@200|@Bea>", discord);
    await h.ok("admin add <@U5|ana>", slack);
    const left = replyToText(await h.ok("unlink", discord));
    expect((await h.store.admins.list((await h.docketOf(discord))!.id)).map((a) => [a.platform, a.id])).toEqual([["discord", "200"]]);
    expect(left).toMatch(/empty docket/);
    expect(await text("list all", discord)).not.toMatch(/Alpha|Bravo/);
    expect((await h.store.subscriptions.forChannel({ platform: "discord", workspaceId: "G1", channelId: "D1" }))!.filter.deadlineNumber).toBeNull();
    expect(await text("link status", slack)).toContain("Slack: Coalition T1 · Discord: Coalition G3");
    expect(content(await exportJson(slack))).toEqual(content(shared));

    const copied = replyToText(await h.ok("unlink copy:yes", third));
    expect(copied).toMatch(/full copy/);
    const copy = await exportJson(third);
    expect(content(copy)).toEqual(content(shared));
    expect(copy.questions.map((q) => q.number)).toEqual([1, 2]);
    expect((await h.store.subscriptions.forChannel({ platform: "discord", workspaceId: "G3", channelId: "D3" }))).toMatchObject({ docketId: copy.docket.id, filter: { deadlineNumber: 1 } });
    expect(await text("link status", slack)).toMatch(/not shared/);
    expect((await h.run("unlink", slack)).error?.code).toBe("link.not_shared");
    // One row in the docket left and one in the docket started, each naming both.
    const rows = h.db.prepare("SELECT docket_id, action, after FROM audit_events WHERE action = 'docket.unlink' ORDER BY id").all() as Array<{ docket_id: number; after: string }>;
    expect(rows.map((r) => r.docket_id)).toEqual([shared.docket.id, (await h.docketOf(discord))!.id, shared.docket.id, copy.docket.id]);
    expect(JSON.parse(rows[3]!.after)).toMatchObject({ from: shared.docket.id, to: copy.docket.id, copy: true, questions: 2, deadlines: 1, digests: 1 });
  });

  it("a workspace that leaves takes the codes it made with it; the others' codes still work", async () => {
    await h.ok(`link ${await codeFrom(slack)}`, discord);
    const madeOnDiscord = await codeFrom(discord);
    const madeOnSlack = await codeFrom(slack);
    await h.ok("unlink", discord);
    const refused = await h.run(`link ${madeOnDiscord}`, third);
    expect(refused.error?.code).toBe("link.used");
    expect(replyToText(await h.ok(`link ${madeOnSlack}`, third))).toMatch(/now shares the docket/);
  });

  it("link status is read on Discord as link code:status", async () => {
    await h.ok(`link ${await codeFrom(slack)}`, discord);
    const reply: Reply = await h.core.handle({ kind: "command", invocation: invocationOf({ ...discord, isPlatformAdmin: false }), command: "link", options: { code: "status" } }).then(firstReply);
    expect(replyToText(reply)).toContain("Slack: Coalition T1 · Discord: Coalition G1");
  });
});
