import { UserError } from "../errors.ts";
import type { Mention } from "../events.ts";
import { usageOf, type Command, type OptionKind, type OptionSpec } from "../vocabulary.ts";
import { tokenText, typedText, type Token } from "./tokenize.ts";
import { closest } from "./suggest.ts";

/** Option values as given, before the core resolves them: typed text, a platform's boolean, or a resolved mention. */
export type RawValue = string | boolean | Mention;
export type RawOptions = Record<string, RawValue>;

/** A raw value as text, for options that take text: a mention reads as `@label`. */
export const rawText = (value: RawValue): string => (typeof value === "string" ? value : typeof value === "boolean" ? (value ? "yes" : "no") : `@${value.label}`);

/**
 * How far `text` reads as a value of `kind`: it `fits`; it is `malformed`, written as one but
 * impossible (`31 Feb`), so the resolver should get those words whole and say why; or `no`.
 * The core answers for dates, which need a zone.
 */
export type Fits = (kind: OptionKind, text: string) => "fits" | "malformed" | "no";

const looksLike: Partial<Record<OptionKind, (word: string) => boolean>> = {
  // why: a bare number is a day ("Dec 3"), never a time; a time has minutes or am/pm.
  time: (w) => /^(\d{1,2}[:.]\d{2}\s*([ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?|noon|midnight)$/i.test(w),
  question: (w) => /^q?\d+$/i.test(w),
};

/** Finds the command the text names: `ask …`, `deadline add …`. Unknown names get a "did you mean". */
export function findCommand(words: readonly string[], commands: readonly Command[], root: string): { command: Command; used: number } {
  const first = words[0]?.toLowerCase() ?? "help";
  // why first: a word may be both a command and a group (`link <code>`, `link status`); the group's own word wins, and no code is ever that word.
  const pair = words[1] === undefined ? undefined : commands.find((c) => c.name === `${first} ${words[1]!.toLowerCase()}`);
  if (pair) return { command: pair, used: 2 };
  const single = commands.find((c) => c.name === first);
  if (single) return { command: single, used: words.length === 0 ? 0 : 1 };
  const group = commands.filter((c) => c.name.startsWith(`${first} `));
  if (group.length > 0) {
    const second = words[1]?.toLowerCase();
    const sub = group.find((c) => c.name === `${first} ${second}`);
    if (sub) return { command: sub, used: 2 };
    const fallback = group.find((c) => c.name === `${first} list` || c.name === `${first} status`);
    if (second === undefined && fallback) return { command: fallback, used: 1 };
    const names = group.map((c) => c.name.split(" ")[1]).join(", ");
    throw new UserError("command.unknown", `${first} needs one of: ${names}. For example: /${root} ${group[0]!.examples[0] ?? group[0]!.name}`);
  }
  const names = commands.flatMap((c) => [c.name, c.name.split(" ")[0]!]);
  const guess = closest(first, names);
  throw new UserError(
    "command.unknown",
    `There is no command "${first}".${guess ? ` Did you mean ${guess}?` : ""} Type /${root} help to see them all.`,
  );
}

/** Kinds whose values may hold spaces, so unquoted words after `key:value` can only belong to it. */
const spacedKinds: ReadonlySet<OptionKind> = new Set<OptionKind>(["text", "neededBy", "date", "deadline"]);
const escapedQuote = /\\["'“”‘’„«»]/;
/** A double quote mark ending an unquoted word (`a"`, `ITU”?`): a closing quote whose opening one was read elsewhere. */
const strayClosingQuote = /["“”„«»][.,;:!?]*$/;

/**
 * Binds the tokens after the command name to its options: `key:value` options by name, `#tags`,
 * then the remaining words in declaration order. A rest text takes what the others leave; options
 * declared after it are matched from the end (`deadline add WCIT-12 opens 3 Dec 2026 09:00`).
 *
 * Nothing is guessed into stored text (issue 10): an unclosed quote, a `key:` with no value, a
 * malformed #tag, a backslash-escaped quote outside quotes, and a quoted text
 * followed by loose words are refused with the right form. Unquoted words after a `key:value`
 * whose value may hold spaces continue that value up to the next option or tag
 * (`edit Q3 to:ITU Secretariat by:D1`), when the command has a free text that is optional or
 * already given; otherwise they are the free text (`ask to:ITU What does it cost?`), or the
 * command's other words (`list to:ITU open`).
 */
export function bindOptions(command: Command, tokens: readonly Token[], fits: Fits, root: string): RawOptions {
  const raw: RawOptions = {};
  const byName = new Map(command.options.map((o) => [o.name, o]));
  const tagsOption = command.options.find((o) => o.kind === "tags");
  const example = `/${root} ${command.examples[0] ?? usageOf(command)}`;
  const allPositional = command.options.filter((o) => o.positional);
  const restSpec = allPositional.find((o) => o.rest);
  const beforeRest = restSpec ? allPositional.indexOf(restSpec) : 0;
  const words: Token[] = [];
  /** The option whose unquoted value the next loose words continue, and the words so far. */
  let open: { name: string; parts: Token[] } | undefined;
  /** Loose words that came right after an unquoted option they did not continue, for the hint to quote it. */
  const follows = new Map<Token, Token & { kind: "option" }>();
  let lastOption: (Token & { kind: "option" }) | undefined;
  const closeOpen = () => {
    if (open && open.parts.length > 1) raw[open.name] = typedText(open.parts);
    open = undefined;
  };
  let previous: Token | undefined;
  for (const token of tokens) {
    refuseUnclear(token, example, previous);
    previous = token;
    if (token.kind === "option" && byName.has(token.key)) {
      closeOpen();
      const spec = byName.get(token.key)!;
      if (raw[token.key] !== undefined)
        throw new UserError("option.repeated", `${token.key}: is given twice; give it once, like ${token.key}:${quoteIfNeeded(token.value)}.`);
      if (token.value.trim() === "") throw emptyOption(spec);
      const inner = token.quoted ? undefined : /^([a-z]+):/i.exec(token.value);
      // why: `to:by:D1` is two options missing a space, not an addressee "by:D1".
      if (inner && byName.has(inner[1]!.toLowerCase()))
        throw new UserError("option.nested", `${token.raw} holds another option: put a space between them, like ${token.key}:<${spec.placeholder}> ${inner[1]}:…, or quote the value, like ${token.key}:"${token.value}".`);
      raw[token.key] = token.mention ?? token.value;
      // why only with a free text: in `list to:ITU open` the word after the option is the command's own (a status).
      const freeTextDone = restSpec !== undefined && (!restSpec.required || words.length > beforeRest);
      if (!token.quoted && !token.mention && spacedKinds.has(spec.kind) && freeTextDone) open = { name: token.key, parts: [{ ...token, kind: "word", value: token.value, quoted: false, source: token.value }] };
      lastOption = !token.quoted && spacedKinds.has(spec.kind) ? token : undefined;
    } else if (token.kind === "tag" && tagsOption) {
      closeOpen();
      lastOption = undefined;
      const before = raw[tagsOption.name];
      raw[tagsOption.name] = before === undefined ? token.value : `${rawText(before)} ${token.value}`;
    } else if (tagsOption && token.kind === "word" && !token.quoted && token.value.startsWith("#")) {
      throw new UserError(
        "tags.invalid",
        `"${token.value}" is not a tag: a tag is one # then letters, digits, - or _, like #membership; write several as #fees #access, and clear them with tags:none.`,
      );
    } else if (open && token.kind === "word" && !token.quoted && !token.mention) open.parts.push(token);
    else {
      closeOpen();
      if (lastOption) follows.set(token, lastOption);
      words.push(token);
    }
  }
  closeOpen();

  const positional = allPositional.filter((o) => raw[o.name] === undefined);
  const restIndex = positional.findIndex((o) => o.rest);
  const before = restIndex < 0 ? positional : positional.slice(0, restIndex);
  const after = restIndex < 0 ? [] : positional.slice(restIndex + 1);
  let start = 0;
  let end = words.length;
  for (const o of before) {
    const word = words[start];
    if (word === undefined) break;
    if (o.kind === "date") {
      // why: a date is often several words (`digest preview 3 Dec 2026`), read as `deadline add` reads its date.
      // When the date is all the command takes, words left over were meant as one: the date reader says why they are not.
      const onlyDate = restIndex < 0 && o === before[before.length - 1];
      const taken = takeDate(words.slice(start, end), fits, "start", o.required) || (onlyDate ? end - start : 0);
      if (taken === 0) continue;
      raw[o.name] = joined(words.slice(start, start + taken));
      start += taken;
      continue;
    }
    const text = tokenText(word);
    if (!o.required && !fitsOption(o, text, fits)) continue;
    raw[o.name] = (word.kind === "word" && word.mention) || text;
    start++;
  }
  for (const o of [...after].reverse()) {
    const taken = takeFromEnd(o, words.slice(start, end), fits, restIndex >= 0 && positional[restIndex]!.required ? 1 : 0);
    if (taken === 0) continue;
    raw[o.name] = words.slice(end - taken, end).map(tokenText).join(" ");
    end -= taken;
  }
  const rest = positional[restIndex];
  if (rest && end > start) raw[rest.name] = restText(words.slice(start, end), rest, example);
  else if (end > start) {
    const extra = words.slice(start, end).map(tokenText).join(" ");
    const option = follows.get(words[start]!);
    // why: the likeliest reason for loose words is a value with spaces left unquoted.
    const hint = option ? ` If "${extra}" belongs to ${option.key}:, quote the value: ${option.key}:"${option.value} ${extra}".` : "";
    const choice = command.options.find((o) => o.kind === "choice" && raw[o.name] === undefined);
    if (choice && start === 0)
      throw new UserError(`${choice.name}.invalid`, `"${extra}" is not one of ${choice.choices?.join(", ")}: write it like /${root} ${command.examples[1] ?? command.examples[0] ?? command.name}${hint}`);
    throw new UserError("option.unexpected", `I don't know what to do with "${extra}" here. Write it like: ${example}${hint}`);
  }
  return raw;
}

const shorten = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);

/**
 * Refuses a token whose typed form has no one reading: an unclosed quote, or a backslash-escaped
 * quote or a closing quote mark outside quotes. A quote mark inside a word (`don't`, `=HYPERLINK("x")`) is plain text.
 */
function refuseUnclear(token: Token, example: string, previous: Token | undefined): void {
  // why: `to:"a b""c d"` could be one value with a quote inside or two values missing a space; neither is plainly meant.
  if (token.kind !== "tag" && token.quoted && token.glued && previous !== undefined && previous.kind !== "tag" && previous.quoted)
    throw new UserError(
      "quote.touching",
      `A quote opens right where "${shorten(previous.value)}" closes, so I can't tell one value from the next. Put a space between them, or, for a quote mark inside a value, write it as \\", like ${example}`,
    );
  if (token.kind !== "tag" && token.unclosed)
    throw new UserError(
      "quote.unclosed",
      `The quote before "${shorten(token.value)}" is never closed, so I can't tell where it ends. Close it, like ${example}` +
        " (for an apostrophe at the start of a word, put the whole text in double quotes).",
    );
  if (token.kind === "tag" || token.quoted) return;
  if (escapedQuote.test(token.source))
    throw new UserError("quote.escaped", `A backslash keeps a quote mark only inside quotes: write "He said \\"no\\"", or use the other kind of quote, 'He said "no"'. You wrote ${shorten(token.source)}.`);
  if (strayClosingQuote.test(token.source))
    throw new UserError("quote.stray", `The quote mark in ${shorten(token.source)} closes nothing: put a space before each opening quote and after each closing one, like ${example}`);
}

function emptyOption(spec: OptionSpec): UserError {
  const clear = spec.clearable ? ` To clear it, write ${spec.name}:none.` : "";
  const sample = spec.example ?? (spec.kind === "text" ? "ITU Secretariat" : undefined);
  const form = sample === undefined ? `${spec.name}:<${spec.placeholder}>` : /\s/.test(sample) ? `${spec.name}:"${sample}"` : `${spec.name}:${sample}`;
  return new UserError(`${spec.name}.empty`, `${spec.name}: has no value: write it right after the colon, like ${form}, in quotes if it has spaces.${clear}`, spec.name);
}

/**
 * The free text from its words. A quoted text followed by loose words has no one reading (were
 * they meant inside the quotes, or for an option?), so it is refused; a quoted phrase within
 * unquoted words (`What does "observer status" mean?`) is the text as typed.
 */
function restText(words: readonly Token[], rest: OptionSpec, example: string): string {
  if (words.length > 1 && words.some((w) => w.kind === "word" && w.quoted && w.value.trim() === ""))
    throw new UserError("text.empty_quotes", `A pair of quotes in the ${rest.label ?? rest.name} holds nothing: write the words inside the quotes, or leave them out. For example: ${example}`);
  const [first, second] = words;
  if (first?.kind === "word" && first.quoted && second !== undefined && !second.glued) {
    const loose = words.slice(1).map(tokenText).join(" ");
    throw new UserError(
      "text.loose_words",
      `"${shorten(loose)}" comes after the quoted ${rest.label ?? rest.name}: put it inside the quotes, or, if it belongs to an option, quote that option's value, like to:"ITU Secretariat". For example: ${example}`,
    );
  }
  return typedText(words);
}

function fitsOption(o: OptionSpec, text: string, fits: Fits): boolean {
  if (o.kind === "choice") return o.choices?.includes(text.toLowerCase()) ?? false;
  return (looksLike[o.kind]?.(text) ?? true) && (o.kind !== "date" || fits("date", text) === "fits");
}

const joined = (words: readonly Token[]) => words.map(tokenText).join(" ");

/**
 * How many words at the start or end of `words` make the date: the most (up to four) that read
 * as a date, else the most that are written as one but cannot be (`31 Feb`, `in -2 days`), so the
 * date reader says why about the words that were meant; else one word when a date must be there.
 */
function takeDate(words: readonly Token[], fits: Fits, from: "start" | "end", required: boolean | undefined): number {
  const span = (n: number) => joined(from === "start" ? words.slice(0, n) : words.slice(words.length - n));
  for (const wanted of ["fits", "malformed"] as const)
    for (let n = Math.min(4, words.length); n >= 1; n--) if (fits("date", span(n)) === wanted) return n;
  return required && words.length > 0 ? 1 : 0;
}

/** How many words at the end of `words` make a value of `o`, leaving `keep` for the rest text. */
function takeFromEnd(o: OptionSpec, words: readonly Token[], fits: Fits, keep: number): number {
  const available = words.length - keep;
  // why: `deadline add 2027-01-05` has a date and lacks a title; say that, not that the date is missing.
  if (available <= 0) return o.kind === "date" && words.length === 1 && fits("date", tokenText(words[0]!)) === "fits" ? 1 : 0;
  // why: a malformed date ("2012-13-45") must still reach the date parser, which says what is wrong with it.
  if (o.kind === "date") return takeDate(words.slice(words.length - available), fits, "end", o.required);
  const last = tokenText(words[words.length - 1]!);
  return o.required || fitsOption(o, last, fits) ? 1 : 0;
}

const quoteIfNeeded = (value: string) => (/\s/.test(value) ? `"${value}"` : value);
