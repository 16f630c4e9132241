import type { SearchHit } from "../core/ports.ts";
import type { QuestionStatus } from "../core/types.ts";
import { num, str } from "./rows.ts";
import type { Row } from "./sql.ts";

/**
 * Each engine's matches (`hits`: kind, ref_id and an ordering `key`, newest first) joined to what
 * a result shows: the question's number and status now, and the text that matched.
 */
export const joinHits = (hits: string, key: string): string =>
  `SELECT h.kind, coalesce(q.number, qa.number, qn.number) AS question_number, coalesce(q.status, qa.status, qn.status) AS status,
     coalesce(q.text, a.text, n.text) AS text
   FROM ${hits} h
   LEFT JOIN questions q ON h.kind = 'question' AND q.id = h.ref_id
   LEFT JOIN answers a ON h.kind = 'answer' AND a.id = h.ref_id
   LEFT JOIN questions qa ON qa.id = a.question_id
   LEFT JOIN notes n ON h.kind = 'note' AND n.id = h.ref_id
   LEFT JOIN questions qn ON qn.id = n.question_id
   ORDER BY h.${key} DESC`;

export const searchHitOf = (row: Row): SearchHit => ({
  kind: str(row, "kind") as SearchHit["kind"], questionNumber: num(row, "question_number"), status: str(row, "status") as QuestionStatus, text: str(row, "text"),
});
