import type { Database, Statement } from "better-sqlite3";

/** Prepares each SQL text once per database; better-sqlite3 statements are reusable. */
export function statementCache(db: Database): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}

export type Row = Record<string, unknown>;

export const str = (row: Row, key: string): string => row[key] as string;
export const num = (row: Row, key: string): number => row[key] as number;
export const optStr = (row: Row, key: string): string | null => (row[key] as string | null) ?? null;
export const optNum = (row: Row, key: string): number | null => (row[key] as number | null) ?? null;
