/**
 * Docket started as a user would, `node bin/docket.js start` with the Discord variables pointing
 * at a fake Discord this test runs: it logs in, registers /docket, and answers /docket help privately.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { startFakeDiscord, type FakeDiscord } from "../../fakes/discord/fake-discord.ts";
import { tempDir } from "../../support/harness.ts";
import { GUILD, TOKEN, guilds } from "./support.ts";

const temp = tempDir();
let fake: FakeDiscord | undefined;
let child: ChildProcess | undefined;
afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGKILL");
    await once(child, "exit");
  }
  await fake?.close();
  temp.cleanup();
});

describe("docket start with Discord configured", () => {
  it("logs in, registers its commands and answers /docket help ephemerally", async () => {
    fake = await startFakeDiscord({ token: TOKEN, guilds });
    let stderr = "";
    child = spawn(process.execPath, [resolve("bin/docket.js"), "start"], {
      // why: a working directory without a .env, and an environment with only what this test sets.
      cwd: temp.dir,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: temp.dir,
        DISCORD_TOKEN: TOKEN,
        DISCORD_APPLICATION_ID: fake.applicationId,
        DISCORD_GUILD_ID: GUILD,
        DISCORD_API_URL: fake.apiUrl,
        DOCKET_DB: join(temp.dir, "docket.sqlite"),
        LOG_LEVEL: "info",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));

    const put = await fake.waitForRequest((r) => r.method === "PUT", 20_000).catch((error: unknown) => {
      throw new Error(`${String(error)}\nDocket's stderr:\n${stderr}`);
    });
    expect(put.path).toBe(`/applications/${fake.applicationId}/guilds/${GUILD}/commands`);
    expect(fake.commands(GUILD).map((c) => c.name)).toEqual(["docket"]);
    await vi.waitFor(() => expect(stderr).toContain('"message":"Discord connected"'), { timeout: 10_000 });

    const help = fake.sendInteraction(fake.chatInput({ name: "docket", subcommand: "help" }));
    const callback = await fake.waitForCallback(help.id, 5000);
    expect(callback.type).toBe(4);
    const data = callback.data as { flags: number; embeds: Array<{ title: string }>; allowed_mentions: unknown };
    expect(data.flags).toBe(64);
    expect(data.embeds[0]!.title).toContain("/docket");
    expect(data.allowed_mentions).toEqual({ parse: [] });

    child.kill("SIGTERM");
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code).toBe(0);
    expect(stderr).not.toContain(TOKEN);
  }, 40_000);
});
