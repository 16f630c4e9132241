import { webApi } from "@slack/bolt";
import { ChatError, type ChatPort } from "../../src/core/api.ts";
import type { Logger } from "../../src/core/api.ts";
import type { ChannelPace } from "./channel-pace.ts";
import { escapeText } from "./escape.ts";
import { renderNotice, renderReply, type SlackMessage } from "./render.ts";
import { errorText, slackErrorCode, toChatError } from "./slack-errors.ts";
import { realTimers, type Timers } from "./timers.ts";

/** Errors about the message itself: posted again as text only, since Slack refused the blocks. */
const blockErrors: ReadonlySet<string> = new Set(["invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"]);

export interface SlackChatOptions {
  /** A client with `rejectRateLimitedCalls`, so a 429 comes back here instead of pausing every call. */
  client: webApi.WebClient;
  /** The bot token of a workspace, undefined when Docket is not installed there. */
  tokenFor(teamId: string): Promise<string | undefined>;
  /** Who installed Docket in a workspace (OAuth), told when the docket has no admins of its own. */
  installerOf(teamId: string): Promise<string | undefined>;
  log: Logger;
  pace: ChannelPace;
  /** A Retry-After up to this long is waited out in place; a longer one becomes a retry later today. */
  maxInlineWaitMs?: number;
  /** Attempts per message when rate-limited, the first included. */
  maxAttempts?: number;
  /** How a Retry-After is waited out (default: real time). */
  timers?: Timers;
}

/**
 * How many of a channel's most recent messages are searched for a part whose send had no answer. A
 * count, not a time, since it needs no agreement between Docket's clock and Slack's: a repeat is
 * possible only if more messages than this were posted in the channel between that send and the
 * look (with retries at most 5 minutes apart, or a lease of a minute, a very busy channel).
 */
export const findSentScope = 100;

/** Slack refusals that mean the bot may not read the channel's history: the part is posted again, a repeat possible. */
const cannotLook: ReadonlySet<string> = new Set(["missing_scope", "not_in_channel"]);

/**
 * A failed post as the core sees it, and whether it may have been stored all the same: a timeout or a
 * lost connection (no answer) or a server error may come after Slack kept the message; a refusal with
 * an error code, or a 429, did not.
 */
function postFailure(error: unknown): ChatError {
  const failure = toChatError(error);
  const unknown = error instanceof webApi.WebAPIRequestError || (error instanceof webApi.WebAPIHTTPError && error.statusCode >= 500);
  return unknown ? new ChatError(failure.kind, failure.message, failure.retryAfterMs, true) : failure;
}

/** A stored part as `render` wrote it; anything else is not a message this port rendered. */
function messageOf(part: string): SlackMessage {
  const m = JSON.parse(part) as Partial<SlackMessage> | null;
  if (typeof m?.text !== "string" || !Array.isArray(m.blocks)) throw new Error("a digest part is not a Slack message Docket rendered");
  return { text: m.text, blocks: m.blocks };
}

/**
 * Digest delivery and admin notices in Slack. A digest too big for one message is rendered as
 * several; each is posted on its own, at most one a second per channel, carrying its delivery key
 * and part number in message metadata, which `findSent` looks for before a part whose post had no
 * answer is posted again. The client must not retry by itself (see slack-adapter's digest client): a
 * post that timed out may have been stored, and only the ledger may decide to post it again.
 */
export function createSlackChat(o: SlackChatOptions): ChatPort {
  // why: the wait holds the delivery pass, and with it the digests that fall due meanwhile in other channels.
  const maxInlineWaitMs = o.maxInlineWaitMs ?? 10_000;
  const maxAttempts = o.maxAttempts ?? 3;
  const timers = o.timers ?? realTimers;

  async function postOnce(token: string, channel: string, m: SlackMessage, metadata: Record<string, string | number>): Promise<string> {
    const base = { token, channel, text: m.text, unfurl_links: false, unfurl_media: false, metadata: { event_type: "docket_digest", event_payload: metadata } };
    try {
      const r = await o.client.chat.postMessage({ ...base, blocks: m.blocks });
      return r.ts ?? "";
    } catch (error) {
      const code = slackErrorCode(error);
      if (!code || !blockErrors.has(code)) throw error;
      o.log.error("Slack refused a digest's blocks; posting it as text", { channel, error: code });
      const r = await o.client.chat.postMessage(base);
      return r.ts ?? "";
    }
  }

  async function postWithBackoff(token: string, channel: string, m: SlackMessage, metadata: Record<string, string | number>): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await postOnce(token, channel, m, metadata);
      } catch (error) {
        const failure = postFailure(error);
        if (failure.retryAfterMs === undefined || failure.retryAfterMs > maxInlineWaitMs || attempt >= maxAttempts) throw failure;
        o.log.info("Slack rate limit; waiting as asked", { channel, retryAfterMs: failure.retryAfterMs, attempt });
        await timers.sleep(failure.retryAfterMs);
      }
    }
  }

  async function adminsToTell(token: string, teamId: string, listed: readonly string[]): Promise<string[]> {
    // why: the docket's list may hold names typed without a mention (`@ana`), which are no Slack user ids.
    const ids = [...new Set(listed)].filter((id) => /^[UW][A-Z0-9]{2,}$/.test(id));
    if (ids.length) return ids;
    const installer = await o.installerOf(teamId);
    if (installer) return [installer];
    try {
      const r = await o.client.users.list({ token, limit: 200 });
      return (r.members ?? [])
        .filter((u) => !u.deleted && !u.is_bot && (u.is_primary_owner || u.is_owner || u.is_admin) && u.id)
        .sort((a, b) => Number(Boolean(b.is_primary_owner)) - Number(Boolean(a.is_primary_owner)))
        .slice(0, 3)
        .map((u) => u.id!);
    } catch (error) {
      o.log.warn("could not list the workspace's admins", { team: teamId, error: errorText(error) });
      return [];
    }
  }

  return {
    platform: "slack",
    render: (message) => renderReply(message, { answerButtons: true }).map((m) => JSON.stringify(m)),
    async send(channel, part, { deliveryKey, part: index, parts }) {
      const token = await o.tokenFor(channel.workspaceId);
      if (!token) throw new ChatError("permanent", `Docket is not installed in Slack workspace ${channel.workspaceId}`);
      const message = messageOf(part);
      const metadata = { delivery_key: deliveryKey, part: index, parts };
      try {
        const messageId = await o.pace.run(`${channel.workspaceId}:${channel.channelId}`, () => postWithBackoff(token, channel.channelId, message, metadata));
        return { messageId };
      } catch (error) {
        throw error instanceof ChatError ? error : postFailure(error);
      }
    },
    async findSent(channel, { deliveryKey, part }) {
      const token = await o.tokenFor(channel.workspaceId);
      if (!token) throw new ChatError("permanent", `Docket is not installed in Slack workspace ${channel.workspaceId}`);
      let messages: webApi.ConversationsHistoryResponse["messages"];
      try {
        // why: metadata comes back only when asked for; a digest part carries its delivery key there.
        ({ messages } = await o.client.conversations.history({ token, channel: channel.channelId, limit: findSentScope, include_all_metadata: true }));
      } catch (error) {
        const code = slackErrorCode(error);
        if (code !== undefined && cannotLook.has(code)) {
          o.log.warn("cannot read the channel to check whether a digest part landed; posting it again, a repeat possible", { channel: channel.channelId, error: code });
          return undefined;
        }
        throw toChatError(error);
      }
      for (const m of messages ?? []) {
        const payload = m.metadata?.event_type === "docket_digest" ? (m.metadata.event_payload as Record<string, unknown> | undefined) : undefined;
        if (payload?.["delivery_key"] === deliveryKey && Number(payload["part"]) === part && m.ts) return { messageId: m.ts };
      }
      return undefined;
    },
    async notifyAdmins(workspaceId, text, adminUserIds) {
      const token = await o.tokenFor(workspaceId);
      if (!token) {
        o.log.warn("cannot tell admins: Docket is not installed in this workspace", { team: workspaceId });
        return;
      }
      const message = renderNotice(escapeText(text));
      for (const user of await adminsToTell(token, workspaceId, adminUserIds)) {
        try {
          // why: posting to a user id lands in the app's direct messages with that person.
          await o.client.chat.postMessage({ token, channel: user, text: message.text, blocks: message.blocks });
        } catch (error) {
          o.log.warn("could not tell an admin by direct message", { team: workspaceId, user, error: toChatError(error).message });
        }
      }
    },
  };
}
