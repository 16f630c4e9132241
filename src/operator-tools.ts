import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { databaseLabel, shownUrl } from "./shown-url.ts";
import { exportFile, exportFormats, type ExportFormat } from "./core/export/index.ts";
import type { Docket, Platform } from "./core/types.ts";
import { defineTool, ToolError, type ToolContext } from "./platform.ts";

/** The operator commands on the database itself: migrate, backup, export, import. */

export const migrateTool = defineTool({
  name: "migrate",
  usage: "",
  summary: "apply pending migrations and exit; start-up does this too, and refuses a database newer than the code",
  async run(_args, ctx) {
    const { migration, close } = await ctx.openStore();
    await close();
    const db = databaseLabel(ctx.config);
    ctx.out(migration.applied.length ? `Migrated ${db} from version ${migration.from} to ${migration.to}: ${migration.applied.join(", ")}\n` : `${db} is up to date (version ${migration.to}).\n`);
  },
});

export const checkTool = defineTool({
  name: "check",
  usage: "",
  summary: "check the database for damage (SQLite: integrity_check, foreign keys, whose file it is; PostgreSQL: that it answers, and its schema version), changing nothing",
  async run(_args, ctx) {
    if (ctx.config.databaseUrl) {
      const { checkPostgres } = await import("./store/postgres/open-postgres-store.ts");
      ctx.out(`${await checkPostgres(ctx.config.databaseUrl)}\n`);
      return;
    }
    const { checkDatabase } = await import("./store/check.ts");
    ctx.out(`${checkDatabase(ctx.config.db)}\n`);
  },
});

export const backupTool = defineTool({
  name: "backup",
  usage: "<file>",
  summary: "an online, consistent copy of the database, safe while Docket runs; creates the file's missing directories, refuses to write onto the live database",
  positionals: ["file"],
  async run({ positionals: [file] }, ctx) {
    if (ctx.config.databaseUrl) throw new ToolError("backup copies the SQLite file; with DATABASE_URL, back PostgreSQL up with its own tools (pg_dump, or the host's snapshots), or take a json export of each docket with docket export --format json.");
    if (!file) throw new ToolError("backup needs a file to write: docket backup ./backups/docket-2026-11-29.sqlite");
    const { createdDirectory } = await ctx.backup(file);
    ctx.out(`${createdDirectory ? `Created ${createdDirectory}. ` : ""}Backed up ${ctx.config.db} to ${file}\n`);
  },
});

/** The docket `--docket ID` names, or the only one; otherwise a ToolError saying what there is. */
function chooseDocket(dockets: readonly Docket[], id: string | undefined, ctx: ToolContext): Docket {
  const holds = () => `this database holds ${dockets.map((d) => `${d.id} (${d.name})`).join(", ")}`;
  if (dockets.length === 0) throw new ToolError(`${databaseLabel(ctx.config)} holds no docket yet.`);
  if (id === undefined) {
    if (dockets.length === 1) return dockets[0]!;
    throw new ToolError(`Say which docket with --docket ID; ${holds()}.`);
  }
  if (!/^\d+$/.test(id)) throw new ToolError(`--docket takes a docket's number, like --docket ${dockets[0]!.id}; ${holds()}.`);
  const docket = dockets.find((d) => d.id === Number(id));
  if (!docket) throw new ToolError(`There is no docket ${id}; ${holds()}.`);
  return docket;
}

export const exportTool = defineTool({
  name: "export",
  usage: `--format ${exportFormats.join("|")} [--docket ID] [--out FILE]`,
  summary: "md: the publishable report; csv: one row per question; json: the whole docket; ics: the deadlines as a calendar; on standard output, or into --out FILE",
  options: { format: { type: "string", default: "md" }, docket: { type: "string" }, out: { type: "string" } },
  async run({ values }, ctx) {
    const format = values.format as ExportFormat;
    if (!exportFormats.includes(format)) throw new ToolError(`--format must be one of ${exportFormats.join(", ")}, like --format csv.`);
    const { store, close } = await ctx.openStore();
    try {
      const docket = chooseDocket(await store.dockets.list(), values.docket, ctx);
      const file = exportFile(await store.snapshots.read(docket.id), format, new Date());
      if (values.out) {
        writeFileSync(values.out, file.content);
        ctx.out(`Wrote ${values.out}\n`);
      } else ctx.out(file.content);
    } finally {
      await close();
    }
  },
});

export const importTool = defineTool({
  name: "import",
  usage: "<file.json>",
  summary: "restore a json export into an empty database, losslessly",
  positionals: ["file.json"],
  async run({ positionals: [file] }, ctx) {
    if (!file) throw new ToolError("import needs a file exported with --format json: docket import ./docket.json");
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(file, "utf8")) as unknown;
    } catch (error) {
      throw new ToolError(`Could not read ${file} as JSON (${error instanceof Error ? error.message : String(error)}): import takes a file written by docket export --format json.`);
    }
    // why: the snapshot schema is zod's, which no other operator command needs to load.
    const { parseSnapshot } = await import("./core/export/snapshot-schema.ts");
    const snapshot = parseSnapshot(data);
    const { store, close } = await ctx.openStore();
    try {
      if ((await store.dockets.list()).length > 0) throw new ToolError(`${databaseLabel(ctx.config)} already holds dockets; import restores into an empty database. ${ctx.config.databaseUrl ? "Point DATABASE_URL at a new, empty database." : "Point DOCKET_DB at a new file."}`);
      await store.snapshots.restore(snapshot);
      ctx.out(`Imported docket ${snapshot.docket.id} (${snapshot.docket.name}): ${snapshot.questions.length} questions, ${snapshot.answers.length} answers.\n`);
    } finally {
      await close();
    }
  },
});

/** Every platform that may keep state of its own (installations, registration hashes). */
const statePlatforms: readonly Platform[] = ["slack", "discord", "console"];

export const copyTool = defineTool({
  name: "copy",
  usage: "--to <DATABASE_URL>",
  summary: "move the SQLite database (DOCKET_DB) into an empty PostgreSQL database, losslessly: every docket with its delivery ledger, and the Slack installations; then set DATABASE_URL",
  options: { to: { type: "string" } },
  async run({ values }, ctx) {
    const url = values.to;
    if (!url || !/^postgres(ql)?:\/\//.test(url)) throw new ToolError("copy needs the PostgreSQL database to fill: docket copy --to postgres://docket@db.example.org:5432/docket");
    if (ctx.config.databaseUrl) throw new ToolError("copy reads the SQLite file DOCKET_DB, but DATABASE_URL is set: unset it (and set DOCKET_DB) to copy from SQLite.");
    const file = ctx.config.db;
    if (!existsSync(file)) throw new ToolError(`There is no database at ${file}: set DOCKET_DB to the SQLite file to copy.`);
    // why: loaded only here, so the other operator commands never load the PostgreSQL client.
    const { openPostgresStore } = await import("./store/postgres/open-postgres-store.ts");
    const source = await ctx.openStore();
    try {
      const target = await openPostgresStore(url, ctx.config.secretKey ? { secretKey: ctx.config.secretKey } : {});
      try {
        const dockets = await source.store.dockets.list();
        const state: Array<{ platform: Platform; key: string; value: string }> = [];
        for (const platform of statePlatforms)
          for (const key of await source.store.platformState.keys(platform, "")) {
            let value: string | undefined;
            try {
              value = await source.store.platformState.get(platform, key);
            } catch (error) {
              // why: a missing or different DOCKET_SECRET_KEY is the operator's to fix, before anything is written.
              throw new ToolError(`Could not read ${platform}'s ${key} from ${file}: ${error instanceof Error ? error.message : String(error)}`);
            }
            if (value !== undefined) state.push({ platform, key, value });
          }
        const at = new Date().toISOString();
        let questions = 0;
        // why: one transaction, so a copy that fails half-way leaves the target empty and can simply be run again.
        // Link codes and link attempts are not copied, on purpose: a code lives 24 hours and an attempt counts for one, so an
        // admin makes a fresh code after the move, and a code's hash never leaves the database it was made in.
        await target.store.transaction(async (tx) => {
          const held = await tx.dockets.list();
          if (held.length > 0) throw new ToolError(`${shownUrl(url)} already holds ${held.length === 1 ? "a docket" : `${held.length} dockets`}; copy fills an empty database only. Point --to at a new database.`);
          for (const docket of dockets) {
            const snapshot = await source.store.snapshots.read(docket.id);
            await tx.snapshots.restore(snapshot);
            questions += snapshot.questions.length;
          }
          // why: through the store, so values are opened with DOCKET_SECRET_KEY and sealed again with it.
          for (const s of state) await tx.platformState.set(s.platform, s.key, s.value, at);
        });
        const installations = state.filter((s) => s.platform === "slack" && s.key.startsWith("installation:")).length;
        ctx.out(`Copied ${file} to ${shownUrl(url)}: ${dockets.length} ${dockets.length === 1 ? "docket" : "dockets"}, ${questions} questions, ${installations} Slack ${installations === 1 ? "installation" : "installations"} (${state.length} platform state ${state.length === 1 ? "entry" : "entries"}). Set DATABASE_URL to it and unset DOCKET_DB.\n`);
      } finally {
        await target.close();
      }
    } finally {
      await source.close();
    }
  },
});

export const databaseTools = [migrateTool, checkTool, backupTool, exportTool, importTool, copyTool] as const;
