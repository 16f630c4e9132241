import type { SearchStore } from "../../core/ports.ts";
import type { Phrase, SearchQuery } from "../../core/search-query.ts";
import { joinHits, searchHitOf } from "../search-hits.ts";
import type { Sql } from "../sql.ts";

/** One token as a tsquery lexeme: quoted, so no character of it is read as an operator. */
const lexeme = (token: string) => `'${token.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;

/**
 * The tsquery text of a bounded query, the counterpart of ftsMatch (sqlite-search.ts): a
 * phrase's tokens follow each other (`<->`), a prefix phrase's last token matches longer words
 * (`:*`), the groups of `anyOf` are alternatives, `exclude` removes. The operators come only from
 * the query's structure; it is passed to to_tsquery as a parameter, never written into the SQL.
 */
export function tsQueryOf(query: SearchQuery): string {
  const phrase = (p: Phrase) => `(${p.tokens.map((t, i) => `${lexeme(t)}${p.prefix && i === p.tokens.length - 1 ? ":*" : ""}`).join(" <-> ")})`;
  const positive = query.anyOf.map((group) => `(${group.map(phrase).join(" & ")})`).join(" | ");
  return query.exclude.length === 0 ? positive : `(${positive}) & !(${query.exclude.map(phrase).join(" | ")})`;
}

/**
 * Search over the generated `search` columns (migrations/postgres/0001_init.sql). They are
 * written with their row, so there is nothing to catch up.
 *
 * Newest first by the same key as SQLite's FTS5 rowid (id × 4 + 0 question, 1 answer, 2 note), so
 * both engines list one docket's hits alike; each source stops after `limit` hits before the three
 * are merged. No ranking (SQLite has none either): ts_rank would score every match before the limit.
 */
export function pgSearch(sql: Sql): SearchStore {
  return {
    async catchUp() {},
    async search(docketId, query, limit) {
      const rows = await sql.all(
        `WITH m AS (SELECT to_tsquery('simple', @match) AS query),
         hits AS (
           (SELECT q.id::bigint * 4 AS key, 'question' AS kind, q.id AS ref_id FROM questions q, m
             WHERE q.docket_id = @docket AND q.search @@ m.query ORDER BY q.id DESC LIMIT @limit)
           UNION ALL
           (SELECT a.id::bigint * 4 + 1, 'answer', a.id FROM answers a, m
             WHERE a.docket_id = @docket AND a.search @@ m.query ORDER BY a.id DESC LIMIT @limit)
           UNION ALL
           (SELECT n.id::bigint * 4 + 2, 'note', n.id FROM notes n, m
             WHERE n.docket_id = @docket AND n.search @@ m.query ORDER BY n.id DESC LIMIT @limit)
           ORDER BY key DESC LIMIT @limit
         )
         ${joinHits("hits", "key")}`,
        { match: tsQueryOf(query), docket: docketId, limit },
      );
      return rows.map(searchHitOf);
    },
  };
}
