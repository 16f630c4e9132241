import type { Database } from "better-sqlite3";
import type { AnswerStore, NoteStore, QuestionQuery, QuestionStore, SearchHit, SearchStore } from "../core/ports.ts";
import type { Phrase, SearchQuery } from "../core/search-query.ts";
import { questionStatuses, type Answer, type Member, type NeededBy, type Note, type Platform, type Question, type QuestionStatus } from "../core/types.ts";
import { createSearchCatchUp } from "./search-catch-up.ts";
import { num, optNum, optStr, statementCache, str, type Row } from "./statements.ts";

const memberColumns = "m.id AS m_id, m.docket_id AS m_docket, m.platform AS m_platform, m.user_id AS m_user, m.display_name AS m_name";

export function memberOf(row: Row): Member {
  return { id: num(row, "m_id"), docketId: num(row, "m_docket"), platform: str(row, "m_platform") as Platform, userId: str(row, "m_user"), displayName: str(row, "m_name") };
}

function neededByOf(row: Row): NeededBy | null {
  const deadline = optNum(row, "needed_by_deadline");
  if (deadline !== null) return { kind: "deadline", deadlineNumber: deadline };
  const date = optStr(row, "needed_by_date");
  return date === null ? null : { kind: "date", date };
}

export function questionOf(row: Row): Question {
  const tags = str(row, "tags");
  return {
    id: num(row, "id"),
    docketId: num(row, "docket_id"),
    number: num(row, "number"),
    text: str(row, "text"),
    addressee: optStr(row, "addressee"),
    tags: tags === "" ? [] : tags.split(" "),
    status: str(row, "status") as QuestionStatus,
    neededBy: neededByOf(row),
    askedBy: memberOf(row),
    askedAt: str(row, "asked_at"),
    updatedAt: str(row, "updated_at"),
  };
}

export function answerOf(row: Row): Answer {
  return {
    id: num(row, "id"),
    questionNumber: num(row, "question_number"),
    text: str(row, "text"),
    source: optStr(row, "source"),
    kind: str(row, "kind") as Answer["kind"],
    loggedBy: memberOf(row),
    loggedAt: str(row, "logged_at"),
  };
}

export function noteOf(row: Row): Note {
  return { id: num(row, "id"), questionNumber: num(row, "question_number"), text: str(row, "text"), author: memberOf(row), createdAt: str(row, "created_at") };
}

const neededByColumns = (neededBy: NeededBy | null) => ({
  needed_by_deadline: neededBy?.kind === "deadline" ? neededBy.deadlineNumber : null,
  needed_by_date: neededBy?.kind === "date" ? neededBy.date : null,
});

const likePrefix = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

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

export function sqliteQuestions(db: Database): { questions: QuestionStore; answers: AnswerStore; notes: NoteStore; search: SearchStore } {
  const sql = statementCache(db);
  const selectQuestion = `SELECT q.*, ${memberColumns} FROM questions q JOIN members m ON m.id = q.asked_by`;

  const writeTags = (docketId: number, questionId: number, tags: readonly string[], replace: boolean) => {
    if (replace) sql("DELETE FROM question_tags WHERE question_id = ?").run(questionId);
    const insert = sql("INSERT OR IGNORE INTO question_tags (docket_id, tag, question_id) VALUES (?, ?, ?)");
    for (const tag of tags) insert.run(docketId, tag, questionId);
  };

  const questions: QuestionStore = {
    get(docketId, number) {
      const row = sql(`${selectQuestion} WHERE q.docket_id = ? AND q.number = ?`).get(docketId, number) as Row | undefined;
      return row && questionOf(row);
    },
    insert(q) {
      const { next } = sql("SELECT coalesce(max(number), 0) + 1 AS next FROM questions WHERE docket_id = ?").get(q.docketId) as { next: number };
      const { lastInsertRowid } = sql(
        `INSERT INTO questions (docket_id, number, text, addressee, tags, status, needed_by_deadline, needed_by_date, asked_by, asked_at, updated_at)
         VALUES (@docket_id, @number, @text, @addressee, @tags, 'open', @needed_by_deadline, @needed_by_date, @asked_by, @asked_at, @asked_at)`,
      ).run({
        docket_id: q.docketId, number: next, text: q.text, addressee: q.addressee, tags: q.tags.join(" "),
        ...neededByColumns(q.neededBy), asked_by: q.askedBy, asked_at: q.askedAt,
      });
      writeTags(q.docketId, Number(lastInsertRowid), q.tags, false);
      return questions.get(q.docketId, next)!;
    },
    update(docketId, number, patch, at) {
      const current = questions.get(docketId, number);
      if (!current) throw new Error(`update of missing question ${docketId}/Q${number}`);
      const next = { ...current, ...patch };
      sql(
        `UPDATE questions SET text = @text, addressee = @addressee, tags = @tags, status = @status,
           needed_by_deadline = @needed_by_deadline, needed_by_date = @needed_by_date, updated_at = @at
         WHERE id = @id`,
      ).run({ id: current.id, text: next.text, addressee: next.addressee, tags: next.tags.join(" "), status: next.status, ...neededByColumns(next.neededBy), at });
      if (patch.tags) writeTags(docketId, current.id, patch.tags, true);
      return questions.get(docketId, number)!;
    },
    list(docketId, query) {
      const { where, params } = whereOf(docketId, query);
      const total = (sql(`SELECT count(*) AS n FROM questions q WHERE ${where}`).get(params) as { n: number }).n;
      const rows = sql(`${selectQuestion} WHERE ${where} ORDER BY q.number LIMIT @limit OFFSET @offset`).all({
        ...params, limit: query.limit, offset: query.offset ?? 0,
      }) as Row[];
      return { items: rows.map(questionOf), total };
    },
    countByStatus(docketId) {
      const counts = Object.fromEntries(questionStatuses.map((s) => [s, 0])) as Record<QuestionStatus, number>;
      for (const row of sql("SELECT status, count(*) AS n FROM questions WHERE docket_id = ? GROUP BY status").all(docketId) as Row[])
        counts[str(row, "status") as QuestionStatus] = num(row, "n");
      return counts;
    },
    suggest(docketId, text, limit) {
      const rows = sql(
        `${selectQuestion} WHERE q.docket_id = @docket AND (q.text LIKE @contains ESCAPE '\\' OR CAST(q.number AS TEXT) LIKE @prefix ESCAPE '\\')
         ORDER BY q.status NOT IN ('open', 'partial'), q.number DESC LIMIT @limit`,
      ).all({ docket: docketId, contains: `%${likePrefix(text)}`, prefix: likePrefix(text.replace(/^q/i, "")), limit }) as Row[];
      return rows.map(questionOf);
    },
  };

  const selectAnswer = `SELECT a.*, q.number AS question_number, ${memberColumns} FROM answers a JOIN questions q ON q.id = a.question_id JOIN members m ON m.id = a.logged_by`;
  const answers: AnswerStore = {
    insert(a) {
      const { lastInsertRowid } = sql(
        "INSERT INTO answers (docket_id, question_id, text, source, kind, logged_by, logged_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ).run(a.docketId, a.questionId, a.text, a.source, a.kind, a.loggedBy, a.loggedAt);
      return answerOf(sql(`${selectAnswer} WHERE a.id = ?`).get(lastInsertRowid) as Row);
    },
    forQuestion(questionId) {
      return (sql(`${selectAnswer} WHERE a.question_id = ? ORDER BY a.id`).all(questionId) as Row[]).map(answerOf);
    },
    latestFor(questionIds) {
      const latest = new Map<number, Answer>();
      const statement = sql(`${selectAnswer} WHERE a.question_id = ? ORDER BY a.id DESC LIMIT 1`);
      for (const id of questionIds) {
        const row = statement.get(id) as Row | undefined;
        if (row) latest.set(id, answerOf(row));
      }
      return latest;
    },
    loggedBetween(docketId, from, to) {
      return (sql(`${selectAnswer} WHERE a.docket_id = ? AND a.logged_at >= ? AND a.logged_at < ? ORDER BY a.logged_at, a.id`).all(docketId, from, to) as Row[]).map(answerOf);
    },
  };

  const selectNote = `SELECT n.*, q.number AS question_number, ${memberColumns} FROM notes n JOIN questions q ON q.id = n.question_id JOIN members m ON m.id = n.author`;
  const notes: NoteStore = {
    insert(n) {
      const { lastInsertRowid } = sql("INSERT INTO notes (docket_id, question_id, text, author, created_at) VALUES (?, ?, ?, ?, ?)").run(
        n.docketId, n.questionId, n.text, n.author, n.createdAt,
      );
      return noteOf(sql(`${selectNote} WHERE n.id = ?`).get(lastInsertRowid) as Row);
    },
    forQuestion(questionId) {
      return (sql(`${selectNote} WHERE n.question_id = ? ORDER BY n.id`).all(questionId) as Row[]).map(noteOf);
    },
  };

  // why: in chunks, each its own short transaction, so a second process never waits long for the lock (search-catch-up.ts).
  const catchUp = createSearchCatchUp(db);

  const search: SearchStore = {
    catchUp: () => void catchUp(),
    search(docketId, query, limit) {
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
    },
  };

  return { questions, answers, notes, search };
}

function whereOf(docketId: number, query: QuestionQuery): { where: string; params: Record<string, unknown> } {
  const clauses = ["q.docket_id = @docket"];
  const params: Record<string, unknown> = { docket: docketId };
  const statuses = [...query.statuses];
  // why: the literal form lets SQLite use the partial index over open and partial questions.
  if (statuses.length === 2 && statuses.includes("open") && statuses.includes("partial")) clauses.push("q.status IN ('open', 'partial')");
  // why: with every status asked for, no clause at all, so an addressee or tag index can drive the query alone.
  else if (!questionStatuses.every((s) => statuses.includes(s))) {
    statuses.forEach((s, i) => (params[`s${i}`] = s));
    clauses.push(`q.status IN (${statuses.map((_, i) => `@s${i}`).join(", ") || "NULL"})`);
  }
  if (query.addressee !== undefined) {
    // why: a range on the NOCASE index is a prefix match SQLite can seek; LIKE with ESCAPE would scan every row.
    clauses.push("q.addressee COLLATE NOCASE >= @addressee AND q.addressee COLLATE NOCASE < @addresseeEnd");
    params.addressee = query.addressee;
    params.addresseeEnd = `${query.addressee}\u{10FFFF}`;
  }
  if (query.tag !== undefined) {
    clauses.push("q.id IN (SELECT question_id FROM question_tags WHERE docket_id = @docket AND tag = @tag)");
    params.tag = query.tag;
  }
  if (query.deadlineNumber !== undefined) {
    clauses.push("q.needed_by_deadline = @deadline");
    params.deadline = query.deadlineNumber;
  }
  if (query.overdue) {
    const passed = query.overdue.passedDeadlines.map(Number).join(", ");
    const overdue = `(q.needed_by_date < @today${passed ? ` OR q.needed_by_deadline IN (${passed})` : ""})`;
    clauses.push(query.overdue.exclude ? `NOT coalesce(${overdue}, 0)` : overdue);
    params.today = query.overdue.today;
  }
  return { where: clauses.join(" AND "), params };
}
