import { ComponentType, TextInputStyle, type APILabelComponent, type APIModalInteractionResponseCallbackData, type APITextInputComponent } from "discord.js";
import type { Form, FormField } from "../../src/core/api.ts";
import { fit } from "./markdown.ts";

/** Custom ids of Docket's buttons and forms; the question number or the core's form ref rides along. */
export const customIds = {
  answerButton: (question: number) => `docket:answer:${question}`,
  form: (ref: string) => `docket:form:${ref}`,
} as const;

export type CustomId = { kind: "answer-button"; question: number } | { kind: "form"; ref: string };

/** Reads a custom id Docket wrote; anything else is not ours. */
export function parseCustomId(id: string): CustomId | undefined {
  const button = /^docket:answer:(\d{1,9})$/.exec(id);
  if (button) return { kind: "answer-button", question: Number(button[1]) };
  const form = /^docket:form:(.{1,80})$/.exec(id);
  return form ? { kind: "form", ref: form[1]! } : undefined;
}

// why: Discord caps a text input at 4,000 characters whatever the domain allows.
const maxInput = 4000;

/** A labelled text input; the label and its description carry the words, as Discord now lays modals out. */
function input(f: FormField, intro: string | undefined): APILabelComponent {
  const max = f.input === "flag" ? 5 : Math.min(f.max ?? maxInput, maxInput);
  const placeholder = f.input === "flag" ? "no" : f.input === "choice" ? "Q12" : f.placeholder;
  const description = intro ?? (f.input === "flag" ? `yes or no: ${f.description ?? f.label}` : f.description);
  const component: APITextInputComponent = {
    type: ComponentType.TextInput,
    custom_id: f.name,
    style: f.input === "paragraph" ? TextInputStyle.Paragraph : TextInputStyle.Short,
    required: f.required,
    max_length: max,
    ...(placeholder ? { placeholder: fit(placeholder, 100) } : {}),
    ...(f.value ? { value: fit(f.value, max) } : {}),
  };
  return { type: ComponentType.Label, label: fit(f.label, 45), ...(description ? { description: fit(description, 100) } : {}), component };
}

/** The core's form as a Discord modal (at most five fields); what it is about goes under the first. */
export function renderForm(form: Form): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customIds.form(form.ref),
    title: fit(form.title, 45),
    components: form.fields.slice(0, 5).map((f, i) => input(f, i === 0 ? form.intro : undefined)),
  };
}
