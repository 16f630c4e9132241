import {
  AttachmentBuilder,
  MessageFlags,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type ModalSubmitInteraction,
  type RepliableInteraction,
} from "discord.js";
import type { Invocation } from "../../src/core/context.ts";
import type { Core, Logger } from "../../src/core/core.ts";
import type { RawOptions } from "../../src/core/parse/bind.ts";
import type { Reply } from "../../src/core/reply.ts";
import { excerpt } from "../../src/core/text.ts";
import { autocompleted } from "./command-definitions.ts";
import { noMentions } from "./discord-chat.ts";
import { answerModal, askModal, formOptions, parseCustomId, questionNumber } from "./modals.ts";
import { announcementMessage, contentMessages, renderReply, type DiscordMessage } from "./render.ts";
import { commandNameOf, factsOf, leafOptions, rawOptions, toInvocation } from "./to-invocation.ts";

/**
 * Commands that may take a while on a big docket: they are acknowledged first (deferReply), so
 * Discord's 3-second limit cannot fail them, and the reply follows by editing.
 */
export const deferredCommands: ReadonlySet<string> = new Set(["export", "search", "digest preview"]);

const zones = Intl.supportedValuesOf("timeZone");

export interface InteractionDeps {
  core: Core;
  log: Logger;
}

/** Routes one interaction to its handler; Docket's own failures are logged and apologised for. */
export async function handleInteraction(interaction: Interaction, deps: InteractionDeps): Promise<void> {
  try {
    if (interaction.isAutocomplete()) await autocomplete(interaction, deps);
    else if (interaction.isChatInputCommand()) await chatInput(interaction, deps);
    else if (interaction.isButton()) await button(interaction, deps);
    else if (interaction.isModalSubmit()) await modalSubmit(interaction, deps);
  } catch (error) {
    deps.log.error("Discord interaction failed", { error: error instanceof Error ? (error.stack ?? error.message) : String(error), interaction: interaction.id, guild: interaction.guildId });
    const sorry = "Sorry, something went wrong on Docket's side. Please try again.";
    // why: a failure reply that fails too (expired token, Discord down) has nothing left to tell anyone.
    const ignore = () => undefined;
    if (!interaction.isRepliable() || interaction.replied) return;
    if (interaction.deferred) await interaction.editReply({ content: sorry, allowedMentions: noMentions }).catch(ignore);
    else await interaction.reply({ content: sorry, flags: MessageFlags.Ephemeral, allowedMentions: noMentions }).catch(ignore);
  }
}

/** The interaction's invocation, or an ephemeral "servers only" answer and `undefined`. */
async function invocationOr(interaction: RepliableInteraction, core: Core): Promise<Invocation | undefined> {
  const invocation = toInvocation(factsOf(interaction));
  if (!invocation) await interaction.reply({ content: `Docket works inside a server: run /${core.settings.commandName} in one of its channels.`, flags: MessageFlags.Ephemeral, allowedMentions: noMentions });
  return invocation;
}

async function chatInput(interaction: ChatInputCommandInteraction, { core, log }: InteractionDeps): Promise<void> {
  const root = core.settings.commandName;
  if (interaction.commandName !== root) {
    await interaction.reply({ content: `/${interaction.commandName} is no longer Docket's command: use /${root}.`, flags: MessageFlags.Ephemeral, allowedMentions: noMentions });
    return;
  }
  const invocation = await invocationOr(interaction, core);
  if (!invocation) return;
  const name = commandNameOf(interaction.options.getSubcommandGroup(false), interaction.options.getSubcommand(false));
  const raw = rawOptions(leafOptions(interaction.options.data));
  if (name === "ask" && raw.text === undefined) {
    await interaction.showModal(askModal(core.commands, raw));
    return;
  }
  if (name === "answer" && raw.text === undefined) {
    await openAnswerForm(interaction, core, invocation, raw.question, raw);
    return;
  }
  const deferred = deferredCommands.has(name);
  if (deferred) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const reply = core.run(invocation, name, raw);
  log.debug("Discord command", { command: name, guild: invocation.workspace.id, error: reply.error?.code });
  await respond(interaction, reply, core.docketOf(invocation)?.id);
}

/** Opens the answer form for a question that exists, showing its text; otherwise says why not. */
async function openAnswerForm(interaction: ChatInputCommandInteraction | ButtonInteraction, core: Core, invocation: Invocation, question: string | undefined, prefill: RawOptions = {}): Promise<void> {
  const number = questionNumber(question);
  const found = number === undefined ? undefined : core.question(invocation, number);
  if (!found) {
    // why: `show` words the refusal (no such question, not in this docket, not a question number) as the core does everywhere else.
    await respond(interaction, core.run(invocation, "show", question === undefined ? {} : { question }));
    return;
  }
  await interaction.showModal(answerModal(core.commands, found.number, `Q${found.number}: ${excerpt(found.text, 90)}`, prefill));
}

async function button(interaction: ButtonInteraction, { core }: InteractionDeps): Promise<void> {
  const id = parseCustomId(interaction.customId);
  if (id?.kind !== "answer-button") return;
  const invocation = await invocationOr(interaction, core);
  if (!invocation) return;
  await openAnswerForm(interaction, core, invocation, `Q${id.question}`);
}

async function modalSubmit(interaction: ModalSubmitInteraction, { core }: InteractionDeps): Promise<void> {
  const id = parseCustomId(interaction.customId);
  if (id?.kind !== "ask-form" && id?.kind !== "answer-form") return;
  const invocation = await invocationOr(interaction, core);
  if (!invocation) return;
  const values = new Map<string, string>();
  for (const [key, field] of interaction.fields.fields) if ("value" in field && typeof field.value === "string") values.set(key, field.value);
  const reply =
    id.kind === "ask-form" ? core.run(invocation, "ask", formOptions(values, ["text", "to", "by", "tags"]))
    : core.run(invocation, "answer", { ...formOptions(values, ["text", "source", "partial"]), question: `Q${id.question}` });
  await respond(interaction, reply);
}

async function autocomplete(interaction: AutocompleteInteraction, { core }: InteractionDeps): Promise<void> {
  const invocation = toInvocation(factsOf(interaction));
  const focused = interaction.options.getFocused(true);
  const name = commandNameOf(interaction.options.getSubcommandGroup(false), interaction.options.getSubcommand(false));
  const kind = core.commands.find((c) => c.name === name)?.options.find((o) => o.name === focused.name)?.kind;
  const typed = String(focused.value);
  let choices: Array<{ name: string; value: string }> = [];
  if (invocation && kind && autocompleted.has(kind)) {
    if (kind === "question") choices = core.suggest(invocation, "question", typed, 25);
    else if (kind === "zone") choices = zones.filter((z) => z.toLowerCase().includes(typed.trim().toLowerCase())).slice(0, 25).map((z) => ({ name: z, value: z }));
    else choices = core.suggest(invocation, "deadline", typed, 25);
  }
  // why: Discord takes at most 25 choices and shows nothing at all when any is invalid.
  await interaction.respond(choices.filter((c) => c.name.length >= 1 && c.name.length <= 100 && c.value.length <= 100).slice(0, 25));
}

/**
 * Sends a core reply as the interaction's response: the reply, its follow-ups, a file, and the
 * public line. `docketId` names the docket in the advice for a file too large to attach.
 */
export async function respond(interaction: RepliableInteraction, reply: Reply, docketId?: number): Promise<void> {
  const ephemeral = reply.visibility === "ephemeral" || reply.error !== undefined;
  let messages = renderReply(reply);
  let files: AttachmentBuilder[] = [];
  if (reply.file) {
    const data = Buffer.from(reply.file.content, "utf8");
    const limit = interaction.attachmentSizeLimit;
    if (data.length > limit) {
      const write = `docket export --format ${reply.file.name.split(".").pop() ?? "md"}${docketId === undefined ? "" : ` --docket ${docketId}`}`;
      messages = contentMessages(`The export is ${(data.length / 1048576).toFixed(1)} MB, more than Discord lets Docket attach here (${(limit / 1048576).toFixed(1)} MB). Whoever runs Docket can write it with: ${write}`);
    } else files = [new AttachmentBuilder(data, { name: reply.file.name, description: reply.heading ?? reply.file.name })];
  }
  const options = (m: DiscordMessage, withFiles: boolean) => ({
    ...(m.content !== undefined ? { content: m.content } : {}),
    embeds: m.embeds,
    components: m.components,
    allowedMentions: noMentions,
    ...(withFiles && files.length ? { files } : {}),
  });
  const [first, ...rest] = messages;
  if (first) {
    if (interaction.deferred) await interaction.editReply(options(first, true));
    else await interaction.reply({ ...options(first, true), ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
  }
  for (const m of rest) await interaction.followUp({ ...options(m, false), ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) });
  if (reply.announcement && !reply.error) await interaction.followUp({ ...options(announcementMessage(reply.announcement), false) });
}
