import type { Reply } from "./reply.ts";
import type { ChannelRef, Platform } from "./types.ts";

export interface PostResult {
  /** The id of the first message posted (a long digest may take several). */
  messageId: string;
  /** How many messages the whole post took, counting those skipped because an earlier attempt sent them. */
  parts?: number;
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
    /** How many messages of a split post went out before the failure (counting skipped ones), so a retry resumes after them. */
    readonly partsSent?: number,
  ) {
    super(message);
  }
}

export interface PostOptions {
  /** The same for every attempt at one delivery. */
  idempotencyKey: string;
  /**
   * Messages of this post that an earlier attempt already sent: a long digest split into several
   * messages resumes after them instead of posting them twice.
   */
  skipParts?: number;
}

/** What the core needs from a chat platform to deliver digests. Implemented by each adapter. */
export interface ChatPort {
  readonly platform: Platform;
  /**
   * Posts a message in a channel; resolves with the platform's message id. The idempotency key is
   * the same for every attempt at one delivery, so a platform that supports it (Discord's nonce)
   * can drop a duplicate. Rejects with ChatError.
   */
  post(channel: ChannelRef, message: Reply, options: PostOptions): Promise<PostResult>;
  /** Tells a workspace's admins something needs their attention (a paused digest). Best effort. */
  notifyAdmins(workspaceId: string, text: string, adminUserIds: readonly string[]): Promise<void>;
}
