import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../../src/config.ts";
import { isUserError } from "../../../src/core/errors.ts";
import { foldLine, toIcs } from "../../../src/core/export/ics.ts";
import { parseSnapshot, snapshotSchema } from "../../../src/core/export/snapshot-schema.ts";
import type { DocketSnapshot } from "../../../src/core/ports.ts";
import type { Reply, ReplyFile } from "../../../src/core/reply.ts";
import { cleanText } from "../../../src/core/text.ts";
import { openMigrated } from "../../../src/store/open.ts";
import { createSqliteStore } from "../../../src/store/sqlite-store.ts";
import { runTool } from "../../../src/cli.ts";
import { harness, tempDir, type Harness } from "../../support/harness.ts";
import { testEngine } from "../../support/test-engine.ts";

// One docket with everything an export has to carry, built through the real core; exports are
// taken on Sunday 29 Nov 2026, 10:00 UTC (docket zone Europe/London), when D1 is 52 days ahead.

const longTitle = `Plenary 全体会議 — “Ünïcödé” 😀 ${"会議🙂é".repeat(30)}`.slice(0, 190);
const bob = { id: "bob", displayName: "=bob", isPlatformAdmin: false };

let h: Harness;
const files: Partial<Record<"json" | "csv" | "md" | "ics", ReplyFile>> = {};

const ok = async (text: string, who?: Parameters<Harness["run"]>[1]): Promise<Reply> => await h.ok(text, who);

function exported(format: "json" | "csv" | "md" | "ics"): string {
  const file = files[format];
  if (!file) throw new Error(`no ${format} export`);
  return file.content;
}

beforeAll(async () => {
  h = harness();
  h.clock.set("2026-10-01T09:00:00Z");
  await ok('deadline add "WCIT-12 opens" 2027-01-20 09:00 tz:Asia/Dubai at:"Dubai, UAE"');
  await ok('deadline add "Comments *due* <b>now</b>" 2026-12-10');
  await ok('deadline add "Council; session, summer \\ break" 2027-06-15 09:00 tz:Europe/London at:Geneva');
  await ok('deadline add "Old deadline" 2026-12-24');
  await ok(`deadline add "${longTitle}" 2027-02-01 at:"東京, 日本 — ${"場所".repeat(20)}"`);
  await ok("deadline remove D4");
  await ok(`ask 'What does membership cost, per year? He said "no", twice.' to:ITU #fees #über by:D1`);
  await ok('ask "Line one\nline two, with comma" to:Secretariat by:2026-11-20', bob);
  await ok('ask =HYPERLINK("http://evil.example") to:ITU');
  // why quoted: a lone # outside quotes is refused as a malformed tag (issue 10); inside quotes it is text.
  await ok('ask "<b>bold</b> and *markdown* _x_ [link](http://x) `code` # not a heading" to:"ITU Secretariat" #ünïcode');
  await ok("ask Withdrawn one? to:ITU");
  await ok("ask Reopened one? to:Secretariat");
  await ok("ask Ünïcödé 日本語 😀 — by when? to:Secretariat by:D2");
  h.clock.set("2026-11-20T09:00:00Z");
  await ok("answer Q1 Partly: CHF 10,600 source:https://www.itu.int/en/join partial:yes");
  await ok('answer Q1 Full: CHF 10,600 a year source:"ITU Council Decision 588, §3"');
  await ok("answer Q3 Only sector members source:https://www.itu.int/a:b?x=1 partial:yes");
  await ok("answer Q6 +1 agreed source:@someone");
  await ok("reopen Q6 fell short");
  await ok("withdraw Q5 Superseded by Q1");
  await ok('note Q2 "Asked again at the 9 Oct briefing; they promised a reply"');
  await ok("digest on 08:30 tz:America/New_York days:mon-fri #fees");
  await ok("digest on 07:00 tz:Asia/Tokyo", { channel: "C2" });
  await ok("digest off", { channel: "C2" });
  await ok("admin add @amina");
  await ok("admin add <@&1234567890>");
  h.clock.set("2026-11-29T10:00:00Z");
  for (const format of ["json", "csv", "md", "ics"] as const) files[format] = (await ok(`export ${format}`)).file;
});
afterAll(() => h.close());

const config = (db: string): Config => ({ db, timeZone: "UTC", commandName: "docket", port: 0, logLevel: "error" });

describe("export json, then import: a lossless round trip", () => {
  it("names the file after the docket and the day, with the right type", async () => {
    expect(files.json).toMatchObject({ name: "coalition-t1-2026-11-29.json", mimeType: "application/json" });
  });

  it("carries everything: every status, removed deadlines, answers, notes, subscriptions, admins, audit", async () => {
    const s = parseSnapshot(JSON.parse(exported("json")) as unknown);
    expect(s.questions.map((q) => [q.number, q.status])).toEqual([
      [1, "answered"], [2, "open"], [3, "partial"], [4, "open"], [5, "withdrawn"], [6, "open"], [7, "open"],
    ]);
    expect(s.questions[0]).toMatchObject({ text: 'What does membership cost, per year? He said "no", twice.', addressee: "ITU", tags: ["fees", "über"], neededBy: { kind: "deadline", deadlineNumber: 1 } });
    expect(s.questions[1]!.text).toBe("Line one\nline two, with comma");
    expect(s.deadlines.map((d) => [d.number, d.removedAt !== null])).toEqual([[1, false], [2, false], [3, false], [4, true], [5, false]]);
    expect(s.answers.map((a) => [a.questionNumber, a.kind, a.source])).toEqual([
      [1, "partial", "https://www.itu.int/en/join"], [1, "full", "ITU Council Decision 588, §3"], [3, "partial", "https://www.itu.int/a:b?x=1"], [6, "full", "@someone"],
    ]);
    expect(s.notes).toHaveLength(1);
    expect(s.subscriptions.map((x) => x.state.kind)).toEqual(["active", "off"]);
    expect(s.admins.map((a) => [a.kind, a.id]).sort()).toEqual([["member", "amina"], ["role", "1234567890"]]);
    expect(s.members.map((m) => m.displayName)).toEqual(["alice", "=bob"]);
    expect(s.audit.length).toBeGreaterThan(20);
  });

  it("is what the zod schema describes", async () => {
    expect(snapshotSchema.safeParse(JSON.parse(exported("json")) as unknown).success).toBe(true);
  });

  it("restored into an empty database, exports again byte for byte the same", async () => {
    const h2 = harness();
    try {
      await h2.store.snapshots.restore(parseSnapshot(JSON.parse(exported("json")) as unknown));
      const again = (await h2.run("export json")).file;
      expect(again?.content).toBe(exported("json"));
      expect(JSON.parse(again!.content) as unknown).toEqual(JSON.parse(exported("json")) as unknown);
    } finally {
      h2.close();
    }
  });

  it("imported with the import tool into a new file, reads back deep-equal", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, "docket.json");
      writeFileSync(file, exported("json"));
      const out: string[] = [];
      expect(await runTool("import", [file], config(join(dir, "new.sqlite")), (t) => out.push(t))).toBe(0);
      expect(out.join("")).toContain("7 questions, 4 answers");
      const { db } = openMigrated(join(dir, "new.sqlite"));
      try {
        expect(await createSqliteStore(db).snapshots.read(1)).toEqual(JSON.parse(exported("json")) as unknown);
      } finally {
        db.close();
      }
    } finally {
      cleanup();
    }
  });

  it("an imported docket keeps working: numbers continue, search finds imported text", async () => {
    const h2 = harness();
    try {
      await h2.store.snapshots.restore(parseSnapshot(JSON.parse(exported("json")) as unknown));
      expect((await h2.run("ask A new one? to:ITU")).heading).toBe("Added Q8");
      expect((await h2.run("deadline add Another 2027-03-01")).heading).toBe("Added D6");
      expect(await h2.text("search briefing")).toContain("Q2 (note)");
      expect(await h2.text("search decision")).toContain("Q1 (answer)");
      expect(await h2.text("list all #fees")).toContain("1 question #fees");
    } finally {
      h2.close();
    }
  });
});

describe("import refuses what is not a Docket export", () => {
  const original = () => parseSnapshot(JSON.parse(exported("json")) as unknown);

  function refusal(data: unknown): string {
    try {
      parseSnapshot(data);
    } catch (error) {
      if (isUserError(error) && error.code === "import.invalid") return error.message;
      throw error;
    }
    throw new Error("parseSnapshot accepted it");
  }

  it.each<[string, (s: DocketSnapshot) => unknown, RegExp]>([
    ["not an object", () => [1, 2, 3], /This is not a Docket json export: the file: /],
    ["another format", (s) => ({ ...s, format: "trello" }), /: format: /],
    ["a newer version", (s) => ({ ...s, version: 2 }), /: version: /],
    ["no questions", (s) => ({ ...s, questions: undefined }), /: questions: /],
    ["an unknown status", (s) => ({ ...s, questions: s.questions.map((q, i) => (i === 2 ? { ...q, status: "closed" } : q)) }), /: questions\.2\.status: /],
    ["a time that is not HH:MM", (s) => ({ ...s, deadlines: s.deadlines.map((d) => ({ ...d, time: "9am" })) }), /: deadlines\.0\.time: /],
    ["an instant that is not ISO", (s) => ({ ...s, docket: { ...s.docket, createdAt: "yesterday" } }), /: docket\.createdAt: /],
    ["a negative id", (s) => ({ ...s, answers: s.answers.map((a) => ({ ...a, id: -1 })) }), /: answers\.0\.id: /],
  ])("refuses %s, saying where", async (_name, change, where) => {
    expect(refusal(change(original()))).toMatch(where);
  });

  it("the import tool refuses a malformed file and leaves the new database empty", async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, "bad.json");
      writeFileSync(file, JSON.stringify({ ...original(), version: 2 }));
      await expect(runTool("import", [file], config(join(dir, "new.sqlite")), () => {})).rejects.toThrow(/not a Docket json export: version/);
      if (existsSync(join(dir, "new.sqlite"))) {
        const { db } = openMigrated(join(dir, "new.sqlite"));
        expect(await createSqliteStore(db).dockets.list()).toEqual([]);
        db.close();
      }
    } finally {
      cleanup();
    }
  });

  // why SQLite only: the tool is pointed at the harness's database file through DOCKET_DB.
  it.skipIf(testEngine === "postgres")("the import tool refuses a database that already holds a docket, and changes nothing in it", async () => {
    const h2 = harness();
    try {
      await h2.run("ask Already here? to:ITU");
      const before = h2.snapshot();
      const file = join(h2.dir, "docket.json");
      writeFileSync(file, exported("json"));
      await expect(runTool("import", [file], config(h2.path), () => {})).rejects.toThrow(/already holds dockets.*empty database/);
      expect(h2.snapshot()).toEqual(before);
    } finally {
      h2.close();
    }
  });

  /** What the import tool does with a snapshot: an error message, or "imported". */
  async function importOutcome(s: DocketSnapshot): Promise<{ outcome: string; userError: boolean; dockets: number }> {
    const { dir, cleanup } = tempDir();
    try {
      const file = join(dir, "docket.json");
      writeFileSync(file, JSON.stringify(s));
      let outcome = "imported";
      let userError = false;
      try {
        await runTool("import", [file], config(join(dir, "new.sqlite")), () => {});
      } catch (error) {
        outcome = error instanceof Error ? error.message : String(error);
        userError = isUserError(error) || (error instanceof Error && error.name === "ToolError");
      }
      const { db } = openMigrated(join(dir, "new.sqlite"));
      const dockets = (await createSqliteStore(db).dockets.list()).length;
      db.close();
      return { outcome, userError, dockets };
    } finally {
      cleanup();
    }
  }

  it("a snapshot whose rows do not fit together is rolled back whole", async () => {
    const s = original();
    const result = await importOutcome({ ...s, answers: s.answers.map((a, i) => (i === 3 ? { ...a, questionNumber: 99 } : a)) });
    expect(result.outcome).not.toBe("imported");
    expect(result.dockets).toBe(0);
  });

  // BUG (src/core/export/snapshot-schema.ts: only shapes are checked; src/store/sqlite-snapshots.ts
  // restore): an answer to a question the file does not contain fails deep in SQLite with
  // "NOT NULL constraint failed: answers.question_id" (a SqliteError, so the CLI prints a stack trace
  // and exits 1) instead of a UserError saying which answer refers to which missing question.
  it("an answer to a question that is not in the file is refused with a clear message", async () => {
    const s = original();
    const result = await importOutcome({ ...s, answers: s.answers.map((a, i) => (i === 3 ? { ...a, questionNumber: 99 } : a)) });
    expect(result.userError).toBe(true);
    expect(result.outcome).toMatch(/Q99|question 99/);
  });

  // BUG (src/core/export/snapshot-schema.ts:18 `timeZone: z.string()`): an unknown zone is
  // imported, and from then on every command that reads a date fails with the internal-error
  // apology ("Sorry, something went wrong on Docket's side…") because dates/zones.ts offsetAt throws.
  it("an unknown time zone is refused at import", async () => {
    const s = original();
    const result = await importOutcome({ ...s, docket: { ...s.docket, timeZone: "Mars/Olympus" } });
    expect(result.dockets).toBe(0);
    expect(result.outcome).toContain("Mars/Olympus");
  });

  // BUG (src/core/export/snapshot-schema.ts:8 `date` is only /^\d{4}-\d{2}-\d{2}$/): 2026-13-45 is
  // imported, and `list` then answers with the internal-error apology (dates/calendar.ts splitDate throws).
  it("an impossible calendar date is refused at import", async () => {
    const s = original();
    const result = await importOutcome({ ...s, deadlines: s.deadlines.map((d, i) => (i === 0 ? { ...d, date: "2026-13-45" } : d)) });
    expect(result.dockets).toBe(0);
    expect(result.outcome).toContain("2026-13-45");
  });

  // BUG (snapshot-schema.ts:26 `tags: z.array(z.string())`, stored space-joined by
  // sqlite-snapshots.ts restore): a tag with a space is accepted and comes back as two tags, so
  // the round trip is not lossless for such a file.
  it("a tag that could not have been typed is refused rather than split in two", async () => {
    const s = original();
    const result = await importOutcome({ ...s, questions: s.questions.map((q, i) => (i === 0 ? { ...q, tags: ["has space"] } : q)) });
    expect(result.dockets).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// CSV

/** A strict RFC 4180 reader: CRLF between records, quoted fields with "" for a quote; throws on anything else. */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  if (!text.endsWith("\r\n")) throw new Error("the last record does not end with CRLF");
  while (i < text.length) {
    let field = "";
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("unclosed quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i];
        i++;
      }
    } else {
      while (i < text.length && text[i] !== "," && text[i] !== "\r") {
        if (text[i] === '"' || text[i] === "\n") throw new Error(`bare ${JSON.stringify(text[i])} in an unquoted field at ${i}`);
        field += text[i];
        i++;
      }
    }
    record.push(field);
    if (text[i] === ",") {
      i++;
      continue;
    }
    if (text.slice(i, i + 2) !== "\r\n") throw new Error(`expected CRLF at ${i}, found ${JSON.stringify(text.slice(i, i + 2))}`);
    i += 2;
    records.push(record);
    record = [];
  }
  return records;
}

describe("export csv", () => {
  const header = ["number", "status", "text", "addressee", "tags", "needed_by", "asked_by", "asked_at", "latest_answer", "latest_source", "answered_at", "waiting_days", "chases", "last_chased"];
  const rows = () => parseCsv(exported("csv"));
  const row = (n: number) => Object.fromEntries(header.map((h, i) => [h, rows()[n]![i]]));

  it("the test's reader is strict RFC 4180", async () => {
    expect(parseCsv('a,"b,c","d""e","f\r\ng"\r\n,\r\n')).toEqual([["a", "b,c", 'd"e', "f\r\ng"], ["", ""]]);
    expect(() => parseCsv("a,b\n")).toThrow();
    expect(() => parseCsv('a"b\r\n')).toThrow();
    expect(() => parseCsv('"a"b\r\n')).toThrow();
  });

  it("has the header, then one row per question in number order, every row as wide as the header", async () => {
    expect(files.csv).toMatchObject({ mimeType: "text/csv" });
    const [first, ...rest] = rows();
    expect(first).toEqual(header);
    expect(rest.map((r) => r[0])).toEqual(["Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7"]);
    for (const r of rest) expect(r).toHaveLength(header.length);
  });

  it("quotes commas, doubled quotes and embedded newlines, and reads back exactly", async () => {
    expect(row(1)).toMatchObject({
      status: "answered", text: 'What does membership cost, per year? He said "no", twice.', addressee: "ITU", tags: "#fees #über",
      needed_by: "D1 WCIT-12 opens (2027-01-20)", asked_by: "alice", asked_at: "2026-10-01T09:00:00.000Z",
      latest_answer: "Full: CHF 10,600 a year", latest_source: "ITU Council Decision 588, §3", answered_at: "2026-11-20T09:00:00.000Z",
    });
    expect(row(2)).toMatchObject({ status: "open", text: "Line one\nline two, with comma", needed_by: "2026-11-20", latest_answer: "" });
    expect(row(7)).toMatchObject({ text: "Ünïcödé 日本語 😀 — by when?", needed_by: "D2 Comments *due* <b>now</b> (2026-12-10)" });
  });

  it("defuses cells a spreadsheet would run as a formula (= + - @), keeping the rest as typed", async () => {
    expect(row(3).text).toBe(`'=HYPERLINK("http://evil.example")`);
    expect(row(2).asked_by).toBe("'=bob");
    expect(row(6)).toMatchObject({ status: "open", latest_answer: "'+1 agreed", latest_source: "'@someone" });
    for (const r of rows()) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it("a withdrawn question and a partly answered one are rows too, with their latest answer", async () => {
    expect(row(5)).toMatchObject({ status: "withdrawn", latest_answer: "" });
    expect(row(3)).toMatchObject({ status: "partial", latest_answer: "Only sector members", latest_source: "https://www.itu.int/a:b?x=1" });
  });
});

// ---------------------------------------------------------------------------------------------
// Markdown

describe("export md", () => {
  const md = () => exported("md");
  const section = (title: string) => {
    const text = md();
    const start = text.indexOf(`## ${title}\n`);
    if (start < 0) throw new Error(`no section ${title}`);
    const end = text.indexOf("\n## ", start + 1);
    return text.slice(start, end < 0 ? undefined : end);
  };

  it("opens with a dated headline: how many remain unanswered, and only the deadlines open questions are needed by", async () => {
    expect(files.md).toMatchObject({ mimeType: "text/markdown" });
    // WCIT-12 opens is nearer than the Plenary but only an answered question needed it; nothing waits on the Plenary.
    expect(md()).toContain("**5 questions remain unanswered as of 29 Nov 2026: 1 is needed by Comments \\*due\\* \\<b\\>now\\</b\\> on 10 Dec 2026.**");
    expect(md()).toContain("As of 29 Nov 2026 (Europe/London).");
  });

  it("lists the upcoming deadlines with their dates, not countdowns that go stale, and not the removed one", async () => {
    const deadlines = section("Deadlines");
    expect(deadlines).toContain("WCIT\\-12 opens \\(Dubai, UAE\\) — 20 Jan 2027 09:00 Asia/Dubai");
    expect(deadlines).not.toMatch(/is in \d+ days|today|tomorrow/);
    expect(deadlines).not.toContain("Old deadline");
  });

  it("groups unanswered questions by addressee, with age, deadline, overdue and partly answered", async () => {
    const unanswered = section("Unanswered");
    const groups = [...unanswered.matchAll(/^### Asked of (.*)$/gm)].map((m) => m[1]);
    expect(groups).toEqual(["ITU", "ITU Secretariat", "Secretariat"]);
    const secretariat = unanswered.slice(unanswered.indexOf("### Asked of Secretariat"));
    expect(secretariat).toMatch(/- \*\*Q2\*\* Line one line two, with comma _\(asked 1 Oct 2026; needed by 20 Nov 2026; \*\*overdue as of 29 Nov 2026\*\*\)_/);
    expect(secretariat).toContain("**Q6** Reopened one?");
    expect(secretariat).toContain("**Q7**");
    expect(unanswered).toContain('- **Q3** =HYPERLINK\\("http://evil\\.example"\\) _(asked 1 Oct 2026; partly answered)_\n  - Partly: Only sector members. Source: <https://www.itu.int/a:b?x=1> (logged by alice, 20 Nov 2026)');
    expect(unanswered).not.toContain("Q1");
    expect(md()).not.toContain("Withdrawn one");
  });

  it("lists answered questions with every answer and its source", async () => {
    const answered = section("Answered");
    expect(answered).toContain("**Q1** What does membership cost, per year? He said \"no\", twice\\. _(asked of ITU)_");
    expect(answered).toContain("Partly: Partly: CHF 10,600. Source: <https://www.itu.int/en/join> (logged by alice, 20 Nov 2026)");
    expect(answered).toContain("Full: CHF 10,600 a year. Source: ITU Council Decision 588, §3 (logged by alice, 20 Nov 2026)");
  });

  it("escapes markdown and HTML in what members typed", async () => {
    const q4 = md().split("\n").find((line) => line.includes("**Q4**"));
    expect(q4).toBe("- **Q4** \\<b\\>bold\\</b\\> and \\*markdown\\* \\_x\\_ \\[link\\]\\(http://x\\) \\`code\\` \\# not a heading _(asked 1 Oct 2026)_");
    expect(md()).toContain("### Asked of ITU Secretariat");
  });

  // BUG (src/core/export/markdown.ts:38): the "needed by" fact of an unanswered question includes
  // the deadline's title unescaped, so a title with markdown or HTML reaches the published report:
  // `_(asked 59 days ago; needed by D2 Comments *due* <b>now</b> (10 Dec 2026))_`.
  it("escapes deadline titles inside the needed-by facts too", async () => {
    const q7 = md().split("\n").find((line) => line.includes("**Q7**"))!;
    expect(q7).not.toContain("<b>");
    expect(q7).not.toContain("*due*");
  });

  // QUESTIONABLE (src/core/export/markdown.ts:14-19): deadlines come in number order (the snapshot's),
  // not nearest first as `deadline list` and the digest show them, and the header counts down to
  // the lowest-numbered upcoming deadline rather than the nearest (here 52 days before D1 while D2
  // is 11 days away).
  it("lists the deadlines nearest first, like deadline list", async () => {
    const lines = section("Deadlines").split("\n").filter((l) => l.startsWith("- "));
    expect(lines[0]).toContain("10 Dec 2026");
  });
});

describe("export md: the countdown header on other days", () => {
  it("counts one day on the eve of the deadline, and says when nothing counts down", async () => {
    const h2 = harness({ now: "2026-12-09T12:00:00Z" });
    try {
      await h2.run("ask Still open? to:ITU");
      expect((await h2.run("export md")).file!.content).toContain("**1 question remains unanswered as of 9 Dec 2026.**");
      await h2.run("deadline add Comments due 2026-12-10");
      // A deadline nothing is needed by is left out of the headline.
      expect((await h2.run("export md")).file!.content).toContain("**1 question remains unanswered as of 9 Dec 2026.**");
      await h2.run("edit Q1 by:D1");
      expect((await h2.run("export md")).file!.content).toContain("**1 question remains unanswered as of 9 Dec 2026: 1 is needed by Comments due on 10 Dec 2026.**");
    } finally {
      h2.close();
    }
  });

  // QUESTIONABLE (src/core/export/markdown.ts:14 keeps deadlines with daysUntil >= 0, and line 22
  // writes `plural(days, "day")`): on the deadline's own day the published line reads
  // "1 question remains unanswered 0 days before Comments due.", even after a timed deadline passed.
  it("on the deadline's own day the header does not say \"0 days before\"", async () => {
    const h2 = harness({ now: "2026-12-10T10:00:00Z" });
    try {
      await h2.run("deadline add Comments due 2026-12-10 09:00");
      await h2.run("ask Still open? to:ITU");
      expect((await h2.run("export md")).file!.content).not.toContain("0 days before");
    } finally {
      h2.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// iCalendar

interface ParsedEvent {
  uid: string;
  summary: string;
  location: string | null;
  description: string;
  start: ICAL.Time;
  end: ICAL.Time;
}

function events(ics: string): ParsedEvent[] {
  const calendar = ICAL.Component.fromString(ics);
  return calendar.getAllSubcomponents("vevent").map((component) => {
    const event = new ICAL.Event(component);
    const location = component.getFirstPropertyValue("location");
    return { uid: event.uid, summary: event.summary, location: typeof location === "string" ? location : null, description: event.description, start: event.startDate, end: event.endDate };
  });
}

const utcIso = (t: ICAL.Time) => new Date(t.toUnixTime() * 1000).toISOString();

describe("export ics", () => {
  const ics = () => exported("ics");
  // UIDs carry the docket's and the deadline's creation instants after the numbers (tests/core/export/ics-identity.test.ts).
  const byUid = (n: number) => events(ics()).find((e) => e.uid.startsWith(`docket-1-d${n}-`))!;

  it("is a calendar with one VEVENT per deadline that is not removed", async () => {
    expect(files.ics).toMatchObject({ mimeType: "text/calendar" });
    expect(events(ics()).map((e) => /^docket-1-d\d+-/.exec(e.uid)?.[0])).toEqual(["docket-1-d1-", "docket-1-d2-", "docket-1-d3-", "docket-1-d5-"]);
    expect(ICAL.Component.fromString(ics()).getFirstPropertyValue("x-wr-calname")).toBe("Coalition T1");
  });

  it("puts a timed deadline at its UTC instant: 09:00 in Dubai is 05:00Z, for an hour", async () => {
    const d1 = byUid(1);
    expect(d1.start.isDate).toBe(false);
    expect(d1.start.zone.tzid).toBe("UTC");
    expect(utcIso(d1.start)).toBe("2027-01-20T05:00:00.000Z");
    expect(utcIso(d1.end)).toBe("2027-01-20T06:00:00.000Z");
    expect(d1.description).toBe("D1 of Coalition T1 (09:00 Asia/Dubai)");
  });

  it("09:00 in London in summer is 08:00Z (BST, UTC+1)", async () => {
    expect(utcIso(byUid(3).start)).toBe("2027-06-15T08:00:00.000Z");
  });

  it("an untimed deadline is an all-day DATE event ending the next day", async () => {
    const d2 = byUid(2);
    expect(d2.start.isDate).toBe(true);
    expect(d2.start.toString()).toBe("2026-12-10");
    expect(d2.end.isDate).toBe(true);
    expect(d2.end.toString()).toBe("2026-12-11");
    expect(ics()).toContain("DTSTART;VALUE=DATE:20261210\r\nDTEND;VALUE=DATE:20261211\r\n");
  });

  it("escapes SUMMARY and LOCATION so they read back exactly", async () => {
    expect(byUid(1)).toMatchObject({ summary: "WCIT-12 opens", location: "Dubai, UAE" });
    expect(byUid(2)).toMatchObject({ summary: "Comments *due* <b>now</b>", location: null });
    expect(byUid(3)).toMatchObject({ summary: "Council; session, summer \\ break", location: "Geneva" });
    expect(ics()).toContain("SUMMARY:Council\\; session\\, summer \\\\ break\r\n");
  });

  it("folds long lines of multi-byte text at 75 octets without breaking a character", async () => {
    const lines = ics().split("\r\n");
    for (const line of lines) expect(Buffer.byteLength(line), line).toBeLessThanOrEqual(75);
    expect(lines.filter((l) => l.startsWith(" ")).length).toBeGreaterThan(5);
    expect(byUid(5)).toMatchObject({ summary: longTitle, location: `東京, 日本 — ${"場所".repeat(20)}` });
  });

  it("ends every line with CRLF", async () => {
    expect(ics().endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(ics().replaceAll("\r\n", "")).not.toMatch(/[\r\n]/);
  });

  it("foldLine: physical lines of at most 75 octets that unfold to the original, for any text", async () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: "binary", maxLength: 300 }), fc.string({ unit: "grapheme", maxLength: 200 })), (text) => {
        const line = `SUMMARY:${text.replace(/[\r\n]/g, " ")}`;
        const folded = foldLine(line);
        const physical = folded.split("\r\n");
        for (const [i, p] of physical.entries()) {
          expect(Buffer.byteLength(p)).toBeLessThanOrEqual(75);
          if (i > 0) expect(p.startsWith(" ")).toBe(true);
        }
        expect(folded.replaceAll("\r\n ", "")).toBe(line);
      }),
      { numRuns: 500 },
    );
  });

  it("any deadline title and place a member can store reads back exactly through ical.js", async () => {
    const s = parseSnapshot(JSON.parse(exported("json")) as unknown);
    const text = fc
      .string({ unit: fc.oneof(fc.constantFrom(..."\\;,:\n\"' <>*_#é日😀".split("")), fc.string({ unit: "binary", minLength: 1, maxLength: 1 })), minLength: 1, maxLength: 120 })
      .map(cleanText)
      .filter((t) => t !== "");
    fc.assert(
      fc.property(text, text, fc.boolean(), (title, place, timed) => {
        const deadline = { ...s.deadlines[0]!, title, place, time: timed ? "09:00" : null };
        const [event] = events(toIcs({ ...s, deadlines: [deadline] }, new Date("2026-11-29T10:00:00Z")));
        expect(event).toMatchObject({ summary: title, location: place });
      }),
      { numRuns: 300 },
    );
  });
});

describe("every export reads the same docket", () => {
  it("csv, md and ics files are written in full and end with a newline", async () => {
    for (const format of ["csv", "md", "ics", "json"] as const) expect(exported(format).endsWith("\n")).toBe(true);
  });

  it("export from a workspace with no docket yet says so, and writes no file", async () => {
    const h2 = harness();
    try {
      const r = await h2.run("export csv");
      expect(r.file).toBeUndefined();
      expect(r.heading).toBe("This docket is empty");
    } finally {
      h2.close();
    }
  });

  it("the export json file is the store's snapshot as is", async () => {
    expect(JSON.parse(exported("json")) as unknown).toEqual(await h.store.snapshots.read(1));
  });
});
