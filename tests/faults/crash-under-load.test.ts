/**
 * Group commit keeps every acknowledgment true: a real `docket start` is killed with SIGKILL while
 * 1,000 signed `ask` commands from ten workspaces are in flight over Slack's HTTP, three times over
 * one database, on SQLite and on PostgreSQL. Every question whose "Added Qn" reached the member is
 * stored under that number in its workspace's docket; each docket's numbers stay gap-free; the
 * SQLite file passes integrity_check.
 *
 * why both engines in this file: tests/faults/** runs in the sqlite project only, so the PostgreSQL
 * leg points DATABASE_URL at a fresh database of its own here.
 */
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeSlack, type FakeSlack } from "../fakes/slack/fake-slack.ts";
import { postSlashCommand } from "../fakes/slack/signed-request.ts";
import { freePort } from "../support/free-port.ts";
import { tempDir } from "../support/harness.ts";
import { startDocket } from "../support/run-docket.ts";
import { freshDatabase, testPostgres } from "../support/postgres.ts";

const SECRET = "docket-crash-signing-secret";
const TOKEN = "xoxb-1-docket-crash";
const rounds = 3;
const inFlight = 1000;
/** Workspaces the commands come from. why several: on PostgreSQL one workspace's commands take turns on its lock, and so few would be answered within Bolt's 3 s that no kill would land mid-stream. */
const workspaces = 10;
const postgres = await testPostgres();

let fake: FakeSlack;
const temp = tempDir();
beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(async () => {
  await fake?.close();
  temp.cleanup();
});

const docket = (env: Record<string, string>) => startDocket(temp.dir, env);

/**
 * Rounds of: start Docket on the database `env` names, send 1,000 signed asks at once, and kill it
 * with SIGKILL once a growing number of them has been acknowledged, the rest still in flight.
 * Returns each acknowledged question's text with its workspace and the number its reply gave.
 */
async function crashRounds(engine: string, env: Record<string, string>): Promise<Map<string, string>> {
  const acknowledged = new Map<string, string>();
  for (let round = 1; round <= rounds; round++) {
    const port = await freePort();
    const run = docket({ ...env, SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, PORT: String(port) });
    const events = `http://127.0.0.1:${port}/slack/events`;
    for (let i = 0; ; i++) {
      if (run.child.exitCode !== null) throw new Error(`docket exited: ${run.output()}`);
      if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) break;
      if (i > 600) throw new Error(`docket never listened: ${run.output()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // why a growing threshold: each kill lands at a different point of a stream that is still far from done.
    const killAfter = 10 + round * 10;
    let thisRound = 0;
    await Promise.all(
      Array.from({ length: inFlight }, async (_, i) => {
        const text = `${engine} round ${round} question ${i + 1}?`;
        const team = `T0CRASH${i % workspaces}`;
        const res = await postSlashCommand(events, SECRET, { team_id: team, text: `ask "${text}"`, response_url: fake.responseUrl(`${engine}-${round}-${i}`) }).catch(() => undefined);
        const added = res?.status === 200 ? /Added Q(\d+)/.exec(JSON.stringify(res.json)) : null;
        if (!added) return;
        acknowledged.set(text, `${team} Q${added[1]}`);
        if (++thisRound >= killAfter && run.child.exitCode === null) run.child.kill("SIGKILL");
      }),
    );
    // why: should too few be acknowledged for the kill, the assertions below say so instead of the test hanging.
    if (run.child.exitCode === null) run.child.kill("SIGKILL");
    await run.exited;
    expect(run.child.signalCode, run.output().slice(-500)).toBe("SIGKILL");
    expect(thisRound).toBeGreaterThanOrEqual(killAfter);
    // why: the kill must have cut the burst short, or this round tested no crash under load.
    expect(thisRound).toBeLessThan(inFlight);
  }
  return acknowledged;
}

interface Stored {
  workspace: string;
  docket: number;
  number: number;
  text: string;
}

const storedSql = "SELECT w.external_id AS workspace, q.docket_id AS docket, q.number, q.text FROM questions q JOIN workspaces w ON w.docket_id = q.docket_id ORDER BY q.docket_id, q.number";

function expectNothingLost(rows: Stored[], acknowledged: Map<string, string>): void {
  const byText = new Map(rows.map((r) => [r.text, `${r.workspace} Q${r.number}`]));
  const dockets = new Map<number, Stored[]>();
  for (const r of rows) dockets.set(r.docket, [...(dockets.get(r.docket) ?? []), r]);
  expect(dockets.size).toBe(workspaces);
  for (const [, questions] of dockets) expect(questions.map((r) => r.number)).toEqual(questions.map((_, i) => i + 1));
  const lost = [...acknowledged].filter(([text, where]) => byText.get(text) !== where);
  expect(lost).toEqual([]);
  expect(acknowledged.size).toBeGreaterThanOrEqual(60);
}

describe("SIGKILL while 1,000 signed commands are in flight", () => {
  it("SQLite: every acknowledged question survives under its number, numbers gap-free, the file sound", async () => {
    const db = join(temp.dir, "crash.sqlite");
    const acknowledged = await crashRounds("sqlite", { DOCKET_DB: db });
    const file = new Sqlite(db, { readonly: true });
    try {
      expect(String(file.pragma("integrity_check", { simple: true }))).toBe("ok");
      expectNothingLost(file.prepare(storedSql).all() as Stored[], acknowledged);
    } finally {
      file.close();
    }
  }, 600_000);

  it.skipIf(!postgres)("PostgreSQL: every acknowledged question survives under its number, numbers gap-free", async () => {
    const database = await freshDatabase();
    try {
      const acknowledged = await crashRounds("postgres", { DATABASE_URL: database.url });
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query<Stored>(storedSql);
        expectNothingLost(rows, acknowledged);
      } finally {
        await client.end();
      }
    } finally {
      await database.drop();
    }
  }, 600_000);
});
