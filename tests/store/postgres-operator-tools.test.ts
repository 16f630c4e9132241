import { afterAll, describe, expect, it } from "vitest";
import type { Config } from "../../src/config.ts";
import { runTool } from "../../src/cli.ts";
import { emptyDatabase, testPostgres, type FreshDatabase } from "../support/postgres.ts";

const server = await testPostgres();
const databases: FreshDatabase[] = [];
afterAll(async () => {
  for (const d of databases.splice(0)) await d.drop();
});

const config = (url: string): Config => ({ db: "./data/docket.sqlite", databaseUrl: url, timeZone: "UTC", commandName: "docket", port: 0, logLevel: "error" });

/** Runs an operator command as `docket <name>` would with DATABASE_URL set, collecting what it prints. */
async function tool(name: string, args: string[], url: string): Promise<string> {
  let out = "";
  await runTool(name, args, config(url), (t) => void (out += t));
  return out;
}

describe.skipIf(!server)("the operator commands with DATABASE_URL", () => {
  it("check, migrate and export name the PostgreSQL database (never the SQLite file), and hide its password", async () => {
    const database = await emptyDatabase();
    databases.push(database);
    const url = database.url.replace("postgres@", "postgres:secret@");
    expect(await tool("check", [], url)).toMatch(/^PostgreSQL at postgres:\/\/postgres:\*\*\*@.* answers: empty \(start or docket migrate creates the schema\)\.\n$/);
    expect(await tool("migrate", [], url)).toMatch(/^Migrated PostgreSQL at postgres:\/\/postgres:\*\*\*@.* from version 0 to \d+: 0001_init, /);
    expect(await tool("check", [], url)).toMatch(/answers: schema version \d+, current\.\n$/);
    await expect(tool("export", ["--format", "json"], url)).rejects.toThrow(/^PostgreSQL at postgres:\/\/postgres:\*\*\*@.* holds no docket yet\.$/);
  });

  it("backup, which copies the SQLite file, says how to back PostgreSQL up instead", async () => {
    await expect(tool("backup", ["./backups/x.sqlite"], "postgres://postgres@127.0.0.1:5432/postgres")).rejects.toThrow(/with DATABASE_URL, back PostgreSQL up with its own tools \(pg_dump/);
  });

  it("check of a server out of reach is one line naming the URL and the fix", async () => {
    await expect(tool("check", [], "postgres://docket:pw@127.0.0.1:1/docket")).rejects.toThrow(/^Docket could not use PostgreSQL at postgres:\/\/docket:\*\*\*@127\.0\.0\.1:1\/docket \(.*\): check DATABASE_URL/);
  });
});
