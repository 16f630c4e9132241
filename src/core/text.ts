import { UserError } from "./errors.ts";

// why: bidi embeddings, overrides and isolates can make a question display as something it does not say.
const bidiControls = /[\u202A-\u202E\u2066-\u2069]/g;
// why: control characters other than tab and newline corrupt exports and chat layouts.
const controls = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** Normalises user text: NFC, no bidi controls or stray control characters, trimmed. */
export function cleanText(input: string): string {
  return input.normalize("NFC").replace(bidiControls, "").replace(controls, "").replace(/\r\n?/g, "\n").trim();
}

/** Length in characters as people count them (code points), not UTF-16 units. */
export const lengthOf = (text: string): number => [...text].length;

/**
 * Cleans `input` and enforces `max` characters. Error codes name the option (`to.too_long`), so
 * adapters can put the error on the right field; messages use the word people use (`addressee`).
 */
export function boundedText(input: string, option: string, max: number, example: string, label = option): string {
  const text = cleanText(input);
  if (text === "") throw new UserError(`${option}.empty`, `The ${label} is empty: ${example}`);
  const length = lengthOf(text);
  if (length > max)
    throw new UserError(`${option}.too_long`, `The ${label} is ${length} characters long; the limit is ${max}. Shorten it and try again.`);
  return text;
}

/** A one-line excerpt of at most `max` characters, cut at a word where possible. */
export function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = [...flat];
  if (chars.length <= max) return flat;
  const cut = chars.slice(0, max - 1).join("");
  const space = cut.lastIndexOf(" ");
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

// why the shortcut: below 1,000 an integer reads the same without grouping, and toLocaleString costs microseconds on every list line.
const grouped = (n: number): string => (Number.isInteger(n) && n > -1000 && n < 1000 ? String(n) : n.toLocaleString("en"));

export const plural = (n: number, one: string, many = `${one}s`): string => `${grouped(n)} ${n === 1 ? one : many}`;
