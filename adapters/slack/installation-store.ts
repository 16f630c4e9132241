import type { Installation, InstallationQuery, InstallationStore } from "@slack/bolt";
import type { Clock } from "../../src/core/api.ts";
import type { PlatformStateStore } from "../../src/core/api.ts";

/** The workspace SLACK_BOT_TOKEN belongs to, as auth.test names it. */
export interface HomeWorkspace {
  teamId: string;
  teamName?: string;
  botToken: string;
  botId?: string;
  botUserId?: string;
}

/** Bolt's installation store, kept in Docket's database, plus the lookups the rest of the adapter needs. */
export interface SlackInstallations extends InstallationStore {
  /** The bot token for a workspace: its installation's, or SLACK_BOT_TOKEN's for its own workspace. */
  botToken(teamId: string): Promise<string | undefined>;
  /** Who installed Docket in a workspace, when it came through the OAuth flow. */
  installer(teamId: string): Promise<string | undefined>;
  /** Deletes a workspace's installation (uninstalled, tokens revoked); true if there was one. */
  remove(teamId: string): Promise<boolean>;
}

const prefix = "installation:";
/** Org-wide installs are keyed by enterprise, team installs by team: `installation:T123`, `installation:enterprise:E1`. */
const installationKey = (q: { teamId?: string | undefined; enterpriseId?: string | undefined; isEnterpriseInstall?: boolean | undefined }): string =>
  q.isEnterpriseInstall && q.enterpriseId ? `${prefix}enterprise:${q.enterpriseId}` : `${prefix}${q.teamId ?? ""}`;

/**
 * Installations in the platform state store (encrypted at rest when DOCKET_SECRET_KEY is set). The
 * values hold tokens: nothing here logs them. `home` answers for the bot token's own workspace, so a
 * deployment with SLACK_BOT_TOKEN and OAuth serves both.
 */
export function createInstallationStore(state: PlatformStateStore, clock: Clock, home: () => HomeWorkspace | undefined): SlackInstallations {
  const read = async (key: string): Promise<Installation | undefined> => {
    const value = await state.get("slack", key);
    return value === undefined ? undefined : (JSON.parse(value) as Installation);
  };

  const homeInstallation = (teamId: string | undefined): Installation | undefined => {
    const h = home();
    if (!h || teamId !== h.teamId) return undefined;
    return {
      team: { id: h.teamId, ...(h.teamName ? { name: h.teamName } : {}) },
      enterprise: undefined,
      user: { id: "", token: undefined, scopes: undefined },
      bot: { token: h.botToken, scopes: [], id: h.botId ?? "", userId: h.botUserId ?? "" },
      tokenType: "bot",
      isEnterpriseInstall: false,
      authVersion: "v2",
    };
  };

  return {
    async storeInstallation(installation) {
      const key = installationKey({ teamId: installation.team?.id, enterpriseId: installation.enterprise?.id, isEnterpriseInstall: installation.isEnterpriseInstall });
      await state.set("slack", key, JSON.stringify(installation), clock.now().toISOString());
    },
    async fetchInstallation(query: InstallationQuery<boolean>) {
      const found = (await read(installationKey(query))) ?? homeInstallation(query.teamId);
      if (!found) throw new Error(`Docket is not installed in Slack workspace ${query.teamId ?? query.enterpriseId ?? "(unknown)"}`);
      return found;
    },
    async deleteInstallation(query: InstallationQuery<boolean>) {
      await state.delete("slack", installationKey(query));
    },
    async botToken(teamId) {
      return (await read(installationKey({ teamId })))?.bot?.token ?? homeInstallation(teamId)?.bot?.token;
    },
    async installer(teamId) {
      return (await read(installationKey({ teamId })))?.user.id || undefined;
    },
    remove(teamId) {
      return state.delete("slack", installationKey({ teamId }));
    },
  };
}
