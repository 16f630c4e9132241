import { addDays } from "../dates/calendar.ts";
import { formatDateLong } from "../dates/format.ts";
import { localParts } from "../dates/wall-clock.ts";
import type { QuestionQuery, Store } from "../ports.ts";
import { byNumber, countdownLine, daysUntil, deadlinePassed, questionItem } from "../present.ts";
import type { ListItem, Reply, ReplyBlock } from "../reply.ts";
import { excerpt, plural } from "../text.ts";
import type { DigestFilter, Docket, Instant, LocalDate, TimeZone } from "../types.ts";

/** How many still-open questions a digest lists before "and N more", unless configured. */
export const defaultDigestOpenLimit = 10;

export interface DigestRequest {
  docket: Docket;
  timeZone: TimeZone;
  filter: DigestFilter;
  /** The instant the digest is composed for. */
  now: Date;
  /** When the previous digest went to this subscription; answers and passed deadlines since then are news. */
  since: Instant | null;
  /** How many still-open questions to list before "and N more". */
  openLimit: number;
  commandName: string;
}

export interface Digest {
  date: LocalDate;
  counts: { open: number; answered: number; overdue: number };
  countdowns: string[];
  answered: ListItem[];
  overdue: ListItem[];
  open: ListItem[];
  moreOpen: number;
}

/** What a subscription's digest says at `now`, read from the store; nothing is written. */
export function buildDigest(store: Store, r: DigestRequest): Digest {
  const { docket, timeZone: zone, filter, now } = r;
  const today = localParts(now, zone).date;
  const allDeadlines = store.deadlines.list(docket.id);
  const lookup = byNumber(allDeadlines);
  const deadlines = filter.deadlineNumber === null ? allDeadlines : allDeadlines.filter((d) => d.number === filter.deadlineNumber);
  // why: a deadline that passed since the previous digest is news once; with no previous digest, "since" is yesterday.
  const sinceDate = r.since ? localParts(new Date(r.since), zone).date : addDays(today, -1);
  const countdowns = deadlines
    .map((d) => ({ d, days: daysUntil(d, now, zone) }))
    .filter(({ days }) => days >= 0 || addDays(today, days) >= sinceDate)
    .sort((a, b) => a.days - b.days)
    .map(({ d }) => countdownLine(d, now, zone));

  const base: Omit<QuestionQuery, "statuses" | "limit"> = {
    ...(filter.tag !== null ? { tag: filter.tag } : {}),
    ...(filter.addressee !== null ? { addressee: filter.addressee } : {}),
    ...(filter.deadlineNumber !== null ? { deadlineNumber: filter.deadlineNumber } : {}),
  };
  const overdueRule = { passedDeadlines: allDeadlines.filter((d) => deadlinePassed(d, now)).map((d) => d.number), today };
  const open = ["open", "partial"] as const;
  const overdue = store.questions.list(docket.id, { ...base, statuses: open, overdue: overdueRule, limit: r.openLimit });
  const stillOpen = store.questions.list(docket.id, { ...base, statuses: open, overdue: { ...overdueRule, exclude: true }, limit: r.openLimit });
  const answeredCount = store.questions.list(docket.id, { ...base, statuses: ["answered"], limit: 0 }).total;

  const from = r.since ?? new Date(now.getTime() - 24 * 60 * 60 * 1000).toISOString();
  const answers = store.answers.loggedBetween(docket.id, from, now.toISOString());
  const matching = new Map(answers.map((a) => [a.questionNumber, store.questions.get(docket.id, a.questionNumber)!]));
  const answered = answers
    .filter((a) => {
      const q = matching.get(a.questionNumber)!;
      return (filter.tag === null || q.tags.includes(filter.tag)) &&
        (filter.addressee === null || (q.addressee ?? "").toLowerCase().startsWith(filter.addressee.toLowerCase())) &&
        (filter.deadlineNumber === null || (q.neededBy?.kind === "deadline" && q.neededBy.deadlineNumber === filter.deadlineNumber));
    })
    .map((a) => ({
      text: `Q${a.questionNumber} ${excerpt(matching.get(a.questionNumber)!.text, 120)}`,
      detail: `${a.kind === "partial" ? "Partly: " : ""}${excerpt(a.text, 200)} · source: ${a.source ? excerpt(a.source, 200) : "none given"} · logged by ${a.loggedBy.displayName}`,
      questionNumber: a.questionNumber,
    }));

  return {
    date: today,
    counts: { open: overdue.total + stillOpen.total, answered: answeredCount, overdue: overdue.total },
    countdowns,
    answered,
    overdue: overdue.items.map((q) => questionItem(q, now, zone, lookup)),
    open: stillOpen.items.map((q) => questionItem(q, now, zone, lookup)),
    moreOpen: Math.max(0, stillOpen.total - stillOpen.items.length),
  };
}

/** The digest as a reply, which every adapter already knows how to render; nothing empty is shown. */
export function digestToReply(d: Digest, options: { commandName: string; late?: boolean; docketName?: string }): Reply {
  const blocks: ReplyBlock[] = [
    { kind: "text", text: `${plural(d.counts.open, "question")} open · ${d.counts.answered} answered · ${d.counts.overdue} overdue` },
  ];
  if (d.countdowns.length) blocks.push({ kind: "list", title: "Countdown", items: d.countdowns.map((text) => ({ text })) });
  if (d.answered.length) blocks.push({ kind: "list", title: "Answered since the last digest", items: d.answered });
  if (d.overdue.length) blocks.push({ kind: "list", title: "Overdue", items: d.overdue, ...(d.counts.overdue > d.overdue.length ? { more: `and ${d.counts.overdue - d.overdue.length} more — /${options.commandName} list overdue` } : {}) });
  if (d.open.length) blocks.push({ kind: "list", title: "Still open, oldest first", items: d.open, ...(d.moreOpen > 0 ? { more: `and ${d.moreOpen} more — /${options.commandName} list` } : {}) });
  return {
    visibility: "channel",
    heading: `${options.docketName ? `${options.docketName} · ` : ""}Docket digest · ${formatDateLong(d.date)}${options.late ? " (late)" : ""}`,
    blocks,
  };
}

/** A subscription's settings as the digest needs them; previews of unsubscribed channels use defaults. */
export interface DigestSettings {
  id: number | null;
  timeZone: TimeZone;
  filter: DigestFilter;
}

/** The digest a subscription gets at `now`: news since its previous sent digest, as a reply. */
export function subscriptionDigest(store: Store, docket: Docket, sub: DigestSettings, now: Date, options: { commandName: string; openLimit: number; late?: boolean }): Reply {
  const today = localParts(now, sub.timeZone).date;
  const previous = sub.id === null ? undefined : store.deliveries.latestSent(sub.id, today);
  const digest = buildDigest(store, {
    docket, timeZone: sub.timeZone, filter: sub.filter, now, since: previous?.updatedAt ?? null, openLimit: options.openLimit, commandName: options.commandName,
  });
  return digestToReply(digest, { commandName: options.commandName, ...(options.late ? { late: true } : {}) });
}
