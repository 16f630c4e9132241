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
  | ({ kind: "word"; value: string; quoted: boolean; unclosed?: true; mention?: Mention } & Typed)
  | ({ kind: "option"; key: string; value: string; quoted: boolean; unclosed?: true; raw: string; mention?: Mention } & Typed)
  | ({ kind: "tag"; value: string } & Typed);

const quotePairs: Record<string, string> = { '"': '"', "'": "'", "“": "”", "”": "”", "‘": "’", "’": "’", "„": "“", "«": "»" };
const spacePattern = /\s/;
// why plain comparisons before the patterns: these run for every character typed, and most are ASCII.
const space = { test: (c: string): boolean => c === " " || (c >= "\t" && c <= "\r") || (c >= "\u0080" && spacePattern.test(c)) };
const keyLetter = { test: (c: string): boolean => (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") };
const keyShape = /^[a-z]+(?:-[a-z]+)*$/i;
const tagWord = /^#([\p{L}\p{N}_][\p{L}\p{M}\p{N}_\-.]*)$/u;

/** Counts characters the tokenizer visits, so a test can show the work stays proportional to the text. */
export interface WorkMeter {
  steps: number;
}

/**
 * Splits command text into tokens. Never throws: an unclosed quote runs to the end of the text and
 * its token is marked `unclosed`, so the binder can refuse it rather than guess where it ended.
 * A quote opens only at the start of a word or right after `key:`, so apostrophes inside words
 * ("don't") stay part of the word. Quoted values are kept exactly, character for character, except
 * that a backslash before the closing quote keeps that quote in the value (`"He said \"no\""` → He said "no").
 * A `key:` with nothing after it is an option with an empty value, for the binder to refuse.
 * One pass: every character is visited a bounded number of times (issue 11: `1:"1:"…` was quadratic).
 */
export function tokenize(text: string, meter?: WorkMeter): Token[] {
  const tokens: Token[] = [];
  const chars = [...text];
  const visit = meter ? () => void meter.steps++ : () => undefined;
  let i = 0;
  const typed = (from: number, to: number): Typed => ({ source: chars.slice(from, Math.min(to, chars.length)).join(""), glued: from > 0 && !space.test(chars[from - 1]!) });
  while (i < chars.length) {
    visit();
    if (space.test(chars[i]!)) {
      i++;
      continue;
    }
    const close = quotePairs[chars[i]!];
    if (close !== undefined) {
      const { value, next, closed } = readQuoted(chars, i + 1, close, visit);
      tokens.push({ kind: "word", value, quoted: true, ...(closed ? {} : { unclosed: true as const }), ...typed(i, next) });
      i = next;
      continue;
    }
    // why: track whether the word so far is letters then its first colon as we go, instead of
    // re-testing the whole prefix at every quote, which made `a:"a:"a:"…` quadratic.
    let j = i;
    let lettersOnly = true;
    let keyColon = -1;
    while (j < chars.length && !space.test(chars[j]!)) {
      visit();
      const c = chars[j]!;
      // why: `source:"Art. 5, §2"` — a quote right after `key:` opens the option's value.
      if (keyColon === j - 1 && keyColon > i && quotePairs[c] !== undefined) break;
      if (keyColon < 0 && lettersOnly) {
        // why hyphens between letters (issue 13): `chase-after:14` is one option's key; `x-:` or `-x:` stay words.
        if (c === ":" && j > i) {
          if (keyShape.test(chars.slice(i, j).join(""))) keyColon = j;
          else lettersOnly = false;
        } else if (!keyLetter.test(c) && c !== "-") lettersOnly = false;
      }
      j++;
    }
    const word = chars.slice(i, j).join("");
    const key = keyColon >= 0 ? word.slice(0, keyColon - i).toLowerCase() : undefined;
    if (key !== undefined && j < chars.length && !space.test(chars[j]!)) {
      const { value, next, closed } = readQuoted(chars, j + 1, quotePairs[chars[j]!]!, visit);
      tokens.push({ kind: "option", key, value, quoted: true, ...(closed ? {} : { unclosed: true as const }), raw: `${word}${value}`, ...typed(i, next) });
      i = next;
      continue;
    }
    const where = typed(i, j);
    const tag = tagWord.exec(word);
    if (key !== undefined) tokens.push({ kind: "option", key, value: word.slice(keyColon - i + 1), quoted: false, raw: word, ...where });
    else if (tag) tokens.push({ kind: "tag", value: tag[1]!, ...where });
    else tokens.push({ kind: "word", value: word, quoted: false, ...where });
    i = j;
  }
  return tokens;
}

function readQuoted(chars: readonly string[], start: number, close: string, visit: () => void): { value: string; next: number; closed: boolean } {
  let value = "";
  let end = start;
  while (end < chars.length && chars[end] !== close) {
    visit();
    // why: members coming from programming write `\"` for a quote inside quotes; read it as one.
    if (chars[end] === "\\" && chars[end + 1] === close) end++;
    value += chars[end]!;
    end++;
  }
  return { value, next: end + 1, closed: end < chars.length };
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
        return { kind: "word", value: named(t.value), quoted: t.quoted, ...(t.unclosed ? { unclosed: t.unclosed } : {}), ...where, ...(mention ? { mention } : {}) };
      }
      case "option": {
        const mention = only(t.value);
        return { kind: "option", key: t.key, value: named(t.value), quoted: t.quoted, ...(t.unclosed ? { unclosed: t.unclosed } : {}), raw: named(t.raw), ...where, ...(mention ? { mention } : {}) };
      }
      case "tag":
        return { ...t, ...where };
    }
  });
}
