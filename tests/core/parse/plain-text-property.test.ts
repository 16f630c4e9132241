import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replyToText } from "../../../src/core/reply.ts";
import type { Question } from "../../../src/core/types.ts";
import { testEngine } from "../../support/test-engine.ts";
import { harness, type Harness } from "../../support/harness.ts";

// Issue 10, "Done when": over generated `ask` and `edit` texts, a refused command changes nothing,
// and an accepted one stores no quote character, no empty value and no `key:` the member did not
// put inside quotes.

/** One piece of generated command text, and the quoted contents it carries (which may hold anything). */
interface Piece {
  text: string;
  quoted: readonly string[];
}

const bareWord = fc.stringMatching(/^[A-Za-z][A-Za-z0-9?,.]{0,6}$/);
const bareWords = fc.array(bareWord, { minLength: 1, maxLength: 3 }).map((ws) => ws.join(" "));
/** Quoted contents: spaces, colons, hashes, keys and apostrophes, but never a double quote mark or a backslash. */
const quotedContent = fc
  .string({ unit: fc.constantFrom(..."ab Z?:#'".split(""), "to:", "by:", "#x", "tags:"), maxLength: 12 })
  .map((s) => s.trim());
// why both: a quoted word among other words is kept as typed, its quote marks with it.
const quoted = (content: string): Piece => ({ text: `"${content}"`, quoted: [`"${content}"`, content] });

const textPiece: fc.Arbitrary<Piece> = fc.oneof(
  bareWords.map((text) => ({ text, quoted: [] })),
  quotedContent.map(quoted),
  // why: a quoted phrase inside unquoted words is text as typed, quote marks and all.
  fc.tuple(bareWord, quotedContent, bareWord).map(([a, p, b]) => ({ text: `${a} "${p}" ${b}`, quoted: [`"${p}"`] })),
);

const keyPiece = (key: string, values: fc.Arbitrary<string>): fc.Arbitrary<Piece> =>
  fc.oneof<fc.Arbitrary<Piece>[]>(
    values.map((v) => ({ text: `${key}:${v}`, quoted: [] })),
    quotedContent.map((c) => ({ text: `${key}:"${c}"`, quoted: [c] })),
    fc.constant({ text: `${key}:`, quoted: [] }),
    fc.constant({ text: `${key}:none`, quoted: [] }),
    quotedContent.map((c) => ({ text: `${key}:"${c}`, quoted: [] })),
  );

const optionPiece: fc.Arbitrary<Piece> = fc.oneof(
  keyPiece("to", bareWords),
  keyPiece("by", fc.constantFrom("D1", "d2", "WCIT", "2026-12-20", "Dec 20", "in 2 weeks", "nonsense")),
  keyPiece("tags", fc.constantFrom("fees", "a,b", "x y")),
  fc.constantFrom("#fees", "#access", "#Über", "#", "#foo,bar", "#-x").map((text) => ({ text, quoted: [] })),
);

const strayPiece: fc.Arbitrary<Piece> = fc.constantFrom(
  ...['"', '\\"no\\"', '"never closed', "“smart open", "to:", "by:", "#", "#a!b", "Secretariat", "by:D1 please"].map((text) => ({ text, quoted: [] })),
);

const command = fc.record({
  verb: fc.constantFrom("ask", "edit Q1"),
  pieces: fc.array(fc.oneof({ weight: 3, arbitrary: textPiece }, { weight: 4, arbitrary: optionPiece }, { weight: 1, arbitrary: strayPiece }), { maxLength: 5 }),
});

const ownKey = /(^|\s)(to|by|tags):/i;

/** What is left of a stored value once the quoted contents the member typed are taken out. */
function unquotedPart(value: string, quotedContents: readonly string[]): string {
  let rest = value;
  for (const c of [...quotedContents].filter((c) => c !== "").sort((a, b) => b.length - a.length)) rest = rest.split(c).join(" ");
  return rest;
}

/**
 * The quoted stretches of the typed text, bare and with their marks, found the way the README
 * describes quoting (a quote opens at the start of a word or right after `key:`, and runs to its
 * closing mark), independently of the tokenizer: only what lies outside them is checked.
 */
function quotedStretches(text: string): string[] {
  const closers: Record<string, string> = { '"': '"', "“": "”" };
  const chars = [...text];
  const found: string[] = [];
  for (let i = 0; i < chars.length; i++) {
    const close = closers[chars[i]!];
    const atWordStart = i === 0 || /\s/.test(chars[i - 1]!) || (chars[i - 1] === ":" && /(^|\s)[a-z]+:$/i.test(chars.slice(0, i).join("").slice(-12)));
    if (close === undefined || !atWordStart) continue;
    let end = i + 1;
    while (end < chars.length && !(chars[end] === close && chars[end - 1] !== "\\")) end++;
    found.push(chars.slice(i + 1, end).join("").replace(/\\"/g, '"').trim(), chars.slice(i, end + 1).join(""));
    i = end;
  }
  return found;
}

let h: Harness;
beforeAll(async () => {
  h = harness();
  await h.ok("deadline add WCIT opens 2027-01-20");
  await h.ok("deadline add Council meets 2027-02-10");
});
afterAll(() => h.close());

describe("generated ask and edit texts", () => {
  it("a refused command changes nothing; an accepted one stores only what the member plainly meant as text", async () => {
    // why fewer on PostgreSQL: each run reads the rows through psql; the parsing is the same on both.
    const runs = testEngine === "postgres" ? 50 : 400;
    let accepted = 0;
    let refusedCount = 0;
    await fc.assert(
      fc.asyncProperty(command, async ({ verb, pieces }) => {
        // why: every edit works on a Q1 that exists and whose fields are clean, whatever ran before.
        if (await h.store.questions.get((await h.docketOf())!.id, 1) === undefined) await h.ok("ask Seed question? to:ITU");
        else if (verb !== "ask") await h.ok("edit Q1 Seed question? to:ITU by:none tags:none");
        const text = [verb, ...pieces.map((p) => p.text)].join(" ");
        const quotedContents = [...pieces.flatMap((p) => p.quoted), ...quotedStretches(text)];
        const before = h.snapshot();
        const r = await h.run(text);
        if (r.error) {
          refusedCount++;
          expect(r.error.code, text).not.toBe("internal");
          expect(h.snapshot(), `${text} → ${replyToText(r)}`).toEqual(before);
          return;
        }
        accepted++;
        const docket = (await h.docketOf())!.id;
        const newest = (h.db.prepare("SELECT max(number) AS n FROM questions").get() as { n: number }).n;
        const changed: Question = (await h.store.questions.get(docket, verb === "ask" ? newest : 1))!;
        const fields = [changed.text, ...(changed.addressee === null ? [] : [changed.addressee])];
        for (const value of fields) {
          expect(value.trim(), text).not.toBe("");
          const plain = unquotedPart(value, quotedContents);
          // why per word: a quote mark inside a word (`don't`, `=HYPERLINK("x")`) is text as typed; one that
          // opens or closes a word is quoting, and must have come from inside the member's quotes.
          for (const word of plain.split(/\s+/).filter(Boolean)) {
            expect(word, `${text} stored ${JSON.stringify(value)}`).not.toMatch(/^["'“”‘’„«»]|["“”„«»][.,;:!?]*$|\\/);
          }
          expect(plain, `${text} stored ${JSON.stringify(value)}`).not.toMatch(ownKey);
        }
        for (const tag of changed.tags) expect(tag, text).toMatch(/^[\p{L}\p{N}_][\p{L}\p{M}\p{N}_\-.]*$/u);
      }),
      { numRuns: runs },
    );
    // why: the property says little unless both sides were exercised (about a twentieth of the runs each, at least).
    expect(accepted).toBeGreaterThan(runs / 20);
    expect(refusedCount).toBeGreaterThan(runs / 20);
  });
});
