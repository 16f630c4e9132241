import type { CommandContext } from "./context.ts";
import type { Reply } from "./reply.ts";
import type { AdminTarget, Deadline, LocalDate, LocalTime, NeededBy, Ping, Question, TimeZone, Weekday } from "./types.ts";

/** What each kind of option becomes once the core has resolved and validated it. */
export interface OptionValues {
  text: string;
  question: Question;
  deadline: Deadline;
  neededBy: NeededBy;
  date: LocalDate;
  time: LocalTime;
  zone: TimeZone;
  days: Weekday[];
  choice: string;
  flag: boolean;
  tags: string[];
  target: AdminTarget;
  /** A role or user group the platform resolved, or `here`; the command adds the workspace it belongs to. */
  ping: Omit<Ping, "workspaceId">;
}
export type OptionKind = keyof OptionValues;

export interface OptionSpec<N extends string = string, K extends OptionKind = OptionKind, R extends boolean = boolean> {
  name: N;
  kind: K;
  description: string;
  required: R;
  /** Taken from the words of the command text in declaration order, not only as `name:value`. */
  positional: boolean;
  /** A positional text that takes every remaining word. */
  rest: boolean;
  /** Character limit for text. */
  max?: number;
  choices?: readonly string[];
  /** What the value is called in messages ("The addressee is 201 characters long"); default: its name. */
  label?: string;
  /** How the value is written, for usage lines: `<addressee>`, `<Q>`. */
  placeholder: string;
  /** Dates: whether a date before today is acceptable (previews may look back). */
  allowPast?: boolean;
  /** The field's label in a form (at most 45 characters); default: the description. */
  title?: string;
  /** A sample value, shown greyed in a form's empty field. */
  example?: string;
  /** `name:none` clears the field: the command receives null (the one clearing form, on every field that has one). */
  clearable?: boolean;
}

type ValueOf<S> = S extends OptionSpec<string, infer K, infer R>
  ? (R extends true ? OptionValues[K] : OptionValues[K] | undefined) | (S extends { clearable: true } ? null : never)
  : never;
/** The validated input a command's `run` receives, typed from its option declarations. */
export type InputOf<O extends readonly OptionSpec[]> = { [S in O[number] as S["name"]]: ValueOf<S> };

/**
 * A form the command opens when its text is left out (`/docket ask` on its own), built from the
 * command's own options: their titles, limits and descriptions.
 */
export interface FormSpec {
  /** At most 24 characters. */
  title: string;
  /** The title when the form is about one question, given with the command (`answer Q3`). */
  titleFor?: (question: number) => string;
  /** The submit button, at most 24 characters. */
  submit: string;
}

/**
 * Who may run a command. `asker` means the asker of the command's `question` option, or an admin
 * (design.md §3: editing or withdrawing someone else's question needs an admin).
 */
export type Permission = "anyone" | "admin" | "asker";

export interface CommandSpec<O extends readonly OptionSpec[] = readonly OptionSpec[]> {
  /** One word, or a group and a word: `deadline add`. */
  name: string;
  summary: string;
  options: O;
  examples: readonly string[];
  permission: Permission;
  /** Whether it changes the docket (and so writes an audit row). */
  mutates: boolean;
  /** May take a while on a big docket: platforms acknowledge the member before it runs. */
  slow?: boolean;
  /** Left without its text, the command opens this form (where the platform has forms). */
  form?: FormSpec;
  /** Reads nothing of the docket, not even its zone (help): typed text runs it without reading which docket the workspace has. */
  docketFree?: boolean;
  run(input: InputOf<O>, ctx: CommandContext): Promise<Reply>;
}

/** A declared command with its input type erased, as the registry holds it. */
export interface Command extends Omit<CommandSpec, "run"> {
  run(input: Readonly<Record<string, unknown>>, ctx: CommandContext): Promise<Reply>;
}

export function defineCommand<const O extends readonly OptionSpec[]>(spec: CommandSpec<O>): Command {
  // why: the dispatcher only calls `run` with input resolved from these same `options`, so the shapes agree.
  return spec as unknown as Command;
}

type Extra = { description: string; label?: string; max?: number; placeholder?: string; choices?: readonly string[]; allowPast?: boolean; title?: string; example?: string };

function option<const N extends string, K extends OptionKind>(name: N, kind: K, extra: Extra, positional: boolean, rest = false): OptionSpec<N, K, true> {
  return { name, kind, required: true, positional, rest, placeholder: extra.placeholder ?? name, ...extra };
}

/** Option builders. Options are required unless wrapped in `optional()`. */
export const opt = {
  /** Positional free text that takes the rest of the words. */
  text: <const N extends string>(name: N, extra: Extra) => option(name, "text", extra, true, true),
  /** `key:value` free text. */
  keyText: <const N extends string>(name: N, extra: Extra) => option(name, "text", extra, false),
  question: <const N extends string>(name: N, description = "The question: Q12 or 12") => option(name, "question", { description, placeholder: "Q", title: "Question" }, true),
  deadline: <const N extends string>(name: N, description = "The deadline: D3, 3, or the start of its title", positional = true) =>
    option(name, "deadline", { description, placeholder: "D" }, positional),
  neededBy: <const N extends string>(name: N) =>
    option(name, "neededBy", { description: "Needed by: a deadline (D1 or its title) or a date", placeholder: "deadline-or-date", title: "Needed by", example: "D1, WCIT or 2026-12-03", max: 200 }, false),
  date: <const N extends string>(name: N, extra: Extra, positional = true) => option(name, "date", { placeholder: "date", ...extra }, positional),
  time: <const N extends string>(name: N, extra: Extra, positional = true) => option(name, "time", { placeholder: "HH:MM", ...extra }, positional),
  zone: <const N extends string>(name: N) => option(name, "zone", { description: "An IANA time zone, like Europe/London", placeholder: "zone" }, false),
  days: <const N extends string>(name: N) => option(name, "days", { description: "Days of the week, like mon-fri or mon,wed,fri", placeholder: "days" }, false),
  choice: <const N extends string>(name: N, choices: readonly string[], description: string) =>
    option(name, "choice", { description, choices, placeholder: choices.join("|") }, true),
  /** `key:value` that must be one of `choices`. */
  keyChoice: <const N extends string>(name: N, choices: readonly string[], description: string) =>
    option(name, "choice", { description, choices, placeholder: choices.join("|") }, false),
  flag: <const N extends string>(name: N, description: string, title?: string) => option(name, "flag", { description, placeholder: "yes", ...(title ? { title } : {}) }, false),
  tags: <const N extends string>(name: N) => option(name, "tags", { description: "Tags, written #like #this", placeholder: "#tag…", title: "Tags", example: "#membership #access", max: 600 }, false),
  target: <const N extends string>(name: N) =>
    option(name, "target", { description: "A member or role, mentioned: @someone or @some-role", placeholder: "@member-or-role" }, true),
  /** `key:` a role or user group, mentioned, or `here`: whom a milestone pings. */
  ping: <const N extends string>(name: N) =>
    option(name, "ping", { description: "Whom to ping: a role or user group, mentioned, or here (Slack)", placeholder: "role-group-or-here" }, false),
};

export function optional<N extends string, K extends OptionKind>(spec: OptionSpec<N, K, true>): OptionSpec<N, K, false> {
  return { ...spec, required: false };
}

/** An optional `key:value` that `key:none` clears: the command receives null for it. */
export function clearable<N extends string, K extends OptionKind>(spec: OptionSpec<N, K, false>): OptionSpec<N, K, false> & { clearable: true } {
  return { ...spec, clearable: true };
}

/** `ask <text> [to:<addressee>] [by:<deadline-or-date>] [#tag…]`, generated from the declaration. */
export function usageOf(command: Pick<Command, "name" | "options">): string {
  const parts = command.options.map((o) => {
    const written = o.kind === "tags" ? o.placeholder : o.positional ? `<${o.placeholder}>` : o.kind === "flag" ? `${o.name}:yes` : `${o.name}:<${o.placeholder}>`;
    const bare = o.kind === "choice" ? (o.positional ? o.placeholder : `${o.name}:${o.placeholder}`) : written;
    return o.required ? bare : `[${bare}]`;
  });
  return [command.name, ...parts].join(" ");
}
