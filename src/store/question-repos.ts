import type { AnswerStore, ChaseStore, ChaseSummary, NoteStore, QuestionQuery, QuestionStore } from "../core/ports.ts";
import { questionStatuses, type Answer, type NeededBy, type QuestionStatus } from "../core/types.ts";
import { dialect, likePrefix } from "./dialect.ts";
import { answerOf, chaseOf, memberColumns, noteOf, num, questionLineOf, questionOf, str } from "./rows.ts";
import type { Sql } from "./sql.ts";

const neededByColumns = (neededBy: NeededBy | null) => ({
  needed_by_deadline: neededBy?.kind === "deadline" ? neededBy.deadlineNumber : null,
  needed_by_date: neededBy?.kind === "date" ? neededBy.date : null,
});

export function questionRepos(q: Sql): { questions: QuestionStore; answers: AnswerStore; notes: NoteStore; chases: ChaseStore } {
  const selectQuestion = `SELECT q.*, ${memberColumns} FROM questions q JOIN members m ON m.id = q.asked_by`;

  const writeTags = async (docketId: number, questionId: number, tags: readonly string[], replace: boolean) => {
    if (replace) await q.run("DELETE FROM question_tags WHERE question_id = ?", [questionId]);
    for (const tag of tags) await q.run("INSERT INTO question_tags (docket_id, tag, question_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [docketId, tag, questionId]);
  };

  const questions: QuestionStore = {
    async get(docketId, number) {
      const row = await q.get(`${selectQuestion} WHERE q.docket_id = ? AND q.number = ?`, [docketId, number]);
      return row && questionOf(row);
    },
    async insert(x) {
      // why: the caller holds the docket's lock (SQLite: the write lock), so no one else takes this number meanwhile.
      const { next } = (await q.get<{ next: number }>("SELECT coalesce(max(number), 0) + 1 AS next FROM questions WHERE docket_id = ?", [x.docketId]))!;
      const { id } = (await q.get<{ id: number }>(
        `INSERT INTO questions (docket_id, number, text, addressee, tags, status, needed_by_deadline, needed_by_date, asked_by, asked_at, updated_at)
         VALUES (@docket_id, @number, @text, @addressee, @tags, 'open', @needed_by_deadline, @needed_by_date, @asked_by, @asked_at, @asked_at) RETURNING id`,
        {
          docket_id: x.docketId, number: next, text: x.text, addressee: x.addressee, tags: x.tags.join(" "),
          ...neededByColumns(x.neededBy), asked_by: x.askedBy, asked_at: x.askedAt,
        },
      ))!;
      await writeTags(x.docketId, id, x.tags, false);
      return (await questions.get(x.docketId, next))!;
    },
    async update(docketId, number, patch, at) {
      const current = await questions.get(docketId, number);
      if (!current) throw new Error(`update of missing question ${docketId}/Q${number}`);
      const next = { ...current, ...patch };
      await q.run(
        `UPDATE questions SET text = @text, addressee = @addressee, tags = @tags, status = @status,
           needed_by_deadline = @needed_by_deadline, needed_by_date = @needed_by_date, updated_at = @at
         WHERE id = @id`,
        { id: current.id, text: next.text, addressee: next.addressee, tags: next.tags.join(" "), status: next.status, ...neededByColumns(next.neededBy), at },
      );
      if (patch.tags) await writeTags(docketId, current.id, patch.tags, true);
      return (await questions.get(docketId, number))!;
    },
    async list(docketId, query) {
      const { where, params } = whereOf(q, docketId, query);
      const total = (await q.get<{ n: number }>(`SELECT count(*) AS n FROM questions q WHERE ${where}`, params))!.n;
      const rows = await q.all(`${selectQuestion} WHERE ${where} ORDER BY q.number LIMIT @limit OFFSET @offset`, { ...params, limit: query.limit, offset: query.offset ?? 0 });
      return { items: rows.map(questionOf), total };
    },
    async lines(docketId, query) {
      const { where, params } = whereOf(q, docketId, query);
      const total = (await q.get<{ n: number }>(`SELECT count(*) AS n FROM questions q WHERE ${where}`, params))!.n;
      // why these columns only: a list page shows them, and each column more is read, copied and mapped for every row.
      const rows = await q.all(
        `SELECT q.id, q.number, q.text, q.addressee, q.tags, q.status, q.needed_by_deadline, q.needed_by_date, q.asked_at, m.display_name AS m_name, m.platform AS m_platform
         FROM questions q JOIN members m ON m.id = q.asked_by WHERE ${where} ORDER BY q.number LIMIT @limit OFFSET @offset`,
        { ...params, limit: query.limit, offset: query.offset ?? 0 },
      );
      return { items: rows.map(questionLineOf), total };
    },
    async countByStatus(docketId) {
      const counts = Object.fromEntries(questionStatuses.map((s) => [s, 0])) as Record<QuestionStatus, number>;
      for (const row of await q.all("SELECT status, count(*) AS n FROM questions WHERE docket_id = ? GROUP BY status", [docketId]))
        counts[str(row, "status") as QuestionStatus] = num(row, "n");
      return counts;
    },
    async suggest(docketId, text, limit) {
      const rows = await q.all(
        `${selectQuestion} WHERE q.docket_id = @docket AND (q.text LIKE @contains ESCAPE '\\' OR CAST(q.number AS TEXT) LIKE @prefix ESCAPE '\\')
         ORDER BY q.status NOT IN ('open', 'partial'), q.number DESC LIMIT @limit`,
        { docket: docketId, contains: `%${likePrefix(text)}`, prefix: likePrefix(text.replace(/^q/i, "")), limit },
      );
      return rows.map(questionOf);
    },
  };

  const selectAnswer = `SELECT a.*, q.number AS question_number, ${memberColumns} FROM answers a JOIN questions q ON q.id = a.question_id JOIN members m ON m.id = a.logged_by`;
  const answers: AnswerStore = {
    async insert(a) {
      const { id } = (await q.get<{ id: number }>(
        "INSERT INTO answers (docket_id, question_id, text, source, kind, logged_by, logged_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [a.docketId, a.questionId, a.text, a.source, a.kind, a.loggedBy, a.loggedAt],
      ))!;
      return answerOf((await q.get(`${selectAnswer} WHERE a.id = ?`, [id]))!);
    },
    forQuestion: async (questionId) => (await q.all(`${selectAnswer} WHERE a.question_id = ? ORDER BY a.id`, [questionId])).map(answerOf),
    async latestFor(questionIds) {
      const latest = new Map<number, Answer>();
      for (const id of questionIds) {
        const row = await q.get(`${selectAnswer} WHERE a.question_id = ? ORDER BY a.id DESC LIMIT 1`, [id]);
        if (row) latest.set(id, answerOf(row));
      }
      return latest;
    },
    loggedBetween: async (docketId, from, to) =>
      (await q.all(`${selectAnswer} WHERE a.docket_id = ? AND a.logged_at >= ? AND a.logged_at < ? ORDER BY a.logged_at, a.id`, [docketId, from, to])).map(answerOf),
  };

  const selectNote = `SELECT n.*, q.number AS question_number, ${memberColumns} FROM notes n JOIN questions q ON q.id = n.question_id JOIN members m ON m.id = n.author`;
  const notes: NoteStore = {
    async insert(n) {
      const { id } = (await q.get<{ id: number }>("INSERT INTO notes (docket_id, question_id, text, author, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id", [
        n.docketId, n.questionId, n.text, n.author, n.createdAt,
      ]))!;
      return noteOf((await q.get(`${selectNote} WHERE n.id = ?`, [id]))!);
    },
    forQuestion: async (questionId) => (await q.all(`${selectNote} WHERE n.question_id = ? ORDER BY n.id`, [questionId])).map(noteOf),
  };

  const selectChase = `SELECT c.*, q.number AS question_number, ${memberColumns} FROM chases c JOIN questions q ON q.id = c.question_id JOIN members m ON m.id = c.logged_by`;
  const chases: ChaseStore = {
    async insert(c) {
      const { id } = (await q.get<{ id: number }>(
        "INSERT INTO chases (docket_id, question_id, text, via, on_date, contact, logged_by, logged_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [c.docketId, c.questionId, c.text, c.via, c.onDate, c.contact, c.loggedBy, c.loggedAt],
      ))!;
      return chaseOf((await q.get(`${selectChase} WHERE c.id = ?`, [id]))!);
    },
    forQuestion: async (questionId) => (await q.all(`${selectChase} WHERE c.question_id = ? ORDER BY c.on_date, c.id`, [questionId])).map(chaseOf),
    async summaries(questionIds) {
      const found = new Map<number, ChaseSummary>();
      if (questionIds.length === 0) return found;
      // why inline: ids are integers (Number() keeps them so), and a literal list lets the engine seek chases_question.
      const within = questionIds.map(Number).join(", ");
      // why ordered so the last row per question wins: the latest chase is the one done last, then logged last.
      for (const row of await q.all(`${selectChase} WHERE c.question_id IN (${within}) ORDER BY c.question_id, c.on_date, c.id`)) {
        const questionId = num(row, "question_id");
        found.set(questionId, { count: (found.get(questionId)?.count ?? 0) + 1, last: chaseOf(row) });
      }
      return found;
    },
    forDocket: async (docketId) => (await q.all(`${selectChase} WHERE c.docket_id = ? ORDER BY c.id`, [docketId])).map(chaseOf),
  };

  return { questions, answers, notes, chases };
}

function whereOf(q: Sql, docketId: number, query: QuestionQuery): { where: string; params: Record<string, unknown> } {
  const clauses = ["q.docket_id = @docket"];
  let params: Record<string, unknown> = { docket: docketId };
  const statuses = [...query.statuses];
  // why: the literal form lets the engine use the partial index over open and partial questions.
  if (statuses.length === 2 && statuses.includes("open") && statuses.includes("partial")) clauses.push("q.status IN ('open', 'partial')");
  // why: with every status asked for, no clause at all, so an addressee or tag index can drive the query alone.
  else if (!questionStatuses.every((s) => statuses.includes(s))) {
    statuses.forEach((s, i) => (params[`s${i}`] = s));
    clauses.push(`q.status IN (${statuses.map((_, i) => `@s${i}`).join(", ") || "NULL"})`);
  }
  if (query.addressee !== undefined) {
    const prefix = dialect.startsWithIgnoringCase(q, "q.addressee", "addressee", query.addressee);
    clauses.push(prefix.sql);
    params = { ...params, ...prefix.params };
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
    clauses.push(query.overdue.exclude ? `NOT coalesce(${overdue}, FALSE)` : overdue);
    params.today = query.overdue.today;
  }
  if (query.askedBefore !== undefined) {
    clauses.push("q.asked_at < @askedBefore");
    params.askedBefore = query.askedBefore;
  }
  if (query.notChasedAfter !== undefined) {
    clauses.push("NOT EXISTS (SELECT 1 FROM chases c WHERE c.question_id = q.id AND c.on_date > @notChasedAfter)");
    params.notChasedAfter = query.notChasedAfter;
  }
  return { where: clauses.join(" AND "), params };
}
