/** A piece of command text: a word (maybe quoted), a `key:value` option, or a `#tag`. */
export type Token =
  | { kind: "word"; value: string; quoted: boolean }
  | { kind: "option"; key: string; value: string; quoted: boolean; raw: string }
  | { kind: "tag"; value: string };

const quotePairs: Record<string, string> = { '"': '"', "'": "'", "“": "”", "”": "”", "‘": "’", "’": "’", "„": "“", "«": "»" };
const space = /\s/;
const optionKey = /^([a-z]+):/i;
const tagWord = /^#([\p{L}\p{N}_][\p{L}\p{N}_\-.]*)$/u;

/**
 * Splits command text into tokens. Never throws: an unclosed quote runs to the end of the text.
 * A quote opens only at the start of a word or right after `key:`, so apostrophes inside words
 * ("don't") stay part of the word. Quoted values are kept exactly, character for character.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const chars = [...text];
  let i = 0;
  while (i < chars.length) {
    if (space.test(chars[i]!)) {
      i++;
      continue;
    }
    const open = chars[i]!;
    const close = quotePairs[open];
    if (close !== undefined) {
      const { value, next } = readQuoted(chars, i + 1, close);
      tokens.push({ kind: "word", value, quoted: true });
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
      tokens.push({ kind: "option", key: key[1]!.toLowerCase(), value, quoted: true, raw: `${word}${value}` });
      i = next;
      continue;
    }
    const tag = tagWord.exec(word);
    if (key && word.length > key[0].length) tokens.push({ kind: "option", key: key[1]!.toLowerCase(), value: word.slice(key[0].length), quoted: false, raw: word });
    else if (tag) tokens.push({ kind: "tag", value: tag[1]! });
    else tokens.push({ kind: "word", value: word, quoted: false });
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
