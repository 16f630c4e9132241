import type { Config } from "./config.ts";

/** A database URL as operators are shown it: without its password. */
export function shownUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "DATABASE_URL";
  }
}

/** How operator messages name the database: the SQLite file, or the PostgreSQL URL without its password. */
export const databaseLabel = (config: Pick<Config, "db" | "databaseUrl">): string => (config.databaseUrl ? `PostgreSQL at ${shownUrl(config.databaseUrl)}` : config.db);
