import type { Mention, TypedText } from "../../src/core/events.ts";

// Slack's `<@U123|ana>`, `<!subteam^S1|@team>`, Discord's `<@123>`, `<@!123>`, `<@&123>`, and the console's `@ana`.
const mentions = /<@&(\d+)>|<!subteam\^([A-Z0-9]+)(?:\|@?([^>]*))?>|<@!?([A-Z0-9]+)(?:\|([^>]*))?>|(?<=^|\s)@([\p{L}\p{N}._-]{1,80})/gu;

/**
 * Command text as a platform adapter hands it to the core: the mentions a member typed, resolved.
 * Core tests write mentions the way members see them; adapters have their own readers, tested with them.
 */
export function typed(text: string): TypedText {
  const parts: Array<string | Mention> = [];
  let last = 0;
  for (const m of text.matchAll(mentions)) {
    parts.push(text.slice(last, m.index));
    const [, role, team, teamLabel, member, memberLabel, plain] = m;
    if (role) parts.push({ kind: "role", id: role, label: role });
    else if (team) parts.push({ kind: "role", id: team, label: teamLabel || team });
    else if (member) parts.push({ kind: "member", id: member, label: memberLabel || member });
    else parts.push({ kind: "member", id: plain!, label: plain! });
    last = m.index + m[0].length;
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(last));
  return parts.filter((p) => p !== "");
}
