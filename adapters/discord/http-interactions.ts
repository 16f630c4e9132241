import { setTimeout as delay } from "node:timers/promises";
import {
  ApplicationCommandType,
  ComponentType,
  DiscordAPIError,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  Routes,
  type APIInteraction,
  type APIInteractionResponse,
  type REST,
} from "discord.js";
import type { Core, Invocation, Logger, Outcome, Reply } from "../../src/core/api.ts";
import { lateFormText } from "./defer-deadline.ts";
import { noMentions } from "./discord-chat.ts";
import { parseCustomId, renderForm } from "./modals.ts";
import { interactionReply, type DiscordMessage, type InteractionReply } from "./render.ts";
import { apiOptions, commandNameOf, factsOfApi, optionInputs, toInvocation } from "./to-invocation.ts";

export interface HttpInteractionDeps {
  core: Core;
  log: Logger;
  /** Edits and follow-ups go to the interaction's webhook, which needs no bot token (`auth: false`). */
  rest: REST;
  applicationId: string;
  /** The server's name, when it can be had quickly (the payload carries none); Docket names a new docket after it. */
  guildName(guildId: string): Promise<string | undefined>;
  /** Told of every server an interaction comes from (for the daily check that Docket is still there). */
  seen(guildId: string): void;
  /** How long an interaction may wait for the core before it is deferred (type 5) and finished through the webhook (ms). */
  deferAfterMs: number;
}

/** The HTTP response to an interaction, and what to send through its webhook once that response is out. */
export interface HttpAnswer {
  body: APIInteractionResponse;
  after?: () => Promise<void>;
}

const sorry = "Sorry, something went wrong on Docket's side. Please try again.";

const messageBody = (m: DiscordMessage) => ({
  ...(m.content !== undefined ? { content: m.content } : {}),
  embeds: m.embeds,
  components: m.components,
  // why: the raw API's type of the same value discord.js takes as noMentions.
  allowed_mentions: { parse: [] },
});

const privately = (content: string): HttpAnswer => ({
  body: { type: InteractionResponseType.ChannelMessageWithSource, data: { content, flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } } },
});

/**
 * Answers one verified interaction as the same vocabulary, replies, forms, buttons and suggestions
 * as over the gateway: inline within Discord's 3 seconds, or deferred (type 5) and completed
 * through the webhook for a slow command, a reply carrying a file, or an outcome not ready by the
 * deadline.
 */
export async function answerInteraction(interaction: APIInteraction, deps: HttpInteractionDeps): Promise<HttpAnswer> {
  if (interaction.type === InteractionType.Ping) return { body: { type: InteractionResponseType.Pong } };
  const work = answerNow(interaction, deps);
  // why: suggestions are answered inline or not at all; a deferral means nothing to autocomplete.
  if (interaction.type === InteractionType.ApplicationCommandAutocomplete) return work;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), deps.deferAfterMs)));
  const first = await Promise.race([work, late]);
  clearTimeout(timer);
  if (first !== "late") return first;
  deps.log.info("deferred a Discord interaction whose answer was not ready in time", { interaction: interaction.id, afterMs: deps.deferAfterMs, over: "http" });
  return { body: { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } }, after: async () => completeLate(interaction, await work, deps) };
}

async function answerNow(interaction: APIInteraction, deps: HttpInteractionDeps): Promise<HttpAnswer> {
  try {
    if (interaction.guild_id) deps.seen(interaction.guild_id);
    switch (interaction.type) {
      case InteractionType.Ping:
        return { body: { type: InteractionResponseType.Pong } };
      case InteractionType.ApplicationCommandAutocomplete:
        return await autocomplete(interaction, deps);
      case InteractionType.ApplicationCommand:
        return await chatInput(interaction, deps);
      case InteractionType.MessageComponent:
        return await component(interaction, deps);
      case InteractionType.ModalSubmit:
        return await modalSubmit(interaction, deps);
    }
  } catch (error) {
    deps.log.error("Discord interaction failed", { error: error instanceof Error ? (error.stack ?? error.message) : String(error), interaction: interaction.id, guild: interaction.guild_id });
    return privately(sorry);
  }
}

/**
 * Finishes an interaction deferred at the deadline with the answer it would have had: a message
 * edits "thinking…" in, then its own follow-ups go; a form, which Discord opens only as a first
 * answer, becomes a line saying to run the command again.
 */
async function completeLate(interaction: APIInteraction, answer: HttpAnswer, deps: HttpInteractionDeps): Promise<void> {
  const original = Routes.webhookMessage(deps.applicationId, interaction.token, "@original");
  const edit = (body: object) => afterResponse(() => deps.rest.patch(original, { body, auth: false }));
  const { body } = answer;
  switch (body.type) {
    case InteractionResponseType.ChannelMessageWithSource: {
      const { flags: _flags, ...message } = body.data ?? {};
      await edit(message);
      break;
    }
    case InteractionResponseType.Modal:
      await edit({ content: lateFormText(deps.core.commandName), allowed_mentions: { parse: [] } });
      break;
    case InteractionResponseType.DeferredChannelMessageWithSource:
      // why: its `after` edits the original, which the deadline's deferral already made.
      break;
    default:
      // why: nothing to show (a press Docket does not own); "thinking…" goes.
      await afterResponse(() => deps.rest.delete(original, { auth: false }));
  }
  await answer.after?.();
}

async function invocationOf(interaction: APIInteraction, deps: HttpInteractionDeps): Promise<Invocation | undefined> {
  const name = interaction.guild_id ? await deps.guildName(interaction.guild_id) : undefined;
  return toInvocation(factsOfApi(interaction, name));
}

const guildOnly = (core: Core) => privately(`Docket works inside a server: run /${core.commandName} in one of its channels.`);

async function chatInput(interaction: Extract<APIInteraction, { type: InteractionType.ApplicationCommand }>, deps: HttpInteractionDeps): Promise<HttpAnswer> {
  const { core, log } = deps;
  const data = interaction.data;
  // why: Docket registers one chat-input command; anything else is a stale registration.
  if (data.type !== ApplicationCommandType.ChatInput || data.name !== core.commandName) return privately(`/${data.name} is no longer Docket's command: use /${core.commandName}.`);
  const invocation = await invocationOf(interaction, deps);
  if (!invocation) return guildOnly(core);
  const { group, subcommand, leaves } = apiOptions(data.options, data.resolved);
  const command = commandNameOf(group, subcommand);
  const outcome = await core.handle({ kind: "command", invocation, command, options: optionInputs(leaves) });
  log.debug("Discord command", { command, guild: invocation.workspace.id, outcome: outcome.kind, over: "http" });
  return answer(interaction, outcome, invocation, deps, true);
}

async function component(interaction: Extract<APIInteraction, { type: InteractionType.MessageComponent }>, deps: HttpInteractionDeps): Promise<HttpAnswer> {
  const id = interaction.data.component_type === ComponentType.Button ? parseCustomId(interaction.data.custom_id) : undefined;
  // why: over HTTP every interaction needs an answer; a press Docket does not own changes nothing.
  if (id?.kind !== "answer-button") return { body: { type: InteractionResponseType.DeferredMessageUpdate } };
  const invocation = await invocationOf(interaction, deps);
  if (!invocation) return guildOnly(deps.core);
  return answer(interaction, await deps.core.handle({ kind: "button", invocation, press: { action: "answer", question: id.question } }), invocation, deps, true);
}

/** The text inputs' values of a submitted modal, in labels (Discord's layout now) or action rows. */
function fieldValues(components: readonly unknown[]): Record<string, string> {
  const values: Record<string, string> = {};
  const walk = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return;
    const n = node as { type?: number; custom_id?: unknown; value?: unknown; component?: unknown; components?: unknown };
    if (n.type === ComponentType.TextInput && typeof n.custom_id === "string" && typeof n.value === "string") values[n.custom_id] = n.value;
    if (n.component) walk(n.component);
    if (Array.isArray(n.components)) n.components.forEach(walk);
  };
  components.forEach(walk);
  return values;
}

async function modalSubmit(interaction: Extract<APIInteraction, { type: InteractionType.ModalSubmit }>, deps: HttpInteractionDeps): Promise<HttpAnswer> {
  const id = parseCustomId(interaction.data.custom_id);
  if (id?.kind !== "form") return { body: { type: InteractionResponseType.DeferredMessageUpdate } };
  const invocation = await invocationOf(interaction, deps);
  if (!invocation) return guildOnly(deps.core);
  // why: Discord cannot show a form again with errors on its fields; the refusal comes back as a reply.
  const outcome = await deps.core.handle({ kind: "form", invocation, form: id.ref, values: fieldValues(interaction.data.components) });
  return answer(interaction, outcome, invocation, deps, false);
}

async function autocomplete(interaction: Extract<APIInteraction, { type: InteractionType.ApplicationCommandAutocomplete }>, { core }: HttpInteractionDeps): Promise<HttpAnswer> {
  // why: suggestions must come back fast and need no name for the server; no lookup here.
  const invocation = toInvocation(factsOfApi(interaction));
  const { group, subcommand, focused } = apiOptions(interaction.data.options, undefined);
  const command = commandNameOf(group, subcommand);
  const choices = invocation && focused ? await core.suggest({ invocation, command, option: focused.name, typed: focused.value.slice(0, 100), limit: 25 }) : [];
  // why: Discord takes at most 25 choices and shows nothing at all when any is invalid.
  return { body: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices: choices.filter((c) => c.name.length >= 1 && c.name.length <= 100 && c.value.length <= 100).slice(0, 25) } } };
}

// why: older payloads lack attachment_size_limit; 10 MiB is what any server allows.
const attachmentLimitOf = (interaction: APIInteraction): number => interaction.attachment_size_limit ?? 10 * 1024 * 1024;

/** The role of the member, which Discord sends with every interaction. */
const roleOf = (invocation: Invocation) => invocation.actor.role ?? { isPlatformAdmin: false, roleIds: [] };

/**
 * The HTTP answer to the core's outcome: a form opens as a modal; a slow command is deferred and
 * finished through the webhook, so Discord's 3-second limit cannot fail it; everything else is a reply.
 */
async function answer(interaction: APIInteraction, outcome: Outcome, invocation: Invocation, deps: HttpInteractionDeps, canShowModal: boolean): Promise<HttpAnswer> {
  let next = outcome;
  for (;;) {
    switch (next.kind) {
      case "needs-role":
        next = await next.resume(roleOf(invocation));
        continue;
      case "slow": {
        const resume = next.resume;
        return { body: { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } }, after: () => finish(interaction, resume, invocation, deps) };
      }
      case "form":
        if (!canShowModal) throw new Error("a form cannot open here");
        return { body: { type: InteractionResponseType.Modal, data: renderForm(next.form) } };
      case "invalid":
      case "reply":
        return replyAnswer(interaction, next.reply, deps);
    }
  }
}

/** A reply inline; one carrying a file is deferred and attached through the webhook, as an HTTP response cannot carry it. */
function replyAnswer(interaction: APIInteraction, reply: Reply, deps: HttpInteractionDeps): HttpAnswer {
  const plan = interactionReply(reply, attachmentLimitOf(interaction));
  const flags = plan.ephemeral ? MessageFlags.Ephemeral : undefined;
  if (plan.file) return { body: { type: InteractionResponseType.DeferredChannelMessageWithSource, data: flags ? { flags } : {} }, after: () => sendThroughWebhook(interaction, plan, true, deps) };
  const [first] = plan.messages;
  const rest = plan.messages.length > 1 || plan.announcement;
  return {
    body: { type: InteractionResponseType.ChannelMessageWithSource, data: { ...(first ? messageBody(first) : { content: "Done." }), ...(flags ? { flags } : {}) } },
    ...(rest ? { after: () => sendThroughWebhook(interaction, { ...plan, messages: plan.messages.slice(1) }, false, deps) } : {}),
  };
}

/**
 * Finishes a deferred command: its reply replaces "thinking…". A failure while the core works says
 * sorry there instead; a failure delivering the reply it produced is only logged, since the
 * command was done.
 */
async function finish(interaction: APIInteraction, resume: () => Promise<Outcome>, invocation: Invocation, deps: HttpInteractionDeps): Promise<void> {
  let next: Outcome;
  try {
    next = await resume();
    while (next.kind === "needs-role" || next.kind === "slow") next = next.kind === "needs-role" ? await next.resume(roleOf(invocation)) : await next.resume();
  } catch (error) {
    deps.log.error("Discord interaction failed after deferring", { error: error instanceof Error ? (error.stack ?? error.message) : String(error), interaction: interaction.id, guild: interaction.guild_id });
    // why: a failure reply that fails too (expired token, Discord down) has nothing left to tell anyone.
    await afterResponse(() => deps.rest.patch(Routes.webhookMessage(deps.applicationId, interaction.token, "@original"), { body: { content: sorry, allowed_mentions: noMentions }, auth: false })).catch(
      () => undefined,
    );
    return;
  }
  if (next.kind === "form") {
    await afterResponse(() => deps.rest.patch(Routes.webhookMessage(deps.applicationId, interaction.token, "@original"), { body: { content: lateFormText(deps.core.commandName), allowed_mentions: noMentions }, auth: false }));
    return;
  }
  await sendThroughWebhook(interaction, interactionReply(next.reply, attachmentLimitOf(interaction)), true, deps);
}

/**
 * The first webhook request after an HTTP response. why: our response and this request race to
 * Discord; until Discord has taken the response, the webhook answers 10015 Unknown Webhook.
 */
async function afterResponse<T>(request: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await request();
    } catch (error) {
      if (!(error instanceof DiscordAPIError && error.code === 10015) || attempt >= 5) throw error;
      await delay(100 * attempt);
    }
  }
}

/**
 * Sends a planned reply through the interaction's webhook: when deferred, the first message (with
 * the file) edits the original; the other messages follow, then the public line.
 */
async function sendThroughWebhook(interaction: APIInteraction, plan: InteractionReply, deferred: boolean, deps: HttpInteractionDeps): Promise<void> {
  const { rest, applicationId } = deps;
  const flags = plan.ephemeral ? { flags: MessageFlags.Ephemeral } : {};
  const [first, ...others] = plan.messages;
  if (deferred && first) {
    const file = plan.file;
    await afterResponse(() =>
      rest.patch(Routes.webhookMessage(applicationId, interaction.token, "@original"), {
        body: { ...messageBody(first), ...(file ? { attachments: [{ id: 0, filename: file.name, description: file.description }] } : {}) },
        ...(file ? { files: [{ name: file.name, data: file.data }] } : {}),
        auth: false,
      }),
    );
  }
  const followUps = deferred ? others : plan.messages;
  let firstRequest = !deferred;
  const post = (body: object) => {
    const send = () => rest.post(Routes.webhook(applicationId, interaction.token), { body, auth: false });
    const sent = firstRequest ? afterResponse(send) : send();
    firstRequest = false;
    return sent;
  };
  for (const m of followUps) await post({ ...messageBody(m), ...flags });
  if (plan.announcement) await post(messageBody(plan.announcement));
}
