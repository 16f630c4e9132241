/**
 * Milestones on Discord: the digest on a milestone day carries the admin's one role in its content,
 * with `allowed_mentions` naming exactly that role and parsing nothing; every mention a member typed
 * pings no one, and every other message (the next day's digest, replies) still allows none.
 */
import { ApplicationCommandOptionType } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { DOCKET_CHANNEL, GUILD, MODERATORS, ORGANISERS, ALICE, BOB, messageBodies, startDiscordDocket, textOf, type DiscordDocket } from "./support.ts";

let d: DiscordDocket;
afterEach(async () => {
  await d?.close();
});

const as = { platform: "discord" as const, workspace: GUILD, channel: DOCKET_CHANNEL };
const channelPosts = () => messageBodies(d.fake.requests).filter(({ request }) => request.method === "POST" && request.path === `/channels/${DOCKET_CHANNEL}/messages`);
const milestones = (days: string, role: string) => [
  { name: "deadline", value: "WCIT" },
  { name: "days", value: days },
  { name: "ping", type: ApplicationCommandOptionType.Role, value: role },
];

describe("milestone digests on Discord", () => {
  it("ping only the admin's role, through allowed_mentions.roles, on the milestone day only, whatever members typed", async () => {
    d = await startDiscordDocket({ now: "2026-11-29T10:00:00Z" });
    await d.h.ok("deadline add WCIT-12 2026-12-08", as);
    const nasty = `@everyone @here <@&${ORGANISERS}> <@&${MODERATORS}> <@${ALICE}> answer now`;
    await d.slash("ask", { text: nasty, to: "ITU", by: "D1" }, { user: BOB });
    const set = await d.slash("deadline milestones", milestones("7,1", ORGANISERS));
    expect(set.text).toContain("pinging @Organisers there");
    await d.h.ok("digest on 09:00 tz:Europe/London", as);

    d.h.clock.set("2026-12-01T09:00:10Z");
    expect(await d.delivery.tick()).toMatchObject({ sent: 1 });
    const [post] = channelPosts();
    expect(post!.body["allowed_mentions"]).toEqual({ parse: [], roles: [ORGANISERS] });
    expect(post!.body["content"]).toBe(`<@&${ORGANISERS}>`);
    const message = d.fake.channelMessages(DOCKET_CHANNEL).find((m) => m.embeds[0]?.title?.startsWith("Docket digest"));
    expect(message!.embeds[0]!.description).toMatch(/^\*\*7 days to WCIT-12 · 1 question still unanswered · ITU has answered 0 of 1\*\*\n/);
    expect(textOf(message!)).toContain("@everyone @here");
    const stored = d.fake.messages.find((m) => m.message.id === message!.id)!;
    expect(stored.message.mention_roles).toEqual([ORGANISERS]);
    expect(stored.message.mention_everyone).toBe(false);
    expect(stored.message.mentions).toEqual([]);

    // 6 days before: no milestone, so no content and no mention allowed.
    d.h.clock.set("2026-12-02T09:00:10Z");
    expect(await d.delivery.tick()).toMatchObject({ sent: 1 });
    const next = channelPosts()[1]!;
    expect(next.body["allowed_mentions"]).toEqual({ parse: [] });
    expect(next.body["content"]).toBeUndefined();
    // Every other message Docket sent (replies, the public ask line) allowed no mention at all.
    for (const { request, body } of messageBodies(d.fake.requests).filter((b) => b.request !== post!.request))
      expect({ path: request.path, allowed: body["allowed_mentions"] }).toEqual({ path: request.path, allowed: { parse: [] } });
    for (const m of d.fake.messages.filter((x) => x.message.id !== message!.id)) {
      expect(m.message.mention_roles).toEqual([]);
      expect(m.message.mention_everyone).toBe(false);
    }
  });

  it("refuses the server's @everyone role as a ping", async () => {
    d = await startDiscordDocket({ now: "2026-11-29T10:00:00Z" });
    await d.h.ok("deadline add WCIT-12 2026-12-08", as);
    const refused = await d.slash("deadline milestones", milestones("7", GUILD));
    expect(refused.text).toContain("Docket does not ping @everyone");
    expect((await d.h.store.deadlines.get(1, 1))!.milestones).toBeUndefined();
  });
});
