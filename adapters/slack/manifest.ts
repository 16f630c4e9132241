import type { CommandInfo as Command } from "../../src/core/api.ts";

/**
 * The bot scopes Docket needs, and why: `commands` (/docket), `chat:write` (replies, digests, admin
 * notices), `chat:write.public` (digests in public channels Docket was not invited to), `users:read`
 * (who is a workspace admin; display names), `files:write` (export), `im:write` (export to a member
 * directly when the channel refuses files), `channels:history` and `groups:history` (before posting a
 * digest part again whose first try got no answer, whether it is already in the channel).
 */
export const botScopes = ["commands", "chat:write", "chat:write.public", "users:read", "files:write", "im:write", "channels:history", "groups:history"] as const;

export interface ManifestOptions {
  commandName: string;
  commands: readonly Command[];
  /** The public HTTPS base URL Docket is served at; Slack's requests go to `${url}/slack/events`. */
  url?: string;
  /** Socket Mode: Slack connects out from Docket, no public URL needed. */
  socketMode: boolean;
  /** Include the OAuth redirect URL (`${url}/slack/oauth_redirect`) for the many-workspaces install flow. */
  oauth?: boolean;
  name?: string;
}

/** The parts of Slack's app manifest (api.slack.com, "App manifest reference") Docket fills in. */
export interface SlackManifest {
  _metadata: { major_version: number; minor_version: number };
  display_information: { name: string; description: string; long_description: string; background_color: string };
  features: {
    app_home: { home_tab_enabled: boolean; messages_tab_enabled: boolean; messages_tab_read_only_enabled: boolean };
    bot_user: { display_name: string; always_online: boolean };
    slash_commands: Array<{ command: string; url?: string; description: string; usage_hint: string; should_escape: boolean }>;
  };
  oauth_config: { redirect_urls?: string[]; scopes: { bot: string[] } };
  settings: {
    event_subscriptions: { request_url?: string; bot_events: string[] };
    interactivity: { is_enabled: boolean; request_url?: string };
    org_deploy_enabled: boolean;
    socket_mode_enabled: boolean;
    token_rotation_enabled: boolean;
  };
}

/** `ask | answer | … | help`, from the vocabulary: what Slack shows as the command's usage hint. */
export function usageHint(commands: readonly Command[]): string {
  const words = [...new Set(commands.map((c) => c.name.split(" ")[0]!))];
  return `${words.join(" | ")} …`;
}

/**
 * Slack's app manifest for Docket, generated from the vocabulary: paste it at api.slack.com/apps →
 * Create New App → From an app manifest. `should_escape` makes Slack send mentions as `<@U…|name>`,
 * which is how `admin add @someone` knows the member.
 */
export function slackManifest(o: ManifestOptions): SlackManifest {
  const base = o.url?.replace(/\/+$/, "");
  if (!o.socketMode && !base) throw new Error("Over HTTP Slack needs to know where Docket is: give its public https URL.");
  const events = base && !o.socketMode ? `${base}/slack/events` : undefined;
  const name = (o.name ?? "Docket").slice(0, 35);
  // why: Slack takes only a-z, 0-9, -, _ and . in a bot user's display name.
  const botName = name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 80) || "docket";
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name,
      description: "The coalition's open questions, answers and deadlines, with a daily digest.",
      long_description:
        `Docket keeps one shared list of the questions your coalition needs answered: who they are asked of, by when, every answer with its source, and countdowns to the deadlines that matter. Work it with /${o.commandName} and get a daily digest in the channels that want one. /${o.commandName} help lists the commands.`,
      background_color: "#1d3557",
    },
    features: {
      app_home: { home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: true },
      bot_user: { display_name: botName, always_online: false },
      slash_commands: [
        {
          command: `/${o.commandName}`,
          ...(events ? { url: events } : {}),
          description: `The coalition's open questions, answers and deadlines. /${o.commandName} help lists the commands.`,
          usage_hint: usageHint(o.commands).slice(0, 1000),
          should_escape: true,
        },
      ],
    },
    oauth_config: {
      ...(o.oauth && base ? { redirect_urls: [`${base}/slack/oauth_redirect`] } : {}),
      scopes: { bot: [...botScopes] },
    },
    settings: {
      event_subscriptions: { ...(events ? { request_url: events } : {}), bot_events: ["app_uninstalled", "tokens_revoked"] },
      interactivity: { is_enabled: true, ...(events ? { request_url: events } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: o.socketMode,
      token_rotation_enabled: false,
    },
  };
}
