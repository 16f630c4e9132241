import type { App, RespondArguments, SlashCommand, webApi } from "@slack/bolt";
import type { Invocation } from "../../src/core/context.ts";
import type { Reply } from "../../src/core/reply.ts";
import { askModal, answerModal, modalRequest, type ModalOrigin } from "./modals.ts";
import { renderNotice, renderReply } from "./render.ts";
import { sendEphemeral, sendFollowUps, splitForAck, type SlackRuntime } from "./send-reply.ts";
import { slackErrorCode } from "./slack-chat.ts";
import { commandInvocation } from "./to-invocation.ts";

const teamOf = (c: SlashCommand) => c.team_id || c.enterprise_id || "";

const apology: Reply = { visibility: "ephemeral", blocks: [{ kind: "text", text: "Sorry, something went wrong on Docket's side and nothing was changed. Please try again." }], error: { code: "internal" } };

/** The question's text as the core shows it, or the core's error (no such question) as a reply. */
export function questionFor(rt: SlackRuntime, invocation: Invocation, number: number): { number: number; text: string } | Reply {
  const shown = rt.core.run(invocation, "show", { question: `Q${number}` });
  if (shown.error) return shown;
  const first = shown.blocks.find((b) => b.kind === "text");
  return { number, text: first?.kind === "text" ? first.text : `Q${number}` };
}

/**
 * Opens the ask or answer modal. Resolves with a reply to show instead when there is nothing to open
 * (no such question), or when Slack would not open it.
 */
export async function openModal(
  rt: SlackRuntime, client: webApi.WebClient, triggerId: string, invocation: Invocation, origin: ModalOrigin, request: { kind: "ask" } | { kind: "answer"; question?: number },
): Promise<Reply | undefined> {
  const spec = (name: string) => rt.core.commands.find((c) => c.name === name);
  let view;
  if (request.kind === "ask") view = askModal(origin, spec("ask"), rt.core.suggest(invocation, "deadline", "", 100));
  else if (request.question !== undefined) {
    const question = questionFor(rt, invocation, request.question);
    if ("visibility" in question) return question;
    view = answerModal(origin, spec("answer"), question, []);
  } else {
    const open = rt.core.suggest(invocation, "question", "", 100);
    // why: with no question to choose, the core's own message for a bare `answer` says what to type.
    if (open.length === 0) return rt.core.runText(invocation, "answer");
    view = answerModal(origin, spec("answer"), undefined, open);
  }
  try {
    await client.views.open({ trigger_id: triggerId, view });
    return undefined;
  } catch (error) {
    rt.log.warn("views.open failed", { error: slackErrorCode(error) ?? String(error) });
    const typed = request.kind === "ask" ? "ask <question> to:<addressee> by:<date>" : "answer <Q> <text> source:<link>";
    return { visibility: "ephemeral", blocks: [{ kind: "text", text: `Slack did not open the form (${slackErrorCode(error) ?? "no answer"}). Type it in one line instead: /${rt.core.settings.commandName} ${typed}` }], error: { code: "slack.modal" } };
  }
}

/**
 * `/docket …`: parsed and run by the core, answered in the ack (the core is synchronous and quick),
 * with what does not fit the ack sent through response_url afterwards. `ask` and `answer` with nothing
 * else open a modal instead.
 */
export function registerSlashCommand(app: App, rt: SlackRuntime): void {
  app.command(`/${rt.core.settings.commandName}`, async ({ command, ack, client }) => {
    let acked = false;
    // why: Slack shows an error and may retry when a command is not acknowledged within 3 s, so every path acks once.
    const ackOnce = async (body?: RespondArguments) => {
      if (acked) return;
      acked = true;
      await ack(body);
    };
    const target = { client, channelId: command.channel_id, userId: command.user_id, responseUrl: command.response_url };
    try {
      const request = modalRequest(command.text);
      if (request) {
        await ackOnce();
        const invocation = commandInvocation(command);
        const instead = await openModal(rt, client, command.trigger_id, invocation, { channelId: command.channel_id, responseUrl: command.response_url }, request);
        if (instead) await sendEphemeral(target, renderReply(instead), rt.log);
        return;
      }
      const member = await rt.directory.lookup(client, teamOf(command), command.user_id);
      const invocation = commandInvocation(command, member);
      const reply = rt.core.runText(invocation, command.text);
      const shown: Reply = reply.file ? { ...reply, blocks: [...reply.blocks, { kind: "text", text: "Uploading the file…" }] } : reply;
      const { first, rest } = splitForAck(shown);
      await ackOnce({ response_type: reply.visibility === "channel" ? "in_channel" : "ephemeral", text: first.text, blocks: first.blocks });
      await sendFollowUps(target, reply, rest, invocation.actor.displayName, rt.log);
    } catch (error) {
      rt.log.error("slash command failed", { team: command.team_id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      const m = renderReply(apology)[0]!;
      if (!acked) await ackOnce({ response_type: "ephemeral", text: m.text, blocks: m.blocks });
      else await sendEphemeral(target, [renderNotice(m.text)], rt.log);
    }
  });
}
