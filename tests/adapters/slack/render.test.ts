import { describe, expect, it } from "vitest";
import { webApi } from "@slack/bolt";
import { ChatError } from "../../../src/core/chat.ts";
import type { Reply } from "../../../src/core/reply.ts";
import { chunkEscaped, cutEscaped, escapeText, mrkdwnText } from "../../../adapters/slack/escape.ts";
import { blockErrors, submittedValues } from "../../../adapters/slack/modals.ts";
import { renderAnnouncement, renderReply, slackLimits } from "../../../adapters/slack/render.ts";
import { toChatError } from "../../../adapters/slack/slack-errors.ts";
import { commandInvocation, typedText } from "../../../adapters/slack/to-invocation.ts";
import { stringsIn } from "./support.ts";

type Block = { type: string; text?: { type: string; text: string; verbatim?: boolean }; fields?: Array<{ text: string }>; accessory?: { action_id: string; value: string }; elements?: Array<{ text: string }> };
const blocksOf = (r: Reply) => renderReply(r).map((m) => m.blocks as Block[]);

describe("escaping", () => {
  it("escapes exactly &, < and >", () => {
    expect(escapeText("<!here> & <@U1> 'quotes' \"too\"")).toBe("&lt;!here&gt; &amp; &lt;@U1&gt; 'quotes' \"too\"");
  });

  it("links bare URLs in member text, leaving trailing punctuation outside", () => {
    expect(mrkdwnText("See https://www.itu.int/en/join?a=1&b=2. Thanks")).toBe("See <https://www.itu.int/en/join?a=1&amp;b=2>. Thanks");
    expect(mrkdwnText("<https://evil.example|click>")).toBe("&lt;<https://evil.example>|click&gt;");
    expect(mrkdwnText("(see <https://www.itu.int/wcit>)")).toBe("(see &lt;<https://www.itu.int/wcit>&gt;)");
  });

  it("never cuts inside an entity or a link", () => {
    expect(cutEscaped("abc&amp;def", 6)).toBe("abc…");
    expect(cutEscaped("ab <https://x.org/long> c", 10)).toBe("ab …");
    for (const piece of chunkEscaped(`${"&lt;".repeat(1000)}`, 3000)) expect(piece).toMatch(/^(&lt;)+$/);
  });
});

describe("rendering a reply as Block Kit", () => {
  it("draws the heading as a header, text as mrkdwn sections with verbatim, fields as section fields", () => {
    const [blocks] = blocksOf({ visibility: "ephemeral", heading: "Added Q1", blocks: [{ kind: "text", text: "Why <b>?" }, { kind: "fields", fields: [{ label: "Asked of", value: "ITU & co" }] }] });
    expect(blocks).toEqual([
      { type: "header", text: { type: "plain_text", text: "Added Q1", emoji: true } },
      { type: "section", text: { type: "mrkdwn", text: "Why &lt;b&gt;?", verbatim: true } },
      { type: "section", fields: [{ type: "mrkdwn", text: "*Asked of*\nITU &amp; co", verbatim: true }] },
    ]);
  });

  it("keeps to Slack's limits: header 150, section 3,000, ten fields a section", () => {
    const blocks = blocksOf({
      visibility: "ephemeral",
      heading: "H".repeat(400),
      blocks: [{ kind: "text", text: "word ".repeat(2000) }, { kind: "fields", fields: Array.from({ length: 13 }, (_, i) => ({ label: `F${i}`, value: "v".repeat(3000) })) }],
    }).flat();
    expect(blocks[0]!.text!.text.length).toBeLessThanOrEqual(slackLimits.headerText);
    const sections = blocks.filter((b) => b.type === "section" && b.text);
    expect(sections.length).toBe(4);
    for (const s of sections) expect(s.text!.text.length).toBeLessThanOrEqual(slackLimits.sectionText);
    const fields = blocks.filter((b) => b.fields);
    expect(fields.map((b) => b.fields!.length)).toEqual([10, 3]);
    for (const f of fields.flatMap((b) => b.fields!)) expect(f.text.length).toBeLessThanOrEqual(slackLimits.fieldText);
  });

  it("gives each question of a list an Answer button, and packs other items as bullets", () => {
    const [blocks] = blocksOf({
      visibility: "channel",
      blocks: [
        { kind: "list", title: "Countdown", items: [{ text: "D1 WCIT is in 3 days" }, { text: "D2 Council is in 9 days" }] },
        { kind: "list", title: "Still open", items: [{ text: "Q4 Who chairs?", detail: "to ITU · asked 2 days ago", questionNumber: 4, answerable: true as const }], more: "and 3 more — /docket list" },
      ],
    });
    expect(blocks!.map((b) => b.type)).toEqual(["section", "section", "section", "section", "context"]);
    expect(blocks![1]!.text!.text).toBe("• D1 WCIT is in 3 days\n• D2 Council is in 9 days");
    expect(blocks![3]!.accessory).toMatchObject({ type: "button", action_id: "docket_answer", value: "4" });
    expect(blocks![3]!.text!.text).toBe("Q4 Who chairs?\nto ITU · asked 2 days ago");
  });

  it("splits what outgrows 50 blocks into numbered messages, in order, the heading continued", () => {
    const items = Array.from({ length: 120 }, (_, i) => ({ text: `Q${i + 1} Question`, questionNumber: i + 1, answerable: true as const }));
    const messages = renderReply({ visibility: "channel", heading: "Docket digest", blocks: [{ kind: "list", items }] });
    expect(messages.length).toBe(3);
    messages.forEach((m, i) => {
      expect(m.blocks.length).toBeLessThanOrEqual(50);
      expect(m.text.length).toBeLessThanOrEqual(slackLimits.fallbackText);
      const texts = stringsIn(m.blocks);
      expect(texts).toContain(i === 0 ? "Docket digest" : "Docket digest (continued)");
      expect(texts).toContain(`Part ${i + 1} of 3`);
    });
    const order = messages.flatMap((m) => (m.blocks as Block[]).flatMap((b) => (b.accessory ? [Number(b.accessory.value)] : [])));
    expect(order).toEqual(items.map((i) => i.questionNumber));
  });

  it("marks an error as one", () => {
    const [m] = renderReply({ visibility: "ephemeral", blocks: [{ kind: "text", text: "There is no Q9." }], error: { code: "question.not_found" } });
    expect(m!.text).toBe(":warning: There is no Q9.");
  });

  it("renders the public line escaped", () => {
    expect(renderAnnouncement("ana asked Q2: <!channel>?").blocks).toEqual([{ type: "section", text: { type: "mrkdwn", text: "ana asked Q2: &lt;!channel&gt;?", verbatim: true } }]);
  });
});

describe("reading Slack payloads", () => {
  it("turns a slash command into an invocation of its team, channel and member", () => {
    expect(commandInvocation({ team_id: "T1", team_domain: "coalition", channel_id: "C1", channel_name: "general", user_id: "U1", user_name: "ana", text: "list" }, { isAdmin: true, displayName: "Ana" })).toEqual({
      workspace: { platform: "slack", id: "T1", name: "coalition" },
      channel: { id: "C1", name: "general" },
      actor: { id: "U1", displayName: "Ana", role: { isPlatformAdmin: true, roleIds: [] } },
    });
    // Without users.info, the role is unknown, not "no admin": the core asks for it when a command needs it.
    expect(commandInvocation({ team_id: "T1", channel_id: "C1", user_id: "U1", user_name: "ana", text: "" }).actor).toEqual({ id: "U1", displayName: "ana" });
  });

  it("reads a command's text as the member typed it, from Slack's escaped wire form", () => {
    // What Slack sends (should_escape on) for: ask Is R&D <covered>? @here #access to:@ana source:https://www.itu.int/a?b=1&c=2 itu.int
    const wire = "ask Is R&amp;D &lt;covered&gt;? <!here> <#C0ACCESS|access> to:<@U0ANA|ana> source:<https://www.itu.int/a?b=1&amp;c=2> <http://itu.int|itu.int>";
    expect(typedText(wire)).toEqual([
      "ask Is R&D <covered>? @here #access to:",
      { kind: "member", id: "U0ANA", label: "ana" },
      " source:https://www.itu.int/a?b=1&c=2 itu.int",
    ]);
    // Characters typed literally stay text, even where they spell a mention once unescaped; user groups arrive resolved.
    expect(typedText("&lt;!channel&gt; &amp;lt; <!subteam^S1|@coalition> <!subteam^S2> <mailto:ana@example.org|ana@example.org>")).toEqual([
      "<!channel> &lt; ",
      { kind: "role", id: "S1", label: "coalition" },
      " ",
      { kind: "role", id: "S2", label: "S2" },
      " ana@example.org",
    ]);
    expect(typedText("list open")).toBe("list open");
  });

  it("reads modal fields as the form's values: a deadline or a date as one field, a ticked box as yes", () => {
    const v = (value: string) => ({ value: { type: "plain_text_input", value } });
    expect(submittedValues({ text: v("Why?"), to: v("ITU"), tags: v("#a #b"), by_date: { value: { type: "datepicker", selected_date: "2026-12-01" } }, by_deadline: { value: { type: "static_select", selected_option: null } } })).toEqual({
      values: { text: "Why?", to: "ITU", by: "2026-12-01", tags: "#a #b" },
    });
    expect(submittedValues({ text: v("Yes"), source: v(" "), partial: { value: { type: "checkboxes", selected_options: [{ text: { type: "plain_text", text: "x" }, value: "yes" }] } } })).toEqual({
      values: { text: "Yes", source: " ", partial: true },
    });
    expect(submittedValues({ by_date: { value: { type: "datepicker", selected_date: "2026-12-01" } }, by_deadline: { value: { type: "static_select", selected_option: { text: { type: "plain_text", text: "D1" }, value: "D1" } } } })).toEqual({
      errors: { by_date: "Choose a deadline or a date, not both." },
    });
  });

  it("puts a core field error on the block it is about, escaped", () => {
    const input = (block_id: string) => ({ type: "input", block_id, label: { type: "plain_text", text: block_id }, element: { type: "plain_text_input" } });
    const view = { blocks: ["text", "to", "by_deadline", "by_date", "tags"].map(input), state: { values: {} } } as unknown as Parameters<typeof blockErrors>[0];
    expect(blockErrors(view, { to: "bad <to>" })).toEqual({ to: "bad &lt;to&gt;" });
    expect(blockErrors(view, { by: "bad date" })).toEqual({ by_date: "bad date" });
    const picked = { ...view, state: { values: { by_deadline: { value: { type: "static_select", selected_option: { text: { type: "plain_text", text: "D9" }, value: "D9" } } } } } } as typeof view;
    expect(blockErrors(picked, { by: "no D9" })).toEqual({ by_deadline: "no D9" });
    expect(blockErrors(view, { question: "gone" })).toEqual({ text: "gone" });
  });
});

describe("Slack errors as chat errors", () => {
  const platform = (error: string) => new webApi.WebAPIPlatformError({ ok: false, error });
  it("treats a gone or forbidden channel as permanent, the rest as retryable", () => {
    for (const code of ["not_in_channel", "channel_not_found", "is_archived", "account_inactive", "token_revoked", "missing_scope", "invalid_auth"]) expect(toChatError(platform(code)).kind, code).toBe("permanent");
    expect(toChatError(platform("internal_error")).kind).toBe("retryable");
    expect(toChatError(new webApi.WebAPIRateLimitedError(30))).toMatchObject({ kind: "retryable", retryAfterMs: 30_000 });
    expect(toChatError(new webApi.WebAPIHTTPError(502, "Bad Gateway", {}))).toMatchObject({ kind: "retryable", message: "Slack answered HTTP 502" });
    expect(toChatError(new Error("socket hang up"))).toBeInstanceOf(ChatError);
  });
});
