import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { MigrationError, readMigrations, type Migration, type MigrationResult } from "../migrate.ts";

/**
 * The repository's `migrations/postgres/` (the same numbers and names as the SQLite files in
 * migrations/), found from src/store/postgres (run through tsx) and from dist/src/store/postgres.
 */
export const postgresMigrationsDir = [new URL("../../../migrations/postgres", import.meta.url), new URL("../../../../migrations/postgres", import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((dir) => existsSync(join(dir, "0001_init.sql"))) ?? fileURLToPath(new URL("../../../migrations/postgres", import.meta.url));

export interface PostgresOptions {
  /** Connections this process may hold (DATABASE_POOL_MAX); replicas × max must stay under the server's max_connections. */
  max?: number;
  /** Shown in pg_stat_activity, so an operator sees which connections are Docket's. */
  applicationName?: string;
  /** Gives up on a connection attempt after this many milliseconds instead of waiting on the OS timeout. */
  connectionTimeoutMillis?: number;
  /**
   * Told about an idle pooled connection the server or the network dropped. The pool replaces it on
   * the next query; without a listener Node would end the process on the pool's `error` event.
   */
  onIdleError?: (error: Error) => void;
}

const int8Oid = 20;
const numericOid = 1700;

// why: SQLite hands back integers as numbers, and the row mapping is shared; pg reads int8 (count(*),
// sum(), bigint) and numeric as strings by default, to keep precision past 2^53, which no Docket value reaches.
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (oid === int8Oid || oid === numericOid) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

/**
 * A connection pool to `url` (postgres://user:password@host:port/database). Connecting is lazy: a
 * wrong URL or a server that is down shows on the first query, not here.
 */
export function openPostgres(url: string, options: PostgresOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    application_name: options.applicationName ?? "docket",
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
    types,
  });
  pool.on("error", options.onIdleError ?? ((error) => console.error(`docket: an idle PostgreSQL connection failed (${error.message}); the pool opens a new one when needed.`)));
  return pool;
}

/**
 * The advisory lock every migrating process takes, so replicas starting at once migrate once: one
 * 64-bit key (the bytes of "docket"), in the one-key space, which the two-key workspace/docket
 * locks of the store never share.
 */
export const migrationLockKey = "110386544690292";

interface Applied {
  version: number;
  name: string;
}

const label = (m: Applied) => `${String(m.version).padStart(4, "0")}_${m.name}`;

async function appliedMigrations(client: pg.PoolClient): Promise<Applied[] | undefined> {
  const exists = await client.query<{ table: string | null }>("SELECT to_regclass('docket_schema')::text AS table");
  if (exists.rows[0]?.table == null) return undefined;
  return (await client.query<Applied>("SELECT version, name FROM docket_schema ORDER BY version")).rows;
}

/**
 * Applies every pending migration in one transaction, the bookkeeping in `docket_schema` (one row
 * per applied file, with its name and when). The rules are migrate.ts's for SQLite: forward-only,
 * a database newer than the code is refused, all pending files commit together or not at all.
 *
 * Processes starting together serialise on `pg_advisory_xact_lock` and read the version again
 * under it, so the first applies and the others find the schema current. PostgreSQL DDL is
 * transactional, so a failing file leaves the database as it was.
 */
export async function migratePostgres(pool: pg.Pool, migrations: readonly Migration[] = readMigrations(postgresMigrationsDir)): Promise<MigrationResult> {
  const latest = migrations.length;
  const client = await pool.connect();
  let failure: unknown;
  const refuseNewer = async (from: number) => {
    const { rows } = await client.query<{ name: string }>("SELECT current_database() AS name");
    return new MigrationError(`The PostgreSQL database ${rows[0]?.name ?? ""} is at schema version ${from}, newer than this Docket knows (${latest}): upgrade Docket, or restore a backup made by this version.`);
  };
  const check = async (applied: Applied[]): Promise<number> => {
    const from = applied.reduce((max, m) => Math.max(max, m.version), 0);
    if (from > latest) throw await refuseNewer(from);
    // why: the same number under another name means two branches numbered their changes alike; the code's file was never applied.
    for (const m of applied) {
      const ours = migrations[m.version - 1];
      if (ours && ours.name !== m.name)
        throw new MigrationError(`The PostgreSQL database applied migration ${label(m)}, but this Docket's migration ${m.version} is ${label(ours)}: the two were numbered independently. Restore a backup, or renumber the code's migration.`);
    }
    return from;
  };
  try {
    // why: the version only moves forward, so a current schema seen without the lock is current;
    // this spares every start the lock, which would queue behind a replica that is migrating.
    const seen = await appliedMigrations(client);
    if (seen && (await check(seen)) === latest) return { from: latest, to: latest, applied: [] };
    await client.query("BEGIN");
    try {
      await client.query(`SELECT pg_advisory_xact_lock(${migrationLockKey})`);
      await client.query("CREATE TABLE IF NOT EXISTS docket_schema (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)");
      const from = await check((await appliedMigrations(client)) ?? []);
      const pending = migrations.slice(from);
      for (const m of pending) {
        try {
          await client.query(m.sql);
        } catch (error) {
          // why: only an error in the SQL is the file's fault; a lost connection or a full disk is the environment's.
          if (!isSqlMistake(error)) throw error;
          throw new MigrationError(`Migration postgres/${label(m)}.sql failed (${error instanceof Error ? error.message : String(error)}); nothing was applied. Fix that file and start again.`);
        }
        await client.query(
          `INSERT INTO docket_schema (version, name, applied_at) VALUES ($1, $2, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`,
          [m.version, m.name],
        );
      }
      await client.query("COMMIT");
      return { from, to: from + pending.length, applied: pending.map(label) };
    } catch (error) {
      await client.query("ROLLBACK").catch((rollback: Error) => {
        // why: the transaction is gone with the connection, which is what the first error reports; say both.
        if (error instanceof Error) error.message += ` (and the rollback failed: ${rollback.message})`;
      });
      throw error;
    }
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // why: a connection that failed for a reason other than the migration's own text may be broken; the pool must not hand it out again.
    client.release(failure instanceof Error && !(failure instanceof MigrationError) ? failure : undefined);
  }
}

/** SQLSTATE classes that mean the migration's text is wrong: syntax or names (42, not privileges), constraints (23), data (22), unsupported features (0A). */
function isSqlMistake(error: unknown): boolean {
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : undefined;
  if (code === undefined) return false;
  if (code === "42501") return false;
  return ["42", "23", "22", "0A"].includes(code.slice(0, 2));
}
