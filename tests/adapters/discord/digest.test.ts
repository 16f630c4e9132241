/**
 * Digests on Discord: posted as embeds with a nonce so a retry cannot duplicate, split within
 * Discord's limits, paused (and admins told) when the channel forbids the bot, paused when Docket
 * leaves the server; two servers never see each other's docket; and no message ever pings.
 */
import { ApplicationCommandOptionType } from "discord.js";
import { afterEach, describe, expect, it, vi } from "vitest";
import { nonceOf } from "../../../adapters/discord/discord-chat.ts";
import type { RecordedRequest } from "../../fakes/discord/fake-discord.ts";
import { ALICE, BOB, DOCKET_CHANNEL, GENERAL, GUILD, LOCKED, ORGANISERS, OTHER_CHANNEL, OTHER_GUILD, messageBodies, startDiscordDocket, textOf, type DiscordDocket } from "./support.ts";

const open: DiscordDocket[] = [];
async function docket(now = "2026-11-29T10:00:00Z", nonceWindowMs?: number) {
  const d = await startDiscordDocket({ now, ...(nonceWindowMs !== undefined ? { nonceWindowMs } : {}) });
  open.push(d);
  return d;
}
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
});

const as = (channel = DOCKET_CHANNEL) => ({ platform: "discord" as const, workspace: GUILD, channel });
const channelPosts = (requests: readonly RecordedRequest[], channel: string) => requests.filter((r) => r.method === "POST" && r.path === `/channels/${channel}/messages`);

describe("digest delivery on Discord", () => {
  it("posts the digest as embeds with a nonce from the delivery key and enforce_nonce", async () => {
    const d = await docket();
    await d.h.run("ask What does ITU membership cost? to:ITU", as());
    await d.h.run("deadline add WCIT-12 opens 2026-12-03", as());
    await d.h.run("digest on 09:00 tz:Europe/London", as());
    d.h.clock.set("2026-11-30T09:00:10Z");
    expect(await d.delivery.tick()).toMatchObject({ sent: 1 });
    const [post] = channelPosts(d.fake.requests, DOCKET_CHANNEL);
    expect(post!.body).toMatchObject({ nonce: nonceOf("digest-1-2026-11-30", 0), enforce_nonce: true, allowed_mentions: { parse: [] } });
    expect((post!.body as { nonce: string }).nonce).toHaveLength(25);
    const [message] = d.fake.channelMessages(DOCKET_CHANNEL);
    expect(message!.embeds[0]!.title).toBe("Docket digest · Monday 30 November 2026");
    expect(textOf(message!)).toContain("D1 WCIT-12 opens is in 3 days");
    expect(textOf(message!)).toContain("Q1 What does ITU membership cost?");
    expect(await d.h.store.deliveries.latest(1)).toMatchObject({ state: "sent", messageId: message!.id });
  });

  it("a retried post with the same delivery key does not post twice", async () => {
    const d = await docket();
    await d.h.run("ask Is the draft public?", as());
    const digest = await d.h.run("digest preview", as());
    const channel = { platform: "discord" as const, workspaceId: GUILD, channelId: DOCKET_CHANNEL };
    const [part] = d.adapter.chat.render({ ...digest, visibility: "channel" });
    const first = await d.adapter.chat.send(channel, part!, { deliveryKey: "digest-7-2026-11-29", part: 1, parts: 1 });
    const again = await d.adapter.chat.send(channel, part!, { deliveryKey: "digest-7-2026-11-29", part: 1, parts: 1 });
    expect(again.messageId).toBe(first.messageId);
    expect(channelPosts(d.fake.requests, DOCKET_CHANNEL)).toHaveLength(2);
    expect(d.fake.channelMessages(DOCKET_CHANNEL)).toHaveLength(1);
    // A different day is a different delivery.
    await d.adapter.chat.send(channel, part!, { deliveryKey: "digest-7-2026-11-30", part: 1, parts: 1 });
    expect(d.fake.channelMessages(DOCKET_CHANNEL)).toHaveLength(2);
  });

  it("a digest run held by Discord's global rate limit does not hold up deferred replies and follow-ups", async () => {
    const d = await docket();
    await d.h.run("ask Is the draft public?", as());
    await d.h.run("digest on 09:00 tz:Europe/London", as());
    d.h.clock.set("2026-11-30T09:00:10Z");
    // why: a 429 marked global makes discord.js hold every request of that REST client (but the first interaction callback) until retry_after has passed.
    d.fake.failNext({ method: "POST", path: `/channels/${DOCKET_CHANNEL}/messages` }, { status: 429, global: true, retryAfter: 2 });
    const ticking = d.delivery.tick();
    await d.fake.waitForRequest((r) => r.status === 429);
    const search = await d.slash("search", { words: "draft" });
    expect(search.callback.type).toBe(5);
    expect(search.text).toContain("1 match");
    // The deferred reply was edited while the digest was still waiting for the limit to lift.
    expect(channelPosts(d.fake.requests, DOCKET_CHANNEL).map((r) => r.status)).toEqual([429]);
    expect(await ticking).toMatchObject({ sent: 1 });
    expect(channelPosts(d.fake.requests, DOCKET_CHANNEL).map((r) => r.status)).toEqual([429, 200]);
  });

  it("a 5xx is retryable: the delivery retries later, and the retry posts once", async () => {
    const d = await docket();
    await d.h.run("ask Is the draft public?", as());
    await d.h.run("digest on 09:00 tz:Europe/London", as());
    d.h.clock.set("2026-11-30T09:00:10Z");
    d.fake.failNext({ method: "POST", path: `/channels/${DOCKET_CHANNEL}/messages` }, { status: 503, times: 4 });
    expect(await d.delivery.tick()).toMatchObject({ sent: 0, failed: 1, paused: 0 });
    expect(await d.h.store.deliveries.latest(1)).toMatchObject({ state: "failed" });
    d.h.clock.set("2026-11-30T09:01:00Z");
    expect(await d.delivery.tick()).toMatchObject({ sent: 1 });
    expect(d.fake.channelMessages(DOCKET_CHANNEL)).toHaveLength(1);
  });

  it("a split digest that failed part-way resumes after the parts the ledger recorded, also past the nonce window", async () => {
    // The fake forgets nonces at once, as Discord does after a few minutes: only the ledger prevents a duplicate.
    const d = await docket("2026-11-29T08:00:00Z", 0);
    for (let n = 1; n <= 45; n++) await d.h.run(`ask "Question ${n}: ${"what exactly is meant by the provision ".repeat(5)}" to:ITU`, as());
    await d.h.run("digest on 09:00 tz:Europe/London", as());
    d.h.clock.set("2026-11-29T08:30:00Z");
    for (let n = 1; n <= 40; n++) await d.h.run(`answer Q${n} "${`Answer ${n}: the secretariat confirmed in writing that `.repeat(6)}"`, as());
    // The second message fails on every attempt discord.js makes (it retries a 5xx three times).
    d.fake.failNext((r) => r.method === "POST" && r.path === `/channels/${DOCKET_CHANNEL}/messages` && d.fake.channelMessages(DOCKET_CHANNEL).length === 1, { status: 500, times: 4 });
    d.h.clock.set("2026-11-29T09:00:10Z");
    expect(await d.delivery.tick()).toMatchObject({ failed: 1 });
    const ledger = (await d.h.store.deliveries.latest(1))!;
    expect(ledger.state).toBe("failed");
    const recorded = (await d.h.store.deliveries.parts(1, "2026-11-29")).map((p) => p.messageId !== null);
    expect(recorded.slice(0, 2)).toEqual([true, false]);
    expect(d.fake.channelMessages(DOCKET_CHANNEL)).toHaveLength(1);
    // An hour later Discord has forgotten the nonces; the ledger has not.
    d.h.clock.set("2026-11-29T10:00:00Z");
    expect(await d.delivery.tick()).toMatchObject({ sent: 1 });
    const nonces = d.fake.channelMessages(DOCKET_CHANNEL).map((m) => m.nonce);
    expect(nonces.length).toBeGreaterThan(2);
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it("splits a long digest into several messages, in order, each within Discord's limits", async () => {
    const d = await docket("2026-11-29T08:00:00Z");
    for (let n = 1; n <= 45; n++) await d.h.run(`ask "Question ${n}: ${"what exactly is meant by the provision ".repeat(5)}" to:ITU`, as());
    await d.h.run("digest on 09:00 tz:Europe/London", as());
    d.h.clock.set("2026-11-29T08:30:00Z");
    for (let n = 1; n <= 40; n++) await d.h.run(`answer Q${n} "${`Answer ${n}: the secretariat confirmed in writing that `.repeat(6)}" source:"https://www.itu.int/en/council/decisions/${n}"`, as());
    d.h.clock.set("2026-11-29T09:00:10Z");
    expect(await d.delivery.tick()).toMatchObject({ sent: 1 });
    const posts = channelPosts(d.fake.requests, DOCKET_CHANNEL);
    expect(posts.length).toBeGreaterThan(2);
    const messages = d.fake.channelMessages(DOCKET_CHANNEL);
    expect(messages).toHaveLength(posts.length);
    expect(new Set(posts.map((p) => (p.body as { nonce: string }).nonce)).size).toBe(posts.length);
    for (const m of messages) {
      expect(m.embeds.length).toBeLessThanOrEqual(10);
      const size = m.embeds.reduce((n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.fields ?? []).reduce((k, f) => k + f.name.length + f.value.length, 0), 0);
      expect(size).toBeLessThanOrEqual(6000);
      for (const e of m.embeds) expect(e.description?.length ?? 0).toBeLessThanOrEqual(4096);
      expect(m.components?.length ?? 0).toBeLessThanOrEqual(5);
    }
    const text = messages.map(textOf).join("\n");
    expect(messages[0]!.embeds[0]!.title).toBe("Docket digest · Sunday 29 November 2026");
    expect(text.indexOf("Answered since the last digest")).toBeLessThan(text.indexOf("Still open, oldest first"));
    const answered = [...text.slice(0, text.indexOf("Still open")).matchAll(/• Q(\d+) Question/g)].map((m) => Number(m[1]));
    expect(answered).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(text).toContain("• Q41 Question 41");
    // Buttons only for the open questions, each under the message that lists it.
    const buttons = messages.flatMap((m) => (m.components ?? []).flatMap((row) => (row as { components: Array<{ custom_id: string }> }).components.map((b) => b.custom_id)));
    expect(buttons).toEqual(["docket:answer:41", "docket:answer:42", "docket:answer:43", "docket:answer:44", "docket:answer:45"]);
  });

  it("a channel that forbids the bot (403) pauses its digest and the listed admins are told by DM", async () => {
    const d = await docket();
    await d.h.run("ask Is the draft public?", as(LOCKED));
    await d.slash("admin add", [{ name: "who", type: ApplicationCommandOptionType.Mentionable, value: BOB }]);
    const on = await d.slash("digest on", { time: "09:00" }, { channelId: LOCKED });
    expect(on.text).toContain("Digest on in this channel");
    d.h.clock.set("2026-11-30T09:00:10Z");
    expect(await d.delivery.tick()).toMatchObject({ sent: 0, paused: 1 });
    const refused = channelPosts(d.fake.requests, LOCKED);
    expect(refused.map((r) => [r.status, (r.response as { code: number }).code])).toEqual([[403, 50013]]);
    const dm = await d.fake.waitForRequest((r) => r.method === "POST" && r.path === "/users/@me/channels");
    expect(dm.body).toEqual({ recipient_id: BOB });
    const notice = d.fake.messages.find((m) => m.guildId === null && m.source === "channel")!;
    expect(notice.message.content).toContain(`The daily digest for channel ${LOCKED} is paused: Docket may not post there (Missing Permissions`);
    const status = await d.slash("digest status", {}, { channelId: LOCKED });
    expect(status.text).toContain("Digest paused in this channel");
    // Paused means no more attempts.
    d.h.clock.set("2026-11-30T09:30:00Z");
    await d.delivery.tick();
    expect(channelPosts(d.fake.requests, LOCKED)).toHaveLength(1);
  });

  it("with no admin to DM, a paused digest is reported in the server's system channel", async () => {
    const d = await docket();
    await d.h.run("digest on 09:00", as(LOCKED));
    d.fake.failNext({ method: "POST", path: `/channels/${LOCKED}/messages` }, { status: 404, code: 10003, message: "Unknown Channel" });
    d.h.clock.set("2026-11-30T09:00:10Z");
    expect(await d.delivery.tick()).toMatchObject({ paused: 1 });
    const [notice] = d.fake.channelMessages(GENERAL);
    expect(notice!.content).toContain("is paused: the channel no longer exists (Unknown Channel)");
  });

  it("being removed from a server pauses that server's digests, not others'", async () => {
    const d = await docket();
    await d.h.run("digest on 09:00", as());
    await d.h.run("digest on 09:00", { platform: "discord", workspace: OTHER_GUILD, channel: OTHER_CHANNEL });
    d.fake.guildDelete(OTHER_GUILD, { unavailable: true });
    d.fake.guildDelete(GUILD);
    await vi.waitFor(async () => expect((await d.h.store.subscriptions.forChannel({ platform: "discord", workspaceId: GUILD, channelId: DOCKET_CHANNEL }))?.state.kind).toBe("paused"));
    expect((await d.h.store.subscriptions.forChannel({ platform: "discord", workspaceId: GUILD, channelId: DOCKET_CHANNEL }))?.state).toMatchObject({ reason: "Docket was removed from the server" });
    // An outage (unavailable) is not a removal; a removal during an outage is.
    const other = async () => (await d.h.store.subscriptions.forChannel({ platform: "discord", workspaceId: OTHER_GUILD, channelId: OTHER_CHANNEL }))?.state.kind;
    expect(await other()).toBe("active");
    d.fake.guildDelete(OTHER_GUILD);
    await vi.waitFor(async () => expect(await other()).toBe("paused"));
  });
});

describe("two servers", () => {
  it("never see each other's questions, suggestions or answers", async () => {
    const d = await docket();
    const asked = await d.slash("ask", { text: "Alpha coalition's confidential question" });
    expect(asked.text).toContain("Added Q1");
    const other = { guildId: OTHER_GUILD };
    expect((await d.slash("list", {}, other)).text).toContain("No open questions");
    expect((await d.slash("show", { question: "Q1" }, other)).text).toContain("There is no Q1 in this docket");
    expect((await d.slash("search", { words: "confidential" }, other)).text).toContain('Nothing matches "confidential"');
    expect(await d.autocomplete("answer", { name: "question", value: "" }, other)).toEqual([]);
    const theirs = await d.slash("ask", { text: "Beta's own question" }, other);
    expect(theirs.text).toContain("Added Q1");
    expect(theirs.public[0]!.channelId).toBe(OTHER_CHANNEL);
    expect((await d.autocomplete("answer", { name: "question", value: "" })).map((c) => c.name)).toEqual(["Q1 Alpha coalition's confidential question"]);

    // Each server's digest shows its own docket only.
    await d.slash("digest on", { time: "09:00" });
    await d.slash("digest on", { time: "09:00" }, other);
    d.h.clock.set("2026-11-30T09:00:10Z");
    expect(await d.delivery.tick()).toMatchObject({ sent: 2 });
    const alpha = d.fake.channelMessages(DOCKET_CHANNEL).map(textOf).join("\n");
    const beta = d.fake.channelMessages(OTHER_CHANNEL).map(textOf).join("\n");
    expect(alpha).toContain("Alpha coalition's confidential question");
    expect(alpha).not.toContain("Beta's own question");
    expect(beta).toContain("Beta's own question");
    expect(beta).not.toContain("confidential");
  });
});

describe("mentions", () => {
  it("a question containing @everyone @here <@&role> <@user> pings no one, anywhere", async () => {
    const d = await docket();
    const text = `@everyone @here <@&${ORGANISERS}> <@${ALICE}> please answer **now**`;
    const asked = await d.slash("ask", { text, to: "@here" }, { user: BOB });
    expect(asked.public[0]!.message.content).toContain("@everyone @here");
    expect(asked.public[0]!.message.content).toContain("\\*\\*now\\*\\*");
    await d.slash("show", { question: "Q1" });
    await d.slash("list");
    await d.slash("search", { words: "everyone" });
    await d.slash("export", { format: "md" });
    await d.slash("answer", { question: "Q1", text: "@everyone it is <@&" + ORGANISERS + ">" });
    await d.submit("docket:form:ask", { text, to: `<@${BOB}>` });
    await d.submit("docket:form:answer|2", { text: "@here done", source: `<@&${ORGANISERS}>` });
    await d.h.run("digest on 09:00", as());
    d.h.clock.set("2026-11-30T09:00:10Z");
    await d.delivery.tick();
    await d.adapter.chat.notifyAdmins(GUILD, `@everyone <@${ALICE}> check this`, [ALICE]);

    const bodies = messageBodies(d.fake.requests);
    expect(bodies.length).toBeGreaterThanOrEqual(8);
    for (const { request, body } of bodies) expect({ path: request.path, allowed: body.allowed_mentions }).toEqual({ path: request.path, allowed: { parse: [] } });
    expect(d.fake.messages.length).toBeGreaterThan(0);
    for (const m of d.fake.messages) {
      expect(m.message.mention_everyone).toBe(false);
      expect(m.message.mentions).toEqual([]);
      expect(m.message.mention_roles).toEqual([]);
    }
  });
});
