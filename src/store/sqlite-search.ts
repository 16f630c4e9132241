import type { Database } from "better-sqlite3";
import type { SearchStore } from "../core/ports.ts";
import type { Phrase, SearchQuery } from "../core/search-query.ts";
import { createSearchCatchUp } from "./search-catch-up.ts";
import { joinHits, searchHitOf } from "./search-hits.ts";
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
        const hits = "(SELECT rowid, kind, ref_id FROM search_index WHERE search_index MATCH @match AND docket_id = @docket ORDER BY rowid DESC LIMIT @limit)";
        return (sql(joinHits(hits, "rowid")).all({ match: ftsMatch(query), docket: docketId, limit }) as Row[]).map(searchHitOf);
      }),
  };
}
