#!/usr/bin/env node
import { ConfigError, loadConfig } from "./config.ts";
import { UserError } from "./core/errors.ts";
import { createLogger } from "./log.ts";
import { DatabaseError } from "./store/database-error.ts";
import { MigrationError } from "./store/migrate.ts";
import { start } from "./main.ts";

const usage = `Usage: docket <command>

  start                         run Docket (Slack, Discord, or the console when neither is configured)
  migrate                       apply pending database migrations and exit
  check                         check the database file for damage (integrity_check), changing nothing
  backup <file>                 copy the database to <file>, safely, while Docket runs
  export --format md|csv|json|ics [--docket ID] [--out FILE]
                                write a docket to FILE (default: standard output)
  import <file.json>            restore a docket exported as json into an empty database
  slack-manifest [--url URL] [--socket] [--oauth]
                                print the Slack app manifest for this vocabulary
  discord-register [--force]    register the Discord slash commands now (only if they changed)
  help                          this text

Configuration comes from the environment and .env; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const [command = "start", ...args] = argv;
  if (command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  switch (command) {
    case "start": {
      const running = await start({ config, log });
      const shutdown = async () => {
        // why: a platform library stuck mid-handshake must not keep a stopped Docket alive; ten seconds is plenty for a clean stop.
        setTimeout(() => process.exit(0), 10_000).unref();
        await running.stop();
        process.exit(0);
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
      await running.done;
      await running.stop();
      return 0;
    }
    default: {
      const { runTool } = await import("./tools.ts");
      return runTool(command, args, config);
    }
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // why: an operator's mistake (bad config, a wrong file) gets one line and exit 2; only bugs get a stack.
    const mistake =
      error instanceof ConfigError || error instanceof MigrationError || error instanceof DatabaseError || error instanceof UserError || error instanceof SyntaxError ||
      (error instanceof Error && (error.name === "ToolError" || ("code" in error && (error.code === "ENOENT" || error.code === "EACCES" || error.code === "EISDIR"))));
    if (mistake) {
      process.stderr.write(`docket: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`docket: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
