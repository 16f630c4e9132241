import type { App, BlockAction, ButtonAction, ViewResponseAction, ViewSubmitAction } from "@slack/bolt";
import { ackByDeadline } from "./ack-deadline.ts";
import { ackOnce } from "./ack-once.ts";
import { blockErrors, decodeOrigin, modalCallbackId, submittedValues } from "./modals.ts";
import { openModal } from "./open-modal.ts";
import { answerAction, renderReply } from "./render.ts";
import { announce, replyTarget, sendEphemeral, type SlackRuntime } from "./send-reply.ts";
import { errorText } from "./slack-errors.ts";
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
    // why: private_metadata comes back in the submission, so its response_url is checked again like any payload's.
    const target = replyTarget(rt, client, origin.channelId, body.user.id, origin.responseUrl);
    // why: an empty ack closes the modal; what the core says after the deadline goes where replies go.
    const deadline = ackByDeadline(once, rt.ackDeadlineMs, rt.log, "modal submission");
    let outcome: Awaited<ReturnType<typeof settle>>;
    try {
      const invocation = interactionInvocation(body, origin.channelId);
      const first = await rt.core.handle({ kind: "form", invocation, form: origin.form, values: read.values });
      outcome = await settle(rt, first, { client, team: teamOf(body.team, body.enterprise, body.user.team_id), user: body.user.id }, async () => undefined);
    } catch (error) {
      deadline.clear();
      rt.log.error("modal submission failed", { error: stackOf(error) });
      const text = apology.blocks[0]?.kind === "text" ? apology.blocks[0].text : "Sorry, something went wrong.";
      if (await tryAck(once, { response_action: "errors", errors: { [firstBlock(view.blocks) ?? "text"]: text } }, rt)) return;
      await sendEphemeral(target, renderReply(apology), rt.log);
      return;
    }
    deadline.clear();
    try {
      if (outcome.kind === "invalid") {
        if (await tryAck(once, { response_action: "errors", errors: blockErrors(view, outcome.errors) }, rt)) return;
        // why: the modal has closed, so the refusal (nothing was stored) reaches the member as a reply saying what to fix.
        await sendEphemeral(target, renderReply(outcome.reply), rt.log);
        return;
      }
      await tryAck(once, undefined, rt);
      if (outcome.kind !== "reply") return;
      await sendEphemeral(target, renderReply(outcome.reply), rt.log);
      if (outcome.reply.announcement && !outcome.reply.error) await announce(target, outcome.reply.announcement, rt.log);
    } catch (error) {
      // why: the core has already done what was submitted; an apology saying nothing was changed would be false.
      rt.log.error("modal submission reply could not be delivered; the submission itself was done", { error: stackOf(error) });
    }
  });
}

const stackOf = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/** Acks with `response` if nothing has been acked yet; false when the ack was already sent or failed (logged). */
async function tryAck(once: { ack(r?: ViewResponseAction): Promise<void>; readonly done: boolean }, response: ViewResponseAction | undefined, rt: SlackRuntime): Promise<boolean> {
  if (once.done) return false;
  try {
    await once.ack(response);
    return true;
  } catch (error) {
    rt.log.warn("the modal submission's ack failed", { error: errorText(error) });
    return false;
  }
}

const firstBlock = (blocks: ViewSubmitAction["view"]["blocks"]): string | undefined => {
  for (const b of blocks) if ("block_id" in b && typeof b.block_id === "string" && b.type === "input") return b.block_id;
  return undefined;
};
