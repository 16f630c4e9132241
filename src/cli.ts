import { parseArgs } from "node:util";
import type { Config } from "./config.ts";
import { UserError } from "./core/errors.ts";
import { createLogger, createLogOutput } from "./log.ts";
import { runsConsole, start, platformTools, toolContext } from "./main.ts";
import { databaseTools } from "./operator-tools.ts";
import { defineTool, PlatformStartError, ToolError, type OperatorTool, type ToolArgs, type ToolContext } from "./platform.ts";
import { DatabaseError } from "./store/database-error.ts";
import { MigrationError } from "./store/migrate.ts";

/** The `docket` operator command: one declared table, from which parsing, `docket help` and README's table come. */

const startTool = defineTool({
  name: "start",
  usage: "",
  summary: "run Docket: Slack, Discord, or the console when neither is configured (what `npm start` does)",
  async run(_args, { config }) {
    const consoleMode = runsConsole(config);
    // why: in the console, standard error shares the terminal with the conversation; only what needs
    // the user's attention (warn and error) is printed there, unless LOG_LEVEL asks for more.
    const level = consoleMode && process.env.LOG_LEVEL === undefined ? "warn" : config.logLevel;
    const logOutput = createLogOutput();
    const running = await start({ config, log: createLogger(level, (line) => logOutput.write(line)), logOutput });
    const shutdown = async () => {
      // why: a platform library stuck mid-handshake must not keep a stopped Docket alive; ten seconds is plenty for a clean stop.
      setTimeout(() => process.exit(0), 10_000).unref();
      await running.stop();
      process.exit(0);
    };
    process.once("SIGINT", shutdown);
    process.once("SIGTERM", shutdown);
    const code = await running.done;
    await running.stop();
    return code;
  },
});

const helpTool = defineTool({
  name: "help",
  usage: "[<command>]",
  summary: "list these commands, or explain one",
  positionals: ["command"],
  readsConfig: false,
  run({ positionals: [name] }, { out }) {
    out(`${name === undefined ? helpText() : toolHelp(find(name))}\n`);
  },
});

/** Every operator command, in the order help lists them. */
export const operatorTools: readonly OperatorTool[] = [startTool, ...databaseTools, ...platformTools, helpTool];

function find(name: string): OperatorTool {
  const tool = operatorTools.find((t) => t.name === name);
  if (!tool) throw new ToolError(`There is no command "${name}"; docket help lists them.`);
  return tool;
}

const synopsis = (tool: OperatorTool) => (tool.usage ? `${tool.name} ${tool.usage}` : tool.name);

/** `docket help`, generated from the table. */
export function helpText(): string {
  const width = 30;
  const lines = operatorTools.map((t) => {
    const head = `  ${synopsis(t)}`;
    return head.length < width ? `${head.padEnd(width)}${t.summary}` : `${head}\n${" ".repeat(width)}${t.summary}`;
  });
  return ["Usage: docket <command>", "", ...lines, "", "With no command, docket starts. Configuration comes from the environment and .env; see README.md."].join("\n");
}

const toolHelp = (tool: OperatorTool) => `Usage: docket ${synopsis(tool)}\n\n${tool.summary}`;

/** README's "Operating it" table, generated from the same declarations (`npm run docs`). */
export function operatorTable(): string {
  const cell = (text: string) => text.replaceAll("|", "\\|");
  return ["| command | what it does |", "| --- | --- |", ...operatorTools.map((t) => `| \`${cell(synopsis(t))}\` | ${cell(t.summary)} |`)].join("\n");
}

/** Parses a tool's arguments against its declaration; any mistake is a one-line ToolError with the usage. */
function parse(tool: OperatorTool, args: readonly string[]): ToolArgs {
  const usage = `usage: docket ${synopsis(tool)}`;
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...args], options: tool.options ?? {}, allowPositionals: true, strict: true });
  } catch (error) {
    const code = error instanceof Error && "code" in error ? error.code : undefined;
    const option = error instanceof Error ? (/'(-[^']*)'/.exec(error.message)?.[1] ?? "") : "";
    if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new ToolError(`${tool.name} has no option ${option}; ${usage}`);
    if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") throw new ToolError(`${option.split(" ")[0]} ${option.includes("<value>") || /argument missing/.test(String(error)) ? "needs a value" : "takes no value"}; ${usage}`);
    throw error;
  }
  const allowed = tool.positionals ?? [];
  if (parsed.positionals.length > allowed.length) {
    const extra = parsed.positionals.slice(allowed.length).map((p) => `"${p}"`).join(" ");
    throw new ToolError(allowed.length === 0 ? `${tool.name} takes options only, not ${extra}; ${usage}` : `${tool.name} takes ${allowed.map((p) => `<${p}>`).join(" ")} only, not also ${extra}; ${usage}`);
  }
  return parsed as ToolArgs;
}

/** Runs one operator command with the given configuration; mistakes are thrown as ToolError. */
export async function runTool(name: string, args: readonly string[], config: Config | (() => Config), out: (text: string) => void = (t) => void process.stdout.write(t)): Promise<number> {
  const tool = find(name);
  if (args.includes("--help") || args.includes("-h")) {
    out(`${toolHelp(tool)}\n`);
    return 0;
  }
  const ctx: ToolContext = toolContext(config, out);
  return (await tool.run(parse(tool, args), ctx)) ?? 0;
}

/** An operator's mistake (bad config, a wrong file, a wrong argument): one line and exit 2. Anything else is a bug. */
function isMistake(error: unknown): error is Error {
  return (
    // why: by name, so that config.ts (and zod) loads only for the commands that read the configuration,
    // and the store's refusals (backup.ts) need not import the CLI's classes.
    (error instanceof Error && (error.name === "ConfigError" || error.name === "ToolError")) || error instanceof MigrationError || error instanceof DatabaseError || error instanceof UserError || error instanceof SyntaxError || error instanceof ToolError || error instanceof PlatformStartError ||
    (error instanceof Error && "code" in error && (error.code === "ENOENT" || error.code === "EACCES" || error.code === "EISDIR"))
  );
}

/** `docket <command> …` as the process runs it: returns the exit code, writing mistakes as one line on `err`. */
export async function runCli(argv: readonly string[], err: (text: string) => void = (t) => void process.stderr.write(t)): Promise<number> {
  const [first = "start", ...rest] = argv;
  const [name, args] = first === "--help" || first === "-h" ? ["help", rest] : [first, rest];
  let config: Config | undefined;
  try {
    const tool = find(name);
    const { loadConfig } = tool.readsConfig === false ? { loadConfig: undefined } : await import("./config.ts");
    const load = (): Config => {
      if (!loadConfig) throw new Error(`docket ${name} reads no configuration`);
      return (config ??= loadConfig());
    };
    // why: argument mistakes are reported before the configuration is read; the command reads it on first use.
    return await runTool(name, args, load);
  } catch (error) {
    if (isMistake(error)) {
      err(`docket: ${error.message.replace(/\s*\n\s*/g, " ")}\n`);
      return 2;
    }
    err(`docket: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
