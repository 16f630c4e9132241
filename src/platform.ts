import type { Config } from "./config.ts";
import type { ChatPort, Clock, CommandInfo, Core, Logger, Platform, PlatformStateStore } from "./core/api.ts";
import type { Store } from "./core/ports.ts";
import type { HttpRoutes } from "./http-server.ts";
import type { MigrationResult } from "./store/migrate.ts";

/** What the composition root needs from a chat platform's adapter. */
export interface PlatformAdapter {
  /** Delivers digests and admin notices on this platform. */
  readonly chat: ChatPort;
  /** Connects (listens, logs in); resolves once commands can be served. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /**
   * Settles, with the exit code Docket should end with, when the platform has nothing more to serve
   * (the console's input ended or its user left). Absent for platforms that serve until stopped.
   */
  readonly done?: Promise<number>;
}

export interface AdapterDeps {
  core: Core;
  config: Config;
  log: Logger;
  /** Real time, except in tests (installation times, registration stamps). */
  clock: Clock;
  /** The adapter's own small state (installations, registered-commands hash), kept by the core's store. */
  state: PlatformStateStore;
  /**
   * Docket's one HTTP server on PORT, when some platform serves over HTTP (`servesHttp`): the adapter
   * adds its routes there and listens on no port of its own. Absent: the adapter listens itself, as it
   * did before (tests that start one adapter alone).
   */
  http?: HttpRoutes;
}

/**
 * A chat platform as the composition root sees it: whether the configuration asks for it, how to
 * build its adapter, and the operator commands it adds to `docket`. A module's own file imports
 * nothing heavy: the platform library is loaded by `create` or a tool's `run`, so `docket help`
 * never pays for Bolt or discord.js.
 */
export interface PlatformModule {
  readonly name: Platform;
  /** True when the configuration names this platform (the console: always; it runs when no other does). */
  configured(config: Config): boolean;
  create(deps: AdapterDeps): Promise<PlatformAdapter>;
  /** True when this configuration has the platform take requests on PORT (Slack over HTTP, Discord's interactions endpoint). */
  servesHttp?(config: Config): boolean;
  readonly tools?: readonly OperatorTool[];
}

/** A mistake in how an operator command was called or what it was given; `docket` prints it on one line and exits 2. */
export class ToolError extends Error {
  override readonly name = "ToolError";
}

/**
 * A platform that could not start: a token it refused, a port already taken, a server out of reach.
 * The operator fixes these, so `docket` prints the message on one line and exits 2.
 */
export class PlatformStartError extends Error {
  override readonly name = "PlatformStartError";
}

/** The configured database, migrated, for one operator command; the command closes it. */
export interface OpenedStore {
  store: Store;
  migration: MigrationResult;
  close(): Promise<void>;
}

/** What an operator command may use; main.ts provides it, so no tool builds a store of its own. */
export interface ToolContext {
  config: Config;
  /** Opens the configured database (DATABASE_URL or DOCKET_DB), applying pending migrations. */
  openStore(): Promise<OpenedStore>;
  /** An online, consistent copy of DOCKET_DB to `file`, creating its directory; a missing database, or `file` being the live one, is refused in one line. */
  backup(file: string): Promise<{ createdDirectory: string | null }>;
  /** Standard output. */
  out(text: string): void;
  /** The commands, as platforms register them. */
  vocabulary: readonly CommandInfo[];
}

export type ToolOption = { type: "string"; default?: string } | { type: "boolean"; default?: boolean };
export type ToolOptions = Readonly<Record<string, ToolOption>>;

/** The parsed `--options` of a tool: booleans as booleans, strings with a default always present. */
export type ToolValues<O extends ToolOptions> = {
  [K in keyof O]: O[K] extends { type: "boolean" } ? boolean : O[K] extends { default: string } ? string : string | undefined;
};

export interface ToolArgs<O extends ToolOptions = ToolOptions> {
  values: ToolValues<O>;
  positionals: string[];
}

/** One `docket <name>` operator command, declared once: parsing, `docket help` and README's table come from it. */
export interface OperatorTool<O extends ToolOptions = ToolOptions> {
  readonly name: string;
  /** What follows the name in help, e.g. `[--url URL] [--socket] [--oauth]`; empty when it takes nothing. */
  readonly usage: string;
  /** One sentence for `docket help` and README's table. */
  readonly summary: string;
  readonly options?: O;
  /** The positional arguments it takes, in order (each optional to the parser; `run` says what is missing). */
  readonly positionals?: readonly string[];
  /** False for a command that reads no configuration (help): it starts without loading the configuration's schema. */
  readonly readsConfig?: false;
  /** Resolves with the process's exit code when it is not 0 (a piped console session with failed commands). */
  run(args: ToolArgs<O>, ctx: ToolContext): Promise<number | void> | number | void;
}

/**
 * Declares a tool with its options' types checked against its `run`, and widens it for the table.
 * why: a table holds tools with different options; the parser gives each exactly the options it declared.
 */
export const defineTool = <const O extends ToolOptions>(tool: OperatorTool<O>): OperatorTool => tool as unknown as OperatorTool;
