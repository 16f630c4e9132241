import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatPort } from "../../../src/core/chat.ts";
import { addDays } from "../../../src/core/dates/calendar.ts";
import { localParts } from "../../../src/core/dates/wall-clock.ts";
import { createDigestDelivery } from "../../../src/core/digest/delivery.ts";
import { slotOn } from "../../../src/core/digest/schedule.ts";
import type { Platform, Subscription } from "../../../src/core/types.ts";
import { silentLogger } from "../../../src/log.ts";
import { harness, type Harness } from "../../support/harness.ts";

// The real delivery (ledger, claims, missed days) driven by a simulated clock over 400 days, in five
// zones, for subscriptions at ordinary times and at times inside each zone's DST gap and overlap.
// Ticks come a minute before each slot, at it, and a minute after, as the once-a-minute trigger would.

/** The subscriptions are made at 00:00Z on 29 Dec 2025; ticks run from the slots of 28 Dec for 400 days after 1 Jan. */
const created = "2025-12-29T00:00:00.000Z";
const start = "2025-12-28";
const days = 404;

/** Zone, channel, `digest on` arguments, and the instants the 2026 clock changes must give (independently known). */
const cases: Array<{ zone: string; subs: Array<{ channel: string; on: string; expect?: Record<string, string> }> }> = [
  {
    zone: "Europe/London",
    subs: [
      { channel: "L1", on: "09:00" },
      // 29 Mar 01:00 → 02:00 (gap): 01:30 fires at 02:00 BST = 01:00Z. 25 Oct 02:00 → 01:00 (overlap): first 01:30 is BST = 00:30Z.
      { channel: "L2", on: "01:30", expect: { "2026-03-29": "2026-03-29T01:00:00.000Z", "2026-10-25": "2026-10-25T00:30:00.000Z" } },
    ],
  },
  {
    zone: "America/New_York",
    subs: [
      { channel: "N1", on: "00:00 days:mon-fri" },
      // 8 Mar 02:00 → 03:00: 02:30 fires at 03:00 EDT = 07:00Z. 1 Nov 02:00 → 01:00: first 01:30 is EDT = 05:30Z.
      { channel: "N2", on: "02:30", expect: { "2026-03-08": "2026-03-08T07:00:00.000Z" } },
      { channel: "N3", on: "01:30", expect: { "2026-11-01": "2026-11-01T05:30:00.000Z" } },
    ],
  },
  {
    zone: "Australia/Sydney",
    // 5 Apr 03:00 → 02:00 (overlap): first 02:30 is AEDT = 4 Apr 15:30Z. 4 Oct 02:00 → 03:00 (gap): 02:30 fires at 03:00 AEDT = 3 Oct 16:00Z.
    subs: [{ channel: "S1", on: "02:30", expect: { "2026-04-05": "2026-04-04T15:30:00.000Z", "2026-10-04": "2026-10-03T16:00:00.000Z" } }],
  },
  { zone: "Asia/Kolkata", subs: [{ channel: "K1", on: "23:59" }] },
  {
    zone: "Pacific/Chatham",
    subs: [
      // 27 Sep 02:45 → 03:45 (gap): 03:00 fires at 03:45 CHADT (+13:45) = 26 Sep 14:00Z.
      { channel: "C1", on: "03:00", expect: { "2026-09-27": "2026-09-26T14:00:00.000Z" } },
      // 5 Apr 03:45 → 02:45 (overlap): first 02:50 is CHADT (+13:45) = 4 Apr 13:05Z.
      { channel: "C2", on: "02:50 days:sat-sun", expect: { "2026-04-05": "2026-04-04T13:05:00.000Z" } },
    ],
  },
];

describe.each(cases)("400 days of digests in $zone", ({ zone, subs }) => {
  let h: Harness;
  const posts = new Map<string, Array<{ date: string; at: string }>>();
  let subscriptions: Subscription[];

  beforeAll(async () => {
    h = harness({ now: created });
    await h.ok("ask What does membership cost? to:ITU");
    for (const s of subs) await h.ok(`digest on ${s.on} tz:${zone}`, { channel: s.channel });
    subscriptions = await h.store.subscriptions.active();
    const chat: ChatPort = {
      platform: "slack",
      render: () => ["digest"],
      async send(channel, _part, { deliveryKey }) {
        const list = posts.get(channel.channelId) ?? [];
        list.push({ date: deliveryKey.split("-").slice(2).join("-"), at: h.clock.now().toISOString() });
        posts.set(channel.channelId, list);
        return { messageId: deliveryKey };
      },
      async notifyAdmins() {},
    };
    const delivery = createDigestDelivery({ store: h.store, clock: h.clock, log: silentLogger, chats: new Map<Platform, ChatPort>([["slack", chat]]), commandName: "docket", instanceId: "sim" });
    const ticks = new Set<number>();
    for (let d = 0; d < days; d++)
      for (const sub of subscriptions) {
        const slot = slotOn({ ...sub, days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] }, addDays(start, d))!.getTime();
        for (const t of [slot - 60_000, slot, slot + 60_000]) ticks.add(t);
      }
    for (const t of [...ticks].sort((a, b) => a - b)) {
      h.clock.set(new Date(t));
      await delivery.tick();
    }
  }, 120_000);
  afterAll(() => h.close());

  it.each(subs)("$channel ($on): exactly one digest per selected local day, at its slot", async ({ channel }) => {
    const sub = subscriptions.find((s) => s.channel.channelId === channel)!;
    const got = posts.get(channel) ?? [];
    const wanted = Array.from({ length: days }, (_, d) => addDays(start, d)).filter((date) => {
      const slot = slotOn(sub, date);
      return slot !== null && slot.toISOString() >= created;
    });
    expect(wanted.length).toBeGreaterThan(days / 8);
    expect(got.map((p) => p.date)).toEqual(wanted);
    for (const p of got) expect(p.at, p.date).toBe(slotOn(sub, p.date)!.toISOString());
    // Never early: the local date of the post is the digest's own date.
    for (const p of got) expect(localParts(new Date(p.at), zone).date).toBe(p.date);
    expect((await h.store.deliveries.forSubscription(sub.id)).every((d) => d.state === "sent" && !d.late)).toBe(true);
  });

  it.each(subs.filter((s) => s.expect))("$channel ($on): the DST days fire at the first valid minute, once", async ({ channel, expect: instants }) => {
    const got = new Map((posts.get(channel) ?? []).map((p) => [p.date, p.at]));
    for (const [date, at] of Object.entries(instants!)) expect(got.get(date), date).toBe(at);
  });
});
