import { ComponentType, TextInputStyle, type APILabelComponent, type APIModalInteractionResponseCallbackData, type APITextInputComponent } from "discord.js";
import type { RawOptions } from "../../src/core/parse/bind.ts";
import type { Command } from "../../src/core/vocabulary.ts";
import { fit } from "./markdown.ts";

/** Custom ids of Docket's buttons and modals; the question number rides along. */
export const customIds = {
  answerButton: (question: number) => `docket:answer:${question}`,
  askForm: "docket:ask-form",
  answerForm: (question: number) => `docket:answer-form:${question}`,
} as const;

export type CustomId = { kind: "answer-button"; question: number } | { kind: "ask-form" } | { kind: "answer-form"; question: number };

/** Reads a custom id Docket wrote; anything else is not ours. */
export function parseCustomId(id: string): CustomId | undefined {
  if (id === customIds.askForm) return { kind: "ask-form" };
  const match = /^docket:(answer|answer-form):(\d{1,9})$/.exec(id);
  if (!match) return undefined;
  return { kind: match[1] === "answer" ? "answer-button" : "answer-form", question: Number(match[2]) };
}

/** `Q12`, `q12` or `12` as a number; anything else is left for the core to reject. */
export const questionNumber = (text: string | undefined): number | undefined => {
  const match = /^\s*q?(\d{1,9})\s*$/i.exec(text ?? "");
  return match ? Number(match[1]) : undefined;
};

interface Input {
  id: string;
  label: string;
  description?: string;
  style?: TextInputStyle;
  required?: boolean;
  max?: number;
  placeholder?: string;
  value?: string;
}

const maxOf = (command: Command | undefined, option: string): number | undefined => command?.options.find((o) => o.name === option)?.max;

/** A labelled text input; the label and its description carry the words, as Discord now lays modals out. */
function input(i: Input): APILabelComponent {
  const component: APITextInputComponent = {
    type: ComponentType.TextInput,
    custom_id: i.id,
    style: i.style ?? TextInputStyle.Short,
    required: i.required ?? false,
    // why: Discord caps a text input at 4,000 characters whatever the domain allows.
    ...(i.max ? { max_length: Math.min(i.max, 4000) } : {}),
    ...(i.placeholder ? { placeholder: fit(i.placeholder, 100) } : {}),
    ...(i.value ? { value: fit(i.value, Math.min(i.max ?? 4000, 4000)) } : {}),
  };
  return { type: ComponentType.Label, label: fit(i.label, 45), ...(i.description ? { description: fit(i.description, 100) } : {}), component };
}

/** The form `/docket ask` opens when no text is given: the question, whom it is asked of, by when, tags. */
export function askModal(commands: readonly Command[], prefill: RawOptions = {}): APIModalInteractionResponseCallbackData {
  const ask = commands.find((c) => c.name === "ask");
  return {
    custom_id: customIds.askForm,
    title: "Ask a question",
    components: [
      input({ id: "text", label: "Question", style: TextInputStyle.Paragraph, required: true, max: maxOf(ask, "text"), placeholder: "What does ITU membership cost for an NGO?", value: prefill.text }),
      input({ id: "to", label: "Asked of", max: maxOf(ask, "to"), placeholder: "ITU Secretariat", value: prefill.to }),
      input({ id: "by", label: "Needed by", description: "A deadline (D1 or its title) or a date", max: 200, placeholder: "D1, WCIT or 2026-12-03", value: prefill.by }),
      input({ id: "tags", label: "Tags", description: "Up to 10, written #like #this", max: 600, placeholder: "#membership #fees", value: prefill.tags }),
    ],
  };
}

/** The form an "Answer Q3" button or `/docket answer Q3` opens: the answer, its source, whether it is partial. */
export function answerModal(commands: readonly Command[], question: number, preview?: string, prefill: RawOptions = {}): APIModalInteractionResponseCallbackData {
  const answer = commands.find((c) => c.name === "answer");
  return {
    custom_id: customIds.answerForm(question),
    title: `Answer Q${question}`,
    components: [
      input({ id: "text", label: "Answer", ...(preview ? { description: preview } : {}), style: TextInputStyle.Paragraph, required: true, max: maxOf(answer, "text"), value: prefill.text }),
      input({ id: "source", label: "Source", description: "A link or a citation", max: maxOf(answer, "source"), placeholder: "https://www.itu.int/…", value: prefill.source }),
      input({ id: "partial", label: "Partial answer?", description: "yes if this answers only part of the question", max: 5, placeholder: "no", value: prefill.partial }),
    ],
  };
}

/** A submitted form's values as the core's raw options; empty inputs are left out. */
export function formOptions(values: ReadonlyMap<string, string>, names: readonly string[]): RawOptions {
  const raw: RawOptions = {};
  for (const name of names) {
    const value = values.get(name);
    if (value !== undefined && value.trim() !== "") raw[name] = value;
  }
  return raw;
}
