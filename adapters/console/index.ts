import type { Readable, Writable } from "node:stream";
import type { PlatformAdapter, PlatformModule } from "../../src/platform.ts";
import { consoleChat, runConsole } from "./console-adapter.ts";

/** Where the console reads and writes; the process's own by default. */
export interface ConsoleIo {
  input: Readable;
  output: Writable;
  /** Where `export` writes its files. */
  directory: string;
}

/**
 * The console as a platform: one local admin typing commands, replies and digests printed. It
 * serves until its input ends (`done`), so `docket start` with no platform configured exits then.
 */
export function createConsoleModule(io: Partial<ConsoleIo> = {}): PlatformModule {
  return {
    name: "console",
    // why: the console needs nothing configured; main.ts runs it when no other platform is.
    configured: () => true,
    async create({ core }): Promise<PlatformAdapter> {
      const input = io.input ?? process.stdin;
      const output = io.output ?? process.stdout;
      let finished!: () => void;
      const done = new Promise<void>((resolve) => (finished = resolve));
      let running = false;
      return {
        chat: consoleChat(output),
        done,
        async start() {
          if (running) return;
          running = true;
          const interactive = Boolean((input as { isTTY?: boolean }).isTTY);
          void runConsole(core, { input, output, directory: io.directory ?? process.cwd(), interactive }).then(finished);
        },
        async stop() {},
      };
    },
  };
}

export const consoleModule: PlatformModule = createConsoleModule();
