import type { Clock } from "./clock.ts";
import { commands as vocabulary } from "./commands/registry.ts";
import type { CommandContext, CoreSettings, Invocation, MutationScope } from "./context.ts";
import { parseDate } from "./dates.ts";
import { isUserError, UserError } from "./errors.ts";
import { limits } from "./limits.ts";
import { bindOptions, findCommand, type RawOptions } from "./parse/bind.ts";
import { tokenize, tokenText } from "./parse/tokenize.ts";
import type { Store } from "./ports.ts";
import { reply, type Reply } from "./reply.ts";
import { resolveOptions } from "./resolve.ts";
import { cleanText, lengthOf } from "./text.ts";
import type { Docket, Question } from "./types.ts";
import type { Command } from "./vocabulary.ts";

/** True for the store's disk-full failure (SQLite's SQLITE_FULL, or the store's DatabaseError of problem "full"), recognised without importing the store. */
const isDiskFull = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (("code" in error && error.code === "SQLITE_FULL") || ("problem" in error && error.problem === "full"));

export interface Logger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

/** The platform-neutral core every adapter talks to. Its methods never throw: failures become replies. */
export interface Core {
  readonly commands: readonly Command[];
  readonly settings: CoreSettings;
  readonly store: Store;
  readonly clock: Clock;
  /** Runs a command typed as text after the root command (Slack, console): `ask "…" to:ITU`. */
  runText(invocation: Invocation, text: string): Reply;
  /** Runs a command whose options the platform already separated (Discord), by its full name. */
  run(invocation: Invocation, name: string, raw: RawOptions): Reply;
  /**
   * Whether the command this text names is restricted (to admins, or to a question's asker), so an
   * adapter must learn the actor's platform role before running it; for the rest it need not wait.
   */
  needsRole(text: string): boolean;
  /** A question of the workspace's docket, for a form that shows it (the answer modal); undefined if there is none. */
  question(invocation: Pick<Invocation, "workspace">, number: number): Pick<Question, "number" | "text" | "status" | "addressee"> | undefined;
  /** The docket a workspace is bound to, if it has one yet. */
  docketOf(invocation: Pick<Invocation, "workspace">): Docket | undefined;
  /** Choices for an option as the user types (Discord autocomplete): open questions first, at most `limit`. */
  suggest(invocation: Pick<Invocation, "workspace">, kind: "question" | "deadline", typed: string, limit?: number): Array<{ name: string; value: string }>;
  /**
   * The bot lost a workspace (uninstalled, tokens revoked, removed from a guild): its digests pause,
   * with an audit row, so nothing is retried forever. Returns how many subscriptions paused.
   */
  workspaceGone(workspace: Invocation["workspace"] | { platform: Invocation["workspace"]["platform"]; id: string }, reason: string): number;
}

/** How the audit log names who did something: `Amina (slack:U123)`. */
const actorLabel = ({ actor, workspace }: Invocation) => `${actor.displayName} (${workspace.platform}:${actor.id})`;

export function createCore(deps: { store: Store; clock: Clock; settings: CoreSettings; log: Logger }): Core {
  const { store, clock, settings, log } = deps;
  const root = settings.commandName;

  const docketOf = (invocation: Pick<Invocation, "workspace">) => {
    const workspace = store.workspaces.find(invocation.workspace.platform, invocation.workspace.id);
    return workspace && store.dockets.get(workspace.docketId);
  };

  function execute(invocation: Invocation, parse: (docket: Docket, now: Date) => { command: Command; raw: RawOptions }): Reply {
    const now = clock.now();
    try {
      const docket = docketOf(invocation) ?? { id: 0, name: invocation.workspace.name, timeZone: settings.defaultTimeZone, createdAt: now.toISOString() };
      const { command, raw } = parse(docket, now);
      const { actor, workspace } = invocation;
      const isAdmin = actor.isPlatformAdmin || (docket.id !== 0 && store.admins.includes(docket.id, workspace.platform, actor.id, actor.roleIds));
      if (command.permission === "admin" && !isAdmin)
        throw new UserError("permission.admin", `Only an admin of this docket can use /${root} ${command.name}; /${root} admin list shows who can.`);
      const input = resolveOptions(command, raw, { store, docket, now, platform: workspace.platform, root });
      if (command.permission === "asker" && !isAdmin) {
        // why: every command with the `asker` permission declares a `question` option, resolved above.
        const question = input.question as Question;
        if (question.askedBy.platform !== workspace.platform || question.askedBy.userId !== actor.id)
          throw new UserError("permission.asker", `Only whoever asked Q${question.number}, or an admin, can ${command.name} it.`);
      }
      const ctx: CommandContext = {
        store, clock, now, settings, invocation, docket, isAdmin,
        mutate: (action, subject, change) =>
          store.transaction(() => {
            const scope = openScope(invocation, docket, now);
            const { before, after, result, subject: known } = change(scope);
            store.audit.record({ docketId: scope.docketId, actor: actorLabel(invocation), at: scope.at, action, subject: known ?? subject, before: before ?? null, after: after ?? null });
            return result;
          }),
      };
      return command.run(input, ctx);
    } catch (error) {
      if (isUserError(error)) return reply.error(error.code, error.message);
      // why (issue 11, store): a full disk is the operator's to fix, not a bug; say so to both, and nothing was saved.
      if (isDiskFull(error)) {
        log.error("disk full: Docket can't save; free space on the disk holding DOCKET_DB's database (and its -wal file)", { error: error instanceof Error ? error.message : String(error), workspace: invocation.workspace.id });
        return reply.error("storage.full", "Docket can't save right now: the server's disk is full, and nothing was changed. Please try again later; it has been logged for the person who runs Docket.");
      }
      log.error("command failed", { error: error instanceof Error ? (error.stack ?? error.message) : String(error), workspace: invocation.workspace.id });
      return reply.error("internal", "Sorry, something went wrong on Docket's side and nothing was changed. Please try again; if it keeps failing, tell the person who runs Docket.");
    }
  }

  /** Creates the docket, binds the workspace and records the actor, inside the caller's transaction. */
  function openScope(invocation: Invocation, docket: Docket, now: Date): MutationScope {
    const at = now.toISOString();
    const { workspace, actor } = invocation;
    let docketId = docket.id === 0 ? (docketOf(invocation)?.id ?? 0) : docket.id;
    if (docketId === 0) {
      const created = store.dockets.create({ name: workspace.name, timeZone: docket.timeZone, createdAt: at });
      docketId = created.id;
      store.workspaces.bind({ platform: workspace.platform, externalId: workspace.id, name: workspace.name, docketId }, at);
      store.audit.record({ docketId, actor: actorLabel(invocation), at, action: "docket.create", subject: null, before: null, after: { ...created, workspace } });
    }
    const member = store.members.upsert({ docketId, platform: workspace.platform, userId: actor.id, displayName: actor.displayName }, at);
    return { docketId, member, at };
  }

  const fits = (docket: Docket, now: Date) => (_kind: string, text: string) => {
    try {
      parseDate(text, { now, zone: docket.timeZone, allowPast: true });
      return true;
    } catch {
      // why: a failed parse only means these words are not the date; the rest text keeps them.
      return false;
    }
  };

  function suggest(invocation: Pick<Invocation, "workspace">, kind: "question" | "deadline", typed: string, limit = 25) {
    const docket = docketOf(invocation);
    if (!docket) return [];
    const text = typed.trim();
    const cut = (s: string) => (s.length > 100 ? `${s.slice(0, 99)}…` : s);
    if (kind === "deadline") {
      const wanted = text.toLowerCase().replace(/^d(?=\d)/, "");
      return store.deadlines
        .list(docket.id)
        .filter((d) => wanted === "" || String(d.number).startsWith(wanted) || d.title.toLowerCase().includes(wanted))
        .slice(0, limit)
        .map((d) => ({ name: cut(`D${d.number} ${d.title} (${d.date})`), value: `D${d.number}` }));
    }
    return store.questions.suggest(docket.id, text, limit).map((q) => ({ name: cut(`Q${q.number} ${q.status === "open" ? "" : `[${q.status}] `}${q.text}`), value: `Q${q.number}` }));
  }

  function workspaceGone(workspace: { platform: Invocation["workspace"]["platform"]; id: string }, reason: string): number {
    const at = clock.now().toISOString();
    return store.transaction(() => {
      const paused = store.subscriptions.pauseWorkspace(workspace.platform, workspace.id, reason, at);
      for (const sub of paused)
        store.audit.record({ docketId: sub.docketId, actor: "Docket", at, action: "digest.pause", subject: `channel:${sub.channel.channelId}`, before: sub, after: { state: "paused", reason } });
      if (paused.length) log.warn("workspace gone; digests paused", { platform: workspace.platform, workspace: workspace.id, reason, paused: paused.length });
      return paused.length;
    });
  }

  function needsRole(text: string): boolean {
    try {
      return findCommand(tokenize(cleanText(text)).slice(0, 2).map(tokenText), vocabulary, root).command.permission !== "anyone";
    } catch (error) {
      // why: text that names no command gets the same error whoever sends it; no role is needed to say so.
      if (isUserError(error)) return false;
      throw error;
    }
  }

  function question(invocation: Pick<Invocation, "workspace">, number: number) {
    const docket = docketOf(invocation);
    const q = docket && store.questions.get(docket.id, number);
    return q && { number: q.number, text: q.text, status: q.status, addressee: q.addressee };
  }

  return {
    needsRole,
    question,
    suggest,
    workspaceGone,
    commands: vocabulary,
    settings,
    store,
    clock,
    docketOf,
    runText(invocation, text) {
      return execute(invocation, (docket, now) => {
        if (lengthOf(text) > limits.commandText)
          throw new UserError("command.too_long", `That command is ${lengthOf(text)} characters long; the limit is ${limits.commandText}.`);
        // why: normalise before tokenizing, so a decomposed "#café" is the same tag as a composed one.
        const tokens = tokenize(cleanText(text));
        const { command, used } = findCommand(tokens.slice(0, 2).map(tokenText), vocabulary, root);
        return { command, raw: bindOptions(command, tokens.slice(used), fits(docket, now), root) };
      });
    },
    run(invocation, name, raw) {
      return execute(invocation, () => {
        const command = vocabulary.find((c) => c.name === name);
        if (!command) throw new UserError("command.unknown", `There is no command "${name}". Type /${root} help to see them all.`);
        return { command, raw };
      });
    },
  };
}
