import { ChatError, type ChatPort, type PartKey } from "../../src/core/chat.ts";
import type { Reply } from "../../src/core/reply.ts";
import type { ChannelRef, Platform } from "../../src/core/types.ts";

/** One message the port was asked to send: the reply it was rendered from, and which part of which delivery. */
export interface Posted extends PartKey {
  channel: ChannelRef;
  message: Reply;
}

/**
 * A chat port that records what it is asked to send, and fails when told to. It renders every reply
 * as `partsPerReply` messages (default one), each carrying the whole reply, so a story can split a
 * digest without writing a long one.
 */
export function recordingChat(platform: Platform = "slack", partsPerReply = 1) {
  const posts: Posted[] = [];
  const renderings: Reply[] = [];
  const notices: Array<{ workspaceId: string; text: string; admins: readonly string[] }> = [];
  /** What the next sends do, in order: null goes through. */
  const failures: Array<ChatError | Error | null> = [];
  const chat: ChatPort = {
    platform,
    render(message) {
      renderings.push(message);
      return Array.from({ length: partsPerReply }, () => JSON.stringify(message));
    },
    async send(channel, part, key) {
      const failure = failures.shift();
      if (failure) throw failure;
      posts.push({ channel, message: JSON.parse(part) as Reply, ...key });
      return { messageId: `m${posts.length}` };
    },
    async notifyAdmins(workspaceId, text, admins) {
      notices.push({ workspaceId, text, admins });
    },
  };
  return {
    chat,
    posts,
    /** Every reply the port rendered: one per delivery, however many attempts it took. */
    renderings,
    notices,
    failNext: (...errors: Array<ChatError | Error>) => failures.push(...errors),
    /** Lets the next `sends` messages through, then fails the one after with `error`. */
    failAfter: (sends: number, error: ChatError | Error) => failures.push(...Array.from({ length: sends }, () => null), error),
    postsTo: (channelId: string) => posts.filter((p) => p.channel.channelId === channelId),
  };
}
