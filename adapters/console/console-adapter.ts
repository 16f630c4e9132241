import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { createScreen, type Screen } from "./screen.ts";
import { replyToText, type Core, type Invocation, type Logger, type Mention, type Outcome, type Reply, type TypedText } from "../../src/core/api.ts";

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
  /** Where the conversation is printed; built on `output` when not given. */
  screen?: Screen;
  /** Where a failure of Docket's own is logged. */
  log?: Logger;
}

/** How a console session ended: what the process should exit with. */
export interface ConsoleEnd {
  /** Commands that were answered with an error (a user mistake, or Docket's own failure). */
  failed: number;
}

/** The words that leave the console. The adapter keeps them: the core never learns them, like Ctrl-D. */
const leaveWords = new Set(["exit", "quit"]);

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
 * Reads one command a line, prints each reply, and resolves at the end of input, or on `exit`,
 * `quit` or Ctrl-D, or when nobody reads the output any more. With a terminal it shows a prompt with
 * line history, prints digests and notices above the prompt, and takes Ctrl-C as a shell does;
 * piped, it prints replies only.
 */
export function runConsole(core: Core, options: ConsoleOptions): Promise<ConsoleEnd> {
  const { input, output, interactive } = options;
  const screen = options.screen ?? createScreen(output, output, interactive);
  const rl = createInterface({ input, output, terminal: interactive, historySize: 200, prompt: `${core.commandName}> ` });
  screen.attach(rl);
  let failed = 0;
  let leaving = false;
  // why: Ctrl-C on an empty prompt only says how to leave; a second one in a row leaves.
  let warnedCtrlC = false;

  const leave = () => {
    if (leaving) return;
    leaving = true;
    screen.prompting = false;
    rl.close();
  };
  // why: a reader that went away (`docket start < commands | head`) is the end of the session, not a crash.
  output.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") screen.printLog(`docket: the console's output failed: ${error.message}`);
    leave();
  });
  output.once("close", leave);

  if (interactive) {
    screen.print(`Docket console. Type help for the commands, exit or Ctrl-D to leave.`);
    screen.prompt();
    rl.on("SIGINT", () => {
      if (rl.line !== "") {
        warnedCtrlC = false;
        screen.dropLine();
      } else if (warnedCtrlC) {
        screen.prompting = false;
        output.write("^C\n");
        leave();
      } else {
        warnedCtrlC = true;
        screen.print(`${rl.getPrompt()}^C\n(To leave, type exit or press Ctrl-D, or press Ctrl-C again.)`);
      }
    });
    input.on("keypress", (_text: string | undefined, key: { ctrl?: boolean; name?: string } | undefined) => {
      if (!(key?.ctrl && key.name === "c")) warnedCtrlC = false;
    });
  }

  // why: lines are answered one at a time, in order, even though each answer is a promise.
  let queue: Promise<void> = Promise.resolve();
  rl.on("line", (line) => {
    if (leaving) return;
    const text = stripRoot(line, core.commandName);
    if (leaveWords.has(text.toLowerCase())) return leave();
    screen.prompting = false;
    queue = queue.then(async () => {
      if (text !== "" || line.trim() !== "") {
        const answer = await answerLine(core, text, options.directory, options.log);
        if (answer.failed) failed++;
        screen.print(answer.text);
        if (!interactive) screen.print("");
      }
      if (interactive && !leaving) screen.prompt();
    });
  });
  return new Promise((done) =>
    rl.on("close", () => {
      // why: Ctrl-D leaves the cursor after the prompt; the shell's own prompt belongs on a line of its own.
      if (interactive && !leaving && !screen.closed) output.write("\n");
      leaving = true;
      void queue.then(() => done({ failed }));
    }),
  );
}

/** Why a file could not be written, in words, for the errors a user can do something about. */
const fileProblems: Record<string, string> = {
  ENOENT: "the directory does not exist",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "the disk is full",
  EISDIR: "a directory has that name",
};

/** One line's reply as printed, and whether it reports a failure. Nothing a user typed ends in a stack trace. */
async function answerLine(core: Core, text: string, directory: string, log: Logger | undefined): Promise<{ text: string; failed: boolean }> {
  let r: Reply;
  try {
    r = await runLine(core, text);
  } catch (error) {
    // why: the core answers every command itself; reaching here is Docket's bug, so the user gets the apology the core would give.
    log?.error("console command failed", { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    return { text: "Sorry, something went wrong on Docket's side and nothing was changed.", failed: true };
  }
  try {
    return { text: renderForConsole(r, directory), failed: r.error !== undefined };
  } catch (error) {
    // why: the export was made; only writing its file failed (a read-only or full directory), which the user can fix.
    const code = error instanceof Error && "code" in error ? error.code : undefined;
    const reason = typeof code === "string" && code in fileProblems ? fileProblems[code] : error instanceof Error ? error.message : String(error);
    return { text: `${replyToText(r)}\nCould not write ${resolve(directory, r.file?.name ?? "")} (${reason}). Run Docket from a directory you can write to.`, failed: true };
  }
}
