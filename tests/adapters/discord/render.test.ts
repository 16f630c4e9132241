/** Rendering replies as Discord messages: pure, within Discord's limits, split in order, escaped. */
import { describe, expect, it } from "vitest";
import { discordLimits, renderReply, type DiscordMessage } from "../../../adapters/discord/render.ts";
import { escapeText, fit, splitText } from "../../../adapters/discord/markdown.ts";
import type { Reply } from "../../../src/core/reply.ts";

const size = (m: DiscordMessage) => m.embeds.reduce((n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.fields ?? []).reduce((k, f) => k + f.name.length + f.value.length, 0), 0);

function expectWithinLimits(messages: DiscordMessage[]) {
  for (const m of messages) {
    expect(m.content?.length ?? 0).toBeLessThanOrEqual(discordLimits.content);
    expect(m.embeds.length).toBeLessThanOrEqual(discordLimits.embedsPerMessage);
    expect(size(m)).toBeLessThanOrEqual(discordLimits.embedCharacters);
    expect(m.components.length).toBeLessThanOrEqual(discordLimits.rows);
    for (const row of m.components) expect(row.components.length).toBeLessThanOrEqual(discordLimits.buttonsPerRow);
    for (const e of m.embeds) {
      expect(e.title?.length ?? 0).toBeLessThanOrEqual(discordLimits.title);
      expect(e.description?.length ?? 0).toBeLessThanOrEqual(discordLimits.description);
      expect(e.fields?.length ?? 0).toBeLessThanOrEqual(discordLimits.fields);
      for (const f of e.fields ?? []) {
        expect(f.name.length).toBeLessThanOrEqual(discordLimits.fieldName);
        expect(f.value.length).toBeLessThanOrEqual(discordLimits.fieldValue);
      }
    }
  }
}

const allText = (messages: DiscordMessage[]) => messages.flatMap((m) => [m.content ?? "", ...m.embeds.flatMap((e) => [e.title ?? "", e.description ?? "", ...(e.fields ?? []).map((f) => `${f.name}: ${f.value}`)])]).join("\n");

describe("renderReply", () => {
  it("draws a heading, text and fields as one embed, and each list as its own titled embed", () => {
    const reply: Reply = {
      visibility: "ephemeral",
      heading: "Q3 · open",
      blocks: [
        { kind: "text", text: "What does it cost?" },
        { kind: "fields", fields: [{ label: "Asked of", value: "ITU" }] },
        { kind: "list", title: "Answers", items: [{ text: "CHF 10,600", detail: "answer logged by ana" }], more: "and 2 more" },
      ],
    };
    const [message, ...rest] = renderReply(reply);
    expect(rest).toEqual([]);
    expect(message!.content).toBeUndefined();
    expect(message!.embeds.map((e) => [e.title, e.description, e.fields])).toEqual([
      ["Q3 · open", "What does it cost?", [{ name: "Asked of", value: "ITU", inline: true }]],
      ["Answers", "• CHF 10,600\n\u2003answer logged by ana\n*and 2 more*", undefined],
    ]);
  });

  it("escapes markdown in user text but leaves mention syntax to allowed_mentions", () => {
    const [message] = renderReply({ visibility: "ephemeral", heading: "**Bold** claim", blocks: [{ kind: "text", text: "# Heading\n- item `code` ||spoiler|| [link](https://x.y) \\ @everyone <@&123>" }] });
    expect(message!.embeds[0]!.title).toBe("\\*\\*Bold\\*\\* claim");
    expect(message!.embeds[0]!.description).toBe("\\# Heading\n\\- item \\`code\\` \\|\\|spoiler\\|\\| \\[link](https://x.y) \\\\ @everyone <@&123>");
  });

  it("escapes every masked link on a line, block quotes and subtext", () => {
    expect(escapeText("[a](https://x.y) and [docs](https://evil.example)")).toBe("\\[a](https://x.y) and \\[docs](https://evil.example)");
    expect(escapeText("> quoted\n>>> all the rest\n  > indented")).toBe("\\> quoted\n\\>>> all the rest\n  \\> indented");
    expect(escapeText("-# small print")).toBe("\\-# small print");
    // Only at the start of a line do they mean anything.
    expect(escapeText("a > b -# c")).toBe("a > b -# c");
  });

  it("renders a user error as plain content", () => {
    expect(renderReply({ visibility: "ephemeral", blocks: [{ kind: "text", text: "There is no Q9 in this docket." }], error: { code: "question.not_found" } })).toEqual([
      { content: "There is no Q9 in this docket.", embeds: [], components: [] },
    ]);
  });

  it("moves a field too long for Discord into the description rather than cutting it", () => {
    const answer = "a ".repeat(900).trim();
    const [message] = renderReply({ visibility: "ephemeral", heading: "Logged", blocks: [{ kind: "fields", fields: [{ label: "Answer", value: answer }, { label: "Source", value: "none given" }] }] });
    expect(message!.embeds[0]!.description).toBe(`**Answer**\n${answer}`);
    expect(message!.embeds[0]!.fields).toEqual([{ name: "Source", value: "none given", inline: true }]);
  });

  it("splits a long list across embeds and messages in order, within every limit", () => {
    const items = Array.from({ length: 120 }, (_, i) => ({ text: `Q${i + 1} ${"word ".repeat(40)}`, detail: `${"detail ".repeat(30)}`, questionNumber: i + 1, ...(i % 2 === 0 ? { answerable: true as const } : {}) }));
    const reply: Reply = { visibility: "channel", heading: "Docket digest · Monday 30 November 2026", blocks: [{ kind: "text", text: "120 open" }, { kind: "list", title: "Still open, oldest first", items }] };
    const messages = renderReply(reply, { answerButtons: true });
    expect(messages.length).toBeGreaterThan(3);
    expectWithinLimits(messages);
    const numbers = [...allText(messages).matchAll(/• Q(\d+) /g)].map((m) => Number(m[1]));
    expect(numbers).toEqual(items.map((_, i) => i + 1));
    // Each message offers the odd questions it lists, at most 25.
    for (const m of messages) {
      const listed = [...allText([m]).matchAll(/• Q(\d+) /g)].map((x) => Number(x[1]));
      const offered = m.components.flatMap((row) => row.components.map((b) => ("custom_id" in b ? b.custom_id : "")));
      expect(offered).toEqual(listed.filter((n) => n % 2 === 1).slice(0, 25).map((n) => `docket:answer:${n}`));
    }
    expect(messages[0]!.embeds[0]!.title).toBe("Docket digest · Monday 30 November 2026");
  });

  it("splits one huge text into several embeds without losing a character", () => {
    const text = Array.from({ length: 3000 }, (_, i) => `w${i}`).join(" ");
    const messages = renderReply({ visibility: "ephemeral", heading: "Long", blocks: [{ kind: "text", text }] });
    expectWithinLimits(messages);
    expect(messages.flatMap((m) => m.embeds.map((e) => e.description ?? "")).join(" ")).toBe(text);
  });

  it("keeps 26 and more fields within 25 per embed", () => {
    const fields = Array.from({ length: 60 }, (_, i) => ({ label: `Field ${i}`, value: "v".repeat(300) }));
    const messages = renderReply({ visibility: "ephemeral", heading: "Fields", blocks: [{ kind: "fields", fields }] });
    expectWithinLimits(messages);
    expect(messages.flatMap((m) => m.embeds.flatMap((e) => e.fields ?? [])).map((f) => f.name)).toEqual(fields.map((f) => f.label));
  });
});

describe("markdown helpers", () => {
  it("fit cuts with an ellipsis and never leaves a dangling escape or half a surrogate pair", () => {
    expect(fit("abcdef", 4)).toBe("abc…");
    expect(fit(escapeText("ab*cd"), 4)).toBe("ab…");
    expect(fit("ab😀cd", 4)).toBe("ab…");
  });

  it("splitText prefers line breaks, then spaces", () => {
    expect(splitText("aaaaaa\nbbbb cccc", 12)).toEqual(["aaaaaa", "bbbb cccc"]);
    // An escape is never split from what it escapes.
    expect(splitText("a\\*b", 2)).toEqual(["a", "\\*", "b"]);
    expect(splitText("aaaa bbbb cccc", 10)).toEqual(["aaaa bbbb", "cccc"]);
    expect(splitText("", 10)).toEqual([""]);
  });
});
