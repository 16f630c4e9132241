import type { Clock } from "./clock.ts";
import { createDocketCache, directReads, type DocketReads } from "./docket-cache.ts";
import { actorLabel, type CommandContext, type CoreSettings, type Invocation, type MutationScope } from "./context.ts";
import { dateFit } from "./dates/read-date.ts";
import { isUserError, UserError } from "./errors.ts";
import type { ActorRole, OptionInput, TypedText } from "./events.ts";
import { limits } from "./limits.ts";
import type { Logger } from "./logger.ts";
import { bindOptions, findCommand, type RawOptions } from "./parse/bind.ts";
import { tokenizeTyped, tokenText } from "./parse/tokenize.ts";
import type { Repos, Store, VersionedDocket } from "./ports.ts";
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
  /** The docket's version as read with it; undefined until the first change creates the docket. */
  version: number | undefined;
  now: Date;
}

/** A command's resolved input, and the actor's admin standing if checking the command's permission already told it. */
export interface Prepared {
  input: Record<string, unknown>;
  isAdmin: boolean | undefined;
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
  const cache = createDocketCache();

  const docketIn = (repos: Repos, workspace: Invocation["workspace"]): Promise<VersionedDocket | undefined> => repos.workspaces.docket(workspace.platform, workspace.id);

  const docketOf = async (workspace: Invocation["workspace"]): Promise<Docket | undefined> => (await docketIn(store, workspace))?.docket;

  /** The docket as a command that reads nothing of it sees it: the one a first change would create. */
  const unread = (invocation: Invocation, now: Date): Pick<Parsed, "docket" | "version"> => ({
    docket: { id: 0, name: invocation.workspace.name, timeZone: settings.defaultTimeZone, createdAt: now.toISOString() },
    version: undefined,
  });

  /** The workspace's docket with its version, or the one its first change will create (id 0, no version). */
  const docketFor = async (invocation: Invocation, now: Date): Promise<Pick<Parsed, "docket" | "version">> => (await docketIn(store, invocation.workspace)) ?? unread(invocation, now);

  /** What a read-only command reads of its docket: deadlines and admins from memory while the version read with the docket holds. */
  const readsOf = (parsed: Parsed): DocketReads => cache.reads(store, parsed.version === undefined ? undefined : { docket: parsed.docket, version: parsed.version });

  const fits = (docket: Docket, now: Date) => (_kind: string, text: string) => dateFit(text, { now, zone: docket.timeZone });

  async function parseText(invocation: Invocation, text: TypedText): Promise<Parsed> {
    const now = clock.now();
    const length = typeof text === "string" ? lengthOf(text) : text.reduce((n, part) => n + (typeof part === "string" ? lengthOf(part) : lengthOf(part.label) + 1), 0);
    if (length > limits.commandText) throw new UserError("command.too_long", `That command is ${length} characters long; the limit is ${limits.commandText}.`);
    // why: normalise before tokenizing, so a decomposed "#café" is the same tag as a composed one.
    const tokens = tokenizeTyped(text, cleanText);
    const { command, used } = findCommand(tokens.slice(0, 2).map(tokenText), commands, root);
    // why after naming the command: one that reads nothing of the docket (help) needs no read of it.
    const bound = command.docketFree ? unread(invocation, now) : await docketFor(invocation, now);
    const { docket } = bound;
    return { command, raw: bindOptions(command, tokens.slice(used), fits(docket, now), root), ...bound, now };
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
    return { command, raw, ...(command.docketFree ? unread(invocation, now) : await docketFor(invocation, now)), now };
  }

  /** Whether the actor is an admin of the docket; undefined when only the platform role they did not bring could tell. */
  async function adminStanding(invocation: Invocation, reads: DocketReads): Promise<boolean | undefined> {
    const { actor, workspace } = invocation;
    if (actor.role?.isPlatformAdmin) return true;
    if (await reads.listsAdmin(workspace.platform, actor.id, actor.role?.roleIds ?? [])) return true;
    return actor.role ? false : undefined;
  }

  /**
   * Refuses an admin command the actor may not run; throws RoleNeeded when that depends on a role
   * not given. Commands anyone may run ask nothing: their actor's standing is read only if they ask.
   */
  async function checkAdmin(parsed: Parsed, invocation: Invocation, reads: DocketReads = readsOf(parsed)): Promise<boolean | undefined> {
    if (parsed.command.permission !== "admin") return undefined;
    const isAdmin = await adminStanding(invocation, reads);
    if (isAdmin === undefined) throw new RoleNeeded();
    if (!isAdmin) throw new UserError("permission.admin", `Only an admin of this docket can use /${root} ${parsed.command.name}; /${root} admin list shows who can.`);
    return true;
  }

  /** Resolves the input and checks the asker rule: what a command needs before it runs (a mutating one, with its transaction's reads). */
  async function prepare(parsed: Parsed, invocation: Invocation, reads: DocketReads = readsOf(parsed)): Promise<Prepared> {
    let isAdmin = await checkAdmin(parsed, invocation, reads);
    const input = await resolveOptions(parsed.command, parsed.raw, { store: reads.store, docket: parsed.docket, now: parsed.now, platform: invocation.workspace.platform, root });
    if (parsed.command.permission === "asker") {
      // why: every command with the `asker` permission declares a `question` option, resolved above.
      const question = input.question as Question;
      const asked = question.askedBy.platform === invocation.workspace.platform && question.askedBy.userId === invocation.actor.id;
      // why the asker first: whoever asked needs no admin list read.
      if (!asked) {
        isAdmin = await adminStanding(invocation, reads);
        if (isAdmin === undefined) throw new RoleNeeded();
        if (!isAdmin) throw new UserError("permission.asker", `Only whoever asked Q${question.number}, or an admin, can ${parsed.command.name} it.`);
      }
    }
    return { input, isAdmin };
  }

  /** The actor's admin standing for a command that asks for it: known from its permission check, or read once when first asked. */
  const lazyStanding = (known: boolean | undefined, invocation: Invocation, reads: DocketReads): (() => Promise<boolean>) => {
    let standing: Promise<boolean> | undefined = known === undefined ? undefined : Promise.resolve(known);
    return () => (standing ??= adminStanding(invocation, reads).then((s) => s ?? false));
  };

  /**
   * Runs a command to its reply. A read-only one runs on the store, with the input `prepare` resolved
   * (resolving it now if not given). A mutating one resolves its input and runs in one transaction
   * that holds the workspace's lock and then its docket's, so `prepared` is never used for it: a
   * UserError or RoleNeeded thrown inside rolls back everything it did and propagates.
   */
  async function execute(parsed: Parsed, invocation: Invocation, prepared?: Prepared): Promise<Reply> {
    if (parsed.command.mutates) return mutation(parsed, invocation);
    const reads = readsOf(parsed);
    const { input, isAdmin } = prepared ?? (await prepare(parsed, invocation, reads));
    const ctx: CommandContext = {
      store: reads.store, clock, now: parsed.now, settings, invocation, docket: parsed.docket, isAdmin: lazyStanding(isAdmin, invocation, reads),
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
        const bound = await docketIn(tx, invocation.workspace);
        const docket = bound?.docket ?? parsed.docket;
        if (docket.id !== 0) await tx.lock([{ docket: docket.id }]);
        const current: Parsed = { ...parsed, docket, version: bound?.version };
        // why not from memory: under its locks a mutating command sees what is true now, read through its transaction.
        const reads = directReads(tx, docket.id);
        const { input, isAdmin } = await prepare(current, invocation, reads);
        const { now } = current;
        const ctx: CommandContext = {
          store: tx, clock, now, settings, invocation, docket, isAdmin: lazyStanding(isAdmin, invocation, reads),
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
    let docketId = docket.id === 0 ? ((await docketIn(tx, workspace))?.docket.id ?? 0) : docket.id;
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
