import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { replyToText, type Reply } from "../../../src/core/reply.ts";
import { harness, type Harness } from "../../support/harness.ts";

// The harness clock starts on Sunday 29 Nov 2026, 10:00 UTC; the docket's zone is Europe/London.

let h: Harness;
beforeEach(async () => {
  h = harness();
});
afterEach(() => h.close());

const ok = async (text: string, who?: Parameters<Harness["run"]>[1]): Promise<Reply> => await h.ok(text, who);

type DeadlineRow = { number: number; title: string; date: string; time: string | null; time_zone: string; place: string | null; removed_at: string | null };
const deadline = (number: number) => h.db.prepare("SELECT * FROM deadlines WHERE docket_id = 1 AND number = ?").get(number) as DeadlineRow;
type SubscriptionRow = { channel_id: string; time: string; time_zone: string; days: string; filter_tag: string | null; filter_addressee: string | null; filter_deadline: number | null; state: string };
const subscriptions = () => h.db.prepare("SELECT * FROM subscriptions ORDER BY id").all() as SubscriptionRow[];
const field = (reply: Reply, label: string) => reply.blocks.flatMap((b) => (b.kind === "fields" ? b.fields : [])).find((f) => f.label === label)?.value;
const items = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === "list" ? b.items.map((i) => i.text) : []));
const firstText = (reply: Reply) => (reply.blocks[0]?.kind === "text" ? reply.blocks[0].text : undefined);

describe("deadline add", () => {
  it("takes a title of several words, an ISO date, a time, a zone and a place", async () => {
    const reply = await ok("deadline add WCIT-12 opens 2026-12-03 09:00 tz:Asia/Dubai at:Dubai");
    expect(reply.heading).toBe("Added D1");
    expect(firstText(reply)).toBe("D1 WCIT-12 opens (Dubai) is in 4 days — 3 Dec 2026 09:00 Asia/Dubai");
    expect(deadline(1)).toMatchObject({ title: "WCIT-12 opens", date: "2026-12-03", time: "09:00", time_zone: "Asia/Dubai", place: "Dubai", removed_at: null });
  });

  it("takes a quoted title and a quoted place", async () => {
    await ok('deadline add "Plenary (day 2)" 2026-12-04 14:30 at:"Palais des Nations, Geneva"');
    expect(deadline(1)).toMatchObject({ title: "Plenary (day 2)", place: "Palais des Nations, Geneva", time: "14:30" });
  });

  it("reads the zone in any case and 9am as 09:00", async () => {
    await ok("deadline add WCIT-12 opens 3 Dec 2026 9am tz:asia/dubai");
    expect(deadline(1)).toMatchObject({ date: "2026-12-03", time: "09:00", time_zone: "Asia/Dubai" });
  });

  it("uses the docket's zone when none is given, and no time", async () => {
    await ok("deadline add Comments due 2026-12-10");
    expect(deadline(1)).toMatchObject({ title: "Comments due", time: null, time_zone: "Europe/London", place: null });
  });

  it.each([
    ["deadline add Comments due in 2 weeks", "Comments due", "2026-12-13", "is in 14 days"],
    ["deadline add Phase 2 in 2 weeks", "Phase 2", "2026-12-13", "is in 14 days"],
    ["deadline add Council meets 3 Dec", "Council meets", "2026-12-03", "is in 4 days"],
    ["deadline add Council meets 3 Dec 2027", "Council meets", "2027-12-03", "is in 369 days"],
    ["deadline add Budget vote tomorrow", "Budget vote", "2026-11-30", "is tomorrow"],
    ["deadline add Hearing today", "Hearing", "2026-11-29", "is today"],
  ])("%s", async (command, title, date, countdown) => {
    const reply = await ok(command);
    expect(deadline(1)).toMatchObject({ title, date });
    expect(firstText(reply)).toContain(countdown);
  });

  // Bug (src/core/parse/bind.ts:13, `looksLike.time`): a bare number such as "3" looks like a time to
  // the binder, so in "Council meets Dec 3" the optional time takes "3" (which parseTime would refuse
  // anyway) and the date is left with "Dec": date.invalid. design.md §3 lists "Dec 3" as a date form;
  // "3 Dec" works only because its last word is not a number.
  it("deadline add Council meets Dec 3 reads Dec 3 as the date", async () => {
    await ok("deadline add Council meets Dec 3");
    expect(deadline(1)).toMatchObject({ title: "Council meets", date: "2026-12-03", time: null });
  });

  it("numbers deadlines D1, D2, … and never reuses a removed one's number", async () => {
    await ok("deadline add One 2026-12-10");
    await ok("deadline add Two 2026-12-11");
    await ok("deadline remove D2");
    expect((await ok("deadline add Three 2026-12-12")).heading).toBe("Added D3");
  });
});

describe("deadline list", () => {
  it("says there are none yet and how to add one", async () => {
    const reply = await ok("deadline list");
    expect(reply.heading).toBe("No deadlines yet");
    expect(firstText(reply)).toBe('Add one: /docket deadline add "WCIT-12 opens" Dec 3 09:00 tz:Asia/Dubai at:Dubai');
  });

  it("counts calendar days down, nearest first, as the clock moves", async () => {
    await ok("deadline add Comments due 2026-12-13");
    await ok("deadline add WCIT-12 opens 2026-12-03 09:00 tz:Asia/Dubai at:Dubai");
    await ok("deadline add Budget vote 2026-11-30");

    expect((await ok("deadline list")).heading).toBe("3 deadlines");
    expect(items(await ok("deadline list"))).toEqual([
      "D3 Budget vote is tomorrow — 30 Nov 2026",
      "D2 WCIT-12 opens (Dubai) is in 4 days — 3 Dec 2026 09:00 Asia/Dubai",
      "D1 Comments due is in 14 days — 13 Dec 2026",
    ]);

    // One minute before midnight in London is still the 2nd: the WCIT is tomorrow, not today.
    h.clock.set("2026-12-02T23:59:00Z");
    expect(items(await ok("deadline list"))).toEqual([
      "D3 Budget vote passed 2 days ago — 30 Nov 2026",
      "D2 WCIT-12 opens (Dubai) is tomorrow — 3 Dec 2026 09:00 Asia/Dubai",
      "D1 Comments due is in 11 days — 13 Dec 2026",
    ]);

    h.clock.set("2026-12-03T00:00:00Z");
    expect(items(await ok("deadline list"))[1]).toBe("D2 WCIT-12 opens (Dubai) is today — 3 Dec 2026 09:00 Asia/Dubai");

    h.clock.set("2026-12-04T12:00:00Z");
    expect(items(await ok("deadline list"))).toEqual([
      "D3 Budget vote passed 4 days ago — 30 Nov 2026",
      "D2 WCIT-12 opens (Dubai) passed yesterday — 3 Dec 2026 09:00 Asia/Dubai",
      "D1 Comments due is in 9 days — 13 Dec 2026",
    ]);
  });

  it("leaves out removed deadlines", async () => {
    await ok("deadline add One 2026-12-10");
    await ok("deadline add Two 2026-12-11");
    await ok("deadline remove One");
    expect(items(await ok("deadline list"))).toEqual(["D2 Two is in 12 days — 11 Dec 2026"]);
  });
});

describe("deadline edit", () => {
  beforeEach(async () => {
    await ok("deadline add Council meets 2026-12-03");
  });

  it("moves the date and sets a time, replying with the new countdown", async () => {
    const reply = await ok("deadline edit D1 date:2026-12-05 time:10:00");
    expect(reply.heading).toBe("Updated D1");
    expect(firstText(reply)).toBe("D1 Council meets is in 6 days — 5 Dec 2026 10:00 Europe/London");
    expect(deadline(1)).toMatchObject({ date: "2026-12-05", time: "10:00" });
  });

  it("finds the deadline by the start of its title and renames it", async () => {
    await ok('deadline edit council title:"Council meets (postponed)"');
    expect(deadline(1).title).toBe("Council meets (postponed)");
  });

  it("changes the zone and the place; at:none clears the place", async () => {
    await ok("deadline edit D1 tz:America/New_York at:Bern");
    expect(deadline(1)).toMatchObject({ time_zone: "America/New_York", place: "Bern" });
    await ok("deadline edit D1 at:none");
    expect(deadline(1).place).toBeNull();
  });

  it("records the old and new values in the audit trail", async () => {
    await ok("deadline edit D1 date:2026-12-05");
    const row = h.db.prepare("SELECT before, after FROM audit_events WHERE action = 'deadline.edit'").get() as { before: string; after: string };
    expect(JSON.parse(row.before)).toMatchObject({ number: 1, date: "2026-12-03" });
    expect(JSON.parse(row.after)).toMatchObject({ number: 1, date: "2026-12-05" });
  });
});

describe("deadline remove", () => {
  beforeEach(async () => {
    await ok("deadline add WCIT-12 opens 2026-12-03");
    await ok("ask What is the agenda? by:D1");
  });

  it("marks the deadline removed but keeps its row", async () => {
    const reply = await ok("deadline remove D1");
    expect(reply.heading).toBe("Removed D1");
    expect(firstText(reply)).toBe("WCIT-12 opens (3 Dec 2026) no longer counts down.");
    expect(deadline(1)).toMatchObject({ title: "WCIT-12 opens", removed_at: "2026-11-29T10:00:00.000Z" });
  });

  it("questions keep their reference to it, shown as removed", async () => {
    await ok("deadline remove WCIT");
    expect((h.db.prepare("SELECT needed_by_deadline FROM questions").get() as { needed_by_deadline: number }).needed_by_deadline).toBe(1);
    expect(field(await ok("show Q1"), "Needed")).toBe("by D1 (removed)");
  });

  it("a removed deadline can no longer be named", async () => {
    await ok("deadline remove D1");
    expect((await h.run("deadline remove D1")).error?.code).toBe("deadline.not_found");
    expect((await h.run("ask Another? by:D1")).error?.code).toBe("deadline.not_found");
  });
});

describe("digest on, off, status and preview", () => {
  it("digest on with no settings stores 09:00 every day in the docket's zone", async () => {
    const reply = await ok("digest on");
    expect(reply.heading).toBe("Digest on in this channel");
    expect(subscriptions()).toEqual([
      expect.objectContaining({ channel_id: "C1", time: "09:00", time_zone: "Europe/London", days: "mon,tue,wed,thu,fri,sat,sun", filter_tag: null, state: "active" }),
    ]);
    expect(field(reply, "When")).toBe("09:00 Europe/London, every day");
    expect(field(reply, "Next")).toBe("Mon 30 Nov 2026, 09:00 GMT");
  });

  it("a docket created with another default zone gets digests in that zone", async () => {
    h.close();
    h = harness({ timeZone: "America/New_York" });
    await ok("digest on");
    expect(subscriptions()[0]?.time_zone).toBe("America/New_York");
  });

  it("stores the time, zone, days and a #tag, and says when the next one comes", async () => {
    const reply = await ok("digest on 08:30 tz:America/New_York days:mon-fri #membership");
    expect(subscriptions()[0]).toMatchObject({ time: "08:30", time_zone: "America/New_York", days: "mon,tue,wed,thu,fri", filter_tag: "membership" });
    expect(field(reply, "When")).toBe("08:30 America/New_York, Mon–Fri, only questions #membership");
    // Sunday 05:00 in New York: the next weekday slot is Monday morning.
    expect(field(reply, "Next")).toBe("Mon 30 Nov 2026, 08:30 EST");
  });

  it.each([
    ["days:mon,wed,fri", "mon,wed,fri"],
    ["days:weekends", "sat,sun"],
    ["days:fri-mon", "mon,fri,sat,sun"],
    ["days:daily", "mon,tue,wed,thu,fri,sat,sun"],
  ])("reads %s", async (option, stored) => {
    await ok(`digest on ${option}`);
    expect(subscriptions()[0]?.days).toBe(stored);
  });

  it("digest on again changes the settings of the same subscription", async () => {
    await ok("digest on 08:30 tz:Asia/Tokyo");
    await ok("digest on 7am");
    expect(subscriptions()).toHaveLength(1);
    expect(subscriptions()[0]).toMatchObject({ time: "07:00", time_zone: "Asia/Tokyo" });
  });

  it("digest status shows the state, the settings and the next delivery", async () => {
    await ok("digest on 08:30 days:mon-fri");
    const reply = await ok("digest status");
    expect(reply.heading).toBe("Digest on in this channel");
    expect(field(reply, "State")).toBe("on");
    expect(field(reply, "When")).toBe("08:30 Europe/London, Mon–Fri");
    expect(field(reply, "Next")).toBe("Mon 30 Nov 2026, 08:30 GMT");
    expect(field(reply, "Last")).toBe("none yet");
  });

  it("digest status the same day after the slot names tomorrow's", async () => {
    await ok("digest on 11:00");
    expect(field(await ok("digest status"), "Next")).toBe("Sun 29 Nov 2026, 11:00 GMT");
    h.clock.set("2026-11-29T11:00:01Z");
    // What the scheduler's tick records when it posts the 11:00 digest.
    const id = (h.db.prepare("SELECT id FROM subscriptions").get() as { id: number }).id;
    await h.store.deliveries.claim(id, "2026-11-29", "2026-11-29T11:00:00.000Z", false, "test", "2026-11-29T11:00:01.000Z", "2026-11-29T11:01:01.000Z");
    await h.store.deliveries.markSent(id, "2026-11-29", "test", "2026-11-29T11:00:01.000Z");
    expect(field(await ok("digest status"), "Next")).toBe("Mon 30 Nov 2026, 11:00 GMT (today's digest already went out at 11:00)");
  });

  it("digest status in a channel without one says how to start one", async () => {
    const reply = await ok("digest status");
    expect(reply.heading).toBe("No digest in this channel");
    expect(firstText(reply)).toBe("Start one: /docket digest on 09:00 tz:Europe/London");
  });

  it("digest off turns it off; status says since when and gives no next delivery", async () => {
    await ok("digest on");
    expect((await ok("digest off")).heading).toBe("Digest off in this channel");
    expect(subscriptions()[0]?.state).toBe("off");
    const status = await ok("digest status");
    expect(status.heading).toBe("Digest off in this channel");
    expect(field(status, "State")).toBe("off since Sun 29 Nov 2026, 10:00 GMT");
    expect(field(status, "Next")).toBeUndefined();
  });

  it("digest off where there is none says so and changes nothing", async () => {
    const before = h.snapshot();
    const reply = await h.run("digest off");
    expect(reply.error?.code).toBe("digest.not_on");
    expect(h.snapshot()).toEqual(before);
  });

  it("each channel has its own subscription", async () => {
    await ok("digest on 08:00", { channel: "C1" });
    await ok("digest on 18:00", { channel: "C2" });
    expect(subscriptions().map((s) => [s.channel_id, s.time])).toEqual([["C1", "08:00"], ["C2", "18:00"]]);
    expect(field(await ok("digest status", { channel: "C2" }), "When")).toBe("18:00 Europe/London, every day");
  });

  it("digest preview shows the digest without posting or storing anything", async () => {
    await ok("ask What does membership cost?");
    const before = h.snapshot();
    const reply = await ok("digest preview");
    expect(reply.heading).toMatch(/^Preview: /);
    expect(replyToText(reply)).toContain("What does membership cost?");
    expect(replyToText(reply)).toContain("nothing was posted");
    expect(h.snapshot()).toEqual(before);
  });

  it("digest preview of a date uses that day's slot", async () => {
    const reply = await ok("digest preview 2026-12-01");
    expect(reply.heading).toBe("Preview: Docket digest · Tuesday 1 December 2026");
    expect(replyToText(reply)).toContain("As it would read at 09:00 Europe/London; nothing was posted.");
  });
});

describe("admin add, remove and list", () => {
  const admins = () => h.db.prepare("SELECT kind, platform, ref_id, label, added_by FROM admins ORDER BY ref_id").all();

  it.each([
    ["<@U123|ana>", { kind: "member", ref_id: "U123", label: "@ana" }, "@ana is now an admin of this docket"],
    ["<@U123>", { kind: "member", ref_id: "U123", label: "@U123" }, "@U123 is now an admin of this docket"],
    ["<@!456>", { kind: "member", ref_id: "456", label: "@456" }, "@456 is now an admin of this docket"],
    ["<@&123>", { kind: "role", ref_id: "123", label: "@123" }, "@123 is now an admin of this docket"],
    ["<!subteam^S1|@organisers>", { kind: "role", ref_id: "S1", label: "@organisers" }, "@organisers is now an admin of this docket"],
    ["@name", { kind: "member", ref_id: "name", label: "@name" }, "@name is now an admin of this docket"],
  ])("admin add %s (a mention the platform resolved)", async (target, row, heading) => {
    const reply = await ok(`admin add ${target}`);
    expect(reply.heading).toBe(heading);
    expect(admins()).toEqual([{ ...row, platform: "slack", added_by: "alice" }]);
  });

  it("admin remove takes the same forms, matching by id whatever the label", async () => {
    await ok("admin add <@U123|ana>");
    await ok("admin add <@&123>");
    await ok("admin add @name");
    expect((await ok("admin remove <@U123>")).heading).toBe("@U123 is no longer an admin of this docket");
    await ok("admin remove <@&123>");
    await ok("admin remove @name");
    expect(admins()).toEqual([]);
  });

  it("a member and a role with the same id are different entries", async () => {
    await ok("admin add <@123>");
    await ok("admin add <@&123>");
    await ok("admin remove <@&123>");
    expect(admins()).toEqual([{ kind: "member", platform: "slack", ref_id: "123", label: "@123", added_by: "alice" }]);
  });

  it("admin list names each entry and who added it, and says workspace admins always count", async () => {
    await ok("admin add <@U123|ana>");
    await ok("admin add <@&123>", { displayName: "Ben" });
    const reply = await ok("admin list");
    expect(reply.heading).toBe("2 on this docket's admin list");
    expect(reply.blocks[0]).toEqual({
      kind: "list",
      items: [
        { text: "@123 (role)", detail: "added by Ben" },
        { text: "@ana (member)", detail: "added by alice" },
      ],
    });
    expect(replyToText(reply)).toContain("Workspace admins (Slack admins and owners, Discord members with Manage Server) are always admins.");
  });

  it("admin list with nobody listed says so", async () => {
    expect((await ok("admin list")).heading).toBe("No one is on this docket's own admin list");
  });
});

describe("export", () => {
  beforeEach(async () => {
    await ok("deadline add WCIT opens 2026-12-03 09:00 tz:Asia/Dubai at:Dubai");
    await ok("ask What does ITU membership cost? to:ITU #fees by:D1");
    await ok('answer Q1 CHF 10,600 source:"ITU, Decision 5"');
  });

  it.each([
    ["md", "coalition-t1-2026-11-29.md", "text/markdown"],
    ["csv", "coalition-t1-2026-11-29.csv", "text/csv"],
    ["json", "coalition-t1-2026-11-29.json", "application/json"],
    ["ics", "coalition-t1-2026-11-29.ics", "text/calendar"],
  ])("export %s returns %s as %s", async (format, name, mimeType) => {
    const reply = await ok(`export ${format}`);
    expect(reply.file).toMatchObject({ name, mimeType });
    expect(reply.heading).toBe(`Exported ${name}`);
    expect(reply.file?.content.length).toBeGreaterThan(0);
  });

  it("export alone is markdown", async () => {
    expect((await ok("export")).file?.name).toBe("coalition-t1-2026-11-29.md");
  });

  it("each format carries the docket's content", async () => {
    expect((await ok("export md")).file?.content).toContain("What does ITU membership cost?");
    expect((await ok("export csv")).file?.content).toContain('"CHF 10,600","ITU, Decision 5"');
    const json = JSON.parse((await ok("export json")).file?.content ?? "{}") as { format: string; questions: Array<{ text: string }> };
    expect(json.format).toBe("docket");
    expect(json.questions.map((q) => q.text)).toEqual(["What does ITU membership cost?"]);
    const ics = (await ok("export ics")).file?.content ?? "";
    expect(ics).toMatch(/^BEGIN:VCALENDAR/);
    expect(ics).toContain("SUMMARY:WCIT opens");
  });

  it("exporting a docket that has nothing yet gives no file and creates nothing", async () => {
    h.close();
    h = harness();
    const before = h.snapshot();
    const reply = await ok("export csv");
    expect(reply.file).toBeUndefined();
    expect(reply.heading).toBe("This docket is empty");
    expect(h.snapshot()).toEqual(before);
  });
});

describe("help", () => {
  it("lists every command with its usage and an example", async () => {
    const reply = await ok("help");
    expect(reply.heading).toBe("/docket: the coalition's open questions, answers and deadlines");
    const usages = items(reply);
    expect(usages).toContain("/docket ask <text> [to:<addressee>] [by:<deadline-or-date>] [#tag…]");
    expect(usages).toContain("/docket deadline add <title> <date> [<HH:MM>] [tz:<zone>] [at:<place>]");
    expect(usages).toHaveLength(h.commands.length);
    expect(replyToText(reply)).toContain("/docket help <command> explains one command.");
  });

  it("an empty command is help", async () => {
    expect((await ok("")).heading).toBe((await ok("help")).heading);
  });

  it("help deadline add explains the command, who may run it, its options and examples", async () => {
    const text = replyToText(await ok("help deadline add"));
    expect(text).toBe(
      [
        "/docket deadline add",
        "/docket deadline add <title> <date> [<HH:MM>] [tz:<zone>] [at:<place>]",
        "Add a deadline to count down to. Admins only.",
        "<title>: What happens then, up to 200 characters",
        "<date>: The day",
        "<HH:MM>: The time of day, in its zone (optional)",
        "tz:: An IANA time zone, like Europe/London (optional)",
        "at:: Where it happens (optional), up to 200 characters",
        "Examples",
        '• /docket deadline add "WCIT-12 opens" Dec 3 09:00 tz:Asia/Dubai at:Dubai',
        "• /docket deadline add Comments due in 2 weeks",
      ].join("\n"),
    );
  });

  it("help deadline explains the whole group", async () => {
    const reply = await ok("help deadline");
    expect(reply.heading).toBe("/docket deadline …");
    expect(replyToText(reply)).toContain("/docket deadline remove <D>");
  });

  it("help accepts the command in any case and with the root command in front", async () => {
    expect((await ok("help ASK")).heading).toBe("/docket ask");
    expect((await ok("help /docket ask")).heading).toBe("/docket ask");
  });
});
