import type { Writable } from "node:stream";
import { ChatError, type ChatPort, type MessagePart } from "../../src/core/api.ts";
import { replyToText } from "../../src/core/api.ts";

/**
 * The most characters one console message holds (its "part i of n" line aside): about a screenful,
 * like a chat message, so a long digest is split, stored and resumed the same way it is on Slack and
 * Discord.
 */
export const consolePartChars = 3500;

/** Splits text at line ends into pieces of at most `max` characters; a longer line is cut where it must be. */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let current = "";
  for (const whole of text.split("\n")) {
    let line = whole;
    while (line.length > max) {
      if (current !== "") pieces.push(current);
      pieces.push(line.slice(0, max));
      line = line.slice(max);
      current = "";
    }
    if (current !== "" && current.length + 1 + line.length > max) {
      pieces.push(current);
      current = line;
    } else current = current === "" ? line : `${current}\n${line}`;
  }
  if (current !== "" || pieces.length === 0) pieces.push(current);
  return pieces;
}

/** Digests and admin notices for the console channel are printed where the conversation is. */
export function consoleChat(output: Writable): ChatPort {
  const closed = () => output.destroyed || output.writableEnded;
  return {
    platform: "console",
    render(message): MessagePart[] {
      const pieces = splitText(replyToText(message), consolePartChars);
      return pieces.length === 1 ? pieces : pieces.map((piece, i) => `${piece}\n(part ${i + 1} of ${pieces.length})`);
    },
    send(_channel, part, { deliveryKey, part: index }) {
      // why: nothing will read this console again; the digest pauses until someone turns it back on.
      if (closed()) return Promise.reject(new ChatError("permanent", "the console's output is closed"));
      return new Promise((resolve, reject) => {
        output.write(`${part}\n\n`, (error) => {
          if (error) reject(new ChatError("retryable", `could not print the digest: ${error.message}`));
          else resolve({ messageId: `console-${deliveryKey}-${index}` });
        });
      });
    },
    async notifyAdmins(_workspaceId, text) {
      if (!closed()) output.write(`[admin notice] ${text}\n`);
    },
  };
}
