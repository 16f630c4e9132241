/**
 * What a member typed after `search`, read into a bounded query the store can run. Pure.
 *
 * Work is bounded by construction: words are de-duplicated and at most `maxSearchTerms` distinct
 * terms reach the full-text index, whatever the text, so a search costs the same order of work as
 * one of a few words. (FTS5 work grows with terms × hits, and its `snippet()` with terms² × hits.)
 */
import { UserError } from "./errors.ts";

/** The most distinct words (and -words) one search may use. */
export const maxSearchTerms = 8;

/** The last word, if at least this long, also matches words it begins; all others match whole words. */
const minPrefixLength = 3;

/** Consecutive tokens that must appear together: `it's` is the phrase "it s". */
export interface Phrase {
  tokens: string[];
  /** Whether the last token also matches longer words it begins (`memb` → membership); only for a search's last word. */
  prefix: boolean;
}

export interface SearchQuery {
  /** Alternatives (`OR`); each is a set of phrases that must all match. */
  anyOf: Phrase[][];
  /** Phrases none of whose matches may appear (`-word`). */
  exclude: Phrase[];
}

/** Letters and digits only, lower-cased, accents removed: how the index's tokenizer sees text. */
export function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}+/gu, "").toLowerCase();
}

const tokensOf = (word: string): string[] => fold(word).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

function phraseOf(word: string): Phrase | undefined {
  const tokens = tokensOf(word);
  if (tokens.length === 0) return undefined;
  return { tokens, prefix: tokens[tokens.length - 1]!.length >= minPrefixLength };
}

const keyOf = (p: Phrase) => `${p.tokens.join(" ")}${p.prefix ? "*" : ""}`;

/**
 * Reads `words`: whitespace separates words; a word with inner punctuation (`it's`, `a:b`) is a
 * phrase of its parts; `-word` excludes; `OR` in capitals between words means either side.
 * Throws a UserError, saying how to write it, when nothing is left to find or there are too many words.
 */
export function parseSearch(text: string, commandName: string): SearchQuery {
  const groups: Phrase[][] = [[]];
  const exclude: Phrase[] = [];
  const seen = new Set<string>();
  let terms = 0;
  const words = text.split(/\s+/u).filter(Boolean);
  for (const word of words) {
    if (word === "OR") {
      if (groups[groups.length - 1]!.length > 0) groups.push([]);
      continue;
    }
    const negative = word.startsWith("-") && word.length > 1;
    const phrase = phraseOf(negative ? word.slice(1) : word);
    if (!phrase) continue;
    const key = `${negative ? "-" : ""}${groups.length}:${keyOf(phrase)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (++terms > maxSearchTerms) {
      // why count only distinct terms: `search a a a …` is one word, not an attack on the index.
      const distinct = new Set(words.filter((w) => w !== "OR").map((w) => fold(w))).size;
      throw new UserError(
        "search.too_many_words",
        `Search takes at most ${maxSearchTerms} different words; this has ${distinct}. Keep the rarest few, like /${commandName} search membership fee NGO`,
      );
    }
    if (negative) exclude.push(phrase);
    else groups[groups.length - 1]!.push(phrase);
  }
  // why only the last word of each alternative matches as a prefix (the word being typed): every
  // prefix term makes FTS5 merge the lists of all words it begins, several times the cost of a word.
  const anyOf = groups.filter((g) => g.length > 0).map((g) => g.map((p, i) => (i === g.length - 1 ? p : { ...p, prefix: false })));
  for (const p of exclude) p.prefix = false;
  if (anyOf.length === 0)
    throw new UserError(
      "words.empty",
      exclude.length > 0
        ? `Search needs a word to find besides the -words it leaves out, like /${commandName} search membership -fee.`
        : `Search needs a word with letters or digits, like /${commandName} search membership.`,
    );
  return { anyOf, exclude };
}

/** Every phrase of a query, to count what reaches the index and to find the first match for a snippet. */
export const phrasesOf = (q: SearchQuery): Phrase[] => [...q.anyOf.flat(), ...q.exclude];

/**
 * About `width` characters of `text` around the first match of one of `phrases`, with `…` where
 * it was cut. Linear in the text's length (at most a few thousand characters) times the number of
 * phrases, whatever the hits: never FTS5's snippet(), whose cost grows with the square of the terms.
 */
export function snippetOf(text: string, phrases: readonly Phrase[], width = 120): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const folded = fold(flat);
  // why folded indexes map back: NFKD + removing marks can change length, so only use them when it does not.
  const sameLength = folded.length === flat.length;
  let first = -1;
  for (const p of phrases) {
    const at = folded.indexOf(p.tokens[0]!);
    if (at >= 0 && (first < 0 || at < first)) first = at;
  }
  const center = sameLength && first >= 0 ? first : 0;
  const start = Math.max(0, Math.min(center - Math.floor(width / 3), flat.length - width));
  const end = Math.min(flat.length, start + width);
  return `${start > 0 ? "…" : ""}${flat.slice(start, end).trim()}${end < flat.length ? "…" : ""}`;
}
