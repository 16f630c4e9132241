import { UserError } from "./errors.ts";
import type { FieldInput, Form, FormField } from "./events.ts";
import { rawText, type RawOptions } from "./parse/bind.ts";
import type { Question } from "./types.ts";
import type { Command, OptionSpec } from "./vocabulary.ts";

/** Whether a command given like this opens its form: it has one and its text was left out. */
export function opensForm(command: Command, raw: RawOptions): boolean {
  return command.form !== undefined && command.options.some((o) => o.rest && o.required) && command.options.every((o) => !(o.rest && o.required) || raw[o.name] === undefined);
}

const inputOf = (o: OptionSpec): FieldInput =>
  o.kind === "flag" ? "flag"
  : o.kind === "question" ? "choice"
  : o.kind === "neededBy" ? "deadline-or-date"
  : o.rest ? "paragraph"
  : "line";

/** Choices the core offers for a field: open questions, the docket's deadlines. */
export interface FieldChoices {
  questions(): ReadonlyArray<{ label: string; value: string }>;
  deadlines(): ReadonlyArray<{ label: string; value: string }>;
}

/**
 * The command's form: one field per option, labelled, limited and described as the option is
 * declared. A question given with the command (`answer Q3`) is what the form is about, not a field.
 */
export function formFor(command: Command, raw: RawOptions, about: Question | undefined, choices: FieldChoices, root: string): Form {
  const spec = command.form!;
  const fields: FormField[] = [];
  for (const o of command.options) {
    if (o.kind === "question" && about) continue;
    const input = inputOf(o);
    const given = raw[o.name];
    const options = input === "choice" ? choices.questions() : input === "deadline-or-date" ? choices.deadlines() : undefined;
    // why: a required choice with nothing to choose cannot be submitted; the command's own message says what is missing.
    if (input === "choice" && o.required && options?.length === 0) throw new UserError(`${o.name}.missing`, `There is no open question to answer yet. Ask one first: /${root} ask …`, o.name);
    fields.push({
      name: o.name,
      label: o.title ?? o.description,
      ...(o.title ? { description: o.description } : {}),
      input,
      required: o.required,
      ...(o.max ? { max: o.max } : {}),
      ...(o.example ? { placeholder: o.example } : {}),
      ...(given !== undefined ? { value: rawText(given) } : {}),
      ...(options ? { choices: options } : {}),
    });
  }
  return {
    ref: about ? `${command.name}|${about.number}` : command.name,
    title: about && spec.titleFor ? spec.titleFor(about.number) : spec.title,
    submit: spec.submit,
    ...(about ? { intro: `Q${about.number} ${about.text}` } : {}),
    fields,
  };
}

/** The command and the question a form was opened with, read back from its `ref`; undefined if it is not one of ours. */
export function readFormRef(ref: string, commands: readonly Command[]): { command: Command; question?: number } | undefined {
  const match = /^([a-z]+(?: [a-z]+)?)(?:\|(\d{1,9}))?$/.exec(ref);
  const command = match && commands.find((c) => c.name === match[1] && c.form);
  if (!command) return undefined;
  return match[2] === undefined ? { command } : { command, question: Number(match[2]) };
}

/** A submitted form's values as the command's raw options; empty fields are left out. */
export function submittedOptions(command: Command, question: number | undefined, values: Readonly<Record<string, string | boolean | undefined>>): RawOptions {
  const raw: RawOptions = {};
  for (const o of command.options) {
    const value = o.kind === "question" && question !== undefined ? `Q${question}` : values[o.name];
    if (value === undefined || (typeof value === "string" && value.trim() === "")) continue;
    raw[o.name] = value;
  }
  return raw;
}
