import type { App } from "@slack/bolt";
import type { SlackInstallations } from "./installation-store.ts";
import type { SlackRuntime } from "./send-reply.ts";

/**
 * Docket lost a workspace: its tokens are deleted and its digests paused (with an audit row), so
 * nothing is retried against a workspace that will refuse it. Reinstalling and `digest on` resume.
 */
export function registerWorkspaceEvents(app: App, rt: SlackRuntime, installations: SlackInstallations): void {
  const gone = async (teamId: string, reason: string) => {
    const removed = await installations.remove(teamId);
    rt.directory.forget(teamId);
    const paused = await rt.core.workspaceGone({ platform: "slack", id: teamId }, reason);
    rt.log.info("slack workspace gone", { team: teamId, reason, installationRemoved: removed, digestsPaused: paused });
  };

  app.event("app_uninstalled", async ({ body }) => {
    await gone(body.team_id, "Docket was uninstalled from this Slack workspace");
  });

  app.event("tokens_revoked", async ({ body, event }) => {
    // why: only the bot token matters to Docket; a member revoking their own user token changes nothing.
    if ((event.tokens.bot ?? []).length > 0) await gone(body.team_id, "Docket's bot token was revoked in this Slack workspace");
  });
}
