import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.ts";

const load = (env: Record<string, string>) => loadConfig(env, "/nonexistent/.env");
const key = "A1".repeat(32);
const discord = { DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "1" };

describe("DISCORD_PUBLIC_KEY", () => {
  it("switches Discord to the interactions endpoint, kept in lower case", () => {
    expect(load({ ...discord, DISCORD_PUBLIC_KEY: key }).discord).toEqual({ token: "t", applicationId: "1", publicKey: key.toLowerCase() });
  });

  it("leaves the gateway the default when unset", () => {
    expect(load(discord).discord).toEqual({ token: "t", applicationId: "1" });
  });

  it.each([
    [{ ...discord, DISCORD_PUBLIC_KEY: "abc" }, "64 hexadecimal characters"],
    [{ ...discord, DISCORD_PUBLIC_KEY: "g".repeat(64) }, "64 hexadecimal characters"],
    [{ DISCORD_PUBLIC_KEY: key }, "DISCORD_PUBLIC_KEY is set but DISCORD_TOKEN is missing"],
    [{ ...discord, DISCORD_PUBLIC_KEY: key, SLACK_BOT_TOKEN: "x", SLACK_SIGNING_SECRET: "s", SLACK_APP_TOKEN: "xapp", SLACK_CLIENT_ID: "c", SLACK_CLIENT_SECRET: "cs", SLACK_STATE_SECRET: "ss" }, "Socket Mode with the OAuth install flow"],
  ])("stops on %o, naming the fix", (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
  });

  it("takes Slack's Socket Mode without OAuth alongside it", () => {
    const config = load({ ...discord, DISCORD_PUBLIC_KEY: key, SLACK_BOT_TOKEN: "x", SLACK_SIGNING_SECRET: "s", SLACK_APP_TOKEN: "xapp" });
    expect(config.slack?.appToken).toBe("xapp");
    expect(config.discord?.publicKey).toBe(key.toLowerCase());
  });
});
