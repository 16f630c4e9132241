import type { App, RespondArguments } from "@slack/bolt";
import type { Reply } from "../../src/core/reply.ts";
import { ackOnce } from "./ack-once.ts";
import { modalRequest } from "./modals.ts";
import { openModal } from "./open-modal.ts";
import { renderNotice, renderReply } from "./render.ts";
import { sendEphemeral, sendFollowUps, splitForAck, type SlackRuntime } from "./send-reply.ts";
import { commandInvocation, commandTeam, typedText } from "./to-invocation.ts";

const apology: Reply = { visibility: "ephemeral", blocks: [{ kind: "text", text: "Sorry, something went wrong on Docket's side and nothing was changed. Please try again." }], error: { code: "internal" } };

/**
 * `/docket …`: parsed and run by the core, answered in the ack (the core is synchronous and quick),
 * with what does not fit the ack sent through response_url afterwards. `ask` and `answer` with nothing
 * else open a modal instead. Only a restricted command waits for users.info (the member's workspace
 * role); the rest run at once, under the name the payload carries.
 */
export function registerSlashCommand(app: App, rt: SlackRuntime): void {
  app.command(`/${rt.core.settings.commandName}`, async ({ command, ack, client }) => {
    const once = ackOnce<string | RespondArguments>(ack);
    const target = { client, channelId: command.channel_id, userId: command.user_id, responseUrl: command.response_url };
    const text = typedText(command.text);
    try {
      const request = modalRequest(text);
      if (request) {
        await once.ack();
        const instead = await openModal(rt, client, command.trigger_id, commandInvocation(command), { channelId: command.channel_id, responseUrl: command.response_url }, request);
        if (instead) await sendEphemeral(target, renderReply(instead), rt.log);
        return;
      }
      // why: users.info may take up to its timeout before the ack; a command anyone may run does not need the role it tells.
      const member = rt.core.needsRole(text) ? await rt.directory.lookup(client, commandTeam(command), command.user_id) : undefined;
      const invocation = commandInvocation(command, member);
      const reply = rt.core.runText(invocation, text);
      const shown: Reply = reply.file ? { ...reply, blocks: [...reply.blocks, { kind: "text", text: "Uploading the file…" }] } : reply;
      const { first, rest } = splitForAck(shown);
      await once.ack({ response_type: reply.visibility === "channel" ? "in_channel" : "ephemeral", text: first.text, blocks: first.blocks });
      await sendFollowUps(target, reply, rest, invocation.actor.displayName, rt.log);
    } catch (error) {
      rt.log.error("slash command failed", { team: command.team_id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      const m = renderReply(apology)[0]!;
      if (!once.done) await once.ack({ response_type: "ephemeral", text: m.text, blocks: m.blocks });
      else await sendEphemeral(target, [renderNotice(m.text)], rt.log);
    }
  });
}
