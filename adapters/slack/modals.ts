import type { types, ViewOutput } from "@slack/bolt";
import type { RawOptions } from "../../src/core/parse/bind.ts";
import type { Reply } from "../../src/core/reply.ts";
import type { Command } from "../../src/core/vocabulary.ts";
import { cutEscaped, escapeText, fitText, mrkdwnText } from "./escape.ts";

/** Callback ids of Docket's modals. */
export const modalIds = { ask: "docket_ask", answer: "docket_answer_modal" } as const;

/** What a modal carries from where it was opened to its submission, in `private_metadata`. */
export interface ModalOrigin {
  channelId: string;
  /** The response_url of the command or button that opened it: lets the reply reach any channel, even one the bot is not in. */
  responseUrl?: string;
  /** The question an answer modal is for. */
  question?: number;
}

export interface Choice {
  name: string;
  value: string;
}

type StateValues = ViewOutput["state"]["values"];

/** The modal a slash command's text asks for: `ask` or `answer [Q]` with nothing else. */
export function modalRequest(text: string): { kind: "ask" } | { kind: "answer"; question?: number } | undefined {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const name = words[0]?.toLowerCase();
  if (name === "ask" && words.length === 1) return { kind: "ask" };
  if (name === "answer" && words.length === 1) return { kind: "answer" };
  const number = /^q?(\d{1,9})$/i.exec(words[1] ?? "");
  if (name === "answer" && words.length === 2 && number) return { kind: "answer", question: Number(number[1]) };
  return undefined;
}

export const encodeOrigin = (o: ModalOrigin): string => JSON.stringify({ c: o.channelId, ...(o.responseUrl ? { r: o.responseUrl } : {}), ...(o.question ? { q: o.question } : {}) });

export function decodeOrigin(metadata: string): ModalOrigin | undefined {
  try {
    const m = JSON.parse(metadata) as { c?: unknown; r?: unknown; q?: unknown };
    if (typeof m.c !== "string") return undefined;
    return { channelId: m.c, ...(typeof m.r === "string" ? { responseUrl: m.r } : {}), ...(typeof m.q === "number" ? { question: m.q } : {}) };
  } catch {
    // why: metadata we did not write (an old or foreign view) is simply not ours.
    return undefined;
  }
}

const plain = (text: string): types.PlainTextElement => ({ type: "plain_text", text, emoji: false });
const maxOf = (command: Command | undefined, option: string): number | undefined => command?.options.find((o) => o.name === option)?.max;

function textInput(blockId: string, label: string, o: { optional?: boolean; multiline?: boolean; max?: number; placeholder?: string; hint?: string }): types.InputBlock {
  return {
    type: "input",
    block_id: blockId,
    optional: o.optional ?? false,
    label: plain(label),
    ...(o.hint ? { hint: plain(o.hint) } : {}),
    element: {
      type: "plain_text_input",
      action_id: "value",
      multiline: o.multiline ?? false,
      ...(o.max ? { max_length: o.max } : {}),
      ...(o.placeholder ? { placeholder: plain(o.placeholder) } : {}),
    },
  };
}

function select(blockId: string, label: string, choices: readonly Choice[], optional: boolean): types.InputBlock {
  return {
    type: "input",
    block_id: blockId,
    optional,
    label: plain(label),
    element: {
      type: "static_select",
      action_id: "value",
      placeholder: plain("Choose"),
      // why: Slack takes at most 100 options of at most 75 characters each.
      options: choices.slice(0, 100).map((c) => ({ text: plain(fitText(c.name, 75)), value: c.value })),
    },
  };
}

/** The "Ask a question" modal; `deadlines` come from the core's suggestions, nearest first. */
export function askModal(origin: ModalOrigin, ask: Command | undefined, deadlines: readonly Choice[]): types.ModalView {
  return {
    type: "modal",
    callback_id: modalIds.ask,
    private_metadata: encodeOrigin(origin),
    title: plain("Ask a question"),
    submit: plain("Ask"),
    close: plain("Cancel"),
    blocks: [
      textInput("text", "Question", { multiline: true, max: maxOf(ask, "text"), placeholder: "What does ITU membership cost for an NGO?" }),
      textInput("to", "Asked of", { optional: true, max: maxOf(ask, "to"), placeholder: "ITU Secretariat" }),
      ...(deadlines.length ? [select("by_deadline", "Needed by a deadline", deadlines, true)] : []),
      { type: "input", block_id: "by_date", optional: true, label: plain(deadlines.length ? "…or needed by a date" : "Needed by"), element: { type: "datepicker", action_id: "value" } },
      textInput("tags", "Tags", { optional: true, placeholder: "#membership #access", hint: "Words starting with #, separated by spaces." }),
    ],
  };
}

/** The "Answer" modal, for a known question (its text shown) or with a choice of the open questions. */
export function answerModal(origin: ModalOrigin, answer: Command | undefined, question: { number: number; text: string } | undefined, open: readonly Choice[]): types.ModalView {
  return {
    type: "modal",
    callback_id: modalIds.answer,
    private_metadata: encodeOrigin(question ? { ...origin, question: question.number } : origin),
    title: plain(question ? `Answer Q${question.number}` : "Log an answer"),
    submit: plain("Log answer"),
    close: plain("Cancel"),
    blocks: [
      ...(question
        ? [{ type: "section", text: { type: "mrkdwn", text: cutEscaped(`*Q${question.number}* ${mrkdwnText(question.text)}`, 3000), verbatim: true } } satisfies types.SectionBlock]
        : [select("question", "Question", open, false)]),
      textInput("text", "Answer", { multiline: true, max: maxOf(answer, "text") }),
      textInput("source", "Source", { optional: true, max: maxOf(answer, "source"), placeholder: "https://… or a citation", hint: "A link, or where the answer was given." }),
      {
        type: "input",
        block_id: "partial",
        optional: true,
        label: plain("Partial"),
        element: { type: "checkboxes", action_id: "value", options: [{ text: plain("This answers only part of the question"), value: "yes" }] },
      },
    ],
  };
}

const valueOf = (values: StateValues, block: string) => values[block]?.["value"];
const textOf = (values: StateValues, block: string): string | undefined => {
  const v = valueOf(values, block)?.value;
  return v === null || v === undefined || v.trim() === "" ? undefined : v;
};

/** A modal's fields as option strings, with the field `by` came from; or why they cannot be. */
export type ModalInput = { raw: RawOptions; byField?: "by_deadline" | "by_date" } | { errors: Record<string, string> };

/** The ask modal's fields as the option strings `/docket ask` would take. */
export function askInput(values: StateValues): ModalInput {
  const deadline = valueOf(values, "by_deadline")?.selected_option?.value;
  const date = valueOf(values, "by_date")?.selected_date ?? undefined;
  if (deadline && date) return { errors: { by_date: "Choose a deadline or a date, not both." } };
  const raw: RawOptions = { text: textOf(values, "text") ?? "" };
  const to = textOf(values, "to");
  if (to) raw["to"] = to;
  const tags = textOf(values, "tags");
  if (tags) raw["tags"] = tags;
  if (deadline) return { raw: { ...raw, by: deadline }, byField: "by_deadline" };
  if (date) return { raw: { ...raw, by: date }, byField: "by_date" };
  return { raw };
}

/** The answer modal's fields as the option strings `/docket answer` would take. */
export function answerInput(values: StateValues, origin: ModalOrigin): ModalInput {
  const question = origin.question !== undefined ? `Q${origin.question}` : valueOf(values, "question")?.selected_option?.value;
  if (!question) return { errors: { question: "Choose the question this answers." } };
  const raw: RawOptions = { question, text: textOf(values, "text") ?? "" };
  const source = textOf(values, "source");
  if (source) raw["source"] = source;
  if (valueOf(values, "partial")?.selected_options?.some((o) => o.value === "yes")) raw["partial"] = "yes";
  return { raw };
}

/**
 * Which modal field an error code of the core is about: `text.too_long` → text, `date.past` → the date
 * picker; `by` and `deadline` errors go to whichever of the two pickers was used.
 */
const fieldOfOption: Record<string, string[]> = {
  text: ["text"],
  to: ["to"],
  date: ["by_date"],
  tags: ["tags"],
  tag: ["tags"],
  source: ["source"],
  partial: ["partial"],
  question: ["question"],
};

/**
 * The core's error for a modal submission as `response_action: errors`, on the field it is about
 * (or the first field), so the member fixes it where they typed it. Nothing was stored.
 */
export function fieldErrors(view: Pick<ViewOutput, "blocks" | "state">, reply: Reply, byField: string | undefined): Record<string, string> {
  const present = new Set(Object.keys(view.state.values));
  for (const b of view.blocks) if ("block_id" in b && typeof b.block_id === "string" && b.type === "input") present.add(b.block_id);
  const option = reply.error?.code.split(".")[0] ?? "";
  const candidates = option === "by" || option === "deadline" ? [byField ?? "by_date"] : (fieldOfOption[option] ?? []);
  const target = candidates.find((id) => present.has(id)) ?? (present.has("text") ? "text" : [...present][0] ?? "text");
  const first = reply.blocks.find((b) => b.kind === "text");
  const message = first && first.kind === "text" ? first.text : "That did not work; check the fields.";
  return { [target]: cutEscaped(escapeText(message), 2000) };
}
