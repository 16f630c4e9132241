import { ChatError, type ChatPort } from "../../src/core/chat.ts";
import type { Reply } from "../../src/core/reply.ts";
import type { ChannelRef, Platform } from "../../src/core/types.ts";

export interface Posted {
  channel: ChannelRef;
  message: Reply;
  idempotencyKey: string;
  skipParts: number;
}

/** A chat port that records what it is asked to post, and fails when told to. */
export function recordingChat(platform: Platform = "slack") {
  const posts: Posted[] = [];
  const notices: Array<{ workspaceId: string; text: string; admins: readonly string[] }> = [];
  const failures: Array<ChatError | Error> = [];
  const chat: ChatPort = {
    platform,
    async post(channel, message, { idempotencyKey, skipParts = 0 }) {
      const failure = failures.shift();
      if (failure) throw failure;
      posts.push({ channel, message, idempotencyKey, skipParts });
      return { messageId: `m${posts.length}` };
    },
    async notifyAdmins(workspaceId, text, admins) {
      notices.push({ workspaceId, text, admins });
    },
  };
  return {
    chat,
    posts,
    notices,
    failNext: (...errors: Array<ChatError | Error>) => failures.push(...errors),
    postsTo: (channelId: string) => posts.filter((p) => p.channel.channelId === channelId),
  };
}
