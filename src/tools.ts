import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Config } from "./config.ts";
import { exportFile, exportFormats, type ExportFormat } from "./core/export/index.ts";
import { parseSnapshot } from "./core/export/snapshot-schema.ts";
import { backupDatabase } from "./store/backup.ts";
import { openMigrated } from "./store/open.ts";
import { createSqliteStore } from "./store/sqlite-store.ts";

/** A mistake in how a tool was called; the CLI prints it and exits 2. */
export class ToolError extends Error {
  override readonly name = "ToolError";
}

/** The operator's commands: migrate, backup, export, import, slack-manifest. Returns the exit code. */
export async function runTool(command: string, args: string[], config: Config, out: (text: string) => void = (t) => process.stdout.write(t)): Promise<number> {
  switch (command) {
    case "migrate": {
      const { db, migration } = openMigrated(config.db);
      db.close();
      out(migration.applied.length ? `Migrated ${config.db} from version ${migration.from} to ${migration.to}: ${migration.applied.join(", ")}\n` : `${config.db} is up to date (version ${migration.to}).\n`);
      return 0;
    }
    case "backup": {
      const [file] = args;
      if (!file) throw new ToolError("backup needs a file to write: docket backup ./backups/docket-2026-11-29.sqlite");
      const { createdDirectory } = await backupDatabase(config.db, file);
      out(`${createdDirectory ? `Created ${createdDirectory}. ` : ""}Backed up ${config.db} to ${file}\n`);
      return 0;
    }
    case "export": {
      const { values } = parseArgs({ args, options: { format: { type: "string", default: "md" }, docket: { type: "string" }, out: { type: "string" } } });
      if (!exportFormats.includes(values.format as ExportFormat)) throw new ToolError(`--format must be one of ${exportFormats.join(", ")}, like --format csv.`);
      const { db } = openMigrated(config.db);
      try {
        const store = createSqliteStore(db);
        const dockets = store.dockets.list();
        const id = values.docket === undefined ? undefined : Number(values.docket);
        const docket = id === undefined ? (dockets.length === 1 ? dockets[0] : undefined) : dockets.find((d) => d.id === id);
        if (!docket)
          throw new ToolError(
            dockets.length === 0 ? `${config.db} holds no docket yet.`
            : `Say which docket with --docket ID; this database holds ${dockets.map((d) => `${d.id} (${d.name})`).join(", ")}.`,
          );
        const file = exportFile(store.snapshots.read(docket.id), values.format as ExportFormat, new Date());
        if (values.out) {
          writeFileSync(values.out, file.content);
          out(`Wrote ${values.out}\n`);
        } else out(file.content);
        return 0;
      } finally {
        db.close();
      }
    }
    case "import": {
      const [file] = args;
      if (!file) throw new ToolError("import needs a file exported with --format json: docket import ./docket.json");
      let data: unknown;
      try {
        data = JSON.parse(readFileSync(file, "utf8")) as unknown;
      } catch (error) {
        throw new ToolError(`Could not read ${file} as JSON (${error instanceof Error ? error.message : String(error)}): import takes a file written by docket export --format json.`);
      }
      const snapshot = parseSnapshot(data);
      const { db } = openMigrated(config.db);
      try {
        const store = createSqliteStore(db);
        if (store.dockets.list().length > 0) throw new ToolError(`${config.db} already holds dockets; import restores into an empty database. Point DOCKET_DB at a new file.`);
        store.snapshots.restore(snapshot);
        out(`Imported docket ${snapshot.docket.id} (${snapshot.docket.name}): ${snapshot.questions.length} questions, ${snapshot.answers.length} answers.\n`);
        return 0;
      } finally {
        db.close();
      }
    }
    case "slack-manifest": {
      const { values } = parseArgs({ args, options: { url: { type: "string" }, socket: { type: "boolean", default: false }, oauth: { type: "boolean", default: false }, name: { type: "string" } } });
      if (!values.socket && !values.url) throw new ToolError("slack-manifest needs Docket's public address for Slack's requests, like --url https://docket.example.org, or --socket for Socket Mode.");
      if (values.url !== undefined && !/^https:\/\/[^\s/]+/.test(values.url)) throw new ToolError(`--url must be an https address Slack can reach, like https://docket.example.org (got ${values.url}).`);
      const { slackManifest } = await import("../adapters/slack/manifest.ts");
      const { commands } = await import("./core/commands/registry.ts");
      const manifest = slackManifest({
        commandName: config.commandName, commands, socketMode: values.socket, oauth: values.oauth || Boolean(config.slack?.oauth),
        ...(values.url ? { url: values.url } : {}), ...(values.name ? { name: values.name } : {}),
      });
      out(`${JSON.stringify(manifest, null, 2)}\n`);
      return 0;
    }
    case "discord-register": {
      const discord = config.discord;
      if (!discord) throw new ToolError("discord-register needs DISCORD_TOKEN and DISCORD_APPLICATION_ID (and DISCORD_GUILD_ID to register to one server).");
      const { values } = parseArgs({ args, options: { force: { type: "boolean", default: false } } });
      const { REST } = await import("discord.js");
      const { commandDefinitions } = await import("../adapters/discord/command-definitions.ts");
      const { registerCommands, RegistrationError } = await import("../adapters/discord/registration.ts");
      const { restBase } = await import("../adapters/discord/discord-adapter.ts");
      const { commands } = await import("./core/commands/registry.ts");
      const rest = new REST(discord.apiUrl ? { api: restBase(discord.apiUrl) } : {}).setToken(discord.token);
      const { db } = openMigrated(config.db);
      try {
        const store = createSqliteStore(db, config.secretKey ? { secretKey: config.secretKey } : {});
        const result = await registerCommands({
          rest, applicationId: discord.applicationId, ...(discord.guildId ? { guildId: discord.guildId } : {}),
          definitions: commandDefinitions(commands, config.commandName), state: store.platformState, force: values.force, at: new Date().toISOString(),
        });
        out(result.changed ? `Registered /${config.commandName} (${result.target}).\n` : `/${config.commandName} is already registered (${result.target}) with these definitions; nothing sent. --force sends them anyway.\n`);
        for (const p of result.previous)
          out(
            p.outcome === "removed" ? `Removed the old registration (${p.target}).\n`
            : p.outcome === "forgotten" ? `Forgot the old registration (${p.target}): Docket is no longer there.\n`
            : `Could not remove the old registration (${p.target}); the next start tries again.\n`,
          );
        return 0;
      } catch (error) {
        if (error instanceof RegistrationError) throw new ToolError(error.message);
        throw error;
      } finally {
        db.close();
      }
    }
    default:
      throw new ToolError(`There is no command "${command}"; docket help lists them.`);
  }
}
