import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { replyToText, type Core, type Invocation, type Mention, type Outcome, type Reply, type TypedText } from "../../src/core/api.ts";

export { consoleChat } from "./console-chat.ts";

/** The console is one local admin in one local channel of one local workspace. */
export const consoleInvocation: Invocation = {
  workspace: { platform: "console", id: "console", name: "console" },
  channel: { id: "console", name: "console" },
  actor: { id: "local", displayName: "local", role: { isPlatformAdmin: true, roleIds: [] } },
};

// why: the console has no directory of people; `@name` is how a local user names someone, and is that someone.
const mentionPattern = /(?<=^|\s)@([\p{L}\p{N}._-]{1,80})/gu;

/** A console line as the core takes it: `@name` is a mention of the member `name`. */
export function consoleText(line: string): TypedText {
  const parts: Array<string | Mention> = [];
  let last = 0;
  for (const m of line.matchAll(mentionPattern)) {
    parts.push(line.slice(last, m.index));
    parts.push({ kind: "member", id: m[1]!, label: m[1]! });
    last = m.index + m[0].length;
  }
  if (parts.length === 0) return line;
  parts.push(line.slice(last));
  return parts.filter((p) => p !== "");
}

/** Runs one console line through the core; the console cannot open forms, so the core says what to type instead. */
export async function runLine(core: Core, text: string): Promise<Reply> {
  const outcome = await core.handle({ kind: "text", invocation: consoleInvocation, text: consoleText(text), forms: false });
  switch (outcome.kind) {
    case "slow":
      return replyOf(await outcome.resume());
    default:
      return replyOf(outcome);
  }
}

function replyOf(outcome: Outcome): Reply {
  // why: the console's one member is the local admin, so neither a role nor a form is ever asked for.
  if (outcome.kind === "reply" || outcome.kind === "invalid") return outcome.reply;
  throw new Error(`the console cannot answer a "${outcome.kind}" outcome`);
}

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

/**
 * Reads one command a line, prints each reply, and resolves at the end of input. With a terminal
 * it shows a prompt with line history; piped, it prints replies only.
 */
export function runConsole(core: Core, options: ConsoleOptions): Promise<void> {
  const rl = createInterface({ input: options.input, output: options.output, terminal: options.interactive, historySize: 200, prompt: `${core.commandName}> ` });
  const print = (text: string) => options.output.write(`${text}\n`);
  if (options.interactive) {
    print(`Docket console. Type help for the commands, Ctrl-D to leave.`);
    rl.prompt();
  }
  // why: lines are answered one at a time, in order, even though each answer is a promise.
  let queue: Promise<void> = Promise.resolve();
  rl.on("line", (line) => {
    queue = queue.then(async () => {
      const text = stripRoot(line, core.commandName);
      if (text !== "" || line.trim() !== "") {
        print(renderForConsole(await runLine(core, text), options.directory));
        if (!options.interactive) print("");
      }
      if (options.interactive) rl.prompt();
    });
  });
  return new Promise((done) => rl.on("close", () => void queue.then(() => done())));
}
