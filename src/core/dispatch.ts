import type { Clock } from "./clock.ts";
import { actorLabel, type CommandContext, type CoreSettings, type Invocation, type MutationScope } from "./context.ts";
import { dateFit } from "./dates/read-date.ts";
import { isUserError, UserError } from "./errors.ts";
import type { ActorRole, OptionInput, TypedText } from "./events.ts";
import { limits } from "./limits.ts";
import type { Logger } from "./logger.ts";
import { bindOptions, findCommand, type RawOptions } from "./parse/bind.ts";
import { tokenizeTyped, tokenText } from "./parse/tokenize.ts";
import type { Repos, Store } from "./ports.ts";
import { reply, type Reply } from "./reply.ts";
import { resolveOptions } from "./resolve.ts";
import { cleanText, lengthOf } from "./text.ts";
import type { Docket, Question } from "./types.ts";
import type { Command } from "./vocabulary.ts";

export interface DispatchDeps {
  store: Store;
  clock: Clock;
  settings: CoreSettings;
  log: Logger;
  commands: readonly Command[];
}

/** A command named and its options bound, once, against the docket as it was when it arrived. */
export interface Parsed {
  command: Command;
  raw: RawOptions;
  docket: Docket;
  now: Date;
}

/** A command's resolved input, and whether its actor is an admin of the docket. */
export interface Prepared {
  input: Record<string, unknown>;
  isAdmin: boolean;
}

/** Why a command cannot run yet: the actor's platform role decides whether they may. */
export class RoleNeeded extends Error {
  override readonly name = "RoleNeeded";
}

export const internalApology = "Sorry, something went wrong on Docket's side and nothing was changed. Please try again; if it keeps failing, tell the person who runs Docket.";

/** True for the store's disk-full failure (SQLite's SQLITE_FULL, or the store's DatabaseError of problem "full"), recognised without importing the store. */
const isDiskFull = (error: unknown): boolean =>
  typeof error === "object" && error !== null && (("code" in error && error.code === "SQLITE_FULL") || ("problem" in error && error.problem === "full"));


/**
 * The heart of the core: names a command and binds its options (once), checks who may run it,
 * resolves its input and runs it. A mutating command resolves its input and runs in one
 * transaction, holding its workspace's lock and its docket's, with every audit row it writes.
 */
export function createDispatcher(deps: DispatchDeps) {
  const { store, clock, settings, log, commands } = deps;
  const root = settings.commandName;

  const docketIn = async (repos: Repos, workspace: Invocation["workspace"]): Promise<Docket | undefined> => {
    const bound = await repos.workspaces.find(workspace.platform, workspace.id);
    return bound && repos.dockets.get(bound.docketId);
  };

  const docketOf = (workspace: Invocation["workspace"]): Promise<Docket | undefined> => docketIn(store, workspace);

  /** The workspace's docket, or the one its first change will create (id 0). */
  const docketFor = async (invocation: Invocation, now: Date): Promise<Docket> =>
    (await docketOf(invocation.workspace)) ?? { id: 0, name: invocation.workspace.name, timeZone: settings.defaultTimeZone, createdAt: now.toISOString() };

  const fits = (docket: Docket, now: Date) => (_kind: string, text: string) => dateFit(text, { now, zone: docket.timeZone });

  async function parseText(invocation: Invocation, text: TypedText): Promise<Parsed> {
    const now = clock.now();
    const docket = await docketFor(invocation, now);
    const length = typeof text === "string" ? lengthOf(text) : text.reduce((n, part) => n + (typeof part === "string" ? lengthOf(part) : lengthOf(part.label) + 1), 0);
    if (length > limits.commandText) throw new UserError("command.too_long", `That command is ${length} characters long; the limit is ${limits.commandText}.`);
    // why: normalise before tokenizing, so a decomposed "#café" is the same tag as a composed one.
    const tokens = tokenizeTyped(text, cleanText);
    const { command, used } = findCommand(tokens.slice(0, 2).map(tokenText), commands, root);
    return { command, raw: bindOptions(command, tokens.slice(used), fits(docket, now), root), docket, now };
  }

  async function parseOptions(invocation: Invocation, name: string, options: Readonly<Record<string, OptionInput>>): Promise<Parsed> {
    const now = clock.now();
    const named = commands.find((c) => c.name === name);
    if (!named) throw new UserError("command.unknown", `There is no command "${name}". Type /${root} help to see them all.`);
    // why: a platform that cannot hold a command and a group of one name (Discord) sends `link status` as `link` whose first
    // positional option is the group's word, the same words the text form reads (findCommand).
    const lead = named.options.find((o) => o.positional);
    const word = lead && options[lead.name];
    const grouped = typeof word === "string" ? commands.find((c) => c.name === `${name} ${word.trim().toLowerCase()}`) : undefined;
    const command = grouped ?? named;
    const given = grouped ? {} : options;
    const raw: RawOptions = {};
    for (const o of command.options) {
      const value = given[o.name];
      if (value !== undefined) raw[o.name] = value;
    }
    return { command, raw, docket: await docketFor(invocation, now), now };
  }

  /** Whether the actor is an admin of the docket; undefined when only the platform role they did not bring could tell. */
  async function adminStanding(invocation: Invocation, docket: Docket, repos: Repos): Promise<boolean | undefined> {
    const { actor, workspace } = invocation;
    if (actor.role?.isPlatformAdmin) return true;
    if (docket.id !== 0 && (await repos.admins.includes(docket.id, workspace.platform, actor.id, actor.role?.roleIds ?? []))) return true;
    return actor.role ? false : undefined;
  }

  /** Refuses a command the actor may not run; throws RoleNeeded when that depends on a role not given. */
  async function checkAdmin(parsed: Parsed, invocation: Invocation, repos: Repos = store): Promise<boolean> {
    const isAdmin = await adminStanding(invocation, parsed.docket, repos);
    if (parsed.command.permission !== "admin") return isAdmin ?? false;
    if (isAdmin === undefined) throw new RoleNeeded();
    if (!isAdmin) throw new UserError("permission.admin", `Only an admin of this docket can use /${root} ${parsed.command.name}; /${root} admin list shows who can.`);
    return true;
  }

  /** Resolves the input and checks the asker rule: what a command needs before it runs (a mutating one, with its transaction's `tx`). */
  async function prepare(parsed: Parsed, invocation: Invocation, repos: Repos = store): Promise<Prepared> {
    const isAdmin = await checkAdmin(parsed, invocation, repos);
    const input = await resolveOptions(parsed.command, parsed.raw, { store: repos, docket: parsed.docket, now: parsed.now, platform: invocation.workspace.platform, root });
    if (parsed.command.permission === "asker" && !isAdmin) {
      // why: every command with the `asker` permission declares a `question` option, resolved above.
      const question = input.question as Question;
      const asked = question.askedBy.platform === invocation.workspace.platform && question.askedBy.userId === invocation.actor.id;
      if (!asked) {
        if (invocation.actor.role === undefined) throw new RoleNeeded();
        throw new UserError("permission.asker", `Only whoever asked Q${question.number}, or an admin, can ${parsed.command.name} it.`);
      }
    }
    return { input, isAdmin };
  }

  /**
   * Runs a command to its reply. A read-only one runs on the store, with the input `prepare` resolved
   * (resolving it now if not given). A mutating one resolves its input and runs in one transaction
   * that holds the workspace's lock and then its docket's, so `prepared` is never used for it: a
   * UserError or RoleNeeded thrown inside rolls back everything it did and propagates.
   */
  async function execute(parsed: Parsed, invocation: Invocation, prepared?: Prepared): Promise<Reply> {
    if (parsed.command.mutates) return mutation(parsed, invocation);
    const { input, isAdmin } = prepared ?? (await prepare(parsed, invocation));
    const ctx: CommandContext = {
      store, clock, now: parsed.now, settings, invocation, docket: parsed.docket, isAdmin,
      mutate: () => Promise.reject(new Error(`${parsed.command.name} is declared read-only (mutates: false) and cannot change the docket`)),
    };
    return parsed.command.run(input, ctx);
  }

  /** A mutating command, from resolving its input to its last audit row, in one transaction; `ctx.store` is that transaction's. */
  function mutation(parsed: Parsed, invocation: Invocation): Promise<Reply> {
    const { platform, id } = invocation.workspace;
    return store.transaction(
      async (tx) => {
        // why: the docket may have been created (or renamed) since the command was parsed; read it as this transaction sees it.
        const docket = (await docketIn(tx, invocation.workspace)) ?? parsed.docket;
        if (docket.id !== 0) await tx.lock([{ docket: docket.id }]);
        const current: Parsed = { ...parsed, docket };
        const { input, isAdmin } = await prepare(current, invocation, tx);
        const { now } = current;
        const ctx: CommandContext = {
          store: tx, clock, now, settings, invocation, docket, isAdmin,
          mutate: async (action, subject, change) => {
            const scope = await openScope(tx, invocation, docket, now);
            const { before, after, result, subject: known } = await change(scope);
            await tx.audit.record({ docketId: scope.docketId, actor: actorLabel(invocation), at: scope.at, action, subject: known ?? subject, before: before ?? null, after: after ?? null });
            return result;
          },
        };
        return current.command.run(input, ctx);
      },
      { lock: [{ workspace: { platform, id } }] },
    );
  }

  /** Creates the docket, binds the workspace and records the actor, inside the caller's transaction. */
  async function openScope(tx: Repos, invocation: Invocation, docket: Docket, now: Date): Promise<MutationScope> {
    const at = now.toISOString();
    const { workspace, actor } = invocation;
    let docketId = docket.id === 0 ? ((await docketIn(tx, workspace))?.id ?? 0) : docket.id;
    if (docketId === 0) {
      const created = await tx.dockets.create({ name: workspace.name, timeZone: docket.timeZone, createdAt: at });
      docketId = created.id;
      await tx.workspaces.bind({ platform: workspace.platform, externalId: workspace.id, name: workspace.name, docketId }, at);
      await tx.audit.record({ docketId, actor: actorLabel(invocation), at, action: "docket.create", subject: null, before: null, after: { ...created, workspace } });
    }
    const member = await tx.members.upsert({ docketId, platform: workspace.platform, userId: actor.id, displayName: actor.displayName }, at);
    return { docketId, member, at };
  }

  /** A user's mistake as a reply; anything else is logged with its context and apologised for. */
  function failure(error: unknown, invocation: Invocation): Reply {
    if (isUserError(error)) return reply.error(error.code, error.message);
    // why: a full disk is the operator's to fix, not a bug; say so to both, and nothing was saved.
    if (isDiskFull(error)) {
      log.error("disk full: Docket can't save; free space on the disk holding DOCKET_DB's database (and its -wal file)", { error: error instanceof Error ? error.message : String(error), workspace: invocation.workspace.id });
      return reply.error("storage.full", "Docket can't save right now: the server's disk is full, and nothing was changed. Please try again later; it has been logged for the person who runs Docket.");
    }
    log.error("command failed", { error: error instanceof Error ? (error.stack ?? error.message) : String(error), workspace: invocation.workspace.id });
    return reply.error("internal", internalApology);
  }

  /** Runs typed text to its reply in one go, as an actor whose role is known (tests, tools). */
  async function runText(invocation: Invocation, text: TypedText): Promise<Reply> {
    try {
      return await execute(await parseText(invocation, text), invocation);
    } catch (error) {
      return failure(error, invocation);
    }
  }

  return { docketOf, docketFor, parseText, parseOptions, checkAdmin, prepare, execute, failure, runText };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

/** The invocation with the role the platform reported. */
export const withRole = (invocation: Invocation, role: ActorRole): Invocation => ({ ...invocation, actor: { ...invocation.actor, role } });
