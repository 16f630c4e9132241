import { shownUrl } from "../../shown-url.ts";
import type { OpenedStore } from "../../platform.ts";
import { DatabaseError } from "../database-error.ts";
import { MigrationError, readMigrations, schemaVersionText } from "../migrate.ts";
import { migratePostgres, openPostgres, postgresMigrationsDir } from "./open-postgres.ts";
import { createPostgresStore } from "./postgres-store.ts";

/**
 * Connects to PostgreSQL at `url`, migrates it (once, however many replicas start together) and
 * returns Docket's store over it. A server out of reach or refusing the login stops start-up with
 * one line naming the URL (without its password) and the fix.
 */
export async function openPostgresStore(url: string, options: { secretKey?: string } = {}): Promise<OpenedStore> {
  const pool = openPostgres(url, { connectionTimeoutMillis: 10_000, onIdleError: () => undefined });
  try {
    const migration = await migratePostgres(pool);
    const store = createPostgresStore(pool, options);
    return { store, migration, close: () => store.close() };
  } catch (error) {
    await pool.end().catch(() => undefined);
    if (!(error instanceof MigrationError) && error instanceof Error) {
      throw new DatabaseError("unreachable", url, `Docket could not use PostgreSQL at ${shownUrl(url)} (${error.message}): check DATABASE_URL and that the server is running and accepts this user.`);
    }
    throw error;
  }
}

/**
 * `docket check` on PostgreSQL: that the server answers and at which schema version the database is,
 * changing nothing (the server keeps its own pages' integrity; amcheck is an operator's tool).
 */
export async function checkPostgres(url: string): Promise<string> {
  const pool = openPostgres(url, { max: 1, connectionTimeoutMillis: 10_000, onIdleError: () => undefined });
  try {
    const bookkept = (await pool.query<{ table: string | null }>("SELECT to_regclass('docket_schema')::text AS table")).rows[0]?.table;
    const version = bookkept ? ((await pool.query<{ version: number | null }>("SELECT max(version) AS version FROM docket_schema")).rows[0]?.version ?? 0) : 0;
    const latest = readMigrations(postgresMigrationsDir).length;
    const schema = schemaVersionText(version, latest);
    return `PostgreSQL at ${shownUrl(url)} answers: ${schema}.`;
  } catch (error) {
    throw new DatabaseError("unreachable", url, `Docket could not use PostgreSQL at ${shownUrl(url)} (${error instanceof Error ? error.message : String(error)}): check DATABASE_URL and that the server is running and accepts this user.`);
  } finally {
    await pool.end().catch(() => undefined);
  }
}
