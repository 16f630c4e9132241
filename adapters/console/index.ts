import type { Readable, Writable } from "node:stream";
import type { PlatformAdapter, PlatformModule } from "../../src/platform.ts";
import type { LogOutput } from "../../src/log.ts";
import { consoleChat, runConsole } from "./console-adapter.ts";
import { createScreen } from "./screen.ts";

/** Where the console reads and writes; the process's own by default. */
export interface ConsoleIo {
  input: Readable;
  output: Writable;
  /** Where `export` writes its files. */
  directory: string;
  /** The log's lines: in a terminal the console prints them above its prompt, on `errors`. */
  logOutput: LogOutput;
  /** Where those lines are printed (standard error by default). */
  errors: Writable;
}

/**
 * The console as a platform: one local admin typing commands, replies and digests printed. It
 * serves until its input ends or the user leaves (`done`), so `docket start` with no platform
 * configured exits then: with 1 when a piped session had a command answered with an error, so a
 * script notices; otherwise 0.
 */
export function createConsoleModule(io: Partial<ConsoleIo> = {}): PlatformModule {
  return {
    name: "console",
    // why: the console needs nothing configured; main.ts runs it when no other platform is.
    configured: () => true,
    async create({ core, log }): Promise<PlatformAdapter> {
      const input = io.input ?? process.stdin;
      const output = io.output ?? process.stdout;
      const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
      // why: readline draws no line editing on a dumb terminal (Emacs's shell), so nothing there can be redrawn.
      const screen = createScreen(output, io.errors ?? process.stderr, interactive && process.env.TERM !== "dumb");
      let finished!: (code: number) => void;
      const done = new Promise<number>((resolve) => (finished = resolve));
      let running = false;
      return {
        chat: consoleChat(screen.stream),
        done,
        async start() {
          if (running) return;
          running = true;
          const restore = interactive && io.logOutput ? io.logOutput.divert((line) => screen.printLog(line)) : () => {};
          void runConsole(core, { input, output, directory: io.directory ?? process.cwd(), interactive, screen, log }).then(({ failed }) => {
            restore();
            // why: in a terminal the user saw each error as it came; a script only sees the exit code.
            finished(!interactive && failed > 0 ? 1 : 0);
          });
        },
        async stop() {},
      };
    },
  };
}

export const consoleModule: PlatformModule = createConsoleModule();
