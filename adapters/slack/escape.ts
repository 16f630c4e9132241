/**
 * Slack text escaping. Slack reads `<…>` as a mention, a channel, a link or a special command such as
 * `<!channel>`, and `&` as the start of an entity; escaping exactly `&`, `<` and `>` is what makes
 * member-typed text render literally and ping nobody. Everything Docket sends through here.
 */

const reserved = /[&<>]/;
const reservedAll = /[&<>]/g;
const entities: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/**
 * Escapes the three characters Slack reserves in every text field.
 * why one pass, and none for text without them: every reply goes through here, help's whole text included.
 */
export const escapeText = (text: string): string => (reserved.test(text) ? text.replace(reservedAll, (c) => entities[c]!) : text);

/**
 * Cuts already-escaped text to at most `max` characters without splitting an entity (`&amp;`) or a
 * link (`<https://…>`), ending it with "…" when cut.
 */
export function cutEscaped(escaped: string, max: number): string {
  if (escaped.length <= max) return escaped;
  return `${escaped.slice(0, safeEnd(escaped, max - 1))}…`;
}

/** The largest index ≤ `end` at which `escaped` can be cut without splitting an entity or a `<…>` link. */
function safeEnd(escaped: string, end: number): number {
  let cut = end;
  const entity = escaped.lastIndexOf("&", cut - 1);
  if (entity >= 0 && escaped.indexOf(";", entity) >= cut) cut = entity;
  const link = escaped.lastIndexOf("<", cut - 1);
  if (link >= 0 && escaped.indexOf(">", link) >= cut) cut = link;
  // why: never leave half of a surrogate pair (an emoji) at the end.
  const code = escaped.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return cut > 0 ? cut : end;
}

/** Plain text escaped and cut to fit `max` escaped characters (headers 150, buttons 75, options 75). */
export const fitText = (text: string, max: number): string => cutEscaped(escapeText(text), max);

// why: mrkdwn is sent with `verbatim: true` so Slack parses nothing in member text itself; that also
// stops it linking URLs, so sources given as URLs are made links here, from the escaped text.
// The URL ends before an escaped `<` or `>`: `&lt;https://x.org&gt;` links https://x.org, not "https://x.org&gt".
const url = /\bhttps?:\/\/(?:(?!&[lg]t;)[^\s<>|"])+/g;
const trailing = /[.,;:!?)\]}'’”]+$/;

/** Member text as mrkdwn: escaped, with bare http(s) URLs turned into links. */
export function mrkdwnText(text: string): string {
  const escaped = escapeText(text);
  // why: most text has no link, and looking for one costs a regular expression over all of it.
  if (!escaped.includes("http")) return escaped;
  return escaped.replace(url, (found) => {
    const tail = trailing.exec(found)?.[0] ?? "";
    const href = tail ? found.slice(0, -tail.length) : found;
    return href.length > 10 ? `<${href}>${tail}` : found;
  });
}

/**
 * Splits escaped mrkdwn into pieces of at most `max` characters at line breaks, else at spaces, so
 * a long text becomes several sections instead of being refused by Slack.
 */
export function chunkEscaped(escaped: string, max: number): string[] {
  const out: string[] = [];
  let rest = escaped;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = window.lastIndexOf("\n");
    if (cut < max * 0.5) cut = window.lastIndexOf(" ");
    if (cut < max * 0.5) {
      // why: one word longer than the limit; cut it where no entity or link is broken.
      cut = safeEnd(rest, max);
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut);
      continue;
    }
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut + 1);
  }
  if (rest.length > 0 || out.length === 0) out.push(rest);
  return out;
}
