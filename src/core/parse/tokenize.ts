import type { Mention, TypedText } from "../events.ts";

/** Where a token came from: its exact typed text, and whether it followed the previous one without a space. */
interface Typed {
  source: string;
  glued: boolean;
}

/**
 * A piece of command text: a word (maybe quoted), a `key:value` option, or a `#tag`. A word or an
 * option value that is exactly one mention the platform resolved carries it in `mention`; its text
 * is `@label`.
 */
export type Token =
  | ({ kind: "word"; value: string; quoted: boolean; mention?: Mention } & Typed)
  | ({ kind: "option"; key: string; value: string; quoted: boolean; raw: string; mention?: Mention } & Typed)
  | ({ kind: "tag"; value: string } & Typed);

const quotePairs: Record<string, string> = { '"': '"', "'": "'", "“": "”", "”": "”", "‘": "’", "’": "’", "„": "“", "«": "»" };
const space = /\s/;
const optionKey = /^([a-z]+):/i;
const tagWord = /^#([\p{L}\p{N}_][\p{L}\p{M}\p{N}_\-.]*)$/u;

/**
 * Splits command text into tokens. Never throws: an unclosed quote runs to the end of the text.
 * A quote opens only at the start of a word or right after `key:`, so apostrophes inside words
 * ("don't") stay part of the word. Quoted values are kept exactly, character for character.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const chars = [...text];
  let i = 0;
  const typed = (from: number, to: number): Typed => ({ source: chars.slice(from, Math.min(to, chars.length)).join(""), glued: from > 0 && !space.test(chars[from - 1]!) });
  while (i < chars.length) {
    if (space.test(chars[i]!)) {
      i++;
      continue;
    }
    const open = chars[i]!;
    const close = quotePairs[open];
    if (close !== undefined) {
      const { value, next } = readQuoted(chars, i + 1, close);
      tokens.push({ kind: "word", value, quoted: true, ...typed(i, next) });
      i = next;
      continue;
    }
    let j = i;
    while (j < chars.length && !space.test(chars[j]!)) {
      // why: `source:"Art. 5, §2"` — a quote right after the key opens the option's value.
      if (j > i && chars[j - 1] === ":" && quotePairs[chars[j]!] !== undefined && optionKey.test(chars.slice(i, j).join(""))) break;
      j++;
    }
    const word = chars.slice(i, j).join("");
    const key = optionKey.exec(word);
    if (key && j < chars.length && !space.test(chars[j]!) && word === `${key[1]}:`) {
      const { value, next } = readQuoted(chars, j + 1, quotePairs[chars[j]!]!);
      tokens.push({ kind: "option", key: key[1]!.toLowerCase(), value, quoted: true, raw: `${word}${value}`, ...typed(i, next) });
      i = next;
      continue;
    }
    const tag = tagWord.exec(word);
    const where = typed(i, j);
    if (key && word.length > key[0].length) tokens.push({ kind: "option", key: key[1]!.toLowerCase(), value: word.slice(key[0].length), quoted: false, raw: word, ...where });
    else if (tag) tokens.push({ kind: "tag", value: tag[1]!, ...where });
    else tokens.push({ kind: "word", value: word, quoted: false, ...where });
    i = j;
  }
  return tokens;
}

function readQuoted(chars: string[], start: number, close: string): { value: string; next: number } {
  let end = start;
  while (end < chars.length && chars[end] !== close) end++;
  return { value: chars.slice(start, end).join(""), next: end + 1 };
}

/** The text a token was typed as, for options and tags a command does not take. */
export function tokenText(token: Token): string {
  switch (token.kind) {
    case "word":
      return token.value;
    case "option":
      return token.quoted ? `${token.key}:${token.value}` : token.raw;
    case "tag":
      return `#${token.value}`;
  }
}

/**
 * The words of a free text as they were typed, quotes and all (`What does "observer status" mean?`).
 * A single quoted token is the value inside its quotes: `ask "What …?"` asks What …?.
 */
export function typedText(tokens: readonly Token[]): string {
  const only = tokens[0];
  if (tokens.length === 1 && only?.kind === "word" && only.quoted) return only.value;
  return tokens.map((t, i) => (i > 0 && !t.glued ? ` ${t.source}` : t.source)).join("");
}

// why: mentions ride through the tokenizer as private-use placeholders, so quoting and `key:` rules
// treat them as one word; private-use characters typed by a member are dropped, never read as one.
const mentionOpen = "\uE000";
const mentionClose = "\uE001";
const placeholder = /\uE000(\d+)\uE001/g;
const privateUse = /[\uE000\uE001]/g;

/** Tokenizes typed text whose mentions the platform already resolved; `clean` normalises the text parts. */
export function tokenizeTyped(text: TypedText, clean: (s: string) => string): Token[] {
  if (typeof text === "string") return tokenize(clean(text.replace(privateUse, "")));
  const mentions: Mention[] = [];
  const joined = text.map((part) => (typeof part === "string" ? part.replace(privateUse, "") : `${mentionOpen}${mentions.push(part) - 1}${mentionClose}`)).join("");
  const named = (s: string) => s.replace(placeholder, (_, i: string) => `@${mentions[Number(i)]!.label}`);
  const only = (s: string) => {
    const m = /^\uE000(\d+)\uE001$/.exec(s);
    return m ? mentions[Number(m[1])] : undefined;
  };
  return tokenize(clean(joined)).map((t): Token => {
    const where = { source: named(t.source), glued: t.glued };
    switch (t.kind) {
      case "word": {
        const mention = t.quoted ? undefined : only(t.value);
        return { kind: "word", value: named(t.value), quoted: t.quoted, ...where, ...(mention ? { mention } : {}) };
      }
      case "option": {
        const mention = only(t.value);
        return { kind: "option", key: t.key, value: named(t.value), quoted: t.quoted, raw: named(t.raw), ...where, ...(mention ? { mention } : {}) };
      }
      case "tag":
        return { ...t, ...where };
    }
  });
}
