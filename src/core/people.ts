import type { Repos } from "./ports.ts";
import type { Member, Platform, Workspace } from "./types.ts";

/** How replies name a platform. */
export const platformName: Record<Platform, string> = { slack: "Slack", discord: "Discord", console: "Console" };

/** How a reply names a person who did something in the docket. */
export type NameOf = (person: Pick<Member, "displayName" | "platform">) => string;

/**
 * The one rule for naming people: in a docket whose workspaces span more than one platform, a name
 * carries its platform ("Amina (Discord)"), since the same name may be two people; otherwise it is
 * the name alone, as every single-platform docket has always read.
 */
export function namesFor(workspaces: ReadonlyArray<Pick<Workspace, "platform">>): NameOf {
  const platforms = new Set(workspaces.map((w) => w.platform));
  return platforms.size > 1 ? (p) => `${p.displayName} (${platformName[p.platform]})` : (p) => p.displayName;
}

/** The naming rule of a stored docket (none yet: names alone). */
export const namesOf = async (store: Repos, docketId: number): Promise<NameOf> => namesFor(docketId === 0 ? [] : await store.workspaces.forDocket(docketId));

/** Names alone, for callers outside any docket's workspaces. */
export const plainNames: NameOf = (p) => p.displayName;

/** An audit row's actor, `Amina (slack:U123)`, as a person: the name and, when the label has it, the platform. */
export function actorAsPerson(actor: string): { displayName: string; platform?: Platform } {
  const match = / \((slack|discord|console):[^)]*\)$/.exec(actor);
  return match ? { displayName: actor.slice(0, match.index), platform: match[1] as Platform } : { displayName: actor.replace(/ \(.*\)$/, "") };
}
