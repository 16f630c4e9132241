/**
 * How each addressee has done: a pure reckoning over a docket's questions, answers and chases, so
 * the `scorecard` command and the md export say the same thing.
 */
import { daysBetween } from "./dates/calendar.ts";
import { todayIn } from "./dates/wall-clock.ts";
import type { AnswerKind, Instant, QuestionStatus, TimeZone } from "./types.ts";

export interface ScorecardInput {
  questions: ReadonlyArray<{ number: number; addressee: string | null; status: QuestionStatus; askedAt: Instant }>;
  answers: ReadonlyArray<{ questionNumber: number; kind: AnswerKind; loggedAt: Instant }>;
  chases: ReadonlyArray<{ questionNumber: number }>;
}

export interface ScorecardRow {
  /** As first written in the docket; null for questions with no addressee named. */
  addressee: string | null;
  /** Questions asked of it, withdrawn ones left out (they are no longer asked). */
  asked: number;
  answered: number;
  partial: number;
  open: number;
  /** Median calendar days from asking to the full answer that stands, over answered questions; null if none. */
  medianDaysToAnswer: number | null;
  /** The open (or partly answered) question waiting longest, in calendar days. */
  longestWait: { questionNumber: number; days: number } | null;
  chases: number;
}

/** The middle value, or the mean of the middle two. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * One row per addressee (named alike ignoring case), most questions first, then by name; those with
 * no addressee last. Days are calendar days in `zone`. `addressee` keeps only those whose name starts with it.
 */
export function scorecard(data: ScorecardInput, now: Date, zone: TimeZone, addressee?: string): ScorecardRow[] {
  const day = (at: Instant) => todayIn(new Date(at), zone);
  const today = todayIn(now, zone);
  // why the latest full answer: a question reopened and answered again was answered by the later one.
  const fullAnswer = new Map<number, Instant>();
  for (const a of data.answers) if (a.kind === "full" && (fullAnswer.get(a.questionNumber) ?? "") < a.loggedAt) fullAnswer.set(a.questionNumber, a.loggedAt);
  const chases = new Map<number, number>();
  for (const c of data.chases) chases.set(c.questionNumber, (chases.get(c.questionNumber) ?? 0) + 1);
  const wanted = addressee?.toLowerCase();
  const groups = new Map<string, { name: string | null; questions: Array<ScorecardInput["questions"][number]> }>();
  for (const q of data.questions) {
    if (q.status === "withdrawn") continue;
    if (wanted !== undefined && !(q.addressee ?? "").toLowerCase().startsWith(wanted)) continue;
    const key = q.addressee === null ? "" : `=${q.addressee.toLowerCase()}`;
    const group = groups.get(key) ?? { name: q.addressee, questions: [] };
    group.questions.push(q);
    groups.set(key, group);
  }
  const rows = [...groups.values()].map(({ name, questions }): ScorecardRow => {
    const waits = questions.filter((q) => q.status === "open" || q.status === "partial").map((q) => ({ questionNumber: q.number, days: daysBetween(day(q.askedAt), today) }));
    const longest = waits.reduce<ScorecardRow["longestWait"]>((best, w) => (best === null || w.days > best.days ? w : best), null);
    const toAnswer = questions.flatMap((q) => {
      const at = q.status === "answered" ? fullAnswer.get(q.number) : undefined;
      return at === undefined ? [] : [daysBetween(day(q.askedAt), day(at))];
    });
    return {
      addressee: name,
      asked: questions.length,
      answered: questions.filter((q) => q.status === "answered").length,
      partial: questions.filter((q) => q.status === "partial").length,
      open: questions.filter((q) => q.status === "open").length,
      medianDaysToAnswer: median(toAnswer),
      longestWait: longest,
      chases: questions.reduce((n, q) => n + (chases.get(q.number) ?? 0), 0),
    };
  });
  return rows.sort((a, b) => (a.addressee === null ? 1 : b.addressee === null ? -1 : b.asked - a.asked || a.addressee.localeCompare(b.addressee)));
}

/** `12 days`, `12.5 days`, `—`. */
export const daysText = (days: number | null): string => (days === null ? "—" : `${days.toLocaleString("en", { maximumFractionDigits: 1 })} day${days === 1 ? "" : "s"}`);
