/**
 * Milestones: on the days before a deadline an admin chose, every subscribed channel's digest opens
 * with a headline, counted in calendar days of that channel's zone; the admin's one ping rides on
 * it, and only on the digest that is posted (never a preview, never text a member typed).
 */
import { afterEach, describe, expect, it } from "vitest";
import { createDigestDelivery } from "../../../src/core/digest/delivery.ts";
import { replyToText, type Reply, type ReplyBlock } from "../../../src/core/reply.ts";
import type { Platform } from "../../../src/core/types.ts";
import { silentLogger } from "../../../src/log.ts";
import { harness, type Harness } from "../../support/harness.ts";
import { recordingChat } from "../../support/recording-chat.ts";

let h: Harness;
afterEach(() => h.close());

const organisers = "<!subteam^S0ORG|@organisers>";
const headlines = (r: Reply) => r.blocks.filter((b): b is Extract<ReplyBlock, { kind: "headline" }> => b.kind === "headline");
const pings = (r: Reply) => r.blocks.flatMap((b) => (b.kind === "headline" && b.ping ? [b.ping] : []));

/** WCIT-12 on 8 December; five questions needed by it: four to ITU (one answered), one to the EU. */
async function docketWithWcit() {
  h = harness({ now: "2026-11-29T10:00:00Z" });
  await h.ok("deadline add WCIT-12 2026-12-08");
  for (const q of ["Who may attend?", "Is the draft public?", "What does membership cost?", "Who chairs?"]) await h.ok(`ask ${q} to:ITU by:D1`);
  await h.ok("ask Will the EU table amendments? to:EU by:D1");
  await h.ok("answer Q1 Sector members may attend source:https://www.itu.int/wcit");
  const recorder = recordingChat("slack");
  const delivery = createDigestDelivery({ store: h.store, clock: h.clock, log: silentLogger, chats: new Map<Platform, typeof recorder.chat>([["slack", recorder.chat]]), commandName: "docket", instanceId: "test" });
  return { ...recorder, delivery };
}

describe("deadline milestones, the command", () => {
  it("sets the days and the ping, says when the next one is, lists them, and clears them with off", async () => {
    await docketWithWcit();
    const set = await h.ok(`deadline milestones WCIT 1, 30 and 7 ping:${organisers}`);
    expect(replyToText(set)).toBe(
      "Milestones set for D1\nWCIT-12: digests open with a headline 30, 7 and 1 days before, pinging @organisers there; the next on 1 Dec 2026.",
    );
    expect((await h.store.deadlines.get(1, 1))!.milestones).toEqual({ days: [30, 7, 1], ping: { kind: "role", platform: "slack", workspaceId: "T1", id: "S0ORG", label: "@organisers" } });
    expect(await h.text("deadline list")).toContain("milestones 30, 7 and 1 days before · pings @organisers");
    expect(await h.text("deadline milestones D1 off")).toContain("D1 has no milestones now");
    expect((await h.store.deadlines.get(1, 1))!.milestones).toBeUndefined();
    expect(await h.text("deadline milestones D1 off")).toContain("D1 has no milestones");
  });

  // why plain words: Slack's adapter reads `<!here>` as the word @here before the core sees it (tests/adapters/slack).
  it("takes here on Slack, and refuses one member, @channel, @everyone, odd days and a non-admin", async () => {
    await docketWithWcit();
    expect((await h.ok("deadline milestones D1 7 ping:here")) && (await h.store.deadlines.get(1, 1))!.milestones!.ping).toMatchObject({ kind: "here", label: "@here" });
    const refused = async (text: string, who = {}) => {
      const r = await h.run(text, who);
      expect(r.error, text).toBeDefined();
      return replyToText(r);
    };
    expect(await refused("deadline milestones D1 7 ping:<@U0BEN|ben>")).toContain("@ben is one member");
    expect(await refused("deadline milestones D1 7 ping:@channel")).toContain("Docket does not ping @channel");
    expect(await refused("deadline milestones D1 7 ping:@everyone")).toContain("Docket does not ping @everyone");
    expect(await refused("deadline milestones D1 7 ping:organisers")).toContain('"organisers" is not a role or user group');
    expect(await refused("deadline milestones D1 7,soon")).toContain('"soon" is not a number of days');
    expect(await refused("deadline milestones D1 400")).toContain('"400" is not a number of days');
    expect(await refused(`deadline milestones D1 off ping:${organisers}`)).toContain("leave out ping:");
    expect(await refused("deadline milestones D1 7", { id: "U0BEN", isPlatformAdmin: false })).toMatch(/admin/);
  });

  it("on Discord, refuses the server's @everyone role and here", async () => {
    h = harness();
    const discord = { platform: "discord" as const, workspace: "1400000000000000001", id: "1400000000000000100" };
    await h.ok("deadline add WCIT-12 2026-12-08", discord);
    const everyoneRole = [ "deadline milestones D1 7 ping:", { kind: "role" as const, id: "1400000000000000001", label: "everyone" } ];
    expect(replyToText(await h.run(everyoneRole, discord))).toContain("Docket does not ping @everyone");
    expect(replyToText(await h.run("deadline milestones D1 7 ping:here", discord))).toContain("Docket does not ping @here");
    const role = ["deadline milestones D1 7 ping:", { kind: "role" as const, id: "1400000000000000005", label: "Organisers" }];
    await h.ok(role, discord);
    expect((await h.store.deadlines.get(1, 1))!.milestones!.ping).toEqual({ kind: "role", platform: "discord", workspaceId: "1400000000000000001", id: "1400000000000000005", label: "@Organisers" });
  });
});

describe("milestone headlines in the digest", () => {
  it("open the digest on the right local day in two zones, with the ping, and only on those days", async () => {
    const { delivery, postsTo } = await docketWithWcit();
    await h.ok(`deadline milestones WCIT 7,1 ping:${organisers}`);
    await h.ok("digest on 09:00 tz:Pacific/Auckland", { channel: "CAKL" });
    await h.ok("digest on 09:00 tz:America/Los_Angeles", { channel: "CLAX" });
    const tickAt = async (at: string) => {
      h.clock.set(at);
      await delivery.tick();
    };
    // 1 December, 09:00 in Auckland (UTC+13) is 30 November 20:00 UTC: 7 days to the 8th there.
    await tickAt("2026-11-30T17:00:30Z"); // 09:00 on 30 Nov in Los Angeles: 8 days, no headline
    await tickAt("2026-11-30T20:00:30Z");
    await tickAt("2026-12-01T17:00:30Z"); // 09:00 on 1 Dec in Los Angeles (UTC-8)
    await tickAt("2026-12-01T20:00:30Z"); // 2 Dec in Auckland: 6 days, no headline

    const akl = postsTo("CAKL").map((p) => p.message);
    const lax = postsTo("CLAX").map((p) => p.message);
    expect(akl.map((m) => m.heading)).toEqual(["Docket digest · Tuesday 1 December 2026", "Docket digest · Wednesday 2 December 2026"]);
    expect(lax.map((m) => m.heading)).toEqual(["Docket digest · Monday 30 November 2026", "Docket digest · Tuesday 1 December 2026"]);
    const seven = "7 days to WCIT-12 · 4 questions still unanswered · ITU has answered 1 of 4 · EU has answered 0 of 1";
    const ping = { kind: "role", platform: "slack", workspaceId: "T1", id: "S0ORG", label: "@organisers" };
    expect(akl[0]!.blocks[0]).toEqual({ kind: "headline", text: seven, ping });
    expect(lax[1]!.blocks[0]).toEqual({ kind: "headline", text: seven, ping });
    expect(headlines(akl[1]!)).toEqual([]);
    expect(headlines(lax[0]!)).toEqual([]);
  });

  it("a deadline without a ping gets its headline and pings no one; the others' pings stay theirs", async () => {
    const { delivery, posts } = await docketWithWcit();
    await h.ok("deadline add Comments due 2026-12-02");
    await h.ok("deadline milestones Comments 1");
    await h.ok(`deadline milestones WCIT 7 ping:${organisers}`);
    await h.ok("digest on 09:00 tz:Europe/London");
    h.clock.set("2026-12-01T09:00:30Z");
    await delivery.tick();
    const digest = posts[0]!.message;
    expect(headlines(digest).map((b) => b.text)).toEqual([
      "1 day to Comments due · 4 questions still unanswered · ITU has answered 1 of 4 · EU has answered 0 of 1",
      "7 days to WCIT-12 · 4 questions still unanswered · ITU has answered 1 of 4 · EU has answered 0 of 1",
    ]);
    expect(pings(digest)).toEqual([expect.objectContaining({ id: "S0ORG" })]);
    expect(headlines(digest)[0]!.ping).toBeUndefined();
  });

  it("a milestone missed while Docket was down comes with the late digest that day, never the next day", async () => {
    const { delivery, postsTo } = await docketWithWcit();
    await h.ok(`deadline milestones WCIT 7 ping:${organisers}`);
    await h.ok("digest on 09:00 tz:America/Los_Angeles", { channel: "CLAX" });
    await h.ok("digest on 09:00 tz:Europe/London", { channel: "CLON" });
    // Down from before 09:00 on 1 Dec in both zones; back at 23:30 in Los Angeles (07:30 on the 2nd in London).
    h.clock.set("2026-12-02T07:30:00Z");
    await delivery.tick();
    const [lax] = postsTo("CLAX").map((p) => p.message);
    expect(lax!.heading).toBe("Docket digest · Tuesday 1 December 2026 (late)");
    expect(lax!.blocks[0]).toMatchObject({ kind: "headline", text: expect.stringMatching(/^7 days to WCIT-12/), ping: { id: "S0ORG" } });
    // London's 1 December is over: recorded missed; its 2 December digest, 6 days before, has no headline.
    h.clock.set("2026-12-02T09:00:30Z");
    await delivery.tick();
    const london = postsTo("CLON").map((p) => p.message);
    expect(london.map((m) => m.heading)).toEqual(["Docket digest · Wednesday 2 December 2026"]);
    expect(headlines(london[0]!)).toEqual([]);
    expect((await h.store.deliveries.get(2, "2026-12-01"))?.state).toBe("missed");
  });

  it("a preview shows the headline and names the ping, but carries none", async () => {
    await docketWithWcit();
    await h.ok(`deadline milestones WCIT 7 ping:${organisers}`);
    h.clock.set("2026-12-01T12:00:00Z");
    const preview = await h.ok("digest preview");
    expect(headlines(preview)).toEqual([{ kind: "headline", text: expect.stringMatching(/^7 days to WCIT-12 .* · pings @organisers$/) }]);
    expect(pings(preview)).toEqual([]);
    expect(replyToText(preview).split("\n")[1]).toMatch(/^7 days to WCIT-12/);
  });

  it("text members typed, @everyone, <!here> or a role, never becomes a ping: only the admin's one", async () => {
    const { delivery, posts } = await docketWithWcit();
    await h.ok("ask @everyone <!here> <!subteam^S0ALL|@all> <!channel> answer now to:<!here>", { id: "U0BEN", isPlatformAdmin: false });
    await h.ok(`deadline milestones WCIT 7 ping:${organisers}`);
    await h.ok("digest on 09:00 tz:Europe/London");
    h.clock.set("2026-12-01T09:00:30Z");
    await delivery.tick();
    const digest = posts[0]!.message;
    expect(replyToText(digest)).toContain("@everyone <!here> @all <!channel> answer now");
    expect(pings(digest)).toEqual([{ kind: "role", platform: "slack", workspaceId: "T1", id: "S0ORG", label: "@organisers" }]);
    expect(digest.blocks.filter((b) => "ping" in b)).toHaveLength(1);
  });
});

describe("milestones in the json export", () => {
  it("survive export, import and export again, unchanged", async () => {
    await docketWithWcit();
    await h.ok(`deadline milestones WCIT 30,7,1 ping:${organisers}`);
    const snapshot = await h.store.snapshots.read(1);
    expect(snapshot.deadlines[0]!.milestones).toEqual({ days: [30, 7, 1], ping: { kind: "role", platform: "slack", workspaceId: "T1", id: "S0ORG", label: "@organisers" } });
    const other = harness();
    try {
      const { parseSnapshot } = await import("../../../src/core/export/snapshot-schema.ts");
      await other.store.snapshots.restore(parseSnapshot(JSON.parse(JSON.stringify(snapshot))));
      expect(JSON.stringify(await other.store.snapshots.read(1))).toBe(JSON.stringify(snapshot));
    } finally {
      other.close();
    }
  });
});
