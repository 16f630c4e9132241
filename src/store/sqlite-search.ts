import type { Database } from "better-sqlite3";
import type { SearchHit, SearchStore } from "../core/ports.ts";
import type { Phrase, SearchQuery } from "../core/search-query.ts";
import type { QuestionStatus } from "../core/types.ts";
import { createSearchCatchUp } from "./search-catch-up.ts";
import { num, str } from "./rows.ts";
import { statementCache } from "./sqlite-sql.ts";
import type { Row } from "./sql.ts";

/**
 * The FTS5 expression of a bounded query. Every phrase is quoted, so user text is never read as
 * query syntax; the operators come only from the query's structure. No snippet(): its cost grows
 * with the square of the terms, and the core cuts snippets from the stored text instead.
 */
export function ftsMatch(query: SearchQuery): string {
  const phrase = (p: Phrase) => `"${p.tokens.join(" ").replaceAll('"', '""')}"${p.prefix ? "*" : ""}`;
  const positive = query.anyOf.map((group) => `(${group.map(phrase).join(" AND ")})`).join(" OR ");
  return query.exclude.length === 0 ? positive : `(${positive}) NOT (${query.exclude.map(phrase).join(" OR ")})`;
}

/** Search on SQLite: an FTS5 index filled in batches (search-catch-up.ts). `exclusive` runs work once no transaction holds the connection. */
export function sqliteSearch(db: Database, exclusive: <T>(work: () => T) => Promise<T>): SearchStore {
  const sql = statementCache(db);
  // why: in chunks, each its own short transaction, so a second process never waits long for the lock (search-catch-up.ts).
  const catchUp = createSearchCatchUp(db);
  return {
    catchUp: () => exclusive(() => void catchUp()),
    search: (docketId, query, limit) =>
      exclusive(() => {
        catchUp();
        // why newest first and not ORDER BY rank: bm25 is computed for every match before the LIMIT, so
        // its cost grows with the docket; walking the index by rowid stops after `limit` matches, and
        // only those are then joined to their question, answer or note.
        const rows = sql(
          `SELECT s.kind, coalesce(q.number, qa.number, qn.number) AS question_number, coalesce(q.status, qa.status, qn.status) AS status,
             coalesce(q.text, a.text, n.text) AS text
           FROM (SELECT rowid, kind, ref_id FROM search_index WHERE search_index MATCH @match AND docket_id = @docket ORDER BY rowid DESC LIMIT @limit) s
           LEFT JOIN questions q ON s.kind = 'question' AND q.id = s.ref_id
           LEFT JOIN answers a ON s.kind = 'answer' AND a.id = s.ref_id
           LEFT JOIN questions qa ON qa.id = a.question_id
           LEFT JOIN notes n ON s.kind = 'note' AND n.id = s.ref_id
           LEFT JOIN questions qn ON qn.id = n.question_id
           ORDER BY s.rowid DESC`,
        ).all({ match: ftsMatch(query), docket: docketId, limit }) as Row[];
        return rows.map((row): SearchHit => ({
          kind: str(row, "kind") as SearchHit["kind"], questionNumber: num(row, "question_number"), status: str(row, "status") as QuestionStatus, text: str(row, "text"),
        }));
      }),
  };
}
