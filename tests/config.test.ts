import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

const load = (env: Record<string, string>) => loadConfig(env, "/nonexistent/.env");

describe("configuration", () => {
  it("has defaults that start the console on ./data/docket.sqlite", () => {
    expect(load({})).toEqual({ db: "./data/docket.sqlite", timeZone: "UTC", commandName: "docket", port: 3000, logLevel: "info" });
  });

  it("reads Slack and Discord when their pairs are set", () => {
    const config = load({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "s", DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "1", DISCORD_GUILD_ID: "2", PORT: "8080" });
    expect(config.slack).toEqual({ botToken: "xoxb-1", signingSecret: "s" });
    expect(config.discord).toEqual({ token: "t", applicationId: "1", guildId: "2" });
    expect(config.port).toBe(8080);
    expect(load({ DOCKET_DIGEST_LIMIT: "25" }).digestOpenLimit).toBe(25);
    expect(load({ DOCKET_SCHEDULER: "off" }).scheduler).toBe(false);
    expect(load({ DATABASE_URL: "postgres://docket@db:5432/docket" }).databaseUrl).toBe("postgres://docket@db:5432/docket");
  });

  it.each([
    [{ SLACK_BOT_TOKEN: "xoxb-1" }, "SLACK_SIGNING_SECRET"],
    [{ SLACK_SIGNING_SECRET: "s" }, "SLACK_BOT_TOKEN"],
    [{ DISCORD_TOKEN: "t" }, "DISCORD_APPLICATION_ID"],
    [{ DISCORD_APPLICATION_ID: "1" }, "DISCORD_TOKEN"],
    [{ SLACK_APP_TOKEN: "xapp-1" }, "SLACK_BOT_TOKEN"],
    [{ SLACK_BOT_TOKEN: "x", SLACK_SIGNING_SECRET: "s", SLACK_CLIENT_ID: "c" }, "SLACK_STATE_SECRET"],
    [{ DOCKET_TZ: "Mars/Olympus" }, "DOCKET_TZ"],
    [{ DOCKET_COMMAND: "/docket" }, "DOCKET_COMMAND"],
    [{ PORT: "http" }, "PORT"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ DOCKET_DIGEST_LIMIT: "0" }, "DOCKET_DIGEST_LIMIT"],
    [{ DOCKET_SCHEDULER: "no" }, "DOCKET_SCHEDULER"],
    [{ DATABASE_URL: "mysql://db/docket" }, "DATABASE_URL"],
    [{ DATABASE_URL: "postgres://db/docket", DOCKET_DB: "./data/docket.sqlite" }, "DOCKET_DB"],
  ])("refuses %o, naming %s", async (env, name) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(name);
  });
});
