import type { Reply } from "./reply.ts";
import type { ChannelRef, Platform } from "./types.ts";

/**
 * One platform message of a rendered reply, opaque to the core: the port that rendered it reads it
 * back in `send`. It is plain text (JSON, say) because the delivery ledger stores it, so a process
 * started after a restart can send the rest of a digest exactly as it was first rendered.
 */
export type MessagePart = string;

/** Which message of which delivery a `send` is. */
export interface PartKey {
  /** The same for every attempt at one delivery, in every process: `digest-<subscription>-<local date>`. */
  deliveryKey: string;
  /** This message's place in the delivery, from 1. */
  part: number;
  /** How many messages the delivery takes in all. */
  parts: number;
}

export interface SentMessage {
  /** The platform's id of the message posted (Slack's ts, Discord's snowflake). */
  messageId: string;
}

/**
 * Why a send failed. Retryable: try again later the same day (rate limit, network, server error).
 * Permanent: the channel is gone or forbids the bot; retrying cannot help, so the subscription pauses.
 */
export class ChatError extends Error {
  override readonly name = "ChatError";
  constructor(
    readonly kind: "retryable" | "permanent",
    message: string,
    /** For rate limits: how long the platform asked us to wait. */
    readonly retryAfterMs?: number,
    /**
     * True when the message may have been posted all the same: the request timed out, the connection
     * failed, or the platform answered a server error. False when the platform refused it outright.
     */
    readonly mayHaveLanded = false,
  ) {
    super(message);
  }
}

/**
 * What the core needs from a chat platform to deliver digests. Implemented by each adapter.
 * The core owns the parts of a split message: it renders once, keeps the parts, and sends them one
 * by one, recording each; a port keeps no state about a delivery between calls.
 */
export interface ChatPort {
  readonly platform: Platform;
  /**
   * Renders a reply as the platform's messages, in reading order, each within the platform's limits.
   * Pure and synchronous; never empty (a reply with nothing in it is still one message).
   */
  render(message: Reply): MessagePart[];
  /**
   * Posts one rendered part in a channel; resolves with the platform's message id. `key` is the same
   * for every attempt at that part, so a platform that supports it (Discord's nonce) drops a duplicate,
   * and one that can carry it (Slack's message metadata) marks the message with it. A short rate-limit
   * wait may be waited out inside; a failure rejects with ChatError (any other error counts as retryable).
   */
  send(channel: ChannelRef, part: MessagePart, key: PartKey): Promise<SentMessage>;
  /**
   * Looks in the channel for a message already posted with this key, so that a part whose earlier
   * send may have landed (timeout, network error, server error, a process that died) is recorded
   * instead of posted again. Each port states how far back it looks. Resolves undefined when no such
   * message was found, or when the platform does not let the port look (it says so in the log);
   * rejects with ChatError when it could not look now (the part then waits for a later retry).
   * A port without it relies on the platform to drop a repeat (Discord's nonce) or on nothing (console).
   */
  findSent?(channel: ChannelRef, key: PartKey): Promise<SentMessage | undefined>;
  /** Tells a workspace's admins something needs their attention (a paused digest). Best effort. */
  notifyAdmins(workspaceId: string, text: string, adminUserIds: readonly string[]): Promise<void>;
}
