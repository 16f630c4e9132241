import type { Invocation, Mention, TypedText } from "../../src/core/api.ts";

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

/** The workspace a slash command comes from. */
export const commandTeam = (p: Pick<SlashCommandPayload, "team_id" | "enterprise_id">): string => p.team_id || p.enterprise_id || "";

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">" };
const unescape = (text: string) => text.replace(/&(amp|lt|gt);/g, (_, name: string) => entities[name]!);

/** One `<…>` token of Slack's wire format, as the member typed it: a mention the core takes resolved, or text. */
function typedToken(token: string, content: string): string | Mention {
  // why: `admin add @ana` needs the member's id; the label is the name Slack showed the member.
  const member = /^@([UW][A-Z0-9]+)(?:\|([^|]*))?$/.exec(content);
  if (member) return { kind: "member", id: member[1]!, label: unescape(member[2] || member[1]!) };
  const team = /^!subteam\^([A-Z0-9]+)(?:\|@?(.*))?$/.exec(content);
  if (team) return { kind: "role", id: team[1]!, label: unescape(team[2] || team[1]!) };
  const special = /^!(here|channel|everyone)(\|.*)?$/.exec(content);
  if (special) return `@${special[1]}`;
  const channel = /^#C[A-Z0-9]+\|(.+)$/.exec(content);
  if (channel) return `#${unescape(channel[1]!)}`;
  const labelled = /^[!#]?[^|]+\|(.*)$/.exec(content);
  if (labelled) return unescape(labelled[1]!);
  if (/^(https?|mailto):/i.test(content)) return unescape(content.replace(/^mailto:/i, ""));
  return token;
}

/**
 * A slash command's text as the member typed it. Slack sends it HTML-escaped (`&amp;`, `&lt;`, `&gt;`)
 * and, with the manifest's `should_escape`, rewrites links, channels and mentions into `<…>` tokens:
 * undone here, so `R&D`, a `source:` link or a `#tag` that happens to name a channel reach the docket
 * as typed. Member and user-group mentions reach the core resolved; `@here`/`@channel`/`@everyone`
 * become plain words.
 */
export function typedText(wire: string): TypedText {
  const parts: Array<string | Mention> = [];
  let text = "";
  // why: one pass, so text that only looks like a token once unescaped (`&lt;!here&gt;`) stays text.
  for (const m of wire.matchAll(/<([^<>]*)>|&(amp|lt|gt);|[^<&]+|[<&]/g)) {
    const [whole, content, entity] = m;
    const piece = entity ? entities[entity]! : content !== undefined ? typedToken(whole, content) : whole;
    if (typeof piece === "string") text += piece;
    else {
      if (text) parts.push(text);
      parts.push(piece);
      text = "";
    }
  }
  if (parts.length === 0) return text;
  if (text) parts.push(text);
  return parts;
}

function actor(id: string, typed: string | undefined, member: MemberInfo | undefined): Invocation["actor"] {
  return {
    id,
    displayName: member?.displayName || typed || id,
    // why: Slack user groups would need usergroups:read on every command; the docket's own list names members.
    ...(member ? { role: { isPlatformAdmin: member.isAdmin, roleIds: [] } } : {}),
  };
}

/** The invocation of a slash command: its team, channel and user. */
export function commandInvocation(p: SlashCommandPayload, member?: MemberInfo): Invocation {
  return {
    workspace: { platform: "slack", id: commandTeam(p), name: p.team_domain || p.team_id },
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
