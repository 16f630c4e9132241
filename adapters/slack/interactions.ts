import type { App, BlockAction, ButtonAction, ViewSubmitAction } from "@slack/bolt";
import { ackOnce } from "./ack-once.ts";
import { blockErrors, decodeOrigin, modalCallbackId, submittedValues } from "./modals.ts";
import { openModal } from "./open-modal.ts";
import { answerAction, renderReply } from "./render.ts";
import { announce, replyTarget, sendEphemeral, type SlackRuntime } from "./send-reply.ts";
import { apology, settle } from "./slash-command.ts";
import { interactionInvocation, teamOf } from "./to-invocation.ts";

/** The "Answer" button on a question in a digest or a list, and the submission of every modal. */
export function registerInteractions(app: App, rt: SlackRuntime): void {
  app.action<BlockAction<ButtonAction>>(answerAction, async ({ ack, body, action, client }) => {
    await ack();
    const number = Number(action.value);
    const container: { channel_id?: unknown } = body.container;
    const channelId = body.channel?.id ?? (typeof container.channel_id === "string" ? container.channel_id : undefined);
    if (!Number.isInteger(number) || number < 1 || !channelId) return;
    const invocation = interactionInvocation(body, channelId);
    const target = replyTarget(rt, client, channelId, body.user.id, body.response_url);
    const origin = { channelId, ...(target.responseUrl ? { responseUrl: target.responseUrl } : {}) };
    const first = await rt.core.handle({ kind: "button", invocation, press: { action: "answer", question: number } });
    const outcome = await settle(rt, first, { client, team: invocation.workspace.id, user: body.user.id }, async () => undefined);
    if (outcome.kind === "form") {
      const instead = await openModal(rt, client, body.trigger_id, outcome.form, origin);
      if (instead) await sendEphemeral(target, renderReply(instead), rt.log);
    } else await sendEphemeral(target, renderReply(outcome.reply), rt.log);
  });

  app.view<ViewSubmitAction>(modalCallbackId, async ({ ack, body, view, client }) => {
    const once = ackOnce(ack);
    try {
      const origin = decodeOrigin(view.private_metadata);
      if (!origin) {
        await once.ack({ response_action: "errors", errors: { text: "This form is out of date. Close it and run the command again." } });
        return;
      }
      const read = submittedValues(view.state.values);
      if ("errors" in read) {
        await once.ack({ response_action: "errors", errors: read.errors });
        return;
      }
      const invocation = interactionInvocation(body, origin.channelId);
      const first = await rt.core.handle({ kind: "form", invocation, form: origin.form, values: read.values });
      const outcome = await settle(rt, first, { client, team: teamOf(body.team, body.enterprise, body.user.team_id), user: body.user.id }, async () => undefined);
      if (outcome.kind === "invalid") {
        await once.ack({ response_action: "errors", errors: blockErrors(view, outcome.errors) });
        return;
      }
      await once.ack();
      if (outcome.kind !== "reply") return;
      // why: private_metadata comes back in the submission, so its response_url is checked again like any payload's.
      const target = replyTarget(rt, client, origin.channelId, body.user.id, origin.responseUrl);
      await sendEphemeral(target, renderReply(outcome.reply), rt.log);
      if (outcome.reply.announcement && !outcome.reply.error) await announce(target, outcome.reply.announcement, rt.log);
    } catch (error) {
      rt.log.error("modal submission failed", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      const text = apology.blocks[0]?.kind === "text" ? apology.blocks[0].text : "Sorry, something went wrong.";
      await once.ack({ response_action: "errors", errors: { [firstBlock(view.blocks) ?? "text"]: text } });
    }
  });
}

const firstBlock = (blocks: ViewSubmitAction["view"]["blocks"]): string | undefined => {
  for (const b of blocks) if ("block_id" in b && typeof b.block_id === "string" && b.type === "input") return b.block_id;
  return undefined;
};
