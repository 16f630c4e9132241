import type { Clock } from "./clock.ts";
import type { ActorRole } from "./events.ts";
import type { Repos } from "./ports.ts";
import type { Docket, Member, Platform, TimeZone } from "./types.ts";

/** Who runs a command, where: what an adapter knows about a platform event. */
export interface Invocation {
  workspace: { platform: Platform; id: string; name: string };
  channel: { id: string; name?: string };
  actor: {
    id: string;
    displayName: string;
    /**
     * What the platform says of the actor's standing, when the adapter has it (Discord always does;
     * Slack only after users.info). Without it, a command that depends on it answers `needs-role`.
     */
    role?: ActorRole;
  };
}

export interface CoreSettings {
  /** The root command users type, without the slash. */
  commandName: string;
  /** Zone of dockets created from now on. */
  defaultTimeZone: TimeZone;
  /** How many still-open questions a digest lists before "and N more" (default 10). */
  digestOpenLimit?: number;
}

/** What a command handler works with. */
export interface CommandContext {
  /** The store, or inside a mutating command the transaction it runs in: commands cannot start their own. */
  readonly store: Repos;
  readonly clock: Clock;
  readonly now: Date;
  readonly settings: CoreSettings;
  readonly invocation: Invocation;
  /** The workspace's docket; `id` is 0 until the first change creates it. */
  readonly docket: Docket;
  /** Whether the actor is an admin of the docket (false when the platform role was not given and the docket's list does not name them); read only when asked. */
  isAdmin(): Promise<boolean>;
  /**
   * Runs `change` in the command's transaction together with its audit row, creating the docket,
   * the workspace binding and the acting member first if they do not exist yet.
   */
  mutate<T>(action: string, subject: string | null, change: (scope: MutationScope) => Promise<Change<T>>): Promise<T>;
}

export interface MutationScope {
  docketId: number;
  member: Member;
  at: string;
}

export interface Change<T> {
  /** The audit subject, when it is only known once the change is made (a new question's number). */
  subject?: string;
  before?: unknown;
  after?: unknown;
  result: T;
}

/** How the audit log names who did something: `Amina (slack:U123)`. */
export const actorLabel = ({ actor, workspace }: Pick<Invocation, "actor" | "workspace">): string => `${actor.displayName} (${workspace.platform}:${actor.id})`;
