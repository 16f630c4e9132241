import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed, type APIEmbedField } from "discord.js";
import { keepRendered, type Reply } from "../../src/core/api.ts";
import { escapeText, fit, splitText } from "./markdown.ts";
import { customIds } from "./modals.ts";

/** Discord's message and embed limits (discord.com/developers/docs/resources/message#embed-object-embed-limits). */
export const discordLimits = {
  content: 2000,
  embedsPerMessage: 10,
  embedCharacters: 6000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  buttonsPerRow: 5,
  rows: 5,
} as const;

/** One message as Docket sends it: what goes in a create or edit body, all within the limits above. */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: Array<APIActionRowComponent<APIButtonComponent>>;
  /**
   * Only on a digest message whose milestone pings a role: exactly that role may be mentioned, and
   * nothing is parsed. Every other message goes out with `{ parse: [] }` (discord-chat.ts).
   */
  allowed_mentions?: RoleMentions;
}

/** What a milestone's message allows: no parsing at all, only these role ids. */
export interface RoleMentions {
  parse: [];
  roles: string[];
}

export interface RenderOptions {
  /** Offer an "Answer Q3" button for each answerable question the message lists (digests). Default: no buttons. */
  answerButtons?: boolean;
}

const colour = { reply: 0x5865f2, digest: 0x2f855a } as const;

/** A line or a list item, already escaped, with the open question it offers to answer. */
interface Unit {
  text: string;
  questionNumber?: number;
}

interface Section {
  title?: string;
  units: Unit[];
  fields: APIEmbedField[];
}

interface Drawn {
  embed: APIEmbed;
  questions: number[];
}

/**
 * Draws a core reply as Discord messages, in order: the heading and each list become embeds
 * (lists titled by their title), text goes in descriptions, fields stay fields. Whatever exceeds
 * an embed's or a message's limits continues in the next embed or message; nothing is dropped.
 * Errors are plain content.
 */
export function renderReply(reply: Reply, options: RenderOptions = {}): DiscordMessage[] {
  return drawKept(reply, options);
}

// why: a static reply (help) is the same object on every request; escaping it once is enough.
const drawKept = keepRendered(draw, (options) => options.answerButtons ?? false);

function draw(reply: Reply, options: RenderOptions): DiscordMessage[] {
  if (reply.error) return contentMessages(reply.blocks.map((b) => (b.kind === "text" ? escapeText(b.text) : "")).filter(Boolean).join("\n"));
  const sections = sectionsOf(reply);
  const embeds = sections.flatMap((s) => drawSection(s, reply.visibility === "channel" ? colour.digest : colour.reply));
  if (embeds.length === 0) return contentMessages(escapeText(reply.heading ?? "Done."));
  const messages: DiscordMessage[] = pack(embeds).map((group) => ({ embeds: group.map((d) => d.embed), components: options.answerButtons ? buttons(group) : [] }));
  const roles = pingedRoles(reply);
  // why content: mentions in embeds never notify; the content carries the role mentions alone, no text of anyone's.
  if (roles.length > 0) messages[0] = { content: roles.map((id) => `<@&${id}>`).join(" "), ...messages[0]!, allowed_mentions: { parse: [], roles } };
  return messages;
}

/**
 * The roles the reply's milestone headlines ping on Discord, from the ping an admin set. Only role
 * pings are drawn (Discord's @here is not offered), and only plain snowflakes.
 */
function pingedRoles(reply: Reply): string[] {
  const ids = reply.blocks.flatMap((b) => (b.kind === "headline" && b.ping?.platform === "discord" && b.ping.kind === "role" && /^\d{15,21}$/.test(b.ping.id) ? [b.ping.id] : []));
  return [...new Set(ids)];
}

/** Plain text as one or more messages of at most 2,000 characters. */
export function contentMessages(text: string): DiscordMessage[] {
  return splitText(text || "Done.", discordLimits.content).map((content) => ({ content, embeds: [], components: [] }));
}

function sectionsOf(reply: Reply): Section[] {
  const sections: Section[] = [];
  let current: Section = { units: [], fields: [], ...(reply.heading ? { title: escapeText(reply.heading) } : {}) };
  const next = (title?: string) => {
    if (current.title !== undefined || current.units.length > 0 || current.fields.length > 0) sections.push(current);
    current = { units: [], fields: [], ...(title ? { title } : {}) };
  };
  for (const block of reply.blocks) {
    switch (block.kind) {
      case "headline":
        if (current.fields.length > 0) next();
        current.units.push({ text: `**${escapeText(block.text)}**` });
        break;
      case "text":
        // why: an embed shows its description above its fields; text after fields needs the next embed.
        if (current.fields.length > 0) next();
        current.units.push({ text: escapeText(block.text) });
        break;
      case "fields":
        for (const f of block.fields) {
          const name = escapeText(f.label);
          const value = escapeText(f.value) || "\u200b";
          if (name.length <= discordLimits.fieldName && value.length <= discordLimits.fieldValue) {
            if (current.fields.length === discordLimits.fields) next();
            current.fields.push({ name, value, inline: value.length <= 60 });
          } else {
            // why: a long answer does not fit a field's 1,024 characters; as text it continues instead of being cut.
            if (current.fields.length > 0) next();
            current.units.push({ text: `**${name}**\n${value}` });
          }
        }
        break;
      case "list":
        next(block.title ? escapeText(block.title) : undefined);
        for (const item of block.items) {
          const detail = item.detail ? `\n\u2003${escapeText(item.detail.replace(/\s*\n\s*/g, " "))}` : "";
          current.units.push({ text: `• ${escapeText(item.text)}${detail}`, ...(item.answerable && item.questionNumber !== undefined ? { questionNumber: item.questionNumber } : {}) });
        }
        if (block.more) current.units.push({ text: `*${escapeText(block.more)}*` });
        break;
    }
  }
  next();
  return sections;
}

const embedSize = (e: APIEmbed): number =>
  (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

/** One section as as many embeds as its text and fields need; only the first carries the title. */
function drawSection(section: Section, color: number): Drawn[] {
  const drawn: Drawn[] = [];
  let embed: APIEmbed = { color, ...(section.title ? { title: fit(section.title, discordLimits.title) } : {}) };
  let description = "";
  let questions: number[] = [];
  const close = () => {
    if (description) embed.description = description;
    if (embed.title !== undefined || description || (embed.fields?.length ?? 0) > 0) drawn.push({ embed, questions });
    embed = { color };
    description = "";
    questions = [];
  };
  for (const unit of section.units) {
    for (const piece of splitText(unit.text, discordLimits.description)) {
      if (description && description.length + 1 + piece.length > discordLimits.description) close();
      description = description ? `${description}\n${piece}` : piece;
      if (unit.questionNumber !== undefined) questions.push(unit.questionNumber);
    }
  }
  for (const field of section.fields) {
    const size = embedSize(embed) + description.length + field.name.length + field.value.length;
    if ((embed.fields?.length ?? 0) === discordLimits.fields || size > discordLimits.embedCharacters) close();
    (embed.fields ??= []).push(field);
  }
  close();
  return drawn;
}

/** Embeds into messages, in order: at most 10 and 6,000 characters each. */
function pack(embeds: Drawn[]): Drawn[][] {
  const messages: Drawn[][] = [];
  let current: Drawn[] = [];
  let size = 0;
  for (const d of embeds) {
    const s = embedSize(d.embed);
    if (current.length > 0 && (current.length === discordLimits.embedsPerMessage || size + s > discordLimits.embedCharacters)) {
      messages.push(current);
      current = [];
      size = 0;
    }
    current.push(d);
    size += s;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}

/** "Answer Q3" buttons for the open questions a message shows, first listed first: at most 5 rows of 5. */
function buttons(group: Drawn[]): Array<APIActionRowComponent<APIButtonComponent>> {
  const numbers = [...new Set(group.flatMap((d) => d.questions))].slice(0, discordLimits.rows * discordLimits.buttonsPerRow);
  const rows: Array<APIActionRowComponent<APIButtonComponent>> = [];
  for (let i = 0; i < numbers.length; i += discordLimits.buttonsPerRow)
    rows.push({
      type: ComponentType.ActionRow,
      components: numbers.slice(i, i + discordLimits.buttonsPerRow).map((n) => ({ type: ComponentType.Button, style: ButtonStyle.Primary, label: `Answer Q${n}`, custom_id: customIds.answerButton(n) })),
    });
  return rows;
}

/** The public line `ask` and `answer` post in the channel. */
export const announcementMessage = (text: string): DiscordMessage => ({ content: fit(escapeText(text), discordLimits.content), embeds: [], components: [] });

/** A core reply as an interaction sends it: its messages in order, the file the first carries, whether private, and the public line. */
export interface InteractionReply {
  messages: DiscordMessage[];
  file?: { name: string; data: Buffer; description: string };
  ephemeral: boolean;
  announcement?: DiscordMessage;
}

/**
 * Plans the response to an interaction, over the gateway or HTTP alike. A file larger than
 * `attachmentLimit` (bytes, from the interaction) is replaced by a message saying so.
 */
export function interactionReply(reply: Reply, attachmentLimit: number): InteractionReply {
  const ephemeral = reply.visibility === "ephemeral" || reply.error !== undefined;
  let messages = renderReply(reply);
  let file: InteractionReply["file"];
  if (reply.file) {
    const data = Buffer.from(reply.file.content, "utf8");
    if (data.length > attachmentLimit) {
      const write = reply.file.serverCommand ? ` Whoever runs Docket can write it with: ${reply.file.serverCommand}` : "";
      messages = contentMessages(`The export is ${(data.length / 1048576).toFixed(1)} MB, more than Discord lets Docket attach here (${(attachmentLimit / 1048576).toFixed(1)} MB).${write}`);
    } else file = { name: reply.file.name, data, description: reply.heading ?? reply.file.name };
  }
  return { messages, ephemeral, ...(file ? { file } : {}), ...(reply.announcement && !reply.error ? { announcement: announcementMessage(reply.announcement) } : {}) };
}
