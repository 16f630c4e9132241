import { execFileSync } from "node:child_process";
import type { Database } from "better-sqlite3";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import type { Store } from "../../src/core/ports.ts";
import { migratePostgres, openPostgres } from "../../src/store/postgres/open-postgres.ts";
import { createPostgresStore } from "../../src/store/postgres/postgres-store.ts";
import { emptyDatabase, type FreshDatabase } from "./postgres.ts";

/**
 * Which engine the harness's stores run on: the suite runs once on SQLite and once on PostgreSQL
 * (vitest.config.ts, project "postgres", sets DOCKET_TEST_ENGINE).
 */
export const testEngine: "sqlite" | "postgres" = process.env.DOCKET_TEST_ENGINE === "postgres" ? "postgres" : "sqlite";

/** Schemas made ready in each test file's database: enough for the tests that open several harnesses at once. */
const schemas = ["h1", "h2", "h3", "h4", "h5", "h6"] as const;
let database: FreshDatabase | undefined;
const dirty = new Set<string>();
/** Schemas handed out outside a test (a beforeAll's harness): kept, with their rows, until the file ends. */
const pinned = new Set<string>();
let inTest = false;

const inSchema = (url: string, schema: string) => `${url}${url.includes("?") ? "&" : "?"}options=${encodeURIComponent(`-c search_path=${schema}`)}`;

/**
 * Called from the postgres project's setup file. why schemas, not a database per test: creating and
 * dropping a database costs a checkpoint each (about a second per test on this machine's disk), while
 * emptying a few tables is milliseconds. Each file gets one database with three migrated schemas; each
 * test gets them empty, with their numbering restarted.
 */
export function preparePostgresDatabases(): void {
  beforeAll(async () => {
    database = await emptyDatabase();
    const admin = openPostgres(database.url, { max: 1 });
    for (const schema of schemas) await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    for (const schema of schemas) {
      const pool = openPostgres(inSchema(database.url, schema), { max: 1 });
      await migratePostgres(pool);
      await pool.end();
    }
  });
  afterEach(() => {
    inTest = false;
  });
  beforeEach(async () => {
    inTest = true;
    if (dirty.size === 0 || !database) return;
    const admin = openPostgres(database.url, { max: 1 });
    // why DELETE and setval, not TRUNCATE: TRUNCATE makes new files for every table, which costs a sync each.
    for (const schema of dirty) {
      const { rows } = await admin.query<{ name: string; serial: string | null }>(
        `SELECT t.table_name AS name, CASE WHEN c.column_name IS NULL THEN NULL ELSE pg_get_serial_sequence(quote_ident($1) || '.' || quote_ident(t.table_name), 'id') END AS serial
         FROM information_schema.tables t LEFT JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'id'
         WHERE t.table_schema = $1 AND t.table_name <> 'docket_schema'`,
        [schema],
      );
      const sequences = rows.flatMap((r) => (r.serial ? [`SELECT setval('${r.serial}', 1, false);`] : []));
      await admin.query(`SET session_replication_role = replica; ${rows.map((r) => `DELETE FROM ${schema}."${r.name}";`).join(" ")} SET session_replication_role = DEFAULT; ${sequences.join(" ")}`);
    }
    dirty.clear();
    await admin.end();
  });
  afterAll(async () => {
    await database?.drop();
  });
}

/** A PostgreSQL store on a schema of its own, and a synchronous reader for tests that look at rows directly. */
export function postgresTestStore(options: { secretKey?: string } = {}): { store: Store; db: Database; url: string } {
  const schema = schemas.find((s) => !pinned.has(s) && !dirty.has(s));
  if (!database || !schema) throw new Error(`the postgres test project readies ${schemas.length} schemas per test file; this file opened more harnesses at once`);
  (inTest ? dirty : pinned).add(schema);
  const url = inSchema(database.url, schema);
  const store = createPostgresStore(openPostgres(url, { max: 4 }), options);
  return { store, db: psqlReader(url), url };
}

const literal = (value: unknown): string =>
  value === null || value === undefined ? "NULL" : typeof value === "number" ? String(value) : `'${String(value).replaceAll("'", "''")}'`;

/**
 * The part of better-sqlite3's API the tests use to look at rows (`prepare(sql).get/all/run`), run
 * synchronously through `psql` against the test's PostgreSQL database. Rows come back as jsonb text (one line each),
 * so integers stay numbers as on SQLite. Test support only: parameters are inlined as
 * literals, which is safe for the fixed values tests pass.
 */
function psqlReader(url: string): Database {
  const query = (sql: string, params: readonly unknown[]): string => {
    let i = 0;
    const text = sql.replace(/\?/g, () => literal(params[i++]));
    return execFileSync("psql", [url, "-AtqX", "-v", "ON_ERROR_STOP=1", "-c", text], { encoding: "utf8" });
  };
  const rows = (sql: string, params: readonly unknown[]) =>
    query(`SELECT to_jsonb(r)::text FROM (${sql}) r`, params)
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  const reader = {
    prepare: (sql: string) => ({
      get: (...params: unknown[]) => rows(sql, params)[0],
      all: (...params: unknown[]) => rows(sql, params),
      run: (...params: unknown[]) => void query(sql, params),
    }),
    exec: (sql: string) => void query(sql, []),
  };
  return reader as unknown as Database;
}
