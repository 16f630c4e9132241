import type { App, RespondArguments, webApi } from "@slack/bolt";
import type { Invocation, Outcome, Reply } from "../../src/core/api.ts";
import { ackByDeadline } from "./ack-deadline.ts";
import { ackOnce } from "./ack-once.ts";
import { openModal } from "./open-modal.ts";
import { renderNotice, renderReply } from "./render.ts";
import { replyTarget, sendEphemeral, sendFollowUps, sendInChannel, splitForAck, type ReplyTarget, type SlackRuntime } from "./send-reply.ts";
import { errorText } from "./slack-errors.ts";
import { commandInvocation, commandTeam, typedText } from "./to-invocation.ts";

export const apology: Reply = { visibility: "ephemeral", blocks: [{ kind: "text", text: "Sorry, something went wrong on Docket's side and nothing was changed. Please try again." }], error: { code: "internal" } };

/**
 * Settles what the core asks before it can answer: the member's workspace role (users.info, only
 * for commands that depend on it, so the rest never wait for it) and, for slow commands, an ack first.
 */
export async function settle(rt: SlackRuntime, outcome: Outcome, who: { client: webApi.WebClient; team: string; user: string }, ackNow: () => Promise<void>): Promise<Exclude<Outcome, { kind: "needs-role" | "slow" }>> {
  let next = outcome;
  for (;;) {
    if (next.kind === "needs-role") {
      const member = await rt.directory.lookup(who.client, who.team, who.user);
      next = await next.resume({ isPlatformAdmin: member?.isAdmin ?? false, roleIds: [] });
    } else if (next.kind === "slow") {
      // why: Slack shows the member an error for a command not acked within 3 s; a slow one answers through response_url.
      await ackNow();
      next = await next.resume();
    } else return next;
  }
}

/**
 * Sends a reply in the ack while it is still to come, else through response_url (the same messages,
 * in the channel for a `channel` reply). An ack that fails (Slack or Bolt gave up waiting) leaves
 * response_url, good for 30 minutes, to carry the reply.
 */
export async function deliverReply(t: ReplyTarget, reply: Reply, invocation: Invocation, once: { done: boolean; ack(r?: string | RespondArguments): Promise<void> }, rt: SlackRuntime): Promise<void> {
  const shown: Reply = reply.file ? { ...reply, blocks: [...reply.blocks, { kind: "text", text: "Uploading the file…" }] } : reply;
  const { first, rest } = splitForAck(shown);
  if (!once.done) {
    let acked = false;
    try {
      await once.ack({ response_type: reply.visibility === "channel" ? "in_channel" : "ephemeral", text: first.text, blocks: first.blocks });
      acked = true;
    } catch (error) {
      rt.log.warn("the ack carrying the reply failed; sending the reply through response_url", { error: errorText(error) });
    }
    if (acked) {
      await sendFollowUps(t, reply, rest, invocation.actor.displayName, rt.log);
      return;
    }
  }
  if (reply.visibility === "channel") await sendInChannel(t, [first, ...rest], rt.log);
  else await sendEphemeral(t, [first, ...rest], rt.log);
  await sendFollowUps(t, reply, [], invocation.actor.displayName, rt.log);
}

const stackOf = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));

/**
 * `/docket …`: the text goes to the core as typed; its outcome is a reply (in the ack, the rest
 * through response_url), or a form to open as a modal. An outcome not ready by the ack deadline is
 * acked empty first and answered through response_url.
 */
export function registerSlashCommand(app: App, rt: SlackRuntime): void {
  app.command(`/${rt.core.commandName}`, async ({ command, ack, client }) => {
    const once = ackOnce<string | RespondArguments>(ack);
    const target = replyTarget(rt, client, command.channel_id, command.user_id, command.response_url);
    const deadline = ackByDeadline(once, rt.ackDeadlineMs, rt.log, "slash command");
    let invocation: Invocation;
    let outcome: Awaited<ReturnType<typeof settle>>;
    try {
      invocation = commandInvocation(command);
      const first = await rt.core.handle({ kind: "text", invocation, text: typedText(command.text), forms: true });
      outcome = await settle(rt, first, { client, team: commandTeam(command), user: command.user_id }, () => once.ack());
    } catch (error) {
      // why: the core had not answered, so whatever it began was rolled back: "nothing was changed" is true here.
      deadline.clear();
      rt.log.error("slash command failed", { team: command.team_id, error: stackOf(error) });
      await sendApology(target, once, rt);
      return;
    }
    deadline.clear();
    try {
      if (outcome.kind === "form") {
        // why: a failed ack (Slack gave up) still leaves the form to try; openModal says so when it cannot open.
        await once.ack().catch((error: unknown) => rt.log.warn("the ack before opening a form failed", { error: errorText(error) }));
        const instead = await openModal(rt, client, command.trigger_id, outcome.form, { channelId: target.channelId, ...(target.responseUrl ? { responseUrl: target.responseUrl } : {}) });
        if (instead) await sendEphemeral(target, renderReply(instead), rt.log);
        return;
      }
      await deliverReply(target, outcome.reply, invocation, once, rt);
    } catch (error) {
      // why: the core has already done the command; an apology saying nothing was changed would be false, and a retry would do it twice.
      rt.log.error("slash command reply could not be delivered; the command itself was done", { team: command.team_id, error: stackOf(error) });
    }
  });
}

async function sendApology(target: ReplyTarget, once: { done: boolean; ack(r?: string | RespondArguments): Promise<void> }, rt: SlackRuntime): Promise<void> {
  const m = renderReply(apology)[0]!;
  if (!once.done) {
    try {
      await once.ack({ response_type: "ephemeral", text: m.text, blocks: m.blocks });
      return;
    } catch (error) {
      rt.log.warn("the ack carrying the apology failed; sending it through response_url", { error: errorText(error) });
    }
  }
  await sendEphemeral(target, [renderNotice(m.text)], rt.log);
}
