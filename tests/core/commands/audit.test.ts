import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCore, type Logger } from "../../../src/core/core.ts";
import { replyToText, type Reply } from "../../../src/core/reply.ts";
import { harness, invocation, type Harness } from "../../support/harness.ts";

let h: Harness;
beforeEach(async () => {
  h = harness();
});
afterEach(() => h.close());

const ok = async (text: string, who?: Parameters<Harness["run"]>[1]): Promise<Reply> => await h.ok(text, who);

type AuditRow = { id: number; docket_id: number; actor: string; at: string; action: string; subject: string | null; before: string | null; after: string | null };
const auditRows = () => h.db.prepare("SELECT * FROM audit_events ORDER BY id").all() as AuditRow[];
const json = (text: string | null): unknown => (text === null ? null : JSON.parse(text));

const apology = "Sorry, something went wrong on Docket's side and nothing was changed. Please try again; if it keeps failing, tell the person who runs Docket.";
const failAuditInserts = (when = "") => h.db.exec(`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events ${when} BEGIN SELECT RAISE(ABORT, 'audit refused'); END`);
const allowAuditInserts = () => h.db.exec("DROP TRIGGER fail_audit");

/** Every mutating command, with what must exist first and the audit row it must write. */
interface MutationCase {
  name: string;
  given: string[];
  command: string;
  action: string;
  subject: string;
  before: unknown;
  after: unknown;
}

const mutations: MutationCase[] = [
  {
    name: "ask", given: [], command: "ask Will plenary be webcast? to:ITU #webcast", action: "question.ask", subject: "Q2",
    before: null, after: { number: 2, text: "Will plenary be webcast?", addressee: "ITU", tags: ["webcast"], neededBy: null },
  },
  {
    name: "answer", given: [], command: 'answer Q1 CHF 10,600 source:"Decision 588"', action: "question.answer", subject: "Q1",
    before: { status: "open" }, after: { status: "answered", answer: { text: "CHF 10,600", source: "Decision 588", kind: "full" } },
  },
  {
    name: "edit", given: [], command: "edit Q1 to:ITU by:D1", action: "question.edit", subject: "Q1",
    before: { addressee: null, neededBy: null }, after: { addressee: "ITU", neededBy: { kind: "deadline", deadlineNumber: 1 } },
  },
  { name: "note", given: [], command: "note Q1 Asked again", action: "question.note", subject: "Q1", before: null, after: { note: "Asked again" } },
  {
    name: "chase", given: [], command: "chase Q1 Emailed again via:email to:Secretariat", action: "question.chase", subject: "Q1",
    before: null, after: { chase: { text: "Emailed again", via: "email", on: "2026-11-30", contact: "Secretariat" } },
  },
  {
    name: "reopen", given: ["answer Q1 Yes"], command: "reopen Q1 Only half of it", action: "question.reopen", subject: "Q1",
    before: { status: "answered" }, after: { status: "open", reason: "Only half of it" },
  },
  {
    name: "withdraw", given: [], command: "withdraw Q1", action: "question.withdraw", subject: "Q1",
    before: { status: "open" }, after: { status: "withdrawn", reason: null },
  },
  {
    name: "deadline add", given: [], command: "deadline add Comments due 2026-12-13", action: "deadline.add", subject: "D2",
    before: null, after: expect.objectContaining({ number: 2, title: "Comments due", date: "2026-12-13" }),
  },
  {
    name: "deadline edit", given: [], command: "deadline edit D1 date:2026-12-04", action: "deadline.edit", subject: "D1",
    before: expect.objectContaining({ date: "2026-12-03" }), after: expect.objectContaining({ date: "2026-12-04" }),
  },
  {
    name: "deadline remove", given: [], command: "deadline remove D1", action: "deadline.remove", subject: "D1",
    before: expect.objectContaining({ number: 1, title: "WCIT-12 opens" }), after: null,
  },
  {
    name: "deadline milestones", given: [], command: "deadline milestones D1 7,1 ping:<!subteam^S0ORG|@organisers>", action: "deadline.milestones", subject: "D1",
    before: null, after: { days: [7, 1], ping: { kind: "role", platform: "slack", workspaceId: "T1", id: "S0ORG", label: "@organisers" } },
  },
  {
    name: "digest on", given: [], command: "digest on 08:30 days:mon-fri", action: "digest.on", subject: "channel:C1",
    before: null, after: expect.objectContaining({ time: "08:30", days: ["mon", "tue", "wed", "thu", "fri"] }),
  },
  {
    name: "digest off", given: ["digest on"], command: "digest off", action: "digest.off", subject: "channel:C1",
    before: expect.objectContaining({ time: "09:00", state: { kind: "active" } }), after: null,
  },
  {
    name: "rename", given: [], command: 'rename "WCIT-12 coalition"', action: "docket.rename", subject: "docket",
    before: { name: "Coalition T1" }, after: { name: "WCIT-12 coalition" },
  },
  {
    name: "admin add", given: [], command: "admin add <@U2|ben>", action: "admin.add", subject: "admin:member:U2",
    before: null, after: { kind: "member", platform: "slack", id: "U2", label: "@ben" },
  },
  {
    name: "link", given: [], command: "link", action: "docket.link_code", subject: "link",
    before: null, after: { expiresAt: "2026-12-01T08:15:00.000Z" },
  },
  {
    name: "admin remove", given: ["admin add <@U2|ben>"], command: "admin remove <@U2>", action: "admin.remove", subject: "admin:member:U2",
    before: { kind: "member", platform: "slack", id: "U2", label: "@U2" }, after: null,
  },
];

const seed = async () => {
  await ok("ask What does ITU membership cost?");
  await ok("deadline add WCIT-12 opens 2026-12-03");
};

describe("every mutating command writes exactly one audit row", () => {
  it("the table below covers every command declared as mutating", async () => {
    // why unlink is not in the table: it moves a workspace to a docket of its own, writing one row in each docket (tests/core/commands/link.test.ts).
    expect(h.commands.filter((c) => c.mutates).map((c) => c.name).sort()).toEqual([...mutations.map((m) => m.name), "unlink"].sort());
  });

  it.each(mutations.map((m) => [m.name, m] as const))("%s", async (_name, m) => {
    await seed();
    for (const given of m.given) await ok(given);
    h.clock.set("2026-11-30T08:15:00Z");
    const before = auditRows();
    await ok(m.command, { id: "U7", displayName: "Dana" });
    const after = auditRows();

    expect(after).toHaveLength(before.length + 1);
    const row = after.at(-1)!;
    expect(row).toMatchObject({ docket_id: 1, actor: "Dana (slack:U7)", at: "2026-11-30T08:15:00.000Z", action: m.action, subject: m.subject });
    expect(json(row.before)).toEqual(m.before);
    expect(json(row.after)).toEqual(m.after);
  });
});

describe("the first change of a workspace", () => {
  it("also writes docket.create, first, with the workspace it is bound to", async () => {
    await ok("ask What does ITU membership cost?");
    const rows = auditRows();
    expect(rows.map((r) => r.action)).toEqual(["docket.create", "question.ask"]);
    expect(rows[0]).toMatchObject({ docket_id: 1, subject: null, actor: "alice (slack:alice)" });
    expect(json(rows[0]!.after)).toEqual({
      id: 1, name: "Coalition T1", timeZone: "Europe/London", createdAt: "2026-11-29T10:00:00.000Z",
      workspace: { platform: "slack", id: "T1", name: "Coalition T1" },
    });
    await ok("ask Second question");
    expect(auditRows().map((r) => r.action)).toEqual(["docket.create", "question.ask", "question.ask"]);
  });

  it("whatever the change is: digest on in a fresh workspace", async () => {
    await ok("digest on");
    expect(auditRows().map((r) => r.action)).toEqual(["docket.create", "digest.on"]);
  });
});

describe("read-only commands write nothing", () => {
  const readOnly = [
    "show Q1", "list", "list all", "list overdue", "search membership", "deadline list", "digest status", "digest preview",
    "digest preview 2026-12-01", "export md", "export csv", "export json", "export ics", "admin list", "help", "help ask", "",
    "scorecard", "scorecard to:ITU", "list waiting:1", "link status",
  ];

  it("the list covers every command declared as not mutating", async () => {
    const named = new Set(readOnly.map((c) => (h.commands.find((k) => c === k.name) ?? h.commands.find((k) => c.startsWith(`${k.name} `)))?.name ?? "help"));
    expect([...named].sort()).toEqual(h.commands.filter((c) => !c.mutates).map((c) => c.name).sort());
  });

  it.each(readOnly)("%j", async (command) => {
    await seed();
    await ok("answer Q1 CHF 10,600");
    await ok("digest on");
    const before = h.snapshot();
    await ok(command);
    expect(h.snapshot()).toEqual(before);
  });

  it.each(readOnly)("%j as the first command of a fresh workspace creates no docket", async (command) => {
    const before = h.snapshot();
    const reply = await h.run(command, { workspace: "T9" });
    expect(["question.not_found", undefined]).toContain(reply.error?.code);
    expect(h.snapshot()).toEqual(before);
    expect(await h.docketOf({ workspace: "T9" })).toBeUndefined();
  });
});

describe("the change and its audit row are one transaction", () => {
  it.each(mutations.map((m) => [m.name, m] as const))("%s stores nothing when its audit row cannot be written", async (_name, m) => {
    await seed();
    for (const given of m.given) await ok(given);
    failAuditInserts();
    const before = h.snapshot();

    const reply = await h.run(m.command);
    expect(reply.error?.code).toBe("internal");
    expect(replyToText(reply)).toBe(apology);
    expect(reply.announcement).toBeUndefined();
    expect(h.snapshot()).toEqual(before);
  });

  it("a question whose audit row failed was not stored and its number is still free", async () => {
    await seed();
    failAuditInserts();
    expect((await h.run("ask Will plenary be webcast?")).error?.code).toBe("internal");
    expect(h.db.prepare("SELECT number, text FROM questions").all()).toEqual([{ number: 1, text: "What does ITU membership cost?" }]);
    expect((await h.run("search plenary")).heading).toBe('Nothing matches "plenary"');
    allowAuditInserts();
    expect((await ok("ask Will plenary be webcast?")).heading).toBe("Added Q2");
  });

  it("on a fresh workspace, the docket, its binding and the member are rolled back with the change", async () => {
    // docket.create is written; the question's own row then fails.
    failAuditInserts("WHEN NEW.action = 'question.ask'");
    const before = h.snapshot();
    expect((await h.run("ask What does ITU membership cost?")).error?.code).toBe("internal");
    expect(h.snapshot()).toEqual(before);
    expect(await h.docketOf()).toBeUndefined();
    allowAuditInserts();
    expect((await ok("ask What does ITU membership cost?")).heading).toBe("Added Q1");
    expect(auditRows().map((r) => [r.docket_id, r.action])).toEqual([[1, "docket.create"], [1, "question.ask"]]);
  });

  it("the failure is logged with its cause for whoever runs Docket", async () => {
    const logged: Array<{ message: string; context: Record<string, unknown> | undefined }> = [];
    const log: Logger = { debug() {}, info() {}, warn() {}, error: (message, context) => logged.push({ message, context }) };
    const core = createCore({ store: h.store, clock: h.clock, settings: { commandName: "docket", defaultTimeZone: "Europe/London" }, log });
    failAuditInserts();
    const outcome = await core.handle({ kind: "text", invocation: invocation(), text: "ask What does ITU membership cost?", forms: false });
    expect(outcome.kind === "reply" && outcome.reply.error?.code).toBe("internal");
    expect(logged).toHaveLength(1);
    expect(logged[0]?.message).toBe("command failed");
    expect(logged[0]?.context).toMatchObject({ workspace: "T1", error: expect.stringContaining("audit refused") });
  });
});
