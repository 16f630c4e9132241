/**
 * Nothing acknowledged is lost: a real `docket start` is killed with SIGKILL in the middle of a
 * burst of commands, five times over one database, through Slack's signed HTTP and through the
 * console. Every question whose "Added Qn" reached the member is in the file afterwards, under that
 * number; numbers stay gap-free; the file passes integrity_check.
 */
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeSlack, type FakeSlack } from "../fakes/slack/fake-slack.ts";
import { postSlashCommand } from "../fakes/slack/signed-request.ts";
import { tempDir } from "../support/harness.ts";
import { startDocket } from "../support/run-docket.ts";
import { freePort } from "../support/free-port.ts";

const SECRET = "docket-fault-signing-secret";
const TOKEN = "xoxb-1-docket-fault";
const rounds = 5;

let fake: FakeSlack;
const temp = tempDir();
beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(async () => {
  await fake?.close();
  temp.cleanup();
});


const docket = (env: Record<string, string>, stdin: "pipe" | "ignore") => startDocket(temp.dir, env, stdin);

/** What the database holds after the crashes: each question's number by its text, and whether the file is sound. */
function afterwards(db: string): { byText: Map<string, number>; numbers: number[]; integrity: string } {
  const file = new Sqlite(db, { readonly: true });
  try {
    const rows = file.prepare("SELECT number, text FROM questions ORDER BY number").all() as Array<{ number: number; text: string }>;
    return { byText: new Map(rows.map((r) => [r.text, r.number])), numbers: rows.map((r) => r.number), integrity: String(file.pragma("integrity_check", { simple: true })) };
  } finally {
    file.close();
  }
}

function expectNothingLost(db: string, acknowledged: Map<string, number>): void {
  const { byText, numbers, integrity } = afterwards(db);
  expect(integrity).toBe("ok");
  expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  const lost = [...acknowledged].filter(([text, number]) => byText.get(text) !== number);
  expect(lost).toEqual([]);
}

describe("SIGKILL in the middle of a burst", () => {
  it("through Slack's signed HTTP: every acknowledged question survives, numbered without gaps", async () => {
    const db = join(temp.dir, "slack.sqlite");
    const acknowledged = new Map<string, number>();
    for (let round = 1; round <= rounds; round++) {
      const port = await freePort();
      const run = docket({ DOCKET_DB: db, SLACK_BOT_TOKEN: TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, PORT: String(port) }, "ignore");
      const events = `http://127.0.0.1:${port}/slack/events`;
      for (let i = 0; ; i++) {
        if (run.child.exitCode !== null) throw new Error(`docket exited: ${run.output()}`);
        if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) break;
        if (i > 300) throw new Error(`docket never listened: ${run.output()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      // why: 16 commands in flight, and the kill lands once a few dozen are acknowledged, mid-stream.
      let sent = 0;
      const killAfter = 20 + round * 7;
      const worker = async () => {
        while (sent < 400 && run.child.exitCode === null) {
          const text = `Round ${round} question ${++sent}?`;
          const res = await postSlashCommand(events, SECRET, { text: `ask "${text}"`, response_url: fake.responseUrl(`r${round}-${sent}`) }).catch(() => undefined);
          const added = res?.status === 200 ? /Added Q(\d+)/.exec(JSON.stringify(res.json)) : null;
          if (added) acknowledged.set(text, Number(added[1]));
          if (acknowledged.size >= killAfter * round && run.child.exitCode === null) run.child.kill("SIGKILL");
        }
      };
      await Promise.all(Array.from({ length: 16 }, worker));
      await run.exited;
      expect(run.child.signalCode).toBe("SIGKILL");
    }
    expect(acknowledged.size).toBeGreaterThan(rounds * 20);
    expectNothingLost(db, acknowledged);
  }, 180_000);

  it("through the console: every question whose reply was printed survives, numbered without gaps", async () => {
    const db = join(temp.dir, "console.sqlite");
    const acknowledged = new Map<string, number>();
    for (let round = 1; round <= rounds; round++) {
      const run = docket({ DOCKET_DB: db }, "pipe");
      const texts: string[] = [];
      const killAt = 15 + round * 5;
      let seen = 0;
      run.child.stdout!.on("data", () => {
        // why: a reply names its text's number only by order, so replies are matched to the lines in the order sent.
        const added = [...run.output().matchAll(/Added Q(\d+)/g)].map((m) => Number(m[1]));
        for (; seen < added.length; seen++) acknowledged.set(texts[seen]!, added[seen]!);
        if (seen >= killAt && run.child.exitCode === null) run.child.kill("SIGKILL");
      });
      for (let i = 1; i <= 400 && run.child.exitCode === null; i++) {
        const text = `Console round ${round} question ${i}?`;
        texts.push(text);
        const ok = run.child.stdin!.write(`ask "${text}"\n`);
        if (!ok) await new Promise((r) => run.child.stdin!.once("drain", r));
        if (i % 10 === 0) await new Promise((r) => setTimeout(r, 5));
      }
      run.child.stdin!.on("error", () => undefined);
      // why: should the kill never come, the console ends with its input instead of hanging the test.
      if (run.child.exitCode === null) run.child.stdin!.end();
      await run.exited;
      expect(run.child.signalCode, run.output().slice(-300)).toBe("SIGKILL");
    }
    expect(acknowledged.size).toBeGreaterThanOrEqual(rounds * 20);
    expectNothingLost(db, acknowledged);
  }, 180_000);
});
