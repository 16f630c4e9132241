import type { Database } from "better-sqlite3";
import { statementCache } from "./sqlite-sql.ts";

/**
 * Rows indexed per write transaction. An FTS5 insert of a long answer costs a few pages; 200 rows
 * keep one chunk to a few tens of milliseconds even on a slow disk, far under the busy timeout
 * another process waits for (database-error.ts), so a catch-up after an import or a long downtime
 * never makes a second Docket on the same file give up on the lock.
 */
export const catchUpChunkRows = 200;

interface Source {
  kind: "question" | "answer" | "note";
  /** The FTS row: rowid, body, docket_id, kind, ref_id; rowids are id * 4 + a per-kind offset so kinds never collide. */
  select: string;
  table: string;
}

const sources: readonly Source[] = [
  { kind: "question", table: "questions", select: "id * 4, text || ' ' || coalesce(addressee, '') || ' ' || tags, docket_id, 'question', id" },
  { kind: "answer", table: "answers", select: "id * 4 + 1, text || ' ' || coalesce(source, ''), docket_id, 'answer', id" },
  { kind: "note", table: "notes", select: "id * 4 + 2, text, docket_id, 'note', id" },
];

/**
 * Indexes every question, answer and note written since the last catch-up (the high-water marks
 * in `search_progress`), in chunks of at most `catchUpChunkRows` rows, each chunk its own
 * IMMEDIATE transaction that advances the mark with the rows it indexed. Returns the number of
 * rows indexed.
 */
export function createSearchCatchUp(db: Database, chunkRows = catchUpChunkRows): () => number {
  const sql = statementCache(db);
  const chunk = db.transaction((): number => {
    let budget = chunkRows;
    for (const s of sources) {
      if (budget === 0) break;
      const mark = (sql("SELECT last_id FROM search_progress WHERE kind = ?").get(s.kind) as { last_id: number } | undefined)?.last_id ?? 0;
      const next = sql(`SELECT count(*) AS n, max(id) AS upTo FROM (SELECT id FROM ${s.table} WHERE id > ? ORDER BY id LIMIT ?)`).get(mark, budget) as { n: number; upTo: number | null };
      if (next.upTo === null) continue;
      sql(`INSERT INTO search_index (rowid, body, docket_id, kind, ref_id) SELECT ${s.select} FROM ${s.table} WHERE id > ? AND id <= ? ORDER BY id`).run(mark, next.upTo);
      sql("UPDATE search_progress SET last_id = ? WHERE kind = ?").run(next.upTo, s.kind);
      budget -= next.n;
    }
    return chunkRows - budget;
  });
  // why: a search catches up first; most of the time nothing is waiting, and one read (one statement
  // for all three kinds) says so without taking the write lock.
  const anyPending = sql(
    `SELECT ${sources
      .map((s) => `EXISTS (SELECT 1 FROM ${s.table} WHERE id > coalesce((SELECT last_id FROM search_progress WHERE kind = '${s.kind}'), 0))`)
      .join(" OR ")} AS pending`,
  );
  const pending = () => (anyPending.get() as { pending: number }).pending === 1;
  return () => {
    let total = 0;
    if (!pending()) return total;
    for (;;) {
      const indexed = chunk.immediate();
      total += indexed;
      if (indexed < chunkRows) return total;
    }
  };
}
