/**
 * Logging in and registering `/docket`: one bulk overwrite only when the definitions changed (a
 * stored hash per target), redone for a changed vocabulary or command name, also by the operator's
 * `docket discord-register`; the target Docket no longer uses emptied, so no one sees `/docket`
 * twice; login retried with back-off, except for a token Discord rejects.
 */
import { once } from "node:events";
import { join } from "node:path";
import { Events } from "discord.js";
import { afterEach, describe, expect, it } from "vitest";
import { createDiscordAdapter } from "../../../adapters/discord/discord-adapter.ts";
import { DiscordLoginError } from "../../../adapters/discord/login.ts";
import type { Core, Logger } from "../../../src/core/core.ts";
import type { Config } from "../../../src/config.ts";
import { silentLogger } from "../../../src/log.ts";
import { runTool } from "../../../src/cli.ts";
import { startFakeDiscord, type FakeDiscord } from "../../fakes/discord/fake-discord.ts";
import { harness, tempDir, type Harness } from "../../support/harness.ts";
import { GUILD, OTHER_GUILD, TOKEN, guilds } from "./support.ts";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{ fake: FakeDiscord; h: Harness }> {
  const fake = await startFakeDiscord({ token: TOKEN, guilds });
  const h = harness();
  cleanups.push(() => fake.close(), () => h.close());
  return { fake, h };
}

const discordConfig = (fake: FakeDiscord, h: Harness, extra: Partial<NonNullable<Config["discord"]>> = {}, commandName = "docket"): Config => ({
  db: h.path, timeZone: "UTC", commandName, port: 0, logLevel: "error",
  discord: { token: TOKEN, applicationId: fake.applicationId, apiUrl: fake.apiUrl, guildId: GUILD, ...extra },
});

async function startAdapter(fake: FakeDiscord, h: Harness, o: { core?: Core; config?: Config; log?: Logger } = {}) {
  const adapter = createDiscordAdapter({ core: o.core ?? h.core, config: o.config ?? discordConfig(fake, h), log: o.log ?? silentLogger, clock: h.clock, state: h.store.platformState }, { backoff: { initialMs: 5, maxMs: 20 } });
  await adapter.start();
  return adapter;
}

const puts = (fake: FakeDiscord) => fake.requests.filter((r) => r.method === "PUT" && r.path.includes("/commands"));

/** Each PUT as where it went, how many commands it sent, and Discord's status. */
const overwrites = (fake: FakeDiscord) => puts(fake).map((r) => [r.path, (r.body as unknown[]).length, r.status]);

const guildCommands = (fake: FakeDiscord, guild: string) => `/applications/${fake.applicationId}/guilds/${guild}/commands`;
const globalCommands = (fake: FakeDiscord) => `/applications/${fake.applicationId}/commands`;
const storedTargets = async (fake: FakeDiscord, h: Harness) => (await h.store.platformState.keys("discord", `commands:${fake.applicationId}:`)).sort();

describe("command registration", () => {
  it("registers /docket to the guild once, and a second start with the same definitions sends nothing", async () => {
    const { fake, h } = await setup();
    const first = await startAdapter(fake, h);
    expect(puts(fake).map((r) => r.path)).toEqual([`/applications/${fake.applicationId}/guilds/${GUILD}/commands`]);
    const [docket] = fake.commands(GUILD);
    expect(docket).toMatchObject({ name: "docket", contexts: [0], integration_types: [0] });
    const names = (docket!.options ?? []).map((o) => o.name);
    expect(names).toEqual(["ask", "answer", "edit", "note", "chase", "reopen", "withdraw", "show", "list", "search", "scorecard", "deadline", "digest", "export", "rename", "admin", "link", "unlink", "help"]);
    await first.stop();

    const second = await startAdapter(fake, h);
    expect(puts(fake)).toHaveLength(1);
    expect(fake.identifies).toHaveLength(2);
    await second.stop();
  });

  it("registers again when the vocabulary or the command name changes", async () => {
    const { fake, h } = await setup();
    await (await startAdapter(fake, h)).stop();
    const smaller: Core = { ...h.core, vocabulary: h.core.vocabulary.filter((c) => c.name !== "search") };
    await (await startAdapter(fake, h, { core: smaller })).stop();
    expect(puts(fake)).toHaveLength(2);
    expect((fake.commands(GUILD)[0]!.options ?? []).map((o) => o.name)).not.toContain("search");

    const renamed: Core = { ...h.core, commandName: "dossier" };
    await (await startAdapter(fake, h, { core: renamed, config: discordConfig(fake, h, {}, "dossier") })).stop();
    expect(puts(fake)).toHaveLength(3);
    expect(fake.commands(GUILD).map((c) => c.name)).toEqual(["dossier"]);
  });

  it("registers globally without DISCORD_GUILD_ID", async () => {
    const { fake, h } = await setup();
    await (await startAdapter(fake, h, { config: discordConfig(fake, h, { guildId: undefined }) })).stop();
    expect(puts(fake).map((r) => r.path)).toEqual([globalCommands(fake)]);
    expect(fake.commands().map((c) => c.name)).toEqual(["docket"]);
    expect(await storedTargets(fake, h)).toEqual([`commands:${fake.applicationId}:global`]);
  });

  it("docket discord-register registers when needed, says so when not, and --force sends anyway", async () => {
    const { fake } = await setup();
    const temp = tempDir();
    cleanups.push(() => temp.cleanup());
    const config: Config = { db: join(temp.dir, "tool.sqlite"), timeZone: "UTC", commandName: "docket", port: 0, logLevel: "error", discord: { token: TOKEN, applicationId: fake.applicationId, apiUrl: `${fake.apiUrl}/v10/`, guildId: GUILD } };
    const said: string[] = [];
    const out = (t: string) => void said.push(t);
    expect(await runTool("discord-register", [], config, out)).toBe(0);
    expect(await runTool("discord-register", [], config, out)).toBe(0);
    expect(await runTool("discord-register", ["--force"], config, out)).toBe(0);
    expect(said).toEqual([
      `Registered /docket (guild ${GUILD}).\n`,
      `/docket is already registered (guild ${GUILD}) with these definitions; nothing sent. --force sends them anyway.\n`,
      `Registered /docket (guild ${GUILD}).\n`,
    ]);
    expect(puts(fake)).toHaveLength(2);
    await expect(runTool("discord-register", [], { ...config, discord: undefined }, out)).rejects.toThrow("discord-register needs DISCORD_TOKEN");
    await expect(runTool("discord-register", ["--force"], { ...config, discord: { ...config.discord!, guildId: "1499999999999999999" } }, out)).rejects.toThrow(
      /invite the bot to that server with the bot and applications.commands scopes/,
    );
  });
});

describe("switching where /docket is registered", () => {
  const global = (fake: FakeDiscord, h: Harness) => ({ config: discordConfig(fake, h, { guildId: undefined }) });

  it("from the guild to global empties the guild's commands and forgets its hash, so members see /docket once", async () => {
    const { fake, h } = await setup();
    await (await startAdapter(fake, h)).stop();
    await (await startAdapter(fake, h, global(fake, h))).stop();
    expect(overwrites(fake)).toEqual([
      [guildCommands(fake, GUILD), 1, 200],
      [globalCommands(fake), 1, 200],
      [guildCommands(fake, GUILD), 0, 200],
    ]);
    expect(fake.commands(GUILD)).toEqual([]);
    expect(fake.commands().map((c) => c.name)).toEqual(["docket"]);
    expect(await storedTargets(fake, h)).toEqual([`commands:${fake.applicationId}:global`]);
  });

  it("from global to a guild, then to another guild, empties the one left each time", async () => {
    const { fake, h } = await setup();
    await (await startAdapter(fake, h, global(fake, h))).stop();
    await (await startAdapter(fake, h)).stop();
    await (await startAdapter(fake, h, { config: discordConfig(fake, h, { guildId: OTHER_GUILD }) })).stop();
    expect(overwrites(fake)).toEqual([
      [globalCommands(fake), 1, 200],
      [guildCommands(fake, GUILD), 1, 200],
      [globalCommands(fake), 0, 200],
      [guildCommands(fake, OTHER_GUILD), 1, 200],
      [guildCommands(fake, GUILD), 0, 200],
    ]);
    expect([fake.commands(), fake.commands(GUILD), fake.commands(OTHER_GUILD).map((c) => c.name)]).toEqual([[], [], ["docket"]]);
    expect(await storedTargets(fake, h)).toEqual([`commands:${fake.applicationId}:guild:${OTHER_GUILD}`]);
  });

  it("sends nothing more once the switch is done and the target stays the same", async () => {
    const { fake, h } = await setup();
    await (await startAdapter(fake, h)).stop();
    await (await startAdapter(fake, h, global(fake, h))).stop();
    const before = puts(fake).length;
    await (await startAdapter(fake, h, global(fake, h))).stop();
    expect(puts(fake)).toHaveLength(before);
  });

  it("forgets the old guild's registration when the bot was removed from it (403), and starts normally", async () => {
    const { fake, h } = await setup();
    const onOther = await startAdapter(fake, h, { config: discordConfig(fake, h, { guildId: OTHER_GUILD }) });
    fake.guildDelete(OTHER_GUILD);
    await onOther.stop();
    const said: Array<[string, unknown]> = [];
    const log: Logger = { ...silentLogger, info: (message, context) => void said.push([message, context?.target]), warn: (message, context) => void said.push([message, context?.target]) };
    const adapter = await startAdapter(fake, h, { log });
    expect(adapter.client.isReady()).toBe(true);
    expect(overwrites(fake).slice(1)).toEqual([
      [guildCommands(fake, GUILD), 1, 200],
      [guildCommands(fake, OTHER_GUILD), 0, 403],
    ]);
    expect(await storedTargets(fake, h)).toEqual([`commands:${fake.applicationId}:guild:${GUILD}`]);
    expect(said).toContainEqual(["Discord commands of an old target left with the bot; forgotten", `guild ${OTHER_GUILD}`]);
    await adapter.stop();
    await (await startAdapter(fake, h)).stop();
    expect(puts(fake)).toHaveLength(3);
  });

  it("keeps the old target's hash when Discord fails to empty it, warns, and empties it at the next start", async () => {
    const { fake, h } = await setup();
    await (await startAdapter(fake, h)).stop();
    const failing = fake.failNext({ method: "PUT", path: guildCommands(fake, GUILD) }, { status: 500, times: Number.POSITIVE_INFINITY });
    const warned: Array<[string, unknown]> = [];
    const log: Logger = { ...silentLogger, warn: (message, context) => void warned.push([message, context?.target]) };
    await (await startAdapter(fake, h, { ...global(fake, h), log })).stop();
    expect(warned).toEqual([["could not remove Discord commands from a target Docket no longer uses; retrying at the next start", `guild ${GUILD}`]]);
    expect(fake.commands(GUILD).map((c) => c.name)).toEqual(["docket"]);
    expect(await storedTargets(fake, h)).toEqual([`commands:${fake.applicationId}:global`, `commands:${fake.applicationId}:guild:${GUILD}`]);

    failing.cancel();
    const before = puts(fake).length;
    await (await startAdapter(fake, h, global(fake, h))).stop();
    expect(overwrites(fake).slice(before)).toEqual([[guildCommands(fake, GUILD), 0, 200]]);
    expect(fake.commands(GUILD)).toEqual([]);
    expect(await storedTargets(fake, h)).toEqual([`commands:${fake.applicationId}:global`]);
  });

});

describe("logging in", () => {
  it("an invalid token stops start-up with a clear message, without retrying", async () => {
    const { fake, h } = await setup();
    const adapter = createDiscordAdapter({ core: h.core, config: discordConfig(fake, h, { token: "wrong.token" }), log: silentLogger, clock: h.clock, state: h.store.platformState }, { backoff: { initialMs: 5, maxMs: 20 } });
    const failure = await adapter.start().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(DiscordLoginError);
    expect((failure as Error).message).toContain("Discord rejected DISCORD_TOKEN");
    expect(fake.requests.filter((r) => r.path === "/gateway/bot")).toHaveLength(1);
    expect(puts(fake)).toHaveLength(0);
    await adapter.stop();
  });

  it("a gateway that keeps dropping the session is identified to with growing pauses", async () => {
    const { fake, h } = await setup();
    const waits: unknown[] = [];
    const log: Logger = { ...silentLogger, info: (message, context) => void (message.startsWith("waiting before identifying") && waits.push(context?.waitMs)) };
    const adapter = createDiscordAdapter({ core: h.core, config: discordConfig(fake, h), log, clock: h.clock, state: h.store.platformState }, { backoff: { initialMs: 5, maxMs: 20 }, identifyBackoff: { initialMs: 5, maxMs: 20 } });
    cleanups.push(() => adapter.stop());
    await adapter.start();
    for (let n = 2; n <= 5; n++) {
      const ready = once(adapter.client, Events.ShardReady);
      // why: a session Discord will not resume (op 9, d: false) makes discord.js identify again.
      fake.invalidateSession(false);
      await ready;
    }
    expect(waits).toEqual([5, 10, 20, 20]);
    expect(fake.identifies).toHaveLength(5);
  });

  it("stopping during a long pause before identifying stops at once", async () => {
    const { fake, h } = await setup();
    let waiting: (() => void) | undefined;
    const waited = new Promise<void>((resolve) => (waiting = resolve));
    const log: Logger = { ...silentLogger, info: (message) => void (message.startsWith("waiting before identifying") && waiting?.()) };
    const adapter = createDiscordAdapter({ core: h.core, config: discordConfig(fake, h), log, clock: h.clock, state: h.store.platformState }, { identifyBackoff: { initialMs: 3_600_000, maxMs: 3_600_000 } });
    await adapter.start();
    fake.invalidateSession(false);
    await waited;
    await adapter.stop();
    expect(fake.identifies).toHaveLength(1);
    expect(fake.connectionCount).toBe(0);
  });

  it("a failing Discord is retried with back-off until the login succeeds", async () => {
    const { fake, h } = await setup();
    // @discordjs/rest itself retries a 5xx three times; the fifth request is the adapter's second login.
    fake.failNext({ method: "GET", path: "/gateway/bot" }, { status: 502, times: 4 });
    const adapter = await startAdapter(fake, h);
    expect(fake.requests.filter((r) => r.path === "/gateway/bot").map((r) => r.status)).toEqual([502, 502, 502, 502, 200]);
    expect(adapter.client.isReady()).toBe(true);
    expect(puts(fake)).toHaveLength(1);
    await adapter.stop();
  });
});
