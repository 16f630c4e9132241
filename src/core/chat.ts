import type { Reply } from "./reply.ts";
import type { ChannelRef, Platform } from "./types.ts";

export interface PostResult {
  messageId: string;
}

/**
 * Why a post failed. Retryable: try again later the same day (rate limit, network, server error).
 * Permanent: the channel is gone or forbids the bot; retrying cannot help, so the subscription pauses.
 */
export class ChatError extends Error {
  override readonly name = "ChatError";
  constructor(
    readonly kind: "retryable" | "permanent",
    message: string,
    /** For rate limits: how long the platform asked us to wait. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** What the core needs from a chat platform to deliver digests. Implemented by each adapter. */
export interface ChatPort {
  readonly platform: Platform;
  /**
   * Posts a message in a channel; resolves with the platform's message id. The idempotency key is
   * the same for every attempt at one delivery, so a platform that supports it (Discord's nonce)
   * can drop a duplicate. Rejects with ChatError.
   */
  post(channel: ChannelRef, message: Reply, options: { idempotencyKey: string }): Promise<PostResult>;
  /** Tells a workspace's admins something needs their attention (a paused digest). Best effort. */
  notifyAdmins(workspaceId: string, text: string, adminUserIds: readonly string[]): Promise<void>;
}
