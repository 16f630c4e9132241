import type { webApi } from "@slack/bolt";
import type { Core, Logger } from "../../src/core/api.ts";
import type { Reply, ReplyFile } from "../../src/core/api.ts";
import { escapeText } from "./escape.ts";
import type { MemberDirectory } from "./member-directory.ts";
import { renderAnnouncement, renderNotice, renderReply, type SlackMessage } from "./render.ts";
import { postToResponseUrl } from "./respond.ts";
import { admitResponseUrl, type ResponseUrlPolicy } from "./response-url-policy.ts";
import { errorText, slackErrorCode } from "./slack-errors.ts";

/** What the adapter's listeners share. */
export interface SlackRuntime {
  core: Core;
  log: Logger;
  directory: MemberDirectory;
  /** Which response_urls a reply may be POSTed to (Slack's hooks, or SLACK_API_URL's origin). */
  responseUrls: ResponseUrlPolicy;
  /** How long a listener works before it acks empty and replies through response_url (ms). */
  ackDeadlineMs: number;
}

/** Where a reply goes after the ack: the member, in a channel, through a response_url when there is one. */
export interface ReplyTarget {
  client: webApi.WebClient;
  channelId: string;
  userId: string;
  responseUrl?: string;
}

/**
 * A reply target for a payload's channel and member, keeping its response_url only when the policy
 * admits it: a refused one is logged, and the replies go through chat.postEphemeral instead.
 */
export function replyTarget(rt: SlackRuntime, client: webApi.WebClient, channelId: string, userId: string, responseUrl: string | undefined): ReplyTarget {
  const admitted = admitResponseUrl(rt.responseUrls, responseUrl, rt.log);
  return { client, channelId, userId, ...(admitted ? { responseUrl: admitted } : {}) };
}

/** Shows messages to the member only: response_url, else chat.postEphemeral, else a direct message. */
export async function sendEphemeral(t: ReplyTarget, messages: readonly SlackMessage[], log: Logger): Promise<void> {
  for (const m of messages) {
    if (t.responseUrl && (await postToResponseUrl(t.responseUrl, { response_type: "ephemeral", ...m }, log))) continue;
    try {
      await t.client.chat.postEphemeral({ channel: t.channelId, user: t.userId, text: m.text, blocks: m.blocks });
    } catch (error) {
      log.warn("could not reply in the channel; replying by direct message", { channel: t.channelId, error: errorText(error) });
      try {
        await t.client.chat.postMessage({ channel: t.userId, text: m.text, blocks: m.blocks });
      } catch (dmError) {
        log.warn("could not reply by direct message either", { user: t.userId, error: errorText(dmError) });
      }
    }
  }
}

/**
 * Shows messages in the channel, as an in_channel ack would have: response_url, else chat.postMessage;
 * where neither works, to the member alone, so the reply is never lost.
 */
export async function sendInChannel(t: ReplyTarget, messages: readonly SlackMessage[], log: Logger): Promise<void> {
  for (const m of messages) {
    if (t.responseUrl && (await postToResponseUrl(t.responseUrl, { response_type: "in_channel", ...m }, log))) continue;
    try {
      await t.client.chat.postMessage({ channel: t.channelId, text: m.text, blocks: m.blocks, unfurl_links: false, unfurl_media: false });
    } catch (error) {
      log.warn("could not post the reply in the channel; showing it to the member", { channel: t.channelId, error: errorText(error) });
      await sendEphemeral({ client: t.client, channelId: t.channelId, userId: t.userId }, [m], log);
    }
  }
}

/** Posts `ask`'s and `answer`'s public line in the channel, so others see the docket move. */
export async function announce(t: ReplyTarget, text: string, log: Logger): Promise<void> {
  const m = renderAnnouncement(text);
  if (t.responseUrl && (await postToResponseUrl(t.responseUrl, { response_type: "in_channel", ...m }, log))) return;
  try {
    await t.client.chat.postMessage({ channel: t.channelId, text: m.text, blocks: m.blocks, unfurl_links: false, unfurl_media: false });
  } catch (error) {
    log.warn("could not post the announcement in the channel", { channel: t.channelId, error: errorText(error) });
  }
}

const unreachable = new Set(["not_in_channel", "channel_not_found", "is_archived", "restricted_action", "method_not_supported_for_channel_type", "no_permission"]);

/**
 * Uploads an export to the channel (files.uploadV2); where the bot may not post, to the member's
 * direct messages instead. Tells the member which it was.
 */
export async function shareFile(t: ReplyTarget, file: ReplyFile, actorName: string, log: Logger): Promise<void> {
  const upload = (channel: string) =>
    t.client.filesUploadV2({ channel_id: channel, file: Buffer.from(file.content, "utf8"), filename: file.name, title: file.name, initial_comment: escapeText(`${actorName} exported the docket: ${file.name}`) });
  let notice: string;
  try {
    await upload(t.channelId);
    notice = `Shared ${escapeText(file.name)} in this channel.`;
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === undefined || !unreachable.has(code)) {
      log.warn("export upload failed", { channel: t.channelId, error: errorText(error) });
      await sendEphemeral(t, [renderNotice(`:warning: Sorry, Slack did not take the file (${escapeText(errorText(error))}). Nothing was changed; try again in a moment.`)], log);
      return;
    }
    try {
      const dm = await t.client.conversations.open({ users: t.userId });
      if (!dm.channel?.id) throw new Error("conversations.open returned no channel");
      await upload(dm.channel.id);
      notice = `Docket cannot post files in this channel (${escapeText(code)}), so ${escapeText(file.name)} is in your direct messages with Docket.`;
    } catch (dmError) {
      log.warn("export upload to a direct message failed", { user: t.userId, error: errorText(dmError) });
      await sendEphemeral(t, [renderNotice(`:warning: Docket cannot post files here (${escapeText(code)}) nor send you one directly (${escapeText(errorText(dmError))}). Invite Docket to this channel, or use docket export on the server.`)], log);
      return;
    }
  }
  await sendEphemeral(t, [renderNotice(notice)], log);
}

/** Everything of a reply that does not fit in the ack: further parts, the file, the announcement. */
export async function sendFollowUps(t: ReplyTarget, reply: Reply, rest: readonly SlackMessage[], actorName: string, log: Logger): Promise<void> {
  if (rest.length) await sendEphemeral(t, rest, log);
  if (reply.file) await shareFile(t, reply.file, actorName, log);
  if (reply.announcement) await announce(t, reply.announcement, log);
}

/** A reply rendered for an ack: the first message, the rest for follow-ups. */
export function splitForAck(reply: Reply): { first: SlackMessage; rest: SlackMessage[] } {
  const [first, ...rest] = renderReply(reply);
  return { first: first!, rest };
}
