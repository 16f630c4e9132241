import { existsSync } from "node:fs";
import { z } from "zod";
import { canonicalZone } from "./core/dates/zones.ts";

const optionalText = z.string().trim().min(1).optional().catch(undefined);

const schema = z.object({
  DOCKET_DB: z.string().min(1).default("./data/docket.sqlite"),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a PostgreSQL URL such as postgres://docket@db.example.org:5432/docket")
    .optional(),
  DOCKET_TZ: z.string().default("UTC").refine((zone) => canonicalZone(zone) !== undefined, { message: "DOCKET_TZ must be an IANA time zone such as Europe/London" }),
  // why: Slack counts the slash in its 32-character limit on command names.
  DOCKET_COMMAND: z.string().regex(/^[a-z0-9_-]{1,31}$/, "DOCKET_COMMAND must be 1–31 lowercase letters, digits, - or _ (no slash)").default("docket"),
  DOCKET_SECRET_KEY: optionalText,
  SLACK_BOT_TOKEN: optionalText,
  SLACK_SIGNING_SECRET: optionalText,
  SLACK_APP_TOKEN: optionalText,
  SLACK_API_URL: z.url().optional(),
  SLACK_CLIENT_ID: optionalText,
  SLACK_CLIENT_SECRET: optionalText,
  SLACK_STATE_SECRET: optionalText,
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText,
  DISCORD_GUILD_ID: optionalText,
  DISCORD_API_URL: z.url().optional(),
  DISCORD_PUBLIC_KEY: optionalText,
  DOCKET_SCHEDULER: z.enum(["on", "off"], { message: "DOCKET_SCHEDULER must be on or off" }).default("on"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  DOCKET_DIGEST_LIMIT: z.coerce.number().int().min(1, "DOCKET_DIGEST_LIMIT must be 1 to 50").max(50, "DOCKET_DIGEST_LIMIT must be 1 to 50").default(10),
  // why: a lease must outlast one part's send (a 10 s timeout plus rate-limit waits), or a live claimer would be taken over.
  DOCKET_LEASE_SECONDS: z.coerce.number().int().min(30, "DOCKET_LEASE_SECONDS must be 30 to 3600").max(3600, "DOCKET_LEASE_SECONDS must be 30 to 3600").default(60),
});

export interface Config {
  /** The SQLite file, when no DATABASE_URL is set. */
  db: string;
  /** The PostgreSQL server's URL (hosted Docket); the SQLite file is not used then. */
  databaseUrl?: string;
  timeZone: string;
  commandName: string;
  port: number;
  logLevel: "debug" | "info" | "warn" | "error";
  /** Still-open questions a digest lists before "and N more". */
  digestOpenLimit?: number;
  /** False on a replica that serves requests only (DOCKET_SCHEDULER=off): it posts no digests. */
  scheduler?: false;
  /** How long a digest delivery's claim holds before another process may take it over, in ms (default 60 s). */
  leaseMs?: number;
  secretKey?: string;
  slack?: { botToken: string; signingSecret: string; appToken?: string; apiUrl?: string; oauth?: { clientId: string; clientSecret: string; stateSecret: string } };
  /** `publicKey` (the application's Ed25519 key, 64 hex characters) switches Discord from the gateway to the HTTP interactions endpoint. */
  discord?: { token: string; applicationId: string; guildId?: string; apiUrl?: string; publicKey?: string };
}

/** A configuration problem, with the fix in the message; start-up stops on it. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

const pairs: Array<[string, string]> = [
  ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"],
  ["DISCORD_TOKEN", "DISCORD_APPLICATION_ID"],
];

/** Reads the environment (and `.env` in the working directory) into a typed Config. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, dotenv = ".env"): Config {
  if (env === process.env && existsSync(dotenv)) process.loadEnvFile(dotenv);
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`${issue.path.join(".")}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.DATABASE_URL && env.DOCKET_DB?.trim())
    throw new ConfigError("DATABASE_URL and DOCKET_DB are both set: Docket keeps its data in one place. Unset DOCKET_DB to use PostgreSQL, or DATABASE_URL to use the SQLite file (docket copy --to moves a SQLite docket to PostgreSQL).");
  for (const [a, b] of pairs) {
    if (e[a as keyof typeof e] !== undefined && e[b as keyof typeof e] === undefined) throw new ConfigError(`${a} is set but ${b} is missing: set both, or neither.`);
    if (e[b as keyof typeof e] !== undefined && e[a as keyof typeof e] === undefined) throw new ConfigError(`${b} is set but ${a} is missing: set both, or neither.`);
  }
  if (e.SLACK_APP_TOKEN && !e.SLACK_BOT_TOKEN) throw new ConfigError("SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is missing: Socket Mode needs the bot token too.");
  if (e.DISCORD_PUBLIC_KEY !== undefined) {
    if (!/^[0-9a-fA-F]{64}$/.test(e.DISCORD_PUBLIC_KEY))
      throw new ConfigError("DISCORD_PUBLIC_KEY must be the 64 hexadecimal characters of the application's Public Key (Developer Portal → General Information).");
    for (const needed of ["DISCORD_TOKEN", "DISCORD_APPLICATION_ID"] as const)
      if (e[needed] === undefined) throw new ConfigError(`DISCORD_PUBLIC_KEY is set but ${needed} is missing: Discord over HTTP still needs the bot token and the application id.`);
  }
  // why: Socket Mode's OAuth install pages are served by Bolt's own server on PORT, which the Discord interactions endpoint needs too.
  if (e.DISCORD_PUBLIC_KEY && e.SLACK_APP_TOKEN && e.SLACK_CLIENT_ID)
    throw new ConfigError("Slack's Socket Mode with the OAuth install flow cannot share PORT with Discord over HTTP: unset SLACK_APP_TOKEN (Slack over HTTP shares the port) or SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET.");
  const oauth = [e.SLACK_CLIENT_ID, e.SLACK_CLIENT_SECRET, e.SLACK_STATE_SECRET];
  if (oauth.some(Boolean) && !oauth.every(Boolean))
    throw new ConfigError("SLACK_CLIENT_ID, SLACK_CLIENT_SECRET and SLACK_STATE_SECRET go together: set all three for the OAuth install flow, or none.");
  return {
    db: e.DOCKET_DB,
    ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
    timeZone: e.DOCKET_TZ,
    commandName: e.DOCKET_COMMAND,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    ...(e.DOCKET_DIGEST_LIMIT !== 10 ? { digestOpenLimit: e.DOCKET_DIGEST_LIMIT } : {}),
    ...(e.DOCKET_SCHEDULER === "off" ? { scheduler: false as const } : {}),
    ...(e.DOCKET_LEASE_SECONDS !== 60 ? { leaseMs: e.DOCKET_LEASE_SECONDS * 1000 } : {}),
    ...(e.DOCKET_SECRET_KEY ? { secretKey: e.DOCKET_SECRET_KEY } : {}),
    ...(e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET
      ? {
          slack: {
            botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET,
            ...(e.SLACK_APP_TOKEN ? { appToken: e.SLACK_APP_TOKEN } : {}), ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL } : {}),
            ...(e.SLACK_CLIENT_ID && e.SLACK_CLIENT_SECRET && e.SLACK_STATE_SECRET ? { oauth: { clientId: e.SLACK_CLIENT_ID, clientSecret: e.SLACK_CLIENT_SECRET, stateSecret: e.SLACK_STATE_SECRET } } : {}),
          },
        }
      : {}),
    ...(e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID
      ? { discord: { token: e.DISCORD_TOKEN, applicationId: e.DISCORD_APPLICATION_ID, ...(e.DISCORD_GUILD_ID ? { guildId: e.DISCORD_GUILD_ID } : {}), ...(e.DISCORD_API_URL ? { apiUrl: e.DISCORD_API_URL } : {}), ...(e.DISCORD_PUBLIC_KEY ? { publicKey: e.DISCORD_PUBLIC_KEY.toLowerCase() } : {}) } }
      : {}),
  };
}
