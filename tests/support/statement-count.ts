import type { Database, Statement } from "better-sqlite3";

/**
 * Counts the statements a SQLite store runs through this connection, for tests and probes that
 * hold a command to the reads it needs. Wraps `db.prepare` before the store first prepares anything:
 * the store caches its statements, so every later run goes through a counted one.
 */
export function countStatements(db: Database): { readonly count: number; texts: string[]; reset(): void } {
  const texts: string[] = [];
  const prepare = db.prepare.bind(db);
  const counted = (statement: Statement, text: string): Statement =>
    new Proxy(statement, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if ((key === "get" || key === "all" || key === "run" || key === "iterate") && typeof value === "function")
          return (...args: unknown[]) => {
            texts.push(text);
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  (db as { prepare: (text: string) => Statement }).prepare = (text: string) => counted(prepare(text), text);
  return {
    get count() {
      return texts.length;
    },
    texts,
    reset: () => void texts.splice(0),
  };
}
