import Database from "better-sqlite3";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { migrate, MigrationError, readMigrations } from "../../src/store/migrate.ts";
import { migratePostgres, openPostgres, postgresMigrationsDir } from "../../src/store/postgres/open-postgres.ts";
import { emptyDatabase, testPostgres, type FreshDatabase } from "../support/postgres.ts";

const sqliteMigrations = readMigrations("migrations");
const postgresMigrations = readMigrations(postgresMigrationsDir);
const names = (ms: ReadonlyArray<{ version: number; name: string }>) => ms.map((m) => `${String(m.version).padStart(4, "0")}_${m.name}`);

it("PostgreSQL has a migration of the same number and name for each SQLite one", () => {
  expect(names(postgresMigrations)).toEqual(names(sqliteMigrations));
});

const server = await testPostgres();

describe.skipIf(!server)("migratePostgres", () => {
  let databases: FreshDatabase[] = [];
  let pools: pg.Pool[] = [];
  afterEach(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await Promise.all(databases.map((d) => d.drop()));
    pools = [];
    databases = [];
  });
  async function empty(): Promise<string> {
    const db = await emptyDatabase();
    databases.push(db);
    return db.url;
  }
  function pool(url: string): pg.Pool {
    const p = openPostgres(url, { max: 2 });
    pools.push(p);
    return p;
  }
  const applied = async (p: pg.Pool) => (await p.query("SELECT version, name FROM docket_schema ORDER BY version")).rows;

  it("brings a new database to the latest schema and records each file once", async () => {
    const p = pool(await empty());
    expect(await migratePostgres(p)).toEqual({ from: 0, to: postgresMigrations.length, applied: names(postgresMigrations) });
    expect(await applied(p)).toEqual(postgresMigrations.map((m) => ({ version: m.version, name: m.name })));
    expect(await migratePostgres(p)).toEqual({ from: postgresMigrations.length, to: postgresMigrations.length, applied: [] });
  });

  it("three replicas starting at once on one new database migrate it once, and all start", async () => {
    const url = await empty();
    const results = await Promise.all([pool(url), pool(url), pool(url)].map((p) => migratePostgres(p)));
    expect(results.filter((r) => r.applied.length > 0)).toEqual([{ from: 0, to: postgresMigrations.length, applied: names(postgresMigrations) }]);
    expect(results.every((r) => r.to === postgresMigrations.length)).toBe(true);
    expect(await applied(pool(url))).toHaveLength(postgresMigrations.length);
  });

  it("refuses a database newer than this Docket, saying what to do", async () => {
    const p = pool(await empty());
    await migratePostgres(p);
    await p.query("INSERT INTO docket_schema (version, name, applied_at) VALUES ($1, 'from_the_future', '2030-01-01T00:00:00.000Z')", [postgresMigrations.length + 1]);
    const refusal = await migratePostgres(p).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(MigrationError);
    expect((refusal as Error).message).toMatch(new RegExp(`schema version ${postgresMigrations.length + 1}, newer than this Docket knows \\(${postgresMigrations.length}\\): upgrade Docket`));
  });

  it("refuses a database whose migration of one number has another name", async () => {
    const p = pool(await empty());
    await migratePostgres(p, postgresMigrations.slice(0, 2));
    await p.query("UPDATE docket_schema SET name = 'other_branch' WHERE version = 2");
    await expect(migratePostgres(p)).rejects.toThrow(/applied migration 0002_other_branch, but this Docket's migration 2 is 0002_digest_deliveries/);
  });

  it("applies nothing when one pending file fails, and names that file", async () => {
    const p = pool(await empty());
    const broken = [
      { version: 1, name: "first", sql: "CREATE TABLE kept_only_if_all_apply (id integer);" },
      { version: 2, name: "broken", sql: "CREATE TABLE oops (id integer REFERENCES nowhere (id));" },
    ];
    await expect(migratePostgres(p, broken)).rejects.toThrow(/Migration postgres\/0002_broken\.sql failed \(.*nowhere.*\); nothing was applied/);
    expect((await p.query("SELECT to_regclass('kept_only_if_all_apply') AS t, to_regclass('docket_schema') AS s")).rows).toEqual([{ t: null, s: null }]);
  });

  it("gives PostgreSQL the tables and columns SQLite has, besides each engine's own search objects", async () => {
    const p = pool(await empty());
    await migratePostgres(p);
    const lite = new Database(":memory:");
    migrate(lite, sqliteMigrations);
    const liteColumns = (lite.prepare(
      `SELECT t.name AS table_name, c.name AS column_name, lower(c.type) AS type, c."notnull" AS not_null
       FROM sqlite_schema t, pragma_table_info(t.name) c
       WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite_%' AND t.name NOT LIKE 'search_%' ORDER BY 1, 2`,
    ).all() as Array<{ table_name: string; column_name: string; type: string; not_null: number }>).map((c) => ({ ...c, not_null: c.not_null === 1 }));
    lite.close();
    const { rows: pgColumns } = await p.query(
      `SELECT table_name, column_name, data_type AS type, is_nullable = 'NO' AS not_null FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> 'docket_schema' AND column_name <> 'search' ORDER BY 1, 2`,
    );
    // why "not null" differs for primary keys: SQLite lets a non-INTEGER primary key column hold NULL unless it says NOT NULL; PostgreSQL never does.
    const primaryKeyed = new Set(["workspaces.platform", "workspaces.external_id", "admins.docket_id", "admins.kind", "admins.platform", "admins.ref_id", "dockets.id", "members.id", "deadlines.id", "questions.id", "answers.id", "notes.id", "chases.id", "subscriptions.id", "audit_events.id", "link_attempts.id"]);
    const shape = (c: { table_name: string; column_name: string; type: string; not_null: boolean }) => `${c.table_name}.${c.column_name} ${c.type}${c.not_null || primaryKeyed.has(`${c.table_name}.${c.column_name}`) ? " not null" : ""}`;
    expect(pgColumns.map(shape)).toEqual(liteColumns.map(shape));
  });
});
