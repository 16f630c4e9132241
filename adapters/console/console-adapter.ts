import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Core } from "../../src/core/core.ts";
import type { Invocation } from "../../src/core/context.ts";
import { replyToText, type Reply } from "../../src/core/reply.ts";
import type { ChatPort, PostResult } from "../../src/core/chat.ts";

/** The console is one local admin in one local channel of one local workspace. */
export const consoleInvocation: Invocation = {
  workspace: { platform: "console", id: "console", name: "console" },
  channel: { id: "console", name: "console" },
  actor: { id: "local", displayName: "local", isPlatformAdmin: true, roleIds: [] },
};

export interface ConsoleOptions {
  input: Readable;
  output: Writable;
  /** Where `export` writes its files. */
  directory: string;
  interactive: boolean;
}

/** What a console reply looks like, with the file an export wrote. */
export function renderForConsole(r: Reply, directory: string): string {
  const text = replyToText(r);
  if (!r.file) return text;
  const path = resolve(directory, r.file.name);
  writeFileSync(path, r.file.content);
  return `${text}\nWrote ${path}`;
}

/** Strips the root command a user may type out of habit: `/docket ask …` or `docket ask …`. */
export const stripRoot = (line: string, root: string): string => line.trim().replace(new RegExp(`^/?${root}(\\s+|$)`, "i"), "");

/** The core's reply to one typed line; none for a blank line. The console's one call into the core. */
export function replyToLine(core: Core, line: string): Reply | undefined {
  const text = stripRoot(line, core.settings.commandName);
  if (text === "" && line.trim() === "") return undefined;
  return core.runText(consoleInvocation, text);
}

/**
 * Reads one command a line, prints each reply, and resolves at the end of input. With a terminal
 * it shows a prompt with line history; piped, it prints replies only.
 */
export function runConsole(core: Core, options: ConsoleOptions): Promise<void> {
  const rl = createInterface({ input: options.input, output: options.output, terminal: options.interactive, historySize: 200, prompt: `${core.settings.commandName}> ` });
  const print = (text: string) => options.output.write(`${text}\n`);
  if (options.interactive) {
    print(`Docket console. Type help for the commands, Ctrl-D to leave.`);
    rl.prompt();
  }
  rl.on("line", (line) => {
    const r = replyToLine(core, line);
    if (r) {
      print(renderForConsole(r, options.directory));
      if (!options.interactive) print("");
    }
    if (options.interactive) rl.prompt();
  });
  return new Promise((done) => rl.on("close", () => done()));
}

/** Digests and admin notices for the console channel are printed where the conversation is. */
export function consoleChat(output: Writable): ChatPort {
  let sequence = 0;
  return {
    platform: "console",
    async post(_channel, message, { idempotencyKey }): Promise<PostResult> {
      output.write(`${replyToText(message)}\n\n`);
      return { messageId: `console-${++sequence}-${idempotencyKey}` };
    },
    async notifyAdmins(_workspaceId, text) {
      output.write(`[admin notice] ${text}\n`);
    },
  };
}
