import { clearLine, cursorTo, type Interface } from "node:readline";
import { Writable } from "node:stream";

/**
 * The console's terminal as the user sees it: the conversation, and a prompt with what they are
 * typing. Whatever arrives on its own (a digest, an admin notice, a log line) is printed above the
 * prompt, which is then drawn again with the half-typed line, as a shell does.
 */
export interface Screen {
  /** Prints text (ending with a newline, or given one) where the conversation is. */
  print(text: string): void;
  /** Prints a log line: on the log's own stream, but above the prompt like the rest. */
  printLog(line: string): void;
  /** The prompt is on screen and waiting for the user (between replies). */
  prompting: boolean;
  /** The readline interface that draws the prompt; until it is set, printing is plain. */
  attach(rl: Interface): void;
  /** Shows the prompt, empty, on a new line. */
  prompt(): void;
  /** Drops the half-typed line: keeps it on screen marked `^C`, and draws an empty prompt under it. */
  dropLine(): void;
  /** True once nothing more can be printed: the output was closed (a `| head` that had enough). */
  readonly closed: boolean;
  /** A stream that prints through `print`, for the digest port, which writes to a stream. */
  readonly stream: Writable;
}

const withNewline = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);

/**
 * `redraw` is false where readline cannot edit the line it shows (not a terminal, or `TERM=dumb`):
 * there, text is printed as it comes and a half-typed line cannot be dropped.
 */
export function createScreen(output: Writable, logOutput: Writable, redraw: boolean): Screen {
  let rl: Interface | undefined;
  const closed = () => output.destroyed || output.writableEnded;

  /** Clears the prompt and the typed line, runs `write`, and draws them again as they were. */
  function above(write: () => void): void {
    if (!redraw || !rl || !screen.prompting || closed()) return write();
    const { line, cursor } = rl;
    // why: readline redraws from where it last left the cursor, so the line is emptied through readline
    // itself (end, then delete to the start) rather than by escape codes it would not know about.
    rl.write(null, { ctrl: true, name: "e" });
    rl.write(null, { ctrl: true, name: "u" });
    cursorTo(output, 0);
    clearLine(output, 0);
    write();
    rl.prompt();
    if (line !== "") {
      rl.write(line);
      for (let i = [...line.slice(cursor)].length; i > 0; i--) rl.write(null, { name: "left" });
    }
  }

  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      screen.print(chunk.toString());
      callback();
    },
  });
  // why: the digest port reads a closed stream as a console nobody reads any more.
  const closeStream = () => stream.destroy();
  output.once("close", closeStream).once("error", closeStream);

  const screen: Screen = {
    prompting: false,
    get closed() {
      return closed();
    },
    print(text) {
      if (!closed()) above(() => output.write(withNewline(text)));
    },
    printLog(line) {
      above(() => logOutput.write(withNewline(line)));
    },
    attach(attached) {
      rl = attached;
    },
    prompt() {
      if (!rl || closed()) return;
      screen.prompting = true;
      rl.prompt();
    },
    dropLine() {
      if (!rl || !redraw) return;
      const typed = `${rl.getPrompt()}${rl.line}^C`;
      rl.write(null, { ctrl: true, name: "e" });
      rl.write(null, { ctrl: true, name: "u" });
      screen.print(typed);
    },
    stream,
  };
  return screen;
}
