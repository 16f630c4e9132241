import { escapeMarkdown } from "discord.js";

/**
 * Plain text made safe for Discord markdown: emphasis, code, spoilers, headings, lists, block
 * quotes, subtext and masked links are escaped, and backslashes too, so a question reads exactly as
 * it was typed. Mentions are not rewritten here: every message Docket sends carries
 * `allowed_mentions: { parse: [] }`.
 */
export const escapeText = (text: string): string =>
  // why italic only when there is a * or _: it is the one pass that costs (look-behinds at every
  // character, most of a help reply's time), and the passes before it never add either character.
  escapeMarkdown(text, { heading: true, bulletedList: true, numberedList: true, italic: text.includes("*") || text.includes("_") })
    // why: escapeMarkdown's maskedLink escapes only the first link of a line, so `[a](x) [b](y)` kept a live link.
    .replaceAll("[", "\\[")
    // why: escapeMarkdown knows neither block quotes (`>`, `>>>`) nor subtext (`-#`).
    .replace(/^( *)(>|-#)/gm, "$1\\$2");

/** Cuts `text` to at most `max` UTF-16 units (never more characters than Discord counts), ending with "…". */
export function fit(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${safeCut(text, max - 1).replace(/\\+$/, (slashes) => (slashes.length % 2 ? slashes.slice(1) : slashes))}…`;
}

/** The first `max` UTF-16 units of `text`, never splitting a surrogate pair. */
function safeCut(text: string, max: number): string {
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

const trailingBackslashes = (text: string, end: number): number => {
  let n = 0;
  while (n < end && text[end - 1 - n] === "\\") n++;
  return n;
};

/**
 * Splits `text` into pieces of at most `max` UTF-16 units, in order, preferring line breaks, then
 * spaces; a piece never ends inside an escape (`\*`), so markdown cannot leak across pieces.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = safeCut(rest, max);
    let cut = window.lastIndexOf("\n");
    if (cut < max / 2) cut = window.lastIndexOf(" ");
    if (cut < max / 2) cut = window.length;
    while (cut > 1 && trailingBackslashes(rest, cut) % 2 === 1) cut--;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^[ \n]/, "");
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}
