/**
 * Docket started through main.start() with DISCORD_PUBLIC_KEY: one HTTP server on PORT serves
 * /healthz (200 only while the database answers), Discord's interactions endpoint and, when Slack
 * runs over HTTP too, Slack's events, all on the same port. No gateway connection is made.
 */
import { sign } from "node:crypto";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Config } from "../../../src/config.ts";
import { start } from "../../../src/main.ts";
import { silentLogger } from "../../../src/log.ts";
import { startFakeDiscord, type FakeDiscord } from "../../fakes/discord/fake-discord.ts";
import { startFakeSlack, type FakeSlack } from "../../fakes/slack/fake-slack.ts";
import { postSlashCommand } from "../../fakes/slack/signed-request.ts";
import { tempDir } from "../../support/harness.ts";
import { APP_TOKEN, BOT_TOKEN, SECRET, textOf as slackText } from "../slack/support.ts";
import { keyPair } from "./http-support.ts";
import { GUILD, guilds, TOKEN } from "./support.ts";

let discord: FakeDiscord;
let slack: FakeSlack;
const temp = tempDir();
const keys = keyPair();
beforeAll(async () => {
  discord = await startFakeDiscord({ token: TOKEN, guilds });
  slack = await startFakeSlack();
});
afterAll(async () => {
  await discord?.close();
  await slack?.close();
  temp.cleanup();
});

const config = (name: string, withSlack: boolean | "socket"): Config => ({
  db: join(temp.dir, `${name}.sqlite`), timeZone: "UTC", commandName: "docket", port: 0, logLevel: "error",
  discord: { token: TOKEN, applicationId: discord.applicationId, apiUrl: discord.apiUrl, guildId: GUILD, publicKey: keys.publicHex },
  ...(withSlack ? { slack: { botToken: BOT_TOKEN, signingSecret: SECRET, apiUrl: slack.url, ...(withSlack === "socket" ? { appToken: APP_TOKEN } : {}) } } : {}),
});

const portOf = (running: { httpPort(): number | undefined }) => running.httpPort()!;

async function ping(origin: string): Promise<Response> {
  const body = JSON.stringify({ type: 1, id: "1", application_id: discord.applicationId, token: "t", version: 1 });
  const timestamp = String(Math.floor(Date.now() / 1000));
  return fetch(`${origin}/discord/interactions`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-signature-ed25519": sign(null, Buffer.from(timestamp + body), keys.privateKey).toString("hex"), "x-signature-timestamp": timestamp },
    body,
  });
}

describe("Docket started with DISCORD_PUBLIC_KEY", () => {
  it("serves /healthz and the interactions endpoint on PORT, registers /docket, and opens no gateway", async () => {
    let up = true;
    const running = await start({ config: config("discord-only", false), log: silentLogger, ping: async () => up });
    try {
      const origin = `http://127.0.0.1:${portOf(running)}`;
      const health = await fetch(`${origin}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok", discord: "http" });
      const pong = await ping(origin);
      expect(pong.status).toBe(200);
      expect(await pong.json()).toEqual({ type: 1 });
      expect(discord.commands(GUILD).map((c) => c.name)).toEqual(["docket"]);
      expect(discord.connectionCount).toBe(0);

      up = false;
      const down = await fetch(`${origin}/healthz`);
      expect(down.status).toBe(503);
    } finally {
      await running.stop();
    }
  });

  it("shares the port with Slack over HTTP: /slack/events and /discord/interactions side by side", async () => {
    const running = await start({ config: config("both", true), log: silentLogger });
    try {
      const origin = `http://127.0.0.1:${portOf(running)}`;
      expect(await (await fetch(`${origin}/healthz`)).json()).toEqual({ status: "ok", slack: "http", discord: "http" });
      const res = await postSlashCommand(`${origin}/slack/events`, SECRET, { text: "help", response_url: slack.responseUrl("shared-help") });
      expect(res.status).toBe(200);
      expect(slackText(res.json)).toContain("/docket: the coalition's open questions, answers and deadlines");
      expect((await ping(origin)).status).toBe(200);
    } finally {
      await running.stop();
    }
  });

  it("runs beside Slack's Socket Mode: the socket connects, and PORT is the shared server's alone", async () => {
    const running = await start({ config: config("socket", "socket"), log: silentLogger });
    try {
      await slack.waitForSocket();
      const origin = `http://127.0.0.1:${portOf(running)}`;
      expect(await (await fetch(`${origin}/healthz`)).json()).toEqual({ status: "ok", slack: "socket", discord: "http" });
      expect((await ping(origin)).status).toBe(200);
    } finally {
      await running.stop();
    }
  });
});
