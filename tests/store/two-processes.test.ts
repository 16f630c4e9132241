import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Sqlite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openMigrated } from "../../src/store/open.ts";
import { tempDir } from "../support/harness.ts";

// Two real Docket processes on one new file, released at the same instant (each waits for a "go"
// file after loading), each opening and migrating it and then writing through the core. Before
// issue 11 the second one failed its migration every time, and the search catch-up of one made
// the other's commands fail on the lock ("Sorry, something went wrong": the backlog case below
// reproduced that on the code before, with a 250 ms busy wait and one catch-up transaction).

const writer = fileURLToPath(new URL("./fixtures/writer.ts", import.meta.url));

interface Outcome {
  label: string;
  startError?: string;
  applied?: number;
  failures?: string[];
  failureCount?: number;
  logged?: string[];
}

function start(db: string, go: string, label: string, commands: number, mode: "mixed" | "search" = "mixed"): { ready: Promise<void>; done: Promise<{ code: number | null; outcome: Outcome | undefined; stderr: string }> } {
  const child = spawn(process.execPath, ["--import", "tsx", writer, db, go, label, String(commands), mode], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let signalReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    if (stdout.startsWith("ready\n")) signalReady();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const done = new Promise<{ code: number | null; outcome: Outcome | undefined; stderr: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      signalReady();
      const line = stdout.split("\n").find((l) => l.startsWith("{"));
      resolve({ code, outcome: line ? (JSON.parse(line) as Outcome) : undefined, stderr });
    });
  });
  return { ready, done };
}

let temp: ReturnType<typeof tempDir>;
beforeEach(() => (temp = tempDir()));
afterEach(() => temp.cleanup());

describe("two Docket processes on one file", () => {
  it.each([1, 2, 3, 4, 5])("starting at the same instant on a new file, both find the schema current and every command succeeds (round %i)", async (round) => {
    const db = join(temp.dir, `docket-${round}.sqlite`);
    const go = join(temp.dir, `go-${round}`);
    const a = start(db, go, "alice", 60);
    const b = start(db, go, "bob", 60);
    await Promise.all([a.ready, b.ready]);
    writeFileSync(go, "");
    const results = await Promise.all([a.done, b.done]);

    for (const { code, outcome, stderr } of results) {
      expect(outcome, stderr).toBeDefined();
      expect(outcome?.startError).toBeUndefined();
      expect(outcome?.failures, JSON.stringify(outcome?.logged)).toEqual([]);
      expect(outcome?.failureCount).toBe(0);
      expect(code, stderr).toBe(0);
    }
    // Exactly one of them applied the migrations; the other found them applied.
    expect(results.map((r) => (r.outcome?.applied ?? 0) > 0).filter(Boolean)).toHaveLength(1);

    const check = new Sqlite(db, { readonly: true });
    try {
      expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
      // 60 commands each, of which 36 asks: every acknowledged question is there, numbered without gaps.
      const numbers = (check.prepare("SELECT number FROM questions ORDER BY number").all() as Array<{ number: number }>).map((r) => r.number);
      expect(numbers).toEqual(Array.from({ length: 72 }, (_, i) => i + 1));
    } finally {
      check.close();
    }
  }, 60_000);

  it("while one process indexes a backlog of 100,000 questions for search, the other's commands all succeed", async () => {
    const db = join(temp.dir, "backlog.sqlite");
    const { db: setup } = openMigrated(db);
    // why: questions written straight into the table, as an import or a long-running Docket leaves them: not yet in the search index.
    setup.exec(`INSERT INTO dockets (name, time_zone, created_at) VALUES ('Coalition', 'UTC', '2026-01-01T00:00:00Z');
      INSERT INTO members (docket_id, platform, user_id, display_name, seen_at) VALUES (1, 'slack', 'U0', 'importer', '2026-01-01T00:00:00Z');
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
      INSERT INTO questions (docket_id, number, text, tags, status, asked_by, asked_at, updated_at)
      SELECT 1, i, 'What does membership cost for an NGO, asked for the ' || i || 'th time, with enough words to index', '', 'open', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' FROM n;`);
    setup.close();
    const go = join(temp.dir, "go-backlog");
    const indexer = start(db, go, "indexer", 1, "search");
    const writer = start(db, go, "writer", 60);
    await Promise.all([indexer.ready, writer.ready]);
    writeFileSync(go, "");
    const results = await Promise.all([indexer.done, writer.done]);
    for (const { code, outcome, stderr } of results) {
      expect(outcome?.failures, JSON.stringify(outcome?.logged) + stderr).toEqual([]);
      expect(code, stderr).toBe(0);
    }
  }, 60_000);
});
