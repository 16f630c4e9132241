import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replyToText, type Reply } from "../../../src/core/reply.ts";
import { harness, type Harness } from "../../support/harness.ts";

// Sunday 29 Nov 2026 in Europe/London (GMT, so local time = UTC).

let h: Harness;
beforeEach(async () => {
  h = harness({ now: "2026-11-29T08:00:00Z" });
});
afterEach(() => h.close());

const field = (reply: Reply, label: string) => reply.blocks.flatMap((b) => (b.kind === "fields" ? b.fields : [])).find((f) => f.label === label)?.value;
type SubscriptionRow = { id: number; time: string; time_zone: string; days: string; filter_tag: string | null; filter_addressee: string | null; filter_deadline: number | null; state: string };
const subscription = () => h.db.prepare("SELECT * FROM subscriptions").get() as SubscriptionRow;

/** What the scheduler records when it posts today's digest at `at`. */
async function digestWentOut(date: string, at: string) {
  const sub = subscription();
  await h.store.deliveries.claim(sub.id, date, at, false, "test", at, new Date(Date.parse(at) + 60_000).toISOString());
  await h.store.deliveries.markSent(sub.id, date, "test", at);
}

describe("digest replies say the delivery that will actually happen", () => {
  it("after today's digest went out, moving the time to later today says the next is tomorrow, and why", async () => {
    await h.ok("digest on 09:00");
    h.clock.set("2026-11-29T09:00:30Z");
    await digestWentOut("2026-11-29", "2026-11-29T09:00:30Z");
    h.clock.set("2026-11-29T10:00:00Z");
    const on = await h.ok("digest on 11:00");
    expect(field(on, "Next")).toBe("Mon 30 Nov 2026, 11:00 GMT (today's digest already went out at 09:00)");
    expect(field(await h.ok("digest status"), "Next")).toBe("Mon 30 Nov 2026, 11:00 GMT (today's digest already went out at 09:00)");
  });

  it("moving the time earlier than now, before today's digest went out, says it goes out within a minute", async () => {
    await h.ok("digest on 12:00");
    h.clock.set("2026-11-29T10:00:00Z");
    expect(field(await h.ok("digest on 09:30"), "Next")).toMatch(/^Sun 29 Nov 2026, 10:00 GMT \(today's 09:30 has passed and its digest has not gone out yet/);
  });

  it("with nothing delivered today, the next slot later today is simply named", async () => {
    await h.ok("digest on 11:00");
    expect(field(await h.ok("digest status"), "Next")).toBe("Sun 29 Nov 2026, 11:00 GMT");
  });
});

describe("digest on says what carries over, and every setting can go back to its default", () => {
  it("changing the time of a digest that is on keeps its filter and days, and the reply says so", async () => {
    await h.ok("digest on 08:30 days:mon-fri #membership");
    const reply = await h.ok("digest on 10:00");
    expect(subscription()).toMatchObject({ time: "10:00", days: "mon,tue,wed,thu,fri", filter_tag: "membership" });
    expect(field(reply, "Kept")).toContain("the days (Mon–Fri), the filter (only questions #membership) from before");
    expect(field(reply, "Kept")).toContain("digest on all");
  });

  it("digest on all goes back to every question, keeping the time", async () => {
    await h.ok("deadline add WCIT 2027-01-10");
    await h.ok("digest on 08:30 #membership to:ITU by:D1");
    await h.ok("digest on all");
    expect(subscription()).toMatchObject({ time: "08:30", filter_tag: null, filter_addressee: null, filter_deadline: null });
  });

  it("all together with a filter is refused and changes nothing", async () => {
    await h.ok("digest on #membership");
    const before = h.snapshot();
    const reply = await h.run("digest on all #budget");
    expect(reply.error?.code).toBe("digest.all_and_filter");
    expect(h.snapshot()).toEqual(before);
  });

  it("digest off then a bare digest on starts again from 09:00, every day, all questions, as help says", async () => {
    await h.ok("digest on 07:15 tz:Asia/Tokyo days:weekends #membership");
    await h.ok("digest off");
    const reply = await h.ok("digest on");
    expect(subscription()).toMatchObject({ time: "09:00", time_zone: "Europe/London", days: "mon,tue,wed,thu,fri,sat,sun", filter_tag: null, state: "active" });
    expect(field(reply, "Kept")).toBeUndefined();
    expect(await h.text("help digest on")).toContain("A new digest (or one turned off) starts at 09:00; changing one that is on keeps its time");
  });
});

describe("digest preview is true as of the day it shows", () => {
  it("a preview of a past day is refused, saying why and what to write, and changes nothing", async () => {
    await h.ok("ask What does membership cost?");
    const before = h.snapshot();
    const reply = await h.run("digest preview 2026-10-30");
    expect(reply.error?.code).toBe("digest.preview_past");
    expect(replyToText(reply)).toContain("30 Oct 2026 has passed");
    expect(replyToText(reply)).toContain("/docket digest preview tomorrow");
    expect(await h.text("digest preview 2026-10-30")).not.toContain("-30 days");
    expect(h.snapshot()).toEqual(before);
  });

  it("a preview two days ahead leaves out today's answers, which tomorrow's digest would already carry", async () => {
    h.clock.set("2026-11-29T10:00:00Z");
    await h.ok("digest on 09:00");
    await h.ok("ask What does membership cost?");
    await h.ok("ask Who may attend?");
    await h.ok("answer Q1 CHF 10,600");
    const tomorrow = await h.text("digest preview 2026-11-30");
    expect(tomorrow).toContain("Answered since the last digest");
    const later = await h.text("digest preview 2026-12-01");
    expect(later).not.toContain("Answered since the last digest");
    expect(later).toContain("1 question open · 1 answered · 0 overdue");
    expect(later).toContain("News counts from the digest of Mon 30 Nov 2026, 09:00 GMT, which would run before it.");
    expect(later).toContain("asked 2 days ago");
  });
});
