import { createHash } from "node:crypto";
import { DiscordAPIError, RateLimitError, Routes, type APIChannel, type APIMessage, type Guild, type MessageMentionOptions, type REST } from "discord.js";
import { ChatError, type ChatPort } from "../../src/core/api.ts";
import type { Logger } from "../../src/core/api.ts";
import { escapeText, fit } from "./markdown.ts";
import { discordLimits, renderReply, type DiscordMessage } from "./render.ts";

/** What no message of Docket's may do: ping anyone. */
export const noMentions: MessageMentionOptions = { parse: [] };

/** A stored part as `render` wrote it; anything else is not a message this port rendered. */
function messageOf(part: string): DiscordMessage {
  const m = JSON.parse(part) as Partial<DiscordMessage> | null;
  if (!Array.isArray(m?.embeds) || !Array.isArray(m.components)) throw new Error("a digest part is not a Discord message Docket rendered");
  const roles = m.allowed_mentions?.roles;
  const allowed = Array.isArray(roles) && roles.length > 0 && roles.every((id) => typeof id === "string" && /^\d{15,21}$/.test(id)) ? { allowed_mentions: { parse: [] as [], roles: [...roles] } } : {};
  return { ...(typeof m.content === "string" ? { content: m.content } : {}), embeds: m.embeds, components: m.components, ...allowed };
}

/**
 * The nonce of the `index`th message of a delivery (from 0): the same for every attempt, so Discord drops a
 * retried duplicate (enforce_nonce), and at most 25 characters as Discord requires.
 */
export const nonceOf = (idempotencyKey: string, index: number): string => createHash("sha256").update(`${idempotencyKey}#${index}`).digest("hex").slice(0, 25);

/** Discord's answers that mean this channel will not take Docket's messages, whatever we retry. */
const permanent: Record<number, string> = {
  10003: "the channel no longer exists (Unknown Channel)",
  10004: "Docket is no longer in that server (Unknown Guild)",
  50001: "Docket cannot see that channel (Missing Access)",
  50008: "that channel does not take messages",
  50013: "Docket may not post there (Missing Permissions: it needs View Channel, Send Messages and Embed Links)",
};

/** A failed Discord request as the core's ChatError: gone or forbidden is permanent, the rest retryable. */
export function toChatError(error: unknown): ChatError {
  if (error instanceof DiscordAPIError) {
    const known = permanent[Number(error.code)];
    if (known) return new ChatError("permanent", known);
    if (error.status === 403 || error.status === 404) return new ChatError("permanent", `Discord refused (${error.status} ${error.code}: ${error.message})`);
    // why: after a server error the message may exist; the retry carries the same nonce, which Discord drops for a few minutes.
    return new ChatError("retryable", `Discord answered ${error.status} ${error.code}: ${error.message}`, undefined, error.status >= 500);
  }
  if (error instanceof RateLimitError) return new ChatError("retryable", `rate limited on ${error.route}`, error.retryAfter);
  return new ChatError("retryable", error instanceof Error ? error.message : String(error), undefined, true);
}

/** Where an admin notice can go when no admin takes a DM. */
export type GuildContacts = Pick<Guild, "systemChannelId" | "ownerId">;

export interface DiscordChatDeps {
  /**
   * The REST client digests and notices go through, with its rate limits. Not the gateway client's:
   * a digest run can fill the bot's global 50 requests a second for a while, and deferred replies
   * and follow-ups, which carry no bot token and so are outside that limit, must not queue behind it.
   */
  rest: REST;
  /** Who to tell in a server the bot is in: the gateway's cached guild, or (over HTTP) Discord's answer to GET /guilds/{id}. */
  guild(id: string): GuildContacts | undefined | Promise<GuildContacts | undefined>;
  log: Logger;
}

/** Posts digests in channels, one rendered message per `send`, and tells admins about paused ones. */
export function createDiscordChat(o: DiscordChatDeps): ChatPort {
  const { log, rest } = o;
  // why: a message allows no mention unless render gave it a milestone's one role (messageOf keeps nothing else).
  const send = async (channelId: string, m: DiscordMessage, extra: Record<string, unknown> = {}): Promise<APIMessage> =>
    (await rest.post(Routes.channelMessages(channelId), { body: { ...m, allowed_mentions: m.allowed_mentions ?? noMentions, ...extra } })) as APIMessage;

  async function dm(userId: string, message: DiscordMessage): Promise<boolean> {
    try {
      const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
      await send(channel.id, message);
      return true;
    } catch (error) {
      // why: members may close their DMs (50007); the next admin, or the server's channel, is told instead.
      log.warn("could not DM a Discord admin", { user: userId, error: error instanceof Error ? error.message : String(error) });
      return false;
    }
  }

  return {
    platform: "discord",
    render: (reply) => renderReply(reply, { answerButtons: true }).map((m) => JSON.stringify(m)),
    async send(channel, part, { deliveryKey, part: index }) {
      const message = messageOf(part);
      try {
        // why: the nonce only guards a retry for a few minutes; the ledger's record of each part guards it for the day.
        const sent = await send(channel.channelId, message, { nonce: nonceOf(deliveryKey, index - 1), enforce_nonce: true });
        return { messageId: sent.id };
      } catch (error) {
        throw toChatError(error);
      }
    },
    async notifyAdmins(workspaceId, text, adminUserIds) {
      const message: DiscordMessage = { content: fit(escapeText(`Docket: ${text}`), discordLimits.content), embeds: [], components: [] };
      let told = 0;
      for (const id of adminUserIds.filter((u) => /^\d{15,21}$/.test(u))) if (await dm(id, message)) told++;
      if (told > 0) return;
      const guild = await o.guild(workspaceId);
      if (guild?.systemChannelId) {
        try {
          await send(guild.systemChannelId, message);
          return;
        } catch (error) {
          log.warn("could not post an admin notice in the server's system channel", { guild: workspaceId, error: error instanceof Error ? error.message : String(error) });
        }
      }
      if (guild?.ownerId && !(await dm(guild.ownerId, message))) log.warn("no Discord admin could be told", { guild: workspaceId });
    },
  };
}
