import { describe, expect, it } from "vitest";
import { commands } from "../../../src/core/commands/registry.ts";
import type { Config } from "../../../src/config.ts";
import { runTool } from "../../../src/cli.ts";
import type { SlackManifest } from "../../../adapters/slack/manifest.ts";

const config: Config = { db: ":memory:", timeZone: "UTC", commandName: "docket", port: 3000, logLevel: "error" };

async function tool(args: string[], c: Config = config): Promise<SlackManifest> {
  let printed = "";
  expect(await runTool("slack-manifest", args, c, (t) => (printed += t))).toBe(0);
  return JSON.parse(printed) as SlackManifest;
}

describe("docket slack-manifest", () => {
  it("prints an HTTP app manifest for a public URL: the command, escaping on, minimal scopes, events and interactivity at /slack/events", async () => {
    const m = await tool(["--url", "https://docket.example.org/"]);
    expect(m.features.slash_commands).toEqual([
      expect.objectContaining({ command: "/docket", url: "https://docket.example.org/slack/events", should_escape: true }),
    ]);
    expect(m.oauth_config.scopes.bot).toEqual(["commands", "chat:write", "chat:write.public", "users:read", "files:write", "im:write", "channels:history", "groups:history"]);
    expect(m.settings).toMatchObject({
      event_subscriptions: { request_url: "https://docket.example.org/slack/events", bot_events: ["app_uninstalled", "tokens_revoked"] },
      interactivity: { is_enabled: true, request_url: "https://docket.example.org/slack/events" },
      socket_mode_enabled: false,
    });
    expect(m.oauth_config.redirect_urls).toBeUndefined();
    expect(m.features.bot_user.display_name).toMatch(/^[a-z0-9._-]+$/);
    expect(m.display_information.long_description.length).toBeGreaterThanOrEqual(174);
  });

  it("builds the usage hint from the vocabulary and follows DOCKET_COMMAND", async () => {
    const m = await tool(["--url", "https://docket.example.org"], { ...config, commandName: "agenda" });
    expect(m.features.slash_commands).toHaveLength(1);
    const command = m.features.slash_commands[0]!;
    expect(command.command).toBe("/agenda");
    for (const c of commands) expect(command.usage_hint).toContain(c.name.split(" ")[0]);
    expect(command.description).toContain("/agenda help");
  });

  it("prints a Socket Mode manifest with no URLs, and the OAuth redirect when asked", async () => {
    const socket = await tool(["--socket"]);
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(socket.settings.event_subscriptions.request_url).toBeUndefined();
    expect(socket.settings.interactivity).toEqual({ is_enabled: true });
    expect(socket.features.slash_commands[0]?.url).toBeUndefined();
    const oauth = await tool(["--url", "https://docket.example.org", "--oauth"]);
    expect(oauth.oauth_config.redirect_urls).toEqual(["https://docket.example.org/slack/oauth_redirect"]);
  });

  it("says what is missing instead of printing a manifest Slack would refuse", async () => {
    await expect(runTool("slack-manifest", [], config, () => {})).rejects.toThrow(/--url https:\/\/docket\.example\.org, or --socket/);
    await expect(runTool("slack-manifest", ["--url", "http://localhost:3000"], config, () => {})).rejects.toThrow(/must be an https address/);
  });
});
