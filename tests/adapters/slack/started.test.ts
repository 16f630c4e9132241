import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { start } from "../../../src/main.ts";
import { startFakeSlack, type FakeSlack } from "../../fakes/slack/fake-slack.ts";
import { postSlashCommand } from "../../fakes/slack/signed-request.ts";
import { tempDir } from "../../support/harness.ts";
import { BOT_TOKEN, recordingLogger, SECRET, textOf } from "./support.ts";
import { freePort } from "../../support/free-port.ts";

let fake: FakeSlack;
const temp = tempDir();
beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(async () => {
  await fake?.close();
  temp.cleanup();
});


async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<Response> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`docket exited with ${child.exitCode}: ${output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return res;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`docket never served ${url}: ${output()}`);
}

describe("Docket started with the Slack variables", () => {
  it("through main.start(): answers a signed /docket help on the port it logs", async () => {
    const log = recordingLogger();
    const running = await start({
      config: { db: join(temp.dir, "main.sqlite"), timeZone: "UTC", commandName: "docket", port: 0, logLevel: "info", slack: { botToken: BOT_TOKEN, signingSecret: SECRET, apiUrl: fake.url } },
      log,
    });
    try {
      const started = log.lines.map((l) => JSON.parse(l) as { message: string; port?: number }).find((l) => l.message === "slack adapter started");
      expect(started?.port).toBeGreaterThan(0);
      const res = await postSlashCommand(`http://127.0.0.1:${started!.port}/slack/events`, SECRET, { text: "help", response_url: fake.responseUrl("main-help") });
      expect(res.status).toBe(200);
      expect(textOf(res.json)).toContain("/docket: the coalition's open questions, answers and deadlines");
    } finally {
      await running.stop();
    }
  });

  it("as a user would (npm start): serves /healthz and answers a signed /docket help", async () => {
    // why: run what `npm start` runs, without npm in between to swallow the exit code and signals.
    const script = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: { start: string } }).scripts.start;
    const [node, ...args] = script.split(" ");
    expect(node, "npm start runs node").toBe("node");
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.url, PORT: String(port), DOCKET_DB: join(temp.dir, "started.sqlite"), LOG_LEVEL: "warn" };
    const child = spawn(process.execPath, args.map((a) => (a.includes("/") ? resolve(a) : a)), { cwd: temp.dir, env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
    try {
      const health = await waitForHealth(`http://127.0.0.1:${port}/healthz`, child, () => output);
      expect(await health.json()).toEqual({ status: "ok", slack: "http" });
      const res = await postSlashCommand(`http://127.0.0.1:${port}/slack/events`, SECRET, { text: "help", response_url: fake.responseUrl("started-help") });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ response_type: "ephemeral" });
      expect(textOf(res.json)).toContain("/docket: the coalition's open questions, answers and deadlines");
      expect(output).not.toMatch(/xox[a-z]-/);
    } finally {
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }
  });
});
