import type { types, ViewOutput } from "@slack/bolt";
import type { Form, FormField } from "../../src/core/api.ts";
import { cutEscaped, escapeText, fitText, mrkdwnText } from "./escape.ts";

/** The callback id of every modal Docket opens; which form it is rides in `private_metadata`. */
export const modalCallbackId = "docket_form";

/** What a modal carries from where it was opened to its submission, in `private_metadata`. */
export interface ModalOrigin {
  channelId: string;
  /** The response_url of the command or button that opened it: lets the reply reach any channel, even one the bot is not in. */
  responseUrl?: string;
  /** The core's form ref. */
  form: string;
}

export const encodeOrigin = (o: ModalOrigin): string => JSON.stringify({ c: o.channelId, ...(o.responseUrl ? { r: o.responseUrl } : {}), f: o.form });

export function decodeOrigin(metadata: string): ModalOrigin | undefined {
  try {
    const m = JSON.parse(metadata) as { c?: unknown; r?: unknown; f?: unknown };
    if (typeof m.c !== "string" || typeof m.f !== "string") return undefined;
    return { channelId: m.c, form: m.f, ...(typeof m.r === "string" ? { responseUrl: m.r } : {}) };
  } catch {
    // why: metadata we did not write (an old or foreign view) is simply not ours.
    return undefined;
  }
}

const plain = (text: string, max = 2000): types.PlainTextElement => ({ type: "plain_text", text: fitText(text, max), emoji: false });

// why: a deadline-or-date field is two widgets in Slack, a menu of deadlines and a date picker.
const deadlineBlock = (name: string) => `${name}_deadline`;
const dateBlock = (name: string) => `${name}_date`;

function choices(f: FormField): types.PlainTextOption[] {
  // why: Slack takes at most 100 options of at most 75 characters each.
  return (f.choices ?? []).slice(0, 100).map((c) => ({ text: plain(c.label, 75), value: c.value }));
}

function blocksOf(f: FormField): types.InputBlock[] {
  const base = { type: "input" as const, optional: !f.required, label: plain(f.label, 2000), ...(f.description ? { hint: plain(f.description) } : {}) };
  switch (f.input) {
    case "line":
    case "paragraph":
      return [{
        ...base,
        block_id: f.name,
        element: {
          type: "plain_text_input", action_id: "value", multiline: f.input === "paragraph",
          ...(f.max ? { max_length: Math.min(f.max, 3000) } : {}),
          ...(f.placeholder ? { placeholder: plain(f.placeholder, 150) } : {}),
          ...(f.value ? { initial_value: f.value } : {}),
        },
      }];
    case "flag":
      return [{ ...base, block_id: f.name, element: { type: "checkboxes", action_id: "value", options: [{ text: plain(f.description ?? f.label, 75), value: "yes" }] } }];
    case "choice":
      return [{ ...base, block_id: f.name, element: { type: "static_select", action_id: "value", placeholder: plain("Choose"), options: choices(f) } }];
    case "deadline-or-date": {
      const date: types.InputBlock = { ...base, block_id: dateBlock(f.name), optional: true, label: plain(f.choices?.length ? `…or ${f.label.toLowerCase()} a date` : f.label), element: { type: "datepicker", action_id: "value" } };
      if (!f.choices?.length) return [date];
      return [{ ...base, block_id: deadlineBlock(f.name), optional: true, label: plain(`${f.label} a deadline`), element: { type: "static_select", action_id: "value", placeholder: plain("Choose"), options: choices(f) } }, date];
    }
  }
}

/** The core's form as a Slack modal. */
export function renderModal(form: Form, origin: Omit<ModalOrigin, "form">): types.ModalView {
  return {
    type: "modal",
    callback_id: modalCallbackId,
    private_metadata: encodeOrigin({ ...origin, form: form.ref }),
    title: plain(form.title, 24),
    submit: plain(form.submit, 24),
    close: plain("Cancel", 24),
    blocks: [
      ...(form.intro ? [{ type: "section", text: { type: "mrkdwn", text: cutEscaped(mrkdwnText(form.intro), 3000), verbatim: true } } satisfies types.SectionBlock] : []),
      ...form.fields.flatMap(blocksOf),
    ],
  };
}

type StateValues = ViewOutput["state"]["values"];

/** A submitted modal's values by field name, as the core's form event takes them; or errors Slack shows on blocks. */
export function submittedValues(values: StateValues): { values: Record<string, string | boolean | undefined> } | { errors: Record<string, string> } {
  const out: Record<string, string | boolean | undefined> = {};
  for (const [block, actions] of Object.entries(values)) {
    const v = actions["value"];
    if (!v) continue;
    const value =
      v.type === "checkboxes" ? (v.selected_options ?? []).some((o) => o.value === "yes")
      : v.type === "datepicker" ? (v.selected_date ?? undefined)
      : v.type === "static_select" ? v.selected_option?.value
      : (v.value ?? undefined);
    out[block] = value;
  }
  for (const block of Object.keys(out)) {
    const name = block.endsWith("_date") ? block.slice(0, -"_date".length) : block.endsWith("_deadline") ? block.slice(0, -"_deadline".length) : undefined;
    if (name === undefined || !(dateBlock(name) in out || deadlineBlock(name) in out)) continue;
    const deadline = out[deadlineBlock(name)];
    const date = out[dateBlock(name)];
    if (deadline && date) return { errors: { [dateBlock(name)]: "Choose a deadline or a date, not both." } };
    out[name] = deadline || date || undefined;
    delete out[deadlineBlock(name)];
    delete out[dateBlock(name)];
  }
  return { values: out };
}

/**
 * The core's field errors on the blocks they are about: a deadline-or-date error on whichever of
 * its two widgets was used, anything else on its own block, or the first input block.
 */
export function blockErrors(view: Pick<ViewOutput, "blocks" | "state">, errors: Readonly<Record<string, string>>): Record<string, string> {
  const present: string[] = [];
  for (const b of view.blocks) if ("block_id" in b && typeof b.block_id === "string" && b.type === "input") present.push(b.block_id);
  const used = (block: string) => Boolean(view.state.values[block]?.["value"]?.selected_option);
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(errors)) {
    const candidates = [used(deadlineBlock(field)) ? deadlineBlock(field) : dateBlock(field), field, deadlineBlock(field)];
    const block = candidates.find((id) => present.includes(id)) ?? present[0] ?? field;
    out[block] = cutEscaped(escapeText(message), 2000);
  }
  return out;
}
