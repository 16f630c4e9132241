import type { types } from "@slack/bolt";
import { keepRendered, type Field, type ListItem, type Ping, type Reply, type ReplyBlock } from "../../src/core/api.ts";
import { chunkEscaped, cutEscaped, escapeText, fitText, mrkdwnText } from "./escape.ts";

/** Slack's limits for one message (docs.slack.dev: blocks, section, header; chat.postMessage text). */
export const slackLimits = {
  blocksPerMessage: 50,
  sectionText: 3000,
  fieldText: 2000,
  fieldsPerSection: 10,
  headerText: 150,
  buttonText: 75,
  /** Slack truncates longer `text` and refuses about 40,000; 4,000 keeps notifications readable. */
  fallbackText: 4000,
  /** Not a documented hard limit: keeps one message's blocks well under what clients render comfortably. */
  messageChars: 12_000,
} as const;

/** The action id of the "Answer" button on each question in lists and digests; its value is the question number. */
export const answerAction = "docket_answer";

/** One Slack message: Block Kit plus the escaped text Slack shows in notifications and screen readers. */
export interface SlackMessage {
  text: string;
  blocks: types.KnownBlock[];
}

export interface RenderOptions {
  /** Put an "Answer" button on list items that name a question (default true). */
  answerButtons?: boolean;
}

interface Unit {
  block: types.KnownBlock;
  /** Escaped characters it carries, for the per-message budget and the fallback text. */
  text: string;
}

const mrkdwn = (text: string): types.MrkdwnElement => ({ type: "mrkdwn", text, verbatim: true });
const section = (text: string): Unit => ({ block: { type: "section", text: mrkdwn(text) }, text });
const context = (text: string): Unit => ({ block: { type: "context", elements: [mrkdwn(cutEscaped(text, slackLimits.sectionText))] }, text });

function textUnits(escaped: string): Unit[] {
  return chunkEscaped(escaped, slackLimits.sectionText).filter((t) => t.trim() !== "").map(section);
}

function fieldUnits(fields: readonly Field[]): Unit[] {
  const units: Unit[] = [];
  for (let i = 0; i < fields.length; i += slackLimits.fieldsPerSection) {
    const texts = fields
      .slice(i, i + slackLimits.fieldsPerSection)
      .map((f) => cutEscaped(`*${escapeText(f.label)}*\n${mrkdwnText(f.value === "" ? "—" : f.value)}`, slackLimits.fieldText));
    units.push({ block: { type: "section", fields: texts.map(mrkdwn) }, text: texts.join("\n") });
  }
  return units;
}

const itemText = (item: ListItem, bullet: string): string =>
  `${bullet}${mrkdwnText(item.text)}${item.detail ? `\n${bullet ? "    " : ""}${mrkdwnText(item.detail).replaceAll("\n", `\n${bullet ? "    " : ""}`)}` : ""}`;

function listUnits(block: Extract<ReplyBlock, { kind: "list" }>, options: Required<RenderOptions>): Unit[] {
  const units: Unit[] = [];
  if (block.title) units.push(section(`*${escapeText(block.title)}*`));
  let pending: string[] = [];
  const flush = () => {
    if (pending.length) units.push(...textUnits(pending.join("\n")));
    pending = [];
  };
  for (const item of block.items) {
    if (options.answerButtons && item.answerable && item.questionNumber !== undefined) {
      flush();
      const text = cutEscaped(itemText(item, ""), slackLimits.sectionText);
      const button: types.Button = {
        type: "button",
        action_id: answerAction,
        text: { type: "plain_text", text: "Answer", emoji: false },
        value: String(item.questionNumber),
        accessibility_label: `Answer Q${item.questionNumber}`,
      };
      units.push({ block: { type: "section", text: mrkdwn(text), accessory: button }, text });
    } else pending.push(itemText(item, "• "));
  }
  flush();
  if (block.more) units.push(context(escapeText(block.more)));
  return units;
}

/**
 * The one mention Docket writes itself: a milestone's user group (`<!subteam^ID>`) or `<!here>`,
 * from the ping an admin set, never from text. Anything not plainly a Slack id is dropped, not sent.
 */
function pingToken(ping: Ping | undefined): string {
  if (!ping || ping.platform !== "slack") return "";
  if (ping.kind === "here") return "<!here> ";
  return /^S[A-Z0-9]{2,20}$/.test(ping.id) ? `<!subteam^${ping.id}> ` : "";
}

function unitsOf(reply: Reply, options: Required<RenderOptions>): Unit[] {
  const units: Unit[] = [];
  reply.blocks.forEach((block, i) => {
    switch (block.kind) {
      case "text": {
        // why: an error reads as one, even where the client shows only the notification text.
        const prefix = reply.error && i === 0 ? ":warning: " : "";
        units.push(...textUnits(`${prefix}${mrkdwnText(block.text)}`));
        break;
      }
      case "headline":
        units.push(section(cutEscaped(`${pingToken(block.ping)}*${escapeText(block.text)}*`, slackLimits.sectionText)));
        break;
      case "fields":
        if (block.fields.length) units.push(...fieldUnits(block.fields));
        break;
      case "list":
        if (block.items.length || block.more) units.push(...listUnits(block, options));
        break;
    }
  });
  return units;
}

/**
 * A reply as Slack messages, in order. One message unless the reply outgrows Slack's 50 blocks (or
 * the per-message text budget): then it is split, the heading repeated as "(continued)" and each
 * part numbered, so a long digest arrives as several messages that read in sequence.
 */
export function renderReply(reply: Reply, options: RenderOptions = {}): SlackMessage[] {
  return drawKept(reply, options);
}

// why: a static reply (help) is the same object on every request; escaping it once is enough.
const drawKept = keepRendered(draw, (options) => options.answerButtons ?? true);

function draw(reply: Reply, options: RenderOptions): SlackMessage[] {
  const opts: Required<RenderOptions> = { answerButtons: options.answerButtons ?? true };
  const heading = reply.heading ? fitText(reply.heading, slackLimits.headerText) : undefined;
  const body = unitsOf(reply, opts);
  if (!heading && body.length === 0) body.push(section(reply.error ? ":warning: Something went wrong." : "Done."));

  // Leave room for the header and a "part i of n" line in every message.
  const room = slackLimits.blocksPerMessage - (heading ? 1 : 0) - 1;
  const parts: Unit[][] = [];
  let current: Unit[] = [];
  let chars = 0;
  for (const unit of body) {
    if (current.length > 0 && (current.length + 1 > room || chars + unit.text.length > slackLimits.messageChars)) {
      parts.push(current);
      current = [];
      chars = 0;
    }
    current.push(unit);
    chars += unit.text.length;
  }
  if (current.length > 0 || parts.length === 0) parts.push(current);

  return parts.map((units, i) => {
    const title = heading && i > 0 ? cutEscaped(`${heading} (continued)`, slackLimits.headerText) : heading;
    const all = [
      ...(title ? [{ block: { type: "header", text: { type: "plain_text", text: title, emoji: true } }, text: title } satisfies Unit] : []),
      ...units,
      ...(parts.length > 1 ? [context(`Part ${i + 1} of ${parts.length}`)] : []),
    ];
    return { blocks: all.map((u) => u.block), text: cutEscaped(all.map((u) => u.text).join("\n"), slackLimits.fallbackText) };
  });
}

/** The public line `ask` and `answer` post in the channel. */
export function renderAnnouncement(text: string): SlackMessage {
  const escaped = cutEscaped(mrkdwnText(text), slackLimits.sectionText);
  return { text: cutEscaped(escapeText(text), slackLimits.fallbackText), blocks: [{ type: "section", text: mrkdwn(escaped) }] };
}

/** A short line of our own (never member text unless escaped by the caller) as a message. */
export function renderNotice(escapedText: string): SlackMessage {
  const text = cutEscaped(escapedText, slackLimits.sectionText);
  return { text, blocks: [{ type: "section", text: mrkdwn(text) }] };
}
