import type { OpenedStore } from "../../platform.ts";
import { DatabaseError } from "../database-error.ts";
import { MigrationError } from "../migrate.ts";
import { migratePostgres, openPostgres } from "./open-postgres.ts";
import { createPostgresStore } from "./postgres-store.ts";

/** Where an operator sees the server: the URL without its password. */
export const shownUrl = (url: string): string => {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "DATABASE_URL";
  }
};

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
