import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CoreEvent, Invocation, Outcome, Reply } from "../../src/core/api.ts";
import { replyToText } from "../../src/core/api.ts";
import { createCore } from "../../src/core/core.ts";
import { defineCommand, opt } from "../../src/core/vocabulary.ts";
import { commands } from "../../src/core/commands/registry.ts";
import { silentLogger } from "../../src/log.ts";
import { harness, invocation, type Harness } from "../support/harness.ts";

// The core's one face, as every adapter meets it: an event in, an outcome out, parsing done once.

let h: Harness;
beforeEach(async () => {
  h = harness();
  await h.ok("deadline add WCIT-12 opens 2026-12-03");
  await h.ok("ask What does ITU membership cost? to:ITU");
});
afterEach(() => h.close());

/** Slack before users.info answered: the actor's platform role is not known. */
const roleless = (id = "bob"): Invocation => ({ ...invocation({ id }), actor: { id, displayName: id } });
const text = (t: string, who: Invocation = invocation(), forms = false): CoreEvent => ({ kind: "text", invocation: who, text: t, forms });
const replyOf = (o: Outcome): Reply => {
  if (o.kind !== "reply") throw new Error(`expected a reply, got ${o.kind}`);
  return o.reply;
};

describe("a command that depends on the actor's role", () => {
  it("asks for the role when the platform did not give it, then resumes without parsing again", async () => {
    const outcome = await h.core.handle(text("deadline add Comments due 2026-12-10", roleless()));
    expect(outcome.kind).toBe("needs-role");
    if (outcome.kind !== "needs-role") return;
    h.clock.set("2026-11-30T10:00:00Z");
    const resumed = replyOf(await outcome.resume({ isPlatformAdmin: true, roleIds: [] }));
    expect(resumed.heading).toMatch(/^Added D2/);
    expect((await h.store.audit.forSubject((await h.docketOf())!.id, "D2"))[0]?.at).toBe("2026-11-29T10:00:00.000Z");
  });

  it("refuses after the role came back as a plain member", async () => {
    const outcome = await h.core.handle(text("deadline add Comments due 2026-12-10", roleless()));
    if (outcome.kind !== "needs-role") throw new Error("expected needs-role");
    const before = h.snapshot();
    expect(replyOf(await outcome.resume({ isPlatformAdmin: false, roleIds: [] })).error?.code).toBe("permission.admin");
    expect(h.snapshot()).toEqual(before);
  });

  it("needs no role for what anyone may do, for a member on the docket's own list, or for the asker's own question", async () => {
    expect((await h.core.handle(text("ask Who may attend?", roleless()))).kind).toBe("reply");
    expect((await h.core.handle(text("frobnicate", roleless()))).kind).toBe("reply");
    await h.ok("admin add @bob");
    expect(replyOf(await h.core.handle(text("deadline add Comments due 2026-12-10", roleless("bob")))).heading).toMatch(/^Added D2/);
    await h.ok("ask Will sessions be public?", { id: "carol", isPlatformAdmin: false });
    expect(replyOf(await h.core.handle(text("withdraw Q3 no longer needed", roleless("carol")))).error).toBeUndefined();
    expect((await h.core.handle(text("withdraw Q1", roleless("carol")))).kind).toBe("needs-role");
  });
});

describe("slow commands", () => {
  it("are acknowledged first and run on resume", async () => {
    const outcome = await h.core.handle(text("export csv"));
    expect(outcome.kind).toBe("slow");
    if (outcome.kind !== "slow") return;
    expect(replyOf(await outcome.resume()).file?.name).toMatch(/\.csv$/);
  });

  it("still refuse a mistake at once, without the wait", async () => {
    expect(replyOf(await h.core.handle(text("export pdf"))).error?.code).toBe("format.invalid");
  });
});

describe("forms", () => {
  it("a bare ask opens the ask form, built from the command's own options", async () => {
    const outcome = await h.core.handle(text("ask", invocation(), true));
    if (outcome.kind !== "form") throw new Error(`expected a form, got ${outcome.kind}`);
    expect(outcome.form).toMatchObject({ ref: "ask", title: "Ask a question", submit: "Ask" });
    expect(outcome.form.fields.map((f) => [f.name, f.label, f.input, f.required, f.max])).toEqual([
      ["text", "Question", "paragraph", true, 1000],
      ["to", "Asked of", "line", false, 200],
      ["by", "Needed by", "deadline-or-date", false, 200],
      ["tags", "Tags", "line", false, 600],
    ]);
    expect(outcome.form.fields[2]?.choices).toEqual([{ label: "D1 WCIT-12 opens (2026-12-03)", value: "D1" }]);
  });

  it("where the platform has no forms (the console), a bare ask says what to type", async () => {
    expect(replyOf(await h.core.handle(text("ask"))).error?.code).toBe("text.missing");
  });

  it("answer Q1 opens a form about that question; an unknown question is refused in show's words", async () => {
    const outcome = await h.core.handle(text("answer Q1", invocation(), true));
    if (outcome.kind !== "form") throw new Error("expected a form");
    expect(outcome.form).toMatchObject({ ref: "answer|1", title: "Answer Q1", intro: "Q1 What does ITU membership cost?" });
    expect(outcome.form.fields.map((f) => f.name)).toEqual(["text", "source", "partial"]);
    const missing = replyOf(await h.core.handle(text("answer Q9", invocation(), true)));
    expect(replyToText(missing)).toBe(await h.text("show Q9"));
  });

  it("a bare answer offers the open questions to choose from, or says there are none", async () => {
    const outcome = await h.core.handle(text("answer", invocation(), true));
    if (outcome.kind !== "form") throw new Error("expected a form");
    expect(outcome.form.fields[0]).toMatchObject({ name: "question", input: "choice", choices: [{ label: "Q1 What does ITU membership cost?", value: "Q1" }] });
    const empty = await h.core.handle(text("answer", invocation({ workspace: "T2" }), true));
    expect(replyOf(empty).error?.code).toBe("question.missing");
  });

  it("a submitted form is stored once; a refused one names the field and stores nothing", async () => {
    const before = h.snapshot();
    const refused = await h.core.handle({ kind: "form", invocation: invocation(), form: "ask", values: { text: "Who drafts the agenda?", by: "2012-01-01" } });
    expect(refused.kind).toBe("invalid");
    if (refused.kind === "invalid") expect(Object.keys(refused.errors)).toEqual(["by"]);
    expect(h.snapshot()).toEqual(before);
    const stored = replyOf(await h.core.handle({ kind: "form", invocation: invocation(), form: "ask", values: { text: "Who drafts the agenda?", to: "ITU", by: "D1", tags: "#agenda" } }));
    expect(stored.heading).toBe("Added Q2");
    expect(stored.announcement).toContain("asked Q2 of ITU");
  });

  it("an error the command itself raises lands on the form's first field", async () => {
    await h.ok("withdraw Q1");
    const outcome = await h.core.handle({ kind: "form", invocation: invocation(), form: "answer|1", values: { text: "CHF 10,600", partial: true } });
    expect(outcome.kind === "invalid" && outcome.errors).toEqual({ text: expect.stringContaining("Q1 was withdrawn") });
  });

  it("a form ref that is not one of ours is refused, not guessed at", async () => {
    for (const form of ["delete", "answer|x", "help", "answer|1|2"]) {
      const outcome = await h.core.handle({ kind: "form", invocation: invocation(), form, values: { text: "x" } });
      expect(replyOf(outcome).error?.code, form).toBe("form.unknown");
    }
  });
});

describe("buttons and typed options", () => {
  it("the Answer button opens the answer form for its question", async () => {
    const outcome = await h.core.handle({ kind: "button", invocation: invocation(), press: { action: "answer", question: 1 } });
    expect(outcome.kind === "form" && outcome.form.ref).toBe("answer|1");
  });

  it("typed options arrive as values: booleans as booleans, members and roles as mentions", async () => {
    const answered = replyOf(await h.core.handle({ kind: "command", invocation: invocation(), command: "answer", options: { question: "1", text: "In part", partial: true } }));
    expect(answered.heading).toBe("Logged a partial answer to Q1");
    const added = replyOf(await h.core.handle({ kind: "command", invocation: invocation(), command: "admin add", options: { who: { kind: "role", id: "R1", label: "Organisers" } } }));
    expect(added.heading).toBe("@Organisers is now an admin of this docket");
    const typedName = replyOf(await h.core.handle({ kind: "command", invocation: invocation(), command: "admin add", options: { who: "@ana" } }));
    expect(typedName.error?.code).toBe("target.invalid");
  });
});

describe("a new command", () => {
  it("needs its spec and a registry entry only: the core parses, helps and runs it", async () => {
    const ping = defineCommand({
      name: "ping",
      summary: "Answer pong",
      options: [opt.question("question")],
      examples: ["ping Q1"],
      permission: "anyone",
      mutates: false,
      run: async (input) => ({ visibility: "ephemeral", heading: `pong Q${input.question.number}`, blocks: [] }),
    });
    const core = createCore({ store: h.store, clock: h.clock, settings: { commandName: "docket", defaultTimeZone: "Europe/London" }, log: silentLogger, commands: [...commands, ping] });
    expect(replyOf(await core.handle(text("ping Q1"))).heading).toBe("pong Q1");
    expect(core.vocabulary.find((c) => c.name === "ping")?.usage).toBe("ping <Q>");
  });
});
