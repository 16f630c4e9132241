/**
 * A question's audit rows in words, for `show`'s history: the audit keeps what changed as data
 * (field names, JSON values) so it can be exported losslessly; people read sentences.
 */
import { actorAsPerson, plainNames, type NameOf } from "./people.ts";
import { neededByText } from "./present.ts";
import { excerpt } from "./text.ts";
import type { AuditEvent, Deadline, NeededBy } from "./types.ts";

/** What each editable field of a question is called in replies. */
export const questionFieldLabel: Record<string, string> = { text: "the text", addressee: "the addressee", neededBy: "what it is needed by", tags: "the tags", status: "the status" };

/** `the text and the addressee`, for "Changed …" replies. */
export function fieldList(fields: readonly string[]): string {
  const labels = fields.map((f) => questionFieldLabel[f] ?? f);
  return labels.length <= 1 ? (labels[0] ?? "nothing") : `${labels.slice(0, -1).join(", ")} and ${labels[labels.length - 1]}`;
}

const actionWords: Record<string, string> = {
  "question.ask": "asked",
  "question.answer": "answered",
  "question.note": "note added",
  "question.chase": "chased",
  "question.edit": "edited",
  "question.reopen": "reopened",
  "question.withdraw": "withdrawn",
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function isNeededBy(v: unknown): v is NeededBy {
  return isRecord(v) && ((v.kind === "deadline" && typeof v.deadlineNumber === "number") || (v.kind === "date" && typeof v.date === "string"));
}

/** One field's value in words; unknown shapes (older rows) fall back to plain text, never JSON. */
function valueInWords(field: string, value: unknown, deadlines: ReadonlyMap<number, Deadline>): string {
  if (value === null || value === undefined) return field === "tags" ? "no tags" : "nothing";
  if (field === "text" && typeof value === "string") return `"${excerpt(value, 200)}"`;
  if (field === "neededBy" && isNeededBy(value)) return (neededByText(value, deadlines) ?? "nothing").replace(/^needed by /, "");
  if (field === "tags" && Array.isArray(value)) return value.length === 0 ? "no tags" : value.map((t) => `#${String(t)}`).join(" ");
  if (field === "status" && typeof value === "string") return value === "partial" ? "partly answered" : value;
  return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? String(value) : "a value Docket cannot show";
}

/** `addressee changed from ITU to ITU Secretariat; text changed from "…"`. */
function changesInWords(before: unknown, after: unknown, deadlines: ReadonlyMap<number, Deadline>): string | undefined {
  if (!isRecord(before)) return undefined;
  const next = isRecord(after) ? after : {};
  const parts = Object.keys(before).map((field) => {
    const label = questionFieldLabel[field] ?? field;
    const was = valueInWords(field, before[field], deadlines);
    // why no "to" for the text: the new text is the question's own, shown right above the history.
    return field in next && field !== "text" ? `${label} changed from ${was} to ${valueInWords(field, next[field], deadlines)}` : `${label} was ${was}`;
  });
  const sentence = parts.join("; ");
  return sentence ? `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}` : undefined;
}

/** One history line: when, what happened and who, with what changed or why in the detail. */
export function historyItem(e: AuditEvent, when: (at: string) => string, deadlines: ReadonlyMap<number, Deadline>, nameOf: NameOf = plainNames): { text: string; detail?: string } {
  const after = isRecord(e.after) ? e.after : {};
  const partial = e.action === "question.answer" && isRecord(after.answer) && after.answer.kind === "partial";
  const action = partial ? "partly answered" : (actionWords[e.action] ?? e.action.replace(/^question\./, ""));
  const person = actorAsPerson(e.actor);
  const text = `${when(e.at)} ${action} by ${person.platform ? nameOf({ displayName: person.displayName, platform: person.platform }) : person.displayName}`;
  const details: string[] = [];
  if (e.action === "question.edit") {
    const changes = changesInWords(e.before, e.after, deadlines);
    if (changes) details.push(changes);
  }
  if ((e.action === "question.reopen" || e.action === "question.withdraw") && isRecord(e.before) && typeof after.status === "string" && e.before.status !== after.status)
    details.push(`was ${valueInWords("status", e.before.status, deadlines)}, now ${valueInWords("status", after.status, deadlines)}`);
  if (typeof after.reason === "string") details.push(`reason: ${after.reason}`);
  return details.length > 0 ? { text, detail: details.join(" · ") } : { text };
}
