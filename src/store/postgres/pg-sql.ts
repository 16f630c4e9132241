import type { Pool, PoolClient } from "pg";
import type { Params, Row, Sql } from "../sql.ts";

/** SQL text with `$n` placeholders, and which named parameter fills each number (none for `?`). */
export interface CompiledSql {
  text: string;
  /** For `@name` text: the name behind `$1`, `$2`, … in order of first appearance. */
  names: string[] | null;
  /** For `?` text: how many values it takes. */
  count: number;
}

const identifierStart = /[A-Za-z_]/;
const identifierPart = /[A-Za-z0-9_]/;
const dollarTag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/;

/**
 * Rewrites the shared placeholder dialect (`?` positional or `@name` named, see sql.ts) into
 * PostgreSQL's `$1…`. A repeated `@name` reuses its number. Text inside string literals ('…',
 * E'…'), quoted identifiers, dollar-quoted bodies and comments is copied untouched, and `@@` (the
 * full-text match operator) is an operator, not a parameter. PostgreSQL's jsonb `?` operators
 * cannot be written here; use `jsonb_exists` instead.
 */
export function compilePlaceholders(sql: string): CompiledSql {
  let out = "";
  const names: string[] = [];
  let positional = 0;
  let i = 0;
  const copyUntil = (end: number) => {
    out += sql.slice(i, end);
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === "'") {
      // why: E'…' strings take backslash escapes; standard strings only double the quote.
      const escapes = /[Ee]/.test(sql[i - 1] ?? "") && !identifierPart.test(sql[i - 2] ?? "");
      let j = i + 1;
      while (j < sql.length) {
        if (escapes && sql[j] === "\\") j += 2;
        else if (sql[j] === "'" && sql[j + 1] === "'") j += 2;
        else if (sql[j] === "'") break;
        else j++;
      }
      copyUntil(Math.min(j + 1, sql.length));
    } else if (c === '"') {
      const end = sql.indexOf('"', i + 1);
      copyUntil(end < 0 ? sql.length : end + 1);
    } else if (c === "-" && next === "-") {
      const end = sql.indexOf("\n", i);
      copyUntil(end < 0 ? sql.length : end + 1);
    } else if (c === "/" && next === "*") {
      const end = sql.indexOf("*/", i + 2);
      copyUntil(end < 0 ? sql.length : end + 2);
    } else if (c === "$" && !identifierPart.test(sql[i - 1] ?? "") && dollarTag.test(sql.slice(i))) {
      const tag = dollarTag.exec(sql.slice(i))![0];
      const end = sql.indexOf(tag, i + tag.length);
      copyUntil(end < 0 ? sql.length : end + tag.length);
    } else if (c === "@" && next === "@") {
      copyUntil(i + 2);
    } else if (c === "@" && next !== undefined && identifierStart.test(next)) {
      let j = i + 1;
      while (j < sql.length && identifierPart.test(sql[j]!)) j++;
      const name = sql.slice(i + 1, j);
      let n = names.indexOf(name);
      if (n < 0) n = names.push(name) - 1;
      out += `$${n + 1}`;
      i = j;
    } else if (c === "?") {
      out += `$${++positional}`;
      i++;
    } else {
      copyUntil(i + 1);
    }
  }
  if (positional > 0 && names.length > 0) throw new Error(`SQL mixes ? and @name parameters; use one kind: ${sql}`);
  return { text: out, names: names.length > 0 ? names : null, count: positional };
}

/** Compiled text per SQL string; the texts are the code's own, so the cache stays small, but a bound keeps a loop of dynamic SQL from growing it for ever. */
const cache = new Map<string, CompiledSql>();
const cacheLimit = 2000;

function compiled(sql: string): CompiledSql {
  let hit = cache.get(sql);
  if (!hit) {
    if (cache.size >= cacheLimit) cache.clear();
    hit = compilePlaceholders(sql);
    cache.set(sql, hit);
  }
  return hit;
}

/** The values in `$n` order; a named parameter the text uses but `params` lacks is a bug in the caller, refused as SQLite refuses it. */
export function valuesFor(sql: CompiledSql, params: Params | undefined): unknown[] {
  if (sql.names) {
    if (params === undefined || Array.isArray(params)) throw new Error(`SQL uses named parameters (@${sql.names.join(", @")}) but got ${params === undefined ? "none" : "positional values"}: ${sql.text}`);
    const named = params as Readonly<Record<string, unknown>>;
    return sql.names.map((name) => {
      if (!(name in named)) throw new Error(`Missing named parameter @${name} for: ${sql.text}`);
      return named[name];
    });
  }
  const values = params === undefined ? [] : Array.isArray(params) ? (params as readonly unknown[]) : undefined;
  if (!values) throw new Error(`SQL uses ? parameters but got named values: ${sql.text}`);
  if (values.length !== sql.count) throw new Error(`SQL takes ${sql.count} values, got ${values.length}: ${sql.text}`);
  return [...values];
}

/**
 * The `Sql` executor over a pool (each statement on any free connection, autocommit) or over one
 * checked-out client (inside its transaction). Values are passed as given: Docket stores booleans
 * as 0/1 integers on both engines. Integer columns come back as numbers because the pool's type
 * parsers read int8 and numeric as numbers (open-postgres.ts).
 */
export function pgSql(queryable: Pool | PoolClient): Sql {
  const query = async <R>(text: string, params: Params | undefined) => {
    const c = compiled(text);
    return queryable.query<R & Row>(c.text, valuesFor(c, params));
  };
  return {
    engine: "postgres",
    async get<R = Row>(text: string, params?: Params) {
      return (await query<R>(text, params)).rows[0] as R | undefined;
    },
    async all<R = Row>(text: string, params?: Params) {
      return (await query<R>(text, params)).rows as R[];
    },
    async run(text: string, params?: Params) {
      return (await query(text, params)).rowCount ?? 0;
    },
  };
}
