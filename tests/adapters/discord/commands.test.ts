/**
 * Every command of the vocabulary through `/docket` on the real discord.js Client against the fake
 * Discord: slash commands, their ephemeral replies, deferred replies, the file of an export, and
 * the public line of `ask` and `answer`.
 */
import { ApplicationCommandOptionType } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replyToText } from "../../../src/core/reply.ts";
import { ALICE, BOB, DOCKET_CHANNEL, MODERATORS, ORGANISERS, SERVER_ADMINS, SERVER_MANAGERS, startDiscordDocket, type DiscordDocket, type Outcome } from "./support.ts";

let d: DiscordDocket;
beforeAll(async () => {
  d = await startDiscordDocket();
});
afterAll(async () => {
  await d?.close();
});

const covered = new Set<string>();
async function run(name: string, options: Parameters<DiscordDocket["slash"]>[1] = {}, who: Parameters<DiscordDocket["slash"]>[2] = {}): Promise<Outcome> {
  covered.add(name);
  return d.slash(name, options, who);
}

function expectEphemeral(o: Outcome, type = 4) {
  expect(o.callback.type).toBe(type);
  expect((o.callback.data as { flags?: number }).flags).toBe(64);
  expect(o.ephemeral).toBe(true);
}

describe("/docket on Discord", () => {
  it("runs every command of the vocabulary, each answered privately", async () => {
    let o = await run("help");
    expectEphemeral(o);
    expect(o.text).toContain("/docket ask <text>");
    expect(o.messages[0]!.message.embeds.length).toBeGreaterThan(0);

    o = await run("ask", { text: "What does ITU membership cost for an NGO?", to: "ITU", tags: "#membership #fees" });
    expectEphemeral(o);
    expect(o.text).toContain("Added Q1");
    expect(o.text).toContain("#membership #fees");
    expect(o.public.map((m) => m.message.content)).toEqual(["Alice asked Q1 of ITU: What does ITU membership cost for an NGO?"]);
    expect(o.public[0]!.channelId).toBe(DOCKET_CHANNEL);

    o = await run("deadline add", { title: "WCIT-12 opens", date: "2026-12-03", time: "09:00", tz: "Asia/Dubai", at: "Dubai" });
    expectEphemeral(o);
    expect(o.text).toContain("Added D1");
    expect(o.text).toContain("WCIT-12 opens (Dubai) is in 4 days");

    o = await run("deadline list");
    expect(o.text).toContain("D1 WCIT-12 opens");

    o = await run("deadline edit", { deadline: "D1", at: "Dubai WTC" });
    expect(o.text).toContain("Updated D1");

    o = await run("ask", { text: "Will plenary sessions be webcast?", by: "WCIT" }, { user: BOB });
    expect(o.text).toContain("Added Q2");
    expect(o.text).toContain("D1 WCIT-12 opens");

    o = await run("answer", { question: "Q1", text: "CHF 10,600 a year for sector members", source: "https://www.itu.int/en/join", partial: false });
    expectEphemeral(o);
    expect(o.text).toContain("Logged a full answer to Q1");
    expect(o.public[0]!.message.content).toContain("Alice logged an answer to Q1: CHF 10,600 a year");

    o = await run("edit", { question: "2", to: "Secretariat" }, { user: BOB });
    expect(o.text).toContain("Updated Q2");

    o = await run("note", { question: "Q2", text: "Asked again at the 9 Oct briefing" });
    expect(o.text).toContain("Noted on Q2");

    o = await run("chase", { question: "Q2", text: "Emailed the secretariat again", via: "email" });
    expect(o.text).toContain("Chase logged on Q2");

    o = await run("scorecard");
    expectEphemeral(o, 5);
    expect(o.text).toContain("Scorecard");

    o = await run("withdraw", { question: "Q2", reason: "Superseded" }, { user: BOB });
    expect(o.text).toContain("Q2 is withdrawn");

    o = await run("reopen", { question: "Q2" }, { user: BOB });
    expect(o.text).toContain("Q2 is open again");

    o = await run("show", { question: "Q1" });
    expectEphemeral(o);
    const show = o.messages[0]!.message.embeds;
    expect(show[0]!.title).toBe("Q1 · answered");
    expect(show[0]!.fields?.find((f) => f.name === "Asked of")?.value).toBe("ITU");
    expect(show.map((e) => e.title)).toContain("Answers");

    o = await run("list", { status: "all" });
    expect(o.messages[0]!.message.embeds[0]!.title).toBe("2 questions");
    expect(o.text).toMatch(/Q1 What does ITU[\s\S]*Q2 Will plenary/);

    o = await run("search", { words: "webcast" });
    expectEphemeral(o, 5);
    expect(o.text).toContain("1 match");
    expect(o.messages[0]!.message.flags! & 128).toBe(0);

    o = await run("digest on", { time: "09:00", tz: "Europe/London", days: "mon-fri" });
    expect(o.text).toContain("Digest on in this channel");
    expect(o.text).toContain("09:00 Europe/London, Mon–Fri");

    o = await run("digest status");
    expect(o.text).toContain("Digest on in this channel");

    o = await run("digest preview");
    expectEphemeral(o, 5);
    expect(o.text).toContain("Preview: Docket digest");
    expect(o.messages[0]!.message.components).toEqual([]);

    o = await run("digest off");
    expect(o.text).toContain("Digest off in this channel");

    o = await run("export", { format: "csv" });
    expectEphemeral(o, 5);
    const edit = d.fake.requests.find((r) => r.method === "PATCH" && r.path.endsWith("/messages/@original") && r.path.includes(o.callback.token))!;
    expect(edit.files.map((f) => f.filename)).toEqual([expect.stringMatching(/\.csv$/)]);
    expect(edit.files[0]!.data.toString()).toContain("What does ITU membership cost for an NGO?");
    expect(o.messages[0]!.message.attachments).toHaveLength(1);

    o = await run("admin add", [{ name: "who", type: ApplicationCommandOptionType.Mentionable, value: ORGANISERS }]);
    expect(o.text).toContain("@Organisers is now an admin of this docket");

    o = await run("admin list");
    expect(o.text).toContain("1 on this docket's admin list");

    o = await run("rename", { name: "WCIT-12 coalition" });
    expectEphemeral(o);
    expect(o.text).toContain("This docket is now called WCIT-12 coalition");

    // A member with the listed role counts as an admin; without it, not.
    o = await run("deadline add", { title: "Comments due", date: "2026-12-20" }, { user: BOB, roles: [ORGANISERS] });
    expect(o.text).toContain("Added D2");

    o = await run("admin remove", [{ name: "who", type: ApplicationCommandOptionType.Mentionable, value: ORGANISERS }]);
    expect(o.text).toContain("no longer an admin");

    o = await run("deadline milestones", [{ name: "deadline", value: "D2" }, { name: "days", value: "7,1" }, { name: "ping", type: ApplicationCommandOptionType.Role, value: ORGANISERS }]);
    expectEphemeral(o);
    expect(o.text).toContain("Milestones set for D2");
    expect(o.text).toContain("7 and 1 days before, pinging @Organisers there");

    o = await run("deadline remove", { deadline: "D2" });
    expect(o.text).toContain("Removed D2");

    o = await run("admin add", [{ name: "who", type: ApplicationCommandOptionType.Mentionable, value: BOB }]);
    expect(o.text).toContain("Bob is now an admin of this docket");
    expect(await d.h.store.admins.list(1)).toEqual([expect.objectContaining({ kind: "member", platform: "discord", id: BOB })]);

    o = await run("link");
    expectEphemeral(o);
    const code = /\b[0-9A-Z]{4}(-[0-9A-Z]{4}){3}\b/.exec(o.text)![0];
    expect(o.text).toContain(`/docket link ${code}`);
    const partner = { platform: "discord", workspace: "G-PARTNER", id: "9" } as const;
    await d.h.ok(`link ${code}`, partner);
    // Discord holds no group beside the subcommand link: `link status` comes as link code:status.
    covered.add("link status");
    o = await d.slash("link", { code: "status" }, { user: BOB });
    expectEphemeral(o);
    expect(o.text).toContain("Discord: Coalition G-PARTNER");

    o = await run("unlink");
    expectEphemeral(o);
    expect(o.text).toContain("This server left the shared docket");
    // Back into the shared docket, with a code from the partner, so the tests after this one find it as it was.
    const back = /\b[0-9A-Z]{4}(-[0-9A-Z]{4}){3}\b/.exec(replyToText(await d.h.ok("link", partner)))![0];
    o = await run("link", { code: back });
    expect(o.text).toContain("This server now shares the docket");

    expect([...covered].sort()).toEqual(d.h.core.vocabulary.map((c) => c.name).sort());
  });

  it("answers mistakes and refusals with an ephemeral message that changes nothing", async () => {
    const before = d.h.snapshot();
    let o = await d.slash("show", { question: "Q99" });
    expectEphemeral(o);
    expect(o.messages[0]!.message.content).toContain("There is no Q99 in this docket");
    expect(o.messages[0]!.message.embeds).toEqual([]);

    o = await d.slash("deadline add", { title: "Not allowed", date: "2026-12-24" }, { user: "1400000000000000199" });
    expectEphemeral(o);
    expect(o.text).toContain("Only an admin of this docket can use /docket deadline add");

    o = await d.slash("deadline add", { title: "Bad date", date: "31 Feb 2027" });
    expectEphemeral(o);
    expect(o.text).toMatch(/date/i);

    o = await d.slash("ask", { text: "x".repeat(50), tags: "#not a tag!" });
    expectEphemeral(o);
    expect(o.public).toEqual([]);
    expect(d.h.snapshot()).toEqual(before);
  });

  it("does not attach an export larger than the interaction allows, and says how to write it instead", async () => {
    const o = await d.slash("export", { format: "csv" }, { attachmentSizeLimit: 100 });
    expectEphemeral(o, 5);
    expect(o.text).toContain("more than Discord lets Docket attach here");
    expect(o.text).toContain("docket export --format csv --docket 1");
    const edit = d.fake.requests.find((r) => r.method === "PATCH" && r.path.includes(o.callback.token))!;
    expect(edit.files).toEqual([]);
  });

  it("treats Manage Server or Administrator from a member's roles as admin, and Manage Messages not", async () => {
    // why: no explicit permissions here, so the fake computes them from the member's roles as Discord does.
    const carol = { user: "1400000000000000150" };
    expect((await d.slash("deadline add", { title: "By a server manager", date: "2026-12-24" }, { ...carol, roles: [SERVER_MANAGERS] })).text).toContain("Added D");
    expect((await d.slash("deadline add", { title: "By an administrator", date: "2026-12-24" }, { ...carol, roles: [SERVER_ADMINS] })).text).toContain("Added D");
    const before = d.h.snapshot();
    expect((await d.slash("deadline add", { title: "By a moderator", date: "2026-12-24" }, { ...carol, roles: [MODERATORS] })).text).toContain("Only an admin of this docket");
    expect(d.h.snapshot()).toEqual(before);
  });

  it("says Docket works in servers when used in a DM", async () => {
    const payload = d.fake.sendInteraction(d.fake.chatInput({ name: "docket", subcommand: "list", guildId: null, user: { id: ALICE } }));
    const callback = await d.fake.waitForCallback(payload.id);
    expect(callback.type).toBe(4);
    expect((callback.data as { content: string; flags: number }).content).toContain("Docket works inside a server");
  });
});
