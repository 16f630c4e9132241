import type { Invocation } from "./context.ts";
import type { Reply } from "./reply.ts";

/**
 * A member or role the platform resolved for us. The adapter reads its platform's mention syntax
 * (a Slack user token, a Discord mentionable option) into this; the core never parses mention syntax.
 */
export interface Mention {
  kind: "member" | "role";
  id: string;
  /** How to call them in replies and stored text, without the `@`. */
  label: string;
}

/** Typed text in pieces: what the member wrote, with the mentions the platform resolved in place. */
export type TypedText = string | ReadonlyArray<string | Mention>;

/** A typed option's value as a platform delivers it (Discord): text, a boolean, or a resolved mention. */
export type OptionInput = string | boolean | Mention;

/** What the member pressed: today, the "Answer" button on a question in a digest or a list. */
export interface ButtonPress {
  action: "answer";
  question: number;
}

/** One thing a member did on a platform, in the core's words. */
export type CoreEvent =
  /** Text typed after the root command (Slack, the console): `ask "…" to:ITU`. `forms`: the platform can open one. */
  | { kind: "text"; invocation: Invocation; text: TypedText; forms: boolean }
  /** A command whose options the platform already separated and typed (Discord). */
  | { kind: "command"; invocation: Invocation; command: string; options: Readonly<Record<string, OptionInput>> }
  /** A form the core opened, submitted: `form` is the `Form.ref` it was opened with. */
  | { kind: "form"; invocation: Invocation; form: string; values: Readonly<Record<string, string | boolean | undefined>> }
  | { kind: "button"; invocation: Invocation; press: ButtonPress };

/** How a form field is filled in; each adapter draws it with its platform's widgets. */
export type FieldInput =
  /** One line of text. */
  | "line"
  /** Several lines of text. */
  | "paragraph"
  /** Yes or no. */
  | "flag"
  /** One of `choices` (a question to answer). */
  | "choice"
  /** A deadline (one of `choices`) or a date. */
  | "deadline-or-date";

export interface FormField {
  /** The option it fills; field errors are keyed by it. */
  name: string;
  /** Short, for the field's label (at most 45 characters). */
  label: string;
  description?: string;
  input: FieldInput;
  required: boolean;
  /** Character limit. */
  max?: number;
  placeholder?: string;
  /** Prefilled value, as typed. */
  value?: string;
  choices?: ReadonlyArray<{ label: string; value: string }>;
}

/**
 * A form the core asks an adapter to open, built from a command's own options. `ref` travels with
 * the platform's form (Slack private_metadata, Discord custom_id; at most 60 characters) and comes
 * back in the `form` event.
 */
export interface Form {
  ref: string;
  /** At most 24 characters (Slack's limit for a modal title). */
  title: string;
  /** The submit button, at most 24 characters. */
  submit: string;
  /** Shown above the fields: what the form is about (the question being answered). */
  intro?: string;
  fields: FormField[];
}

/** What the platform can tell about the actor's standing, when asked (Slack's users.info). */
export interface ActorRole {
  /** Slack admin or owner, Discord Manage Server. */
  isPlatformAdmin: boolean;
  /** Platform roles held (Discord roles, Slack user groups), for the docket's own admin list. */
  roleIds: readonly string[];
}

/** What the core answers an event with. */
export type Outcome =
  | { kind: "reply"; reply: Reply }
  | { kind: "form"; form: Form }
  /** A form submission the core refused; nothing was stored. `reply` says the same for platforms that cannot show errors on fields. */
  | { kind: "invalid"; errors: Readonly<Record<string, string>>; reply: Reply }
  /** The command depends on the actor's role, which the invocation did not carry: ask the platform, then resume. */
  | { kind: "needs-role"; resume(role: ActorRole): Promise<Outcome> }
  /** The command may take a while: acknowledge the member first (Slack ack, Discord deferReply), then resume. */
  | { kind: "slow"; resume(): Promise<Outcome> };
