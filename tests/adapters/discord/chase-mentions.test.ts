/**
 * Issue 13: member-typed mentions in a chase (`@everyone`, `<!here>`, `<@&role>`) reach Discord in
 * replies, lists, show and the digest's "Due for a chase" section, and ping no one.
 */
import { afterEach, expect, it } from "vitest";
import { DOCKET_CHANNEL, GUILD, ORGANISERS, messageBodies, startDiscordDocket, textOf, type DiscordDocket } from "./support.ts";

const open: DiscordDocket[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
});
const as = { platform: "discord" as const, workspace: GUILD, channel: DOCKET_CHANNEL };

it("a chase typed with @everyone, <!here> and a role mention pings no one, wherever Docket shows it", async () => {
  const d = await startDiscordDocket({ now: "2026-10-01T09:00:00Z" });
  open.push(d);
  const nasty = `@everyone <!here> <@&${ORGANISERS}> @here`;
  await d.h.run("ask What does ITU membership cost? to:ITU", as);
  d.h.clock.set("2026-11-29T10:00:00Z");
  const chased = await d.slash("chase", { question: "Q1", text: `Pressed them again ${nasty}`, via: "email", to: nasty });
  expect(chased.text).toContain("Chase logged on Q1");
  expect(chased.text).toContain("@everyone");
  expect(chased.ephemeral).toBe(true);
  await d.slash("show", { question: "Q1" });
  await d.slash("list");
  await d.slash("scorecard");
  await d.h.run("digest on 09:00 chase-after:1", as);
  d.h.clock.set("2026-11-30T09:00:10Z");
  expect(await d.delivery.tick()).toMatchObject({ sent: 1 });
  const [digest] = d.fake.channelMessages(DOCKET_CHANNEL);
  expect(textOf(digest!)).toContain("Due for a chase");

  const bodies = messageBodies(d.fake.requests);
  expect(bodies.some(({ body }) => JSON.stringify(body).includes("Pressed them again"))).toBe(true);
  for (const { request, body } of bodies) expect({ path: request.path, allowed: body.allowed_mentions }).toEqual({ path: request.path, allowed: { parse: [] } });
  for (const m of d.fake.messages) {
    expect(m.message.mention_everyone).toBe(false);
    expect(m.message.mentions).toEqual([]);
    expect(m.message.mention_roles).toEqual([]);
  }
  // Stored as typed: escaping is the adapter's business.
  expect((await d.h.store.chases.forDocket(1))[0]).toMatchObject({ text: `Pressed them again ${nasty}`, contact: nasty });
});
