import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replyToText } from "../../../src/core/reply.ts";
import { postSlashCommand } from "../../fakes/slack/signed-request.ts";
import { SECRET, startRig, textOf, type Rig } from "./support.ts";

interface Ack {
  response_type: string;
  text: string;
  blocks: Array<{ type: string; text?: { text: string } }>;
}

let rig: Rig;
beforeAll(async () => {
  rig = await startRig();
});
afterAll(async () => {
  await rig?.close();
});

/** Every command of the vocabulary, typed as a member would, with what its ephemeral answer is headed. */
const script: Array<[string, string | RegExp]> = [
  ["help", "/docket: the coalition's open questions, answers and deadlines"],
  ["help ask", "/docket ask"],
  ["ask Will plenary sessions be webcast? to:Secretariat #access", "Added Q1"],
  ['ask "What does ITU membership cost for an NGO?" to:ITU by:2026-12-24 #membership', "Added Q2"],
  ["answer Q1 Yes, all plenaries source:https://www.itu.int/webcast", "Logged a full answer to Q1"],
  ['note Q2 "Asked again at the 9 Oct briefing"', /Q2/],
  ["chase Q2 Emailed the secretariat again via:email", "Chase logged on Q2"],
  ["scorecard", "Scorecard"],
  ["edit Q2 to:ITU Council", /Q2/],
  ["withdraw Q2 Superseded by Q1", /Q2/],
  ["reopen Q2 Still needed", /Q2/],
  ["show Q1", "Q1 · answered"],
  ["list all", "2 questions"],
  ["search webcast", /webcast/i],
  ['deadline add "WCIT-12 opens" 2026-12-03 09:00 tz:Asia/Dubai at:Dubai', "Added D1"],
  ["deadline list", "1 deadline"],
  ["deadline edit D1 at:Dubai_World_Trade_Centre", "Updated D1"],
  ["deadline milestones D1 7,1 ping:<!subteam^S0ORG|@organisers>", "Milestones set for D1"],
  ["digest on 09:00 tz:Europe/London", "Digest on in this channel"],
  ["digest status", "Digest on in this channel"],
  ["digest preview", /^Preview: Docket digest/],
  ["digest off", "Digest off in this channel"],
  ["export csv", /^Exported /],
  ["admin add <@U0BOB|bob>", "bob is now an admin of this docket"],
  ["admin list", "1 on this docket's admin list"],
  ['rename "Docket test"', "This docket is now called Docket test"],
  ["admin remove <@U0BOB|bob>", "bob is no longer an admin of this docket"],
  ["deadline remove D1", "Removed D1"],
  ["link", "Link code for sharing this docket"],
  ["link status", "This docket is not shared"],
];

describe("/docket over HTTP, every command", () => {
  it("answers each command of the vocabulary in its ack (a slow one right after it), visible only to the member", async () => {
    const covered = new Set<string>();
    for (const [text, heading] of script) {
      const res = await rig.command(text);
      expect(res.status, text).toBe(200);
      const slow = rig.h.core.vocabulary.find((c) => text.startsWith(c.name) && c.slow);
      // why: a slow command is acked empty at once, and answered through its response_url.
      if (slow) expect(res.body, text).toBe("");
      const ack = (slow ? (await rig.responses(res.responseId))[0]?.body : res.json) as Ack;
      expect(ack.response_type, text).toBe("ephemeral");
      expect(ack.text.startsWith(":warning:"), `${text}: ${ack.text}`).toBe(false);
      expect(ack.blocks[0]?.type, text).toBe("header");
      const header = ack.blocks[0]?.text?.text ?? "";
      if (typeof heading === "string") expect(header, text).toContain(heading);
      else expect(header, text).toMatch(heading);
      const vocabulary = rig.h.core.vocabulary;
      covered.add((vocabulary.find((c) => text === c.name) ?? vocabulary.find((c) => text.startsWith(`${c.name} `)))!.name);
    }
    // unlink needs a docket shared with another workspace, which joins with a fresh code.
    const code = /\b[0-9A-Z]{4}(-[0-9A-Z]{4}){3}\b/.exec(((await rig.command("link")).json as Ack).text)![0];
    const partner = { workspace: "T-PARTNER", id: "U9" };
    await rig.h.ok(`link ${code}`, partner);
    const left = (await rig.command("unlink")).json as Ack;
    expect(left.blocks[0]?.text?.text).toContain("This workspace left the shared docket");
    covered.add("unlink");
    // Back into the shared docket, with a code from the partner, so the tests after this one find it as it was.
    const back = /\b[0-9A-Z]{4}(-[0-9A-Z]{4}){3}\b/.exec(replyToText(await rig.h.ok("link", partner)))![0];
    expect(((await rig.command(`link ${back}`)).json as Ack).blocks[0]?.text?.text).toContain("This workspace now shares the docket");
    expect([...covered].sort()).toEqual(rig.h.core.vocabulary.map((c) => c.name).sort());
    expect((await rig.h.store.questions.get(1, 1))?.status).toBe("answered");
    expect((await rig.h.store.questions.get(1, 2))?.status).toBe("open");
  });

  it("posts the public line of ask and answer in the channel through the response_url", async () => {
    const asked = await rig.command("ask Is remote participation allowed? to:Secretariat");
    const [announcement] = await rig.responses(asked.responseId);
    expect(announcement?.body).toMatchObject({ response_type: "in_channel", replace_original: false });
    expect(textOf(announcement?.body)).toContain("alice asked Q3 of Secretariat: Is remote participation allowed?");

    const answered = await rig.command("answer Q3 Only for registered observers partial:yes");
    const [line] = await rig.responses(answered.responseId);
    expect(line?.body).toMatchObject({ response_type: "in_channel" });
    expect(textOf(line?.body)).toContain("alice logged a partial answer to Q3: Only for registered observers");

    const listed = await rig.command("list");
    expect(rig.fake.responsesTo(listed.responseId)).toEqual([]);
  });

  it("uploads an export to the channel with files.uploadV2 and says so", async () => {
    const before = rig.fake.uploads.length;
    const res = await rig.command("export md");
    expect(res.body).toBe("");
    const [reply, notice] = await rig.responses(res.responseId, 2);
    expect(textOf(reply?.body)).toContain("Uploading the file");
    expect(textOf(notice?.body)).toMatch(/Shared docket-.*\.md in this channel/);
    expect(rig.fake.uploads.length).toBe(before + 1);
    const upload = rig.fake.uploads.at(-1)!;
    expect(upload.filename).toMatch(/\.md$/);
    expect(upload.bytes.toString("utf8")).toContain("Will plenary sessions be webcast?");
    const complete = rig.fake.callsTo("files.completeUploadExternal").at(-1)!;
    expect(complete.params["channel_id"]).toBe("C0GENERAL");
  });

  it("sends the export by direct message when the channel refuses the bot", async () => {
    rig.fake.fail("files.completeUploadExternal", { error: "not_in_channel" });
    rig.fake.setHandler("conversations.open", () => ({ ok: true, channel: { id: "D0ALICE" } }));
    const res = await rig.command("export json", { channel_id: "C0PRIVATE" });
    expect(res.status).toBe(200);
    const [, notice] = await rig.responses(res.responseId, 2);
    expect(textOf(notice?.body)).toContain("is in your direct messages with Docket");
    expect(rig.fake.callsTo("conversations.open").at(-1)?.params["users"]).toBe("U0ALICE");
    expect(rig.fake.callsTo("files.completeUploadExternal").at(-1)?.params["channel_id"]).toBe("D0ALICE");
  });

  it("answers mistakes ephemerally, marked as errors, and changes nothing", async () => {
    const before = rig.h.snapshot();
    for (const [text, says] of [
      ["show Q99", "There is no Q99"],
      ["frobnicate", 'There is no command "frobnicate"'],
      ["ask Too long " + "x".repeat(1000), "the limit is 1000"],
      ["answer Q99 Yes source:https://example.org", "There is no Q99"],
      ["digest on 25:00", "25:00"],
    ] as const) {
      const res = await rig.command(text);
      const ack = res.json as Ack;
      expect(ack.response_type, text).toBe("ephemeral");
      expect(ack.text, text).toMatch(/^:warning: /);
      expect(textOf(ack), text).toContain(says);
    }
    expect(rig.h.snapshot()).toEqual(before);
  });

  it("lets only workspace admins or listed members manage the docket (users.info, cached)", async () => {
    const before = rig.h.snapshot();
    const denied = await rig.command("deadline add Comments due 2026-12-20", { user_id: "U0BOB", user_name: "bob" });
    expect(textOf(denied.json)).toContain("Only an admin of this docket can");
    expect(rig.h.snapshot()).toEqual(before);

    rig.fake.setUser("U0CAROL", { name: "carol", is_owner: true });
    const owner = await rig.command("deadline add Comments due 2026-12-20", { user_id: "U0CAROL", user_name: "carol" });
    expect(textOf(owner.json)).toContain("Added D2");

    const calls = rig.fake.callsTo("users.info").filter((c) => c.params["user"] === "U0CAROL").length;
    const again = await rig.command("deadline edit D2 at:Geneva", { user_id: "U0CAROL", user_name: "carol" });
    expect(textOf(again.json)).toContain("Updated D2");
    expect(rig.fake.callsTo("users.info").filter((c) => c.params["user"] === "U0CAROL").length).toBe(calls);
  });

  it("reads the text as the member typed it, though Slack sends it escaped with links and channels as tokens", async () => {
    // Typed: ask Is R&D funding <in scope>? to:ITU #rnd   (a channel named rnd exists, so Slack sends it as one)
    const asked = await rig.command("ask Is R&amp;D funding &lt;in scope&gt;? to:ITU <#C0RND|rnd>");
    const number = Number(/Added Q(\d+)/.exec(textOf(asked.json))?.[1]);
    expect(await rig.h.store.questions.get(1, number)).toMatchObject({ text: "Is R&D funding <in scope>?", addressee: "ITU", tags: ["rnd"] });
    // Typed: answer Q<n> Yes source:https://www.itu.int/rnd?a=1&b=2
    await rig.command(`answer Q${number} Yes source:<https://www.itu.int/rnd?a=1&amp;b=2>`);
    const question = (await rig.h.store.questions.get(1, number))!;
    expect((await rig.h.store.answers.forQuestion(question.id)).map((a) => a.source)).toEqual(["https://www.itu.int/rnd?a=1&b=2"]);
  });

  it("runs a command anyone may use without asking users.info, under the name Slack sent", async () => {
    rig.fake.setUser("U0DANA", { name: "Dana D.", real_name: "Dana Delegate" });
    const helped = await rig.command("help", { user_id: "U0DANA", user_name: "dana" });
    expect(textOf(helped.json)).toContain("/docket: the coalition's open questions, answers and deadlines");
    const asked = await rig.command("ask Who keeps the speakers' list? to:Secretariat", { user_id: "U0DANA", user_name: "dana" });
    expect(textOf(asked.json)).toContain("Added Q");
    const [announcement] = await rig.responses(asked.responseId);
    expect(textOf(announcement?.body)).toMatch(/\bdana asked Q\d+ of Secretariat/);
    expect(rig.fake.callsTo("users.info").filter((c) => c.params["user"] === "U0DANA")).toEqual([]);
  });

  it("does not hold the ack for a slow users.info: a restricted command runs without workspace-admin rights", async () => {
    rig.fake.stall("users.info", 8000);
    const before = rig.h.snapshot();
    const res = await rig.command("deadline add Comments due 2026-12-21", { user_id: "U0SLOW", user_name: "slow" });
    expect(res.status).toBe(200);
    expect(textOf(res.json)).toContain("Only an admin of this docket can");
    expect(rig.h.snapshot()).toEqual(before);
    // users.info is recorded when the fake answers it: the ack came first.
    expect(rig.fake.callsTo("users.info").filter((c) => c.params["user"] === "U0SLOW")).toEqual([]);
    expect(rig.log.lines.some((l) => l.includes("users.info did not answer in time") && l.includes("U0SLOW"))).toBe(true);
  });

  it("refuses a bad signature and a stale timestamp with 401, before anything runs", async () => {
    const before = rig.h.snapshot();
    const calls = rig.fake.calls.length;
    const forged = await postSlashCommand(rig.events, SECRET, { command: "/docket", text: "ask Forged question", response_url: rig.fake.responseUrl("forged") }, { badSignature: true });
    expect(forged.status).toBe(401);
    expect(forged.body).toBe("");
    const stale = await postSlashCommand(rig.events, SECRET, { command: "/docket", text: "ask Replayed question", response_url: rig.fake.responseUrl("stale") }, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(stale.status).toBe(401);
    expect(stale.body).toBe("");
    expect(rig.h.snapshot()).toEqual(before);
    expect(rig.fake.calls.length).toBe(calls);
    expect(rig.fake.responsesTo("forged")).toEqual([]);
    expect(rig.fake.responsesTo("stale")).toEqual([]);
  });

  it("serves GET /healthz", async () => {
    const res = await fetch(`${rig.origin}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", slack: "http" });
  });

  it("never logs a token", async () => {
    expect(rig.log.lines.length).toBeGreaterThan(10);
    for (const line of rig.log.lines) expect(line).not.toMatch(/xox[a-z]-|xapp-/);
    // The fake saw the token, so it was sent: only the logs must not have it.
    expect(rig.fake.callsTo("auth.test")[0]?.token).toMatch(/^xoxb-/);
  });
});
