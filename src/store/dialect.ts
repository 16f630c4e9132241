import type { Sql } from "./sql.ts";

/**
 * The few places where SQLite's and PostgreSQL's SQL differ, each as a fragment with its parameter.
 * Everything else in the repositories is written once in SQL both accept.
 */
export const dialect = {
  /** `column` is one of `values` (text): a JSON array on SQLite, a text array on PostgreSQL. */
  inTextList: (q: Sql, column: string, values: readonly string[]): { sql: string; param: unknown } =>
    q.engine === "postgres" ? { sql: `${column} = ANY(CAST(? AS text[]))`, param: [...values] } : { sql: `${column} IN (SELECT value FROM json_each(?))`, param: JSON.stringify(values) },
  /** The larger of two integers (SQLite's two-argument max). */
  greater: (q: Sql, a: string, b: string): string => (q.engine === "postgres" ? `GREATEST(${a}, ${b})` : `max(${a}, ${b})`),
  /**
   * `column` starts with the `@name` parameter, ignoring case. why: on SQLite a range on the NOCASE
   * index is a prefix match it can seek (LIKE with ESCAPE would scan); on PostgreSQL the same range
   * on lower(column) in the "C" collation is what the questions_addressee index holds. NOCASE folds ASCII only, lower() all of Unicode:
   * a prefix in ASCII letters matches the same rows on both.
   */
  startsWithIgnoringCase: (q: Sql, column: string, name: string, value: string): { sql: string; params: Record<string, string> } =>
    q.engine === "postgres"
      ? { sql: `lower(${column}) COLLATE "C" >= lower(@${name}) AND lower(${column}) COLLATE "C" < lower(@${name}) || U&'\\+10FFFF'`, params: { [name]: value } }
      : { sql: `${column} COLLATE NOCASE >= @${name} AND ${column} COLLATE NOCASE < @${name}End`, params: { [name]: value, [`${name}End`]: `${value}\u{10FFFF}` } },
  /**
   * Ends a subquery that picks rows to update: PostgreSQL locks them and skips rows another
   * transaction has locked, so concurrent pickers take disjoint rows; SQLite's single writer needs nothing.
   */
  skipLocked: (q: Sql): string => (q.engine === "postgres" ? "FOR UPDATE SKIP LOCKED" : ""),
  /** After rows were written with explicit ids: PostgreSQL's identity sequences move past them (SQLite needs nothing). */
  async afterExplicitIds(q: Sql, tables: readonly string[]): Promise<void> {
    if (q.engine !== "postgres") return;
    for (const table of tables) await q.run(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), greatest((SELECT max(id) FROM ${table}), 1))`);
  },
};

/** `text` as a LIKE pattern matching itself literally (with ESCAPE '\'), followed by anything. */
export const likePrefix = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
