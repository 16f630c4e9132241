import { webApi } from "@slack/bolt";
import { ChatError, type ChatPort } from "../../src/core/chat.ts";
import type { Logger } from "../../src/core/core.ts";
import type { ChannelPace } from "./channel-pace.ts";
import { escapeText } from "./escape.ts";
import { renderNotice, renderReply, type SlackMessage } from "./render.ts";

/** Errors after which posting to that channel (or workspace) cannot work until a person acts. */
export const permanentErrors: ReadonlySet<string> = new Set([
  "not_in_channel", "channel_not_found", "is_archived", "account_inactive", "token_revoked", "token_expired", "missing_scope",
  "invalid_auth", "not_authed", "team_access_not_granted", "restricted_action", "ekm_access_denied", "no_permission", "org_login_required",
]);

/** Errors about the message itself: posted again as text only, since Slack refused the blocks. */
const blockErrors: ReadonlySet<string> = new Set(["invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"]);

/** Slack's error code of a failed Web API call, if it was Slack that refused it. */
export function slackErrorCode(error: unknown): string | undefined {
  return error instanceof Error && (error as { code?: string }).code === webApi.ErrorCode.PlatformError
    ? (error as webApi.WebAPIPlatformError).data.error
    : undefined;
}

/** How a failed Web API call looks to the digest delivery: try later today, or stop and tell the admins. */
export function toChatError(error: unknown): ChatError {
  if (error instanceof ChatError) return error;
  const code = (error as { code?: string } | undefined)?.code;
  if (code === webApi.ErrorCode.RateLimitedError) {
    const seconds = (error as webApi.WebAPIRateLimitedError).retryAfter;
    return new ChatError("retryable", `Slack rate limit: retry after ${seconds} s`, seconds * 1000);
  }
  const platform = slackErrorCode(error);
  if (platform !== undefined) return new ChatError(permanentErrors.has(platform) ? "permanent" : "retryable", `Slack refused the message: ${platform}`);
  if (code === webApi.ErrorCode.HTTPError) return new ChatError("retryable", `Slack answered HTTP ${(error as webApi.WebAPIHTTPError).statusCode}`);
  return new ChatError("retryable", `Slack could not be reached: ${error instanceof Error ? error.message : String(error)}`);
}

export interface SlackChatOptions {
  /** A client with `rejectRateLimitedCalls`, so a 429 comes back here instead of pausing every call. */
  client: webApi.WebClient;
  /** The bot token of a workspace, undefined when Docket is not installed there. */
  tokenFor(teamId: string): string | undefined;
  /** Who installed Docket in a workspace (OAuth), told when the docket has no admins of its own. */
  installerOf(teamId: string): string | undefined;
  log: Logger;
  pace: ChannelPace;
  /** A Retry-After up to this long is waited out in place; a longer one becomes a retry later today. */
  maxInlineWaitMs?: number;
  /** Attempts per message when rate-limited, the first included. */
  maxAttempts?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Digest delivery and admin notices in Slack. A digest too big for one message goes out as several,
 * in order, at most one a second per channel, each carrying its delivery key in message metadata; if
 * a later part fails, the retry posts only the parts not yet sent (within this process).
 */
export function createSlackChat(o: SlackChatOptions): ChatPort {
  const maxInlineWaitMs = o.maxInlineWaitMs ?? 60_000;
  const maxAttempts = o.maxAttempts ?? 3;
  const progress = new Map<string, string[]>();

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
        const failure = toChatError(error);
        if (failure.retryAfterMs === undefined || failure.retryAfterMs > maxInlineWaitMs || attempt >= maxAttempts) throw failure;
        o.log.info("Slack rate limit; waiting as asked", { channel, retryAfterMs: failure.retryAfterMs, attempt });
        await sleep(failure.retryAfterMs);
      }
    }
  }

  async function adminsToTell(token: string, teamId: string, listed: readonly string[]): Promise<string[]> {
    // why: the docket's list may hold names typed without a mention (`@ana`), which are no Slack user ids.
    const ids = [...new Set(listed)].filter((id) => /^[UW][A-Z0-9]{2,}$/.test(id));
    if (ids.length) return ids;
    const installer = o.installerOf(teamId);
    if (installer) return [installer];
    try {
      const r = await o.client.users.list({ token, limit: 200 });
      return (r.members ?? [])
        .filter((u) => !u.deleted && !u.is_bot && (u.is_primary_owner || u.is_owner || u.is_admin) && u.id)
        .sort((a, b) => Number(Boolean(b.is_primary_owner)) - Number(Boolean(a.is_primary_owner)))
        .slice(0, 3)
        .map((u) => u.id!);
    } catch (error) {
      o.log.warn("could not list the workspace's admins", { team: teamId, error: error instanceof Error ? error.message : String(error) });
      return [];
    }
  }

  return {
    platform: "slack",
    async post(channel, message, { idempotencyKey }) {
      const token = o.tokenFor(channel.workspaceId);
      if (!token) throw new ChatError("permanent", `Docket is not installed in Slack workspace ${channel.workspaceId}`);
      const parts = renderReply(message, { answerButtons: true });
      const sent = progress.get(idempotencyKey) ?? [];
      try {
        for (let i = sent.length; i < parts.length; i++) {
          const metadata = { delivery_key: idempotencyKey, part: i + 1, parts: parts.length };
          const ts = await o.pace.run(`${channel.workspaceId}:${channel.channelId}`, () => postWithBackoff(token, channel.channelId, parts[i]!, metadata));
          sent.push(ts);
          if (i + 1 < parts.length) progress.set(idempotencyKey, sent);
        }
      } catch (error) {
        const failure = toChatError(error);
        if (failure.kind === "permanent") progress.delete(idempotencyKey);
        if (progress.size > 1000) progress.clear();
        throw failure;
      }
      progress.delete(idempotencyKey);
      return { messageId: sent[0] ?? "" };
    },
    async notifyAdmins(workspaceId, text, adminUserIds) {
      const token = o.tokenFor(workspaceId);
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
