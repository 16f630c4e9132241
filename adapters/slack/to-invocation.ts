import type { Invocation } from "../../src/core/context.ts";

/** What users.info says about the person acting, when Slack answered in time. */
export interface MemberInfo {
  displayName?: string;
  /** Workspace admin or owner. */
  isAdmin: boolean;
}

/** The fields of a slash-command payload Docket reads (Slack sends them form-encoded). */
export interface SlashCommandPayload {
  team_id: string;
  team_domain?: string;
  enterprise_id?: string;
  channel_id: string;
  channel_name?: string;
  user_id: string;
  user_name?: string;
  text: string;
}

/** The fields of a block_actions or view_submission payload Docket reads. */
export interface InteractionPayload {
  team: { id: string; domain?: string } | null;
  enterprise?: { id: string } | null;
  user: { id: string; username?: string; name?: string; team_id?: string };
}

/** The workspace a payload comes from: the team, or the org for org-wide installs without a team. */
export const teamOf = (team: { id: string } | null | undefined, enterprise?: { id: string } | null, fallback = ""): string => team?.id ?? enterprise?.id ?? fallback;

function actor(id: string, typed: string | undefined, member: MemberInfo | undefined): Invocation["actor"] {
  return {
    id,
    displayName: member?.displayName || typed || id,
    isPlatformAdmin: member?.isAdmin ?? false,
    // why: Slack user groups would need usergroups:read on every command; the docket's own list names members.
    roleIds: [],
  };
}

/** The invocation of a slash command: its team, channel and user. */
export function commandInvocation(p: SlashCommandPayload, member?: MemberInfo): Invocation {
  return {
    workspace: { platform: "slack", id: p.team_id || p.enterprise_id || "", name: p.team_domain || p.team_id },
    channel: { id: p.channel_id, ...(p.channel_name ? { name: p.channel_name } : {}) },
    actor: actor(p.user_id, p.user_name, member),
  };
}

/** The invocation of a button or a modal submission, in the channel the modal was opened from. */
export function interactionInvocation(p: InteractionPayload, channelId: string, member?: MemberInfo): Invocation {
  const id = teamOf(p.team, p.enterprise, p.user.team_id);
  return {
    workspace: { platform: "slack", id, name: p.team?.domain || id },
    channel: { id: channelId },
    actor: actor(p.user.id, p.user.name || p.user.username, member),
  };
}
