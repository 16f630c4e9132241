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
import type { Core, Invocation, Logger, Outcome, Reply } from "../../src/core/api.ts";
import { deferByDeadline, lateFormText } from "./defer-deadline.ts";
import { noMentions } from "./discord-chat.ts";
import { parseCustomId, renderForm } from "./modals.ts";
import { interactionReply, type DiscordMessage } from "./render.ts";
import { commandNameOf, factsOf, leafOptions, optionInputs, toInvocation } from "./to-invocation.ts";

export interface InteractionDeps {
  core: Core;
  log: Logger;
  /** How long an interaction may wait for the core before it is deferred (ms). */
  deferAfterMs: number;
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
  if (!invocation) await interaction.reply({ content: `Docket works inside a server: run /${core.commandName} in one of its channels.`, flags: MessageFlags.Ephemeral, allowedMentions: noMentions });
  return invocation;
}

/**
 * Answers the core's outcome: a form opens as a modal; a slow command, or one whose outcome is not
 * ready by the deadline, is deferred first, so Discord's 3-second limit cannot fail it; everything
 * else is a reply. A reply that cannot be delivered is logged, never apologised for: the core has
 * already done the command.
 */
async function answer(interaction: RepliableInteraction & { showModal?: ChatInputCommandInteraction["showModal"] }, handle: () => Promise<Outcome>, invocation: Invocation, deps: InteractionDeps): Promise<void> {
  const deadline = deferByDeadline(interaction, deps.deferAfterMs, deps.log);
  // why: Discord sends the member's permissions and roles with every interaction; the invocation has them.
  const role = invocation.actor.role ?? { isPlatformAdmin: false, roleIds: [] };
  let next: Outcome;
  try {
    next = await handle();
    // why: resuming with the role runs the command, which the deadline covers too.
    while (next.kind === "needs-role") next = await next.resume(role);
  } finally {
    await deadline.settled();
  }
  for (;;) {
    switch (next.kind) {
      case "needs-role":
        next = await next.resume(role);
        continue;
      case "slow":
        if (!interaction.deferred) await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        next = await next.resume();
        continue;
      case "form":
        if (!interaction.showModal) throw new Error("a form cannot open here");
        if (interaction.deferred) await deliver(() => interaction.editReply({ content: lateFormText(deps.core.commandName), allowedMentions: noMentions }), interaction, deps.log);
        else await interaction.showModal(renderForm(next.form));
        return;
      case "invalid":
      case "reply": {
        const reply = next.reply;
        await deliver(() => respond(interaction, reply), interaction, deps.log);
        return;
      }
    }
  }
}

/** Sends what the core answered; a failure is logged only, since an apology would tell the member to do again what was done. */
async function deliver(send: () => Promise<unknown>, interaction: RepliableInteraction, log: Logger): Promise<void> {
  try {
    await send();
  } catch (error) {
    log.error("Discord reply could not be delivered; the command itself was done", { error: error instanceof Error ? (error.stack ?? error.message) : String(error), interaction: interaction.id, guild: interaction.guildId });
  }
}

async function chatInput(interaction: ChatInputCommandInteraction, deps: InteractionDeps): Promise<void> {
  const { core, log } = deps;
  const root = core.commandName;
  if (interaction.commandName !== root) {
    await interaction.reply({ content: `/${interaction.commandName} is no longer Docket's command: use /${root}.`, flags: MessageFlags.Ephemeral, allowedMentions: noMentions });
    return;
  }
  const invocation = await invocationOr(interaction, core);
  if (!invocation) return;
  const command = commandNameOf(interaction.options.getSubcommandGroup(false), interaction.options.getSubcommand(false));
  await answer(interaction, async () => {
    const outcome = await core.handle({ kind: "command", invocation, command, options: optionInputs(leafOptions(interaction.options.data)) });
    log.debug("Discord command", { command, guild: invocation.workspace.id, outcome: outcome.kind });
    return outcome;
  }, invocation, deps);
}

async function button(interaction: ButtonInteraction, deps: InteractionDeps): Promise<void> {
  const id = parseCustomId(interaction.customId);
  if (id?.kind !== "answer-button") return;
  const invocation = await invocationOr(interaction, deps.core);
  if (!invocation) return;
  await answer(interaction, () => deps.core.handle({ kind: "button", invocation, press: { action: "answer", question: id.question } }), invocation, deps);
}

async function modalSubmit(interaction: ModalSubmitInteraction, deps: InteractionDeps): Promise<void> {
  const id = parseCustomId(interaction.customId);
  if (id?.kind !== "form") return;
  const invocation = await invocationOr(interaction, deps.core);
  if (!invocation) return;
  const values: Record<string, string> = {};
  for (const [key, field] of interaction.fields.fields) if ("value" in field && typeof field.value === "string") values[key] = field.value;
  // why: Discord cannot show a form again with errors on its fields; the refusal comes back as a reply.
  await answer(interaction, () => deps.core.handle({ kind: "form", invocation, form: id.ref, values }), invocation, deps);
}

async function autocomplete(interaction: AutocompleteInteraction, { core }: InteractionDeps): Promise<void> {
  const invocation = toInvocation(factsOf(interaction));
  const focused = interaction.options.getFocused(true);
  const command = commandNameOf(interaction.options.getSubcommandGroup(false), interaction.options.getSubcommand(false));
  const choices = invocation ? await core.suggest({ invocation, command, option: focused.name, typed: String(focused.value).slice(0, 100), limit: 25 }) : [];
  // why: Discord takes at most 25 choices and shows nothing at all when any is invalid.
  await interaction.respond(choices.filter((c) => c.name.length >= 1 && c.name.length <= 100 && c.value.length <= 100).slice(0, 25));
}

/** Sends a core reply as the interaction's response: the reply, its follow-ups, a file, and the public line. */
export async function respond(interaction: RepliableInteraction, reply: Reply): Promise<void> {
  const plan = interactionReply(reply, interaction.attachmentSizeLimit);
  const files = plan.file ? [new AttachmentBuilder(plan.file.data, { name: plan.file.name, description: plan.file.description })] : [];
  const options = (m: DiscordMessage, withFiles: boolean) => ({
    ...(m.content !== undefined ? { content: m.content } : {}),
    embeds: m.embeds,
    components: m.components,
    allowedMentions: noMentions,
    ...(withFiles && files.length ? { files } : {}),
  });
  const ephemeral = plan.ephemeral ? { flags: MessageFlags.Ephemeral } as const : {};
  const [first, ...rest] = plan.messages;
  if (first) {
    if (interaction.deferred) await interaction.editReply(options(first, true));
    else await interaction.reply({ ...options(first, true), ...ephemeral });
  }
  for (const m of rest) await interaction.followUp({ ...options(m, false), ...ephemeral });
  if (plan.announcement) await interaction.followUp({ ...options(plan.announcement, false) });
}
