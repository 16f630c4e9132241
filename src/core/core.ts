import type { Clock } from "./clock.ts";
import { commands as vocabulary } from "./commands/registry.ts";
import type { CoreSettings, Invocation } from "./context.ts";
import { createDispatcher, RoleNeeded, internalApology, withRole, type Parsed } from "./dispatch.ts";
import { isUserError } from "./errors.ts";
import type { CoreEvent, Outcome } from "./events.ts";
import { formFor, opensForm, readFormRef, submittedOptions } from "./forms.ts";
import type { Logger } from "./logger.ts";
import { rawText } from "./parse/bind.ts";
import type { Store } from "./ports.ts";
import { reply, type Reply } from "./reply.ts";
import { findQuestion } from "./resolve.ts";
import type { Platform } from "./types.ts";
import { usageOf, type Command, type OptionKind, type Permission } from "./vocabulary.ts";

export type { Logger } from "./logger.ts";

/** An option of a command as a platform registers it (Discord's typed options). */
export interface OptionInfo {
  name: string;
  description: string;
  kind: OptionKind;
  required: boolean;
  max?: number;
  choices?: readonly string[];
  /** The core suggests values as the member types (`suggest`). */
  suggests: boolean;
  /** Left out, the command opens its form and the form asks for it: register it optional. */
  formAsks: boolean;
}

/** A command of the vocabulary as platforms see it: enough to register, describe and route it. */
export interface CommandInfo {
  name: string;
  summary: string;
  /** `ask <text> [to:<addressee>] …` */
  usage: string;
  examples: readonly string[];
  permission: Permission;
  slow: boolean;
  options: readonly OptionInfo[];
}

export interface Choice {
  name: string;
  value: string;
}

/** The one face of the core: every adapter talks to Docket through these, and only these. */
export interface Core {
  /** The root command members type, without the slash. */
  readonly commandName: string;
  readonly vocabulary: readonly CommandInfo[];
  /** Answers one thing a member did. Never rejects: failures become replies, and internal ones are logged. */
  handle(event: CoreEvent): Promise<Outcome>;
  /** Values for an option as the member types it (Discord autocomplete): open questions first, at most `limit`. */
  suggest(request: { invocation: Pick<Invocation, "workspace">; command: string; option: string; typed: string; limit?: number }): Promise<Choice[]>;
  /**
   * The bot lost a workspace (uninstalled, tokens revoked, removed from a guild): its digests pause,
   * with an audit row, so nothing is retried forever. Resolves with how many subscriptions paused.
   */
  workspaceGone(workspace: { platform: Platform; id: string }, reason: string): Promise<number>;
}

const suggested: ReadonlySet<OptionKind> = new Set(["question", "deadline", "neededBy", "zone"]);
const zones = Intl.supportedValuesOf("timeZone");

export function describeCommand(c: Command): CommandInfo {
  return {
    name: c.name, summary: c.summary, usage: usageOf(c), examples: c.examples, permission: c.permission, slow: c.slow ?? false,
    options: c.options.map((o) => ({
      name: o.name, description: o.description, kind: o.kind, required: o.required, suggests: suggested.has(o.kind), formAsks: Boolean(c.form && o.rest && o.required),
      ...(o.max ? { max: o.max } : {}), ...(o.choices ? { choices: o.choices } : {}),
    })),
  };
}

export function createCore(deps: { store: Store; clock: Clock; settings: CoreSettings; log: Logger; commands?: readonly Command[] }): Core {
  const { store, clock, settings, log } = deps;
  const commands = deps.commands ?? vocabulary;
  const root = settings.commandName;
  const d = createDispatcher({ store, clock, settings, log, commands });
  const said = (r: Reply): Outcome => ({ kind: "reply", reply: r });
  const cut = (s: string) => (s.length > 100 ? `${s.slice(0, 99)}…` : s);

  const questionChoices = async (docketId: number, typed: string, limit: number): Promise<Choice[]> =>
    docketId === 0 ? [] : (await store.questions.suggest(docketId, typed, limit)).map((q) => ({ name: cut(`Q${q.number} ${q.status === "open" ? "" : `[${q.status}] `}${q.text}`), value: `Q${q.number}` }));
  const deadlineChoices = async (docketId: number, typed: string, limit: number): Promise<Choice[]> => {
    const wanted = typed.toLowerCase().replace(/^d(?=\d)/, "");
    return (docketId === 0 ? [] : await store.deadlines.list(docketId))
      .filter((dl) => wanted === "" || String(dl.number).startsWith(wanted) || dl.title.toLowerCase().includes(wanted))
      .slice(0, limit)
      .map((dl) => ({ name: cut(`D${dl.number} ${dl.title} (${dl.date})`), value: `D${dl.number}` }));
  };
  const label = (c: Choice) => ({ label: c.name, value: c.value });

  /** Goes on from a parsed command: its form, a wait for the actor's role, a slow start, or its reply. */
  async function proceed(parsed: Parsed, invocation: Invocation, forms: boolean): Promise<Outcome> {
    try {
      if (forms && opensForm(parsed.command, parsed.raw)) {
        await d.checkAdmin(parsed, invocation);
        const given = parsed.raw["question"];
        const about = given === undefined ? undefined : await findQuestion({ store, docket: parsed.docket, root }, rawText(given));
        const docketId = parsed.docket.id;
        // why: read only the choices a field of this form offers (a question given with the command is no field).
        const asks = (kind: OptionKind) => parsed.command.options.some((o) => o.kind === kind && !(kind === "question" && about));
        const questions = asks("question") ? (await questionChoices(docketId, "", 100)).map(label) : [];
        const deadlines = asks("neededBy") ? (await deadlineChoices(docketId, "", 100)).map(label) : [];
        const form = formFor(parsed.command, parsed.raw, about, { questions: () => questions, deadlines: () => deadlines }, root);
        return { kind: "form", form };
      }
      if (parsed.command.slow) {
        // why: a read-only command is checked and its input resolved before the member is told it started; a mutating one does both in its transaction.
        const prepared = parsed.command.mutates ? undefined : await d.prepare(parsed, invocation);
        return { kind: "slow", resume: async () => said(await run(() => d.execute(parsed, invocation, prepared), invocation)) };
      }
      return said(await d.execute(parsed, invocation));
    } catch (error) {
      if (error instanceof RoleNeeded) return { kind: "needs-role", resume: async (role) => proceed(parsed, withRole(invocation, role), forms) };
      return said(d.failure(error, invocation));
    }
  }

  const run = async (fn: () => Promise<Reply>, invocation: Invocation): Promise<Reply> => {
    try {
      return await fn();
    } catch (error) {
      return d.failure(error, invocation);
    }
  };

  /** A submitted form: its reply, or errors on the fields they are about (nothing stored then). */
  async function submit(event: Extract<CoreEvent, { kind: "form" }>): Promise<Outcome> {
    const { invocation } = event;
    const found = readFormRef(event.form, commands);
    if (!found) return said(reply.error("form.unknown", `This form is out of date. Close it and run /${root} again.`));
    const { command, question } = found;
    const fields = command.options.filter((o) => !(o.kind === "question" && question !== undefined)).map((o) => o.name);
    const now = clock.now();
    const parsed: Parsed = { command, raw: submittedOptions(command, question, event.values), ...(await d.docketFor(invocation, now)), now };
    try {
      return said(await d.execute(parsed, invocation));
    } catch (error) {
      if (error instanceof RoleNeeded) return { kind: "needs-role", resume: async (role) => submit({ ...event, invocation: withRole(invocation, role) }) };
      const r = d.failure(error, invocation);
      const field = isUserError(error) && error.field && fields.includes(error.field) ? error.field : fields[0]!;
      return { kind: "invalid", errors: { [field]: isUserError(error) ? error.message : internalApology }, reply: r };
    }
  }

  return {
    commandName: root,
    vocabulary: commands.map(describeCommand),
    async handle(event) {
      const { invocation } = event;
      try {
        switch (event.kind) {
          case "text":
            return await proceed(await d.parseText(invocation, event.text), invocation, event.forms);
          case "command":
            return await proceed(await d.parseOptions(invocation, event.command, event.options), invocation, true);
          case "button":
            return await proceed(await d.parseOptions(invocation, event.press.action, { question: `Q${event.press.question}` }), invocation, true);
          case "form":
            return await submit(event);
        }
      } catch (error) {
        return said(d.failure(error, invocation));
      }
    },
    async suggest({ invocation, command, option, typed, limit = 25 }) {
      const kind = commands.find((c) => c.name === command)?.options.find((o) => o.name === option)?.kind;
      const text = typed.trim();
      if (kind === "zone") {
        const wanted = text.toLowerCase();
        return zones.filter((z) => z.toLowerCase().includes(wanted)).slice(0, limit).map((z) => ({ name: z, value: z }));
      }
      const docket = await d.docketOf(invocation.workspace);
      if (!docket || !kind) return [];
      if (kind === "question") return questionChoices(docket.id, text, limit);
      if (kind === "deadline" || kind === "neededBy") return deadlineChoices(docket.id, text, limit);
      return [];
    },
    async workspaceGone(workspace, reason) {
      const at = clock.now().toISOString();
      return store.transaction(async (tx) => {
        const paused = await tx.subscriptions.pauseWorkspace(workspace.platform, workspace.id, reason, at);
        for (const sub of paused)
          await tx.audit.record({ docketId: sub.docketId, actor: "Docket", at, action: "digest.pause", subject: `channel:${sub.channel.channelId}`, before: sub, after: { state: "paused", reason } });
        if (paused.length) log.warn("workspace gone; digests paused", { platform: workspace.platform, workspace: workspace.id, reason, paused: paused.length });
        return paused.length;
      });
    },
  };
}
