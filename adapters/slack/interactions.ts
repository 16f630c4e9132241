import type { AckFn, App, BlockAction, ButtonAction, ViewOutput, ViewResponseAction, ViewSubmitAction, webApi } from "@slack/bolt";
import { ackOnce } from "./ack-once.ts";
import { answerInput, askInput, decodeOrigin, fieldErrors, modalIds } from "./modals.ts";
import { openModal } from "./open-modal.ts";
import { answerAction, renderReply } from "./render.ts";
import { announce, sendEphemeral, type SlackRuntime } from "./send-reply.ts";
import { interactionInvocation, teamOf } from "./to-invocation.ts";

/** The "Answer" button on a question in a digest or a list, and the submissions of both modals. */
export function registerInteractions(app: App, rt: SlackRuntime): void {
  app.action<BlockAction<ButtonAction>>(answerAction, async ({ ack, body, action, client }) => {
    await ack();
    const number = Number(action.value);
    const container: { channel_id?: unknown } = body.container;
    const channelId = body.channel?.id ?? (typeof container.channel_id === "string" ? container.channel_id : undefined);
    if (!Number.isInteger(number) || !channelId) return;
    const invocation = interactionInvocation(body, channelId);
    const origin = { channelId, ...(body.response_url ? { responseUrl: body.response_url } : {}) };
    const instead = await openModal(rt, client, body.trigger_id, invocation, origin, { kind: "answer", question: number });
    if (instead) await sendEphemeral({ client, userId: body.user.id, ...origin }, renderReply(instead), rt.log);
  });

  for (const [callbackId, kind] of [[modalIds.ask, "ask"], [modalIds.answer, "answer"]] as const) {
    app.view<ViewSubmitAction>(callbackId, async ({ ack, body, view, client }) => {
      const once = ackOnce(ack);
      try {
        await submitted(kind, once.ack, body, view, client);
      } catch (error) {
        rt.log.error("modal submission failed", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
        await once.ack({ response_action: "errors", errors: { text: "Sorry, something went wrong on Docket's side and nothing was changed. Please try again." } });
      }
    });
  }

  async function submitted(kind: "ask" | "answer", ack: AckFn<ViewResponseAction>, body: ViewSubmitAction, view: ViewOutput, client: webApi.WebClient): Promise<void> {
    const origin = decodeOrigin(view.private_metadata);
    if (!origin) {
      await ack({ response_action: "errors", errors: { text: "This form is out of date. Close it and run the command again." } });
      return;
    }
    const input = kind === "ask" ? askInput(view.state.values) : answerInput(view.state.values, origin);
    if ("errors" in input) {
      await ack({ response_action: "errors", errors: input.errors });
      return;
    }
    // why: as for slash commands, users.info is asked only when the core needs the member's role (ask and answer do not).
    const member = rt.core.needsRole(kind) ? await rt.directory.lookup(client, teamOf(body.team, body.enterprise, body.user.team_id), body.user.id) : undefined;
    const invocation = interactionInvocation(body, origin.channelId, member);
    // why: the core validates every field before it stores anything, so an error here leaves the docket as it was.
    const reply = rt.core.run(invocation, kind, input.raw);
    if (reply.error) {
      await ack({ response_action: "errors", errors: fieldErrors(view, reply, input.byField) });
      return;
    }
    await ack();
    const target = { client, channelId: origin.channelId, userId: body.user.id, ...(origin.responseUrl ? { responseUrl: origin.responseUrl } : {}) };
    await sendEphemeral(target, renderReply(reply), rt.log);
    if (reply.announcement) await announce(target, reply.announcement, rt.log);
  }
}
