/**
 * Issue 12's acceptance: one docket shared by a Slack workspace and a Discord guild, driven through
 * the real Slack (Bolt over signed HTTP) and Discord (discord.js over the fake gateway) adapters in
 * one process over one store, and judged by what members see on each platform.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { jsonParam } from "../fakes/slack/fake-slack.ts";
import { buildBlockActionsPayload, buildViewSubmissionPayload, type StateValues } from "../fakes/slack/signed-request.ts";
import { startTwoPlatforms, type TwoPlatforms } from "../support/two-platforms.ts";
import { BOB, DOCKET_CHANNEL, OTHER_CHANNEL, OTHER_GUILD, textOf as discordText, type Who } from "./discord/support.ts";
import { textOf as slackText } from "./slack/support.ts";

const CODE = /\b[0-9A-HJKMNP-TV-Z]{4}(?:-[0-9A-HJKMNP-TV-Z]{4}){3}\b/;
const SLACK_DIGEST = "C0DIGEST";

let p: TwoPlatforms;
beforeEach(async () => {
  p = await startTwoPlatforms({ now: "2026-11-29T10:00:00Z" });
});
afterEach(async () => {
  await p?.close();
});

interface Seen {
  text: string;
  ephemeral: boolean;
}

/** `/docket <text>` typed in Slack by Alice (a workspace admin) unless told; what the member sees, ack or (for a slow command) the response_url's first message. */
async function slack(text: string, fields: { user_id?: string; user_name?: string; channel_id?: string } = {}): Promise<Seen> {
  const res = await p.slack.command(text, fields);
  expect(res.status, text).toBe(200);
  const body = res.body === "" ? (await p.slack.responses(res.responseId))[0]?.body : res.json;
  return { text: slackText(body), ephemeral: (body as { response_type?: string } | undefined)?.response_type === "ephemeral" };
}

/** `/docket <name>` in the Discord guild by Alice (Manage Server) unless told; what the member sees. */
async function discord(name: string, options: Record<string, string | boolean> = {}, who: Who = {}): Promise<Seen> {
  const o = await p.discord.slash(name, options, who);
  return { text: o.text, ephemeral: o.ephemeral };
}

/** The link code in a reply, failing loudly when there is none. */
function codeIn(seen: Seen): string {
  const code = CODE.exec(seen.text)?.[0];
  if (!code) throw new Error(`no link code in: ${seen.text}`);
  return code;
}

// How the link commands are typed on each platform: the contract's words on Slack, its options on Discord.
const slackLink = (code?: string, merge = false) => slack(["link", code, merge ? "merge:yes" : undefined].filter(Boolean).join(" "));
const discordLink = (code: string, o: { merge?: boolean; who?: Who } = {}) => discord("link", { code, ...(o.merge ? { merge: true } : {}) }, o.who);
// why the code option: Discord cannot have a subcommand and a group both named link, so `link status` is typed as the code "status".
const discordLinkStatus = (who: Who = {}) => discord("link", { code: "status" }, who);

/** `export json` as a Slack member gets it: the uploaded file's text, or the reply when there is no file. */
async function slackExport(): Promise<string> {
  const before = p.slack.fake.uploads.length;
  const res = await p.slack.command("export json");
  // why two: the reply comes at once, the notice once the file is up.
  const [reply, shared] = await p.slack.responses(res.responseId, 2);
  return p.slack.fake.uploads.length > before ? p.slack.fake.uploads.at(-1)!.bytes.toString("utf8") : slackText([reply?.body, shared?.body]);
}

/** `export json` as a Discord member gets it: the attached file's text, or the reply when there is no file. */
async function discordExport(who: Who = {}): Promise<string> {
  const o = await p.discord.slash("export", { format: "json" }, who);
  const edit = p.discord.fake.requests.find((r) => r.method === "PATCH" && r.path.includes(o.callback.token ?? "") && r.files.length > 0);
  return edit ? edit.files[0]!.data.toString("utf8") : o.text;
}

/** A Slack workspace linked and the Discord guild joined: the shared docket both are bound to. */
async function linkSlackToDiscord(): Promise<void> {
  const code = codeIn(await slackLink());
  expect((await discordLink(code)).text).toContain("now shares the docket");
}

/** The digest posted in a Slack channel at 09:00 the next morning: its blocks as text, and its Answer buttons as Slack recorded them. */
function slackDigest(channel: string) {
  const message = p.slack.fake.messages.find((m) => m.channel === channel);
  if (!message) throw new Error(`no digest in Slack channel ${channel}`);
  const blocks = message.blocks as Array<{ block_id?: string; accessory?: { action_id: string; value: string } }>;
  return { message, text: slackText(blocks), buttons: blocks.flatMap((b) => (b.accessory ? [{ ...b.accessory, block_id: b.block_id }] : [])) };
}

/** `4 questions open · 3 answered … · 1 overdue`: the counts line of a rendered digest. */
const countsIn = (text: string) => /\d+ questions? open · \d+ answered.*· \d+ overdue/.exec(text)?.[0];

describe("one docket shared by a Slack workspace and a Discord guild", () => {
  it("linked from Slack and joined from Discord: asked on Discord, answered from a Slack digest's button, shown alike on both with both platforms named", async () => {
    const offered = await slackLink();
    expect(offered.ephemeral).toBe(true);
    const code = codeIn(offered);
    expect(offered.text).toContain(`/docket link ${code}`);

    const joined = await discordLink(code);
    expect(joined).toMatchObject({ ephemeral: true, text: expect.stringContaining("This server now shares the docket") });
    for (const seen of [await slack("link status"), await discordLinkStatus()]) {
      expect(seen.text).toContain("Slack: docket-test");
      expect(seen.text).toContain("Discord: Treaty Coalition");
    }

    const asked = await p.discord.slash("ask", { text: "Will the WCIT-12 drafts be public?", to: "ITU" }, { user: BOB });
    expect(asked.text).toContain("Added Q1");

    expect(await slack(`digest on 09:00 tz:Europe/London`, { channel_id: SLACK_DIGEST })).toMatchObject({ text: expect.stringContaining("Digest on") });
    p.h.clock.set("2026-11-30T09:00:30Z");
    expect(await p.delivery.tick()).toMatchObject({ sent: 1, failed: 0 });
    const digest = slackDigest(SLACK_DIGEST);
    expect(digest.text).toContain("Q1 Will the WCIT-12 drafts be public?");
    const button = digest.buttons.find((b) => b.action_id === "docket_answer" && b.value === "1");
    expect(button, "the digest's Answer button for Q1").toBeDefined();

    // Slack sends the click back: the button as the digest carried it, from the digest's message.
    const opens = p.slack.fake.callsTo("views.open").length;
    const responseUrl = p.slack.fake.responseUrl("digest-answer");
    const click = buildBlockActionsPayload({ action_id: button!.action_id, value: button!.value, ...(button!.block_id ? { block_id: button!.block_id } : {}), channel: { id: SLACK_DIGEST, name: "digest" }, message_ts: digest.message.ts, response_url: responseUrl, user: { id: "U0BOB", username: "bob", name: "bob" } });
    expect((await p.slack.interact(click)).status).toBe(200);
    const opened = await p.slack.fake.waitFor((c) => c.method === "views.open" && p.slack.fake.callsTo("views.open").indexOf(c) >= opens);
    const view = jsonParam(opened, "view") as { callback_id: string; private_metadata: string; blocks: unknown[]; title: { text: string } };
    expect(view.title.text).toBe("Answer Q1");
    const values: StateValues = { text: { value: { type: "plain_text_input", value: "Yes, after the plenary adopts them" } }, source: { value: { type: "plain_text_input", value: "ITU Council Decision 588" } } };
    const submitted = await p.slack.interact(buildViewSubmissionPayload({ callback_id: view.callback_id, private_metadata: view.private_metadata, blocks: view.blocks, values, user: { id: "U0BOB", username: "bob", name: "bob" } }));
    expect(submitted.status).toBe(200);
    const [reply] = await p.slack.responses("digest-answer", 2);
    expect(slackText(reply?.body)).toContain("Logged a full answer to Q1");

    const onSlack = await slack("show Q1");
    const onDiscord = await discord("show", { question: "Q1" });
    for (const seen of [onSlack, onDiscord]) {
      expect(seen.text).toContain("Will the WCIT-12 drafts be public?");
      expect(seen.text).toContain("Yes, after the plenary adopts them");
      // Bob on Discord asked, bob on Slack answered: each named with their platform.
      expect(seen.text).toMatch(/asked .*by Bob \(Discord\)/);
      expect(seen.text).toMatch(/logged by bob \(Slack\)/);
    }
  });

  it("a guild that is not linked sees nothing of the shared docket: not in list, show, search, suggestions, exports or its digest", async () => {
    await linkSlackToDiscord();
    await p.discord.slash("ask", { text: "Confidential: who funds the secretariat's travel?" }, { user: BOB });
    expect((await slack("list")).text).toContain("Confidential");

    const other: Who = { guildId: OTHER_GUILD };
    expect((await discord("list", {}, other)).text).toContain("No open questions");
    expect((await discord("show", { question: "Q1" }, other)).text).toContain("There is no Q1 in this docket");
    expect((await discord("search", { words: "Confidential" }, other)).text).toContain('Nothing matches "Confidential"');
    expect(await p.discord.autocomplete("answer", { name: "question", value: "" }, other)).toEqual([]);
    expect(await discordExport(other)).not.toContain("Confidential");
    expect((await discordLinkStatus(other)).text).toContain("This docket is not shared");

    await discord("digest on", { time: "09:00" }, other);
    await discord("digest on", { time: "09:00" });
    p.h.clock.set("2026-11-30T09:00:30Z");
    expect(await p.delivery.tick()).toMatchObject({ sent: 2 });
    expect(p.discord.fake.channelMessages(DOCKET_CHANNEL).map(discordText).join("\n")).toContain("Confidential");
    expect(p.discord.fake.channelMessages(OTHER_CHANNEL).map(discordText).join("\n")).not.toContain("Confidential");
  });

  it("refuses a wrong code, an expired code and a used code, changing nothing", async () => {
    await slack("ask Is remote participation allowed? to:Secretariat");
    await discord("ask", { text: "Who chairs the plenary?" });
    const exports = async () => ({ slack: await slackExport(), discord: await discordExport() });
    // Each export is taken after the code is made: making one is a change of its own (an audit row, never the code).
    const expiring = codeIn(await slackLink());
    let before = await exports();
    expect(before.slack).toContain("Is remote participation allowed?");
    expect(before.discord).toContain("Who chairs the plenary?");
    p.h.clock.set("2026-11-30T11:00:00Z");
    expect((await discordLink(expiring, { merge: true })).text).toMatch(/expired/i);
    expect(await exports()).toEqual(before);

    const code = codeIn(await slackLink());
    before = await exports();
    // A member who is not an admin gets no code on Slack, and cannot use one on Discord.
    expect((await slack("link", { user_id: "U0BOB", user_name: "bob" })).text).not.toMatch(CODE);
    expect((await discordLink(code, { merge: true, who: { user: BOB } })).text).toMatch(/admin/i);
    expect(await exports()).toEqual(before);
    const wrong = `${code.slice(0, -1)}${code.endsWith("0") ? "1" : "0"}`;
    expect((await discordLink(wrong, { merge: true })).text).toMatch(/not a link code/i);
    expect(await exports()).toEqual(before);

    // The other guild uses the code first; then it is spent.
    expect((await discordLink(code, { who: { guildId: OTHER_GUILD } })).text).toContain("now shares the docket");
    const afterJoin = await exports();
    expect((await discordLink(code, { merge: true })).text).toMatch(/already used/i);
    expect(await exports()).toEqual(afterJoin);
    expect((await discord("list")).text).not.toContain("Is remote participation allowed?");
  });

  it("merging a non-empty Discord docket keeps every question, answer, note and deadline, under the new numbers the reply gives", async () => {
    await slack("ask Is remote participation allowed? to:Secretariat #access");
    await slack('deadline add "Council 2027" 2027-06-10');
    await discord("deadline add", { title: "WCIT-12 opens", date: "2026-12-03" });
    await discord("ask", { text: "What does ITU membership cost?", to: "ITU", by: "D1" });
    await discord("ask", { text: "Who chairs the plenary?" }, { user: BOB });
    await discord("answer", { question: "Q1", text: "CHF 10,600 a year", source: "https://www.itu.int/en/join" });
    await discord("note", { question: "Q2", text: "Asked again at the briefing" });
    const slackBefore = snapshotOf(await slackExport());
    const discordBefore = snapshotOf(await discordExport());
    expect(discordBefore.questions).toHaveLength(2);

    const code = codeIn(await slackLink());
    const refused = await discordLink(code);
    expect(refused.text).toMatch(/2 questions and 1 deadline.*merge:yes/s);
    expect(snapshotOf(await discordExport())).toEqual(discordBefore);

    const merged = await discordLink(code, { merge: true });
    const questionMap = new Map([...merged.text.matchAll(/Q(\d+)\s*→\s*Q(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]));
    const deadlineMap = new Map([...merged.text.matchAll(/D(\d+)\s*→\s*D(\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]));
    expect([...questionMap]).toEqual([[1, 2], [2, 3]]);
    expect([...deadlineMap]).toEqual([[1, 2]]);

    // One docket now: both sides export the same file, which holds Slack's docket as it was and Discord's renumbered.
    const shared = await slackExport();
    expect(await discordExport()).toEqual(shared);
    const after = snapshotOf(shared);
    const expected = [...kept(slackBefore, new Map(), new Map()), ...kept(discordBefore, questionMap, deadlineMap)].sort(byKey);
    expect(kept(after, new Map(), new Map()).sort(byKey)).toEqual(expected);

    const moved = await discord("show", { question: "Q2" });
    expect(moved.text).toContain("What does ITU membership cost?");
    expect(moved.text).toContain("CHF 10,600 a year");
    expect(moved.text).toContain("D2");
    expect((await slack("show Q3")).text).toContain("Asked again at the briefing");
  });

  it("unlink leaves the Discord guild with an empty docket of its own, or with copy:yes a full copy; Slack keeps the shared one", async () => {
    await linkSlackToDiscord();
    await discord("ask", { text: "Who chairs the plenary?" }, { user: BOB });
    await slack("answer Q1 The Secretary-General source:https://www.itu.int");

    expect((await discord("unlink")).text).toContain("left the shared docket");
    expect((await discord("list")).text).toContain("No open questions");
    expect((await discord("show", { question: "Q1" })).text).toContain("There is no Q1 in this docket");
    expect((await slack("show Q1")).text).toContain("Who chairs the plenary?");
    expect((await slack("link status")).text).toMatch(/not shared/i);

    expect((await discordLink(codeIn(await slackLink()))).text).toContain("now shares the docket");
    expect((await discord("show", { question: "Q1" })).text).toContain("Who chairs the plenary?");
    expect((await discord("unlink", { copy: true })).text).toContain("left the shared docket");
    const copy = await discord("show", { question: "Q1" });
    expect(copy.text).toContain("Who chairs the plenary?");
    expect(copy.text).toContain("The Secretary-General");
    // Two dockets again: what is asked on one is not on the other.
    await discord("ask", { text: "Only on Discord now?" });
    expect((await slack("list all")).text).not.toContain("Only on Discord now?");
    expect((await discordLinkStatus()).text).toMatch(/not shared/i);
  });

  it("a digest in a Slack channel and one in a Discord channel of the shared docket count the same questions the same morning", async () => {
    await linkSlackToDiscord();
    await discord("ask", { text: "Who chairs the plenary?" }, { user: BOB });
    await slack("ask Is remote participation allowed? to:Secretariat");
    await discord("ask", { text: "What does ITU membership cost?", by: "2026-11-29" });
    await slack("answer Q1 The Secretary-General source:https://www.itu.int");
    // Each channel keeps its own time; nothing changes between the two.
    await slack("digest on 08:00 tz:Europe/London", { channel_id: SLACK_DIGEST });
    await discord("digest on", { time: "08:30", tz: "Europe/London" });
    p.h.clock.set("2026-11-30T08:00:30Z");
    expect(await p.delivery.tick()).toMatchObject({ sent: 1, failed: 0 });
    p.h.clock.set("2026-11-30T08:30:30Z");
    expect(await p.delivery.tick()).toMatchObject({ sent: 1, failed: 0 });
    const onSlack = countsIn(slackDigest(SLACK_DIGEST).text);
    const posted = p.discord.fake.channelMessages(DOCKET_CHANNEL);
    const onDiscord = countsIn(posted.map(discordText).join("\n"));
    expect(onSlack).toMatch(/^2 questions open · 1 answered.* · 1 overdue$/);
    expect(onDiscord).toBe(onSlack);

    // The other way round: Discord's digest answers a question asked on Slack.
    const message = posted.find((m) => JSON.stringify(m.components).includes("docket:answer:2"));
    expect(message, "the Discord digest's Answer button for Q2").toBeDefined();
    expect((await p.discord.button("docket:answer:2", message!.id, { user: BOB })).callback.data).toMatchObject({ title: "Answer Q2" });
    const submitted = await p.discord.submit("docket:form:answer|2", { text: "Only for registered observers", source: "", partial: "" }, { user: BOB, message: message!.id });
    expect(submitted.text).toContain("Logged a full answer to Q2");
    expect((await slack("show Q2")).text).toMatch(/logged by Bob \(Discord\)/);
  });
});

interface Snapshot {
  questions: Array<{ number: number; text: string; addressee: string | null; tags: string[]; status: string; neededBy: { kind: string; deadlineNumber?: number; date?: string } | null; askedBy: number }>;
  answers: Array<{ questionNumber: number; text: string; source: string | null; kind: string; loggedBy: number }>;
  notes: Array<{ questionNumber: number; text: string; author: number }>;
  deadlines: Array<{ number: number; title: string; date: string; time: string | null; timeZone: string; place: string | null }>;
  members: Array<{ id: number; platform: string; displayName: string }>;
}

function snapshotOf(json: string): Snapshot {
  try {
    return JSON.parse(json) as Snapshot;
  } catch {
    throw new Error(`not a json export: ${json.slice(0, 200)}`);
  }
}

/**
 * What a merge must keep of a docket, with the numbers it gave them: each question, answer, note and
 * deadline as a line of text, its people by platform and name (member ids are the store's own).
 */
function kept(s: Snapshot, questions: ReadonlyMap<number, number>, deadlines: ReadonlyMap<number, number>): string[] {
  const q = (n: number) => questions.get(n) ?? n;
  const d = (n: number) => deadlines.get(n) ?? n;
  const who = (id: number) => {
    const m = s.members.find((x) => x.id === id);
    return m ? `${m.displayName} (${m.platform})` : `member ${id}`;
  };
  const needed = (n: Snapshot["questions"][number]["neededBy"]) => (n === null ? "" : n.kind === "deadline" ? `D${d(n.deadlineNumber!)}` : n.date!);
  return [
    ...s.questions.map((x) => `Q${q(x.number)} ${x.text} | ${x.addressee} | ${x.tags.join(",")} | ${x.status} | ${needed(x.neededBy)} | ${who(x.askedBy)}`),
    ...s.answers.map((x) => `Q${q(x.questionNumber)} answer ${x.text} | ${x.source} | ${x.kind} | ${who(x.loggedBy)}`),
    ...s.notes.map((x) => `Q${q(x.questionNumber)} note ${x.text} | ${who(x.author)}`),
    ...s.deadlines.map((x) => `D${d(x.number)} ${x.title} | ${x.date} ${x.time} ${x.timeZone} | ${x.place}`),
  ];
}

const byKey = (a: string, b: string) => a.localeCompare(b);
