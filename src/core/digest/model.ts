import { addDays, daysBetween } from "../dates/calendar.ts";
import { formatDateLong } from "../dates/format.ts";
import { localInstant, localParts, todayIn } from "../dates/wall-clock.ts";
import { namesOf } from "../people.ts";
import type { QuestionQuery, Repos } from "../ports.ts";
import { byNumber, countdownLine, daysAgo, daysUntil, deadlinePassed, questionItem, shortDate } from "../present.ts";
import type { ListItem, Reply, ReplyBlock } from "../reply.ts";
import { excerpt, plural } from "../text.ts";
import type { Answer, ChannelRef, Deadline, DigestFilter, Docket, Instant, LocalDate, Ping, Question, TimeZone } from "../types.ts";

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
  /** With a number, a "Due for a chase" section lists open questions neither asked nor chased for that many days. */
  chaseAfter?: number | null;
}

/** How many questions due for a chase the section lists, at most. */
const dueForChaseLimit = 10;
/** A milestone reached today: its headline, and whom it pings (as the admin set it, whatever the channel). */
export interface Headline {
  deadlineNumber: number;
  text: string;
  ping: Ping | null;
}

export interface Digest {
  date: LocalDate;
  /** Milestones of any deadline that fall on this local date, nearest deadline first. */
  headlines: Headline[];
  /** `answered` counts every answered question the filter takes; `answeredSince` those listed as answered since the last digest. */
  counts: { open: number; answered: number; answeredSince: number; overdue: number };
  countdowns: string[];
  answered: ListItem[];
  overdue: ListItem[];
  open: ListItem[];
  moreOpen: number;
  /** Open questions neither asked nor chased for `chaseAfter` days, least recently pressed first; empty without `chaseAfter`. */
  dueForChase: ListItem[];
  moreDueForChase: number;
  chaseAfter: number | null;
}

/** What a subscription's digest says at `now`, read from the store; nothing is written. */
export async function buildDigest(store: Repos, r: DigestRequest): Promise<Digest> {
  const { docket, timeZone: zone, filter, now } = r;
  const today = localParts(now, zone).date;
  const allDeadlines = await store.deadlines.list(docket.id);
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
  const overdue = await store.questions.list(docket.id, { ...base, statuses: open, overdue: overdueRule, limit: r.openLimit });
  const stillOpen = await store.questions.list(docket.id, { ...base, statuses: open, overdue: { ...overdueRule, exclude: true }, limit: r.openLimit });
  const answeredCount = (await store.questions.list(docket.id, { ...base, statuses: ["answered"], limit: 0 })).total;

  const nameOf = await namesOf(store, docket.id);
  const from = r.since ?? new Date(now.getTime() - 24 * 60 * 60 * 1000).toISOString();
  // why grouped: a question answered twice since the last digest is one piece of news, told with its latest answer.
  const newsByQuestion = new Map<number, Answer[]>();
  for (const a of await store.answers.loggedBetween(docket.id, from, now.toISOString())) newsByQuestion.set(a.questionNumber, [...(newsByQuestion.get(a.questionNumber) ?? []), a]);
  const questions = new Map<number, Question>();
  for (const n of newsByQuestion.keys()) questions.set(n, (await store.questions.get(docket.id, n))!);
  const matches = (q: Question) =>
    (filter.tag === null || q.tags.includes(filter.tag)) &&
    (filter.addressee === null || (q.addressee ?? "").toLowerCase().startsWith(filter.addressee.toLowerCase())) &&
    (filter.deadlineNumber === null || (q.neededBy?.kind === "deadline" && q.neededBy.deadlineNumber === filter.deadlineNumber));
  const answerDetail = (answers: readonly Answer[]) => {
    const a = answers[answers.length - 1]!;
    const earlier = answers.length > 1 ? ` · ${plural(answers.length - 1, "earlier answer")} since the last digest` : "";
    return `${a.kind === "partial" ? "Partly: " : ""}${excerpt(a.text, 200)} · source: ${a.source ? excerpt(a.source, 200) : "none given"} · logged by ${nameOf(a.loggedBy)}${earlier}`;
  };
  // why only status "answered": a question answered and then reopened, or only partly answered, is still
  // open, so it is listed once, among the open ones, with its new partial answer in its detail.
  const answered = [...newsByQuestion]
    .filter(([n]) => { const q = questions.get(n)!; return q.status === "answered" && matches(q); })
    .map(([n, answers]) => ({ text: `Q${n} ${excerpt(questions.get(n)!.text, 120)}`, detail: answerDetail(answers), questionNumber: n }));
  const chaseSummaries = await store.chases.summaries([...overdue.items, ...stillOpen.items].map((q) => q.id));
  const openItem = (q: Question) => {
    const item = questionItem(q, today, zone, lookup, chaseSummaries.get(q.id), nameOf);
    const news = q.status === "partial" ? newsByQuestion.get(q.number)?.filter((a) => a.kind === "partial") : undefined;
    return news && news.length > 0 ? { ...item, detail: `${item.detail} · new since the last digest: ${answerDetail(news)}` } : item;
  };

  const chaseAfter = r.chaseAfter ?? null;
  const due = chaseAfter === null ? { items: [] as ListItem[], more: 0 } : await dueForChase(store, docket.id, base, chaseAfter, now, zone);

  return {
    date: today,
    dueForChase: due.items,
    moreDueForChase: due.more,
    chaseAfter,
    headlines: await milestoneHeadlines(store, docket.id, allDeadlines, now, zone),
    counts: { open: overdue.total + stillOpen.total, answered: answeredCount, answeredSince: answered.length, overdue: overdue.total },
    countdowns,
    answered,
    overdue: overdue.items.map(openItem),
    open: stillOpen.items.map(openItem),
    moreOpen: Math.max(0, stillOpen.total - stillOpen.items.length),
  };
}

/**
 * Open questions last pressed (asked, or chased) `days` or more days ago, least recently pressed first.
 * why read in full: the order is by the later of two dates of different kinds (an instant asked, a day chased),
 * and these are the questions nobody has pressed for a while, few by nature.
 */
async function dueForChase(store: Repos, docketId: number, base: Omit<QuestionQuery, "statuses" | "limit">, days: number, now: Date, zone: TimeZone): Promise<{ items: ListItem[]; more: number }> {
  const today = todayIn(now, zone);
  const cutoff = addDays(today, -days);
  const { items } = await store.questions.list(docketId, {
    ...base, statuses: ["open", "partial"], askedBefore: localInstant(addDays(cutoff, 1), "00:00", zone).toISOString(), notChasedAfter: cutoff, limit: 5000,
  });
  const summaries = await store.chases.summaries(items.map((q) => q.id));
  const pressed = items
    .map((q) => {
      const asked = todayIn(new Date(q.askedAt), zone);
      const chased = summaries.get(q.id)?.last.onDate;
      return { q, last: chased !== undefined && chased > asked ? chased : asked, chased: chased !== undefined };
    })
    .sort((a, b) => a.last.localeCompare(b.last) || a.q.number - b.q.number);
  const shown = pressed.slice(0, dueForChaseLimit).map(({ q, last, chased }) => ({
    text: `Q${q.number} ${excerpt(q.text, 120)}`,
    detail: [q.addressee ? `to ${q.addressee}` : undefined, `${chased ? "last chased" : "asked, never chased,"} ${shortDate(last, today)} (${daysAgo(daysBetween(last, today))})`]
      .filter(Boolean).join(" · "),
    questionNumber: q.number,
    answerable: true as const,
  }));
  return { items: shown, more: pressed.length - shown.length };
}

/** How many questions a headline reads at most, per deadline: its figures stay cheap on a big docket. */
const headlineQuestionLimit = 10_000;
/** How many addressees a headline names ("ITU has answered 2 of 9"), most asked first. */
const headlineAddressees = 2;

/**
 * The headlines of the milestones that fall on today's local date in the reader's zone: calendar
 * days, as countdowns count them, so a late digest the same day carries its milestone and the next
 * day's digest does not. The questions counted are those needed by the deadline, or, when none is,
 * every question of the docket (withdrawn ones aside).
 */
async function milestoneHeadlines(store: Repos, docketId: number, deadlines: readonly Deadline[], now: Date, zone: TimeZone): Promise<Headline[]> {
  const due = deadlines
    .map((d) => ({ d, days: daysUntil(d, now, zone) }))
    .filter(({ d, days }) => d.milestones?.days.includes(days))
    .sort((a, b) => a.days - b.days || a.d.number - b.d.number);
  const headlines: Headline[] = [];
  const statuses = ["open", "partial", "answered"] as const;
  for (const { d, days } of due) {
    let { items } = await store.questions.list(docketId, { statuses, deadlineNumber: d.number, limit: headlineQuestionLimit });
    if (items.length === 0) items = (await store.questions.list(docketId, { statuses, limit: headlineQuestionLimit })).items;
    const unanswered = items.filter((q) => q.status !== "answered").length;
    const byAddressee = new Map<string, { asked: number; answered: number }>();
    for (const q of items) {
      if (!q.addressee) continue;
      const tally = byAddressee.get(q.addressee) ?? { asked: 0, answered: 0 };
      tally.asked++;
      if (q.status === "answered") tally.answered++;
      byAddressee.set(q.addressee, tally);
    }
    const addressees = [...byAddressee]
      .sort(([a, x], [b, y]) => y.asked - x.asked || a.localeCompare(b))
      .slice(0, headlineAddressees)
      .map(([name, t]) => `${excerpt(name, 60)} has answered ${t.answered} of ${t.asked}`);
    const when = days === 0 ? `${d.title} is today` : `${plural(days, "day")} to ${d.title}`;
    const open = items.length === 0 ? [] : [unanswered === 0 ? "every question answered" : `${plural(unanswered, "question")} still unanswered`];
    headlines.push({ deadlineNumber: d.number, text: [when, ...open, ...addressees].join(" · "), ping: d.milestones?.ping ?? null });
  }
  return headlines;
}

/** `4 questions open · 3 answered (1 since the last digest) · 1 overdue`: the README's sample reads the same. */
export function countLine(counts: Digest["counts"]): string {
  const since = counts.answeredSince > 0 ? ` (${counts.answeredSince} since the last digest)` : "";
  return `${plural(counts.open, "question")} open · ${counts.answered} answered${since} · ${counts.overdue} overdue`;
}

/** The digest as a reply, which every adapter already knows how to render; nothing empty is shown. */
export function digestToReply(d: Digest, options: { commandName: string; late?: boolean; docketName?: string; pingIn?: ChannelRef }): Reply {
  const blocks: ReplyBlock[] = [
    ...d.headlines.map((h) => headlineBlock(h, options.pingIn)),
    { kind: "text", text: countLine(d.counts) },
  ];
  if (d.countdowns.length) blocks.push({ kind: "list", title: "Countdown", items: d.countdowns.map((text) => ({ text })) });
  if (d.answered.length) blocks.push({ kind: "list", title: "Answered since the last digest", items: d.answered });
  if (d.overdue.length) blocks.push({ kind: "list", title: "Overdue", items: d.overdue, ...(d.counts.overdue > d.overdue.length ? { more: `and ${d.counts.overdue - d.overdue.length} more — /${options.commandName} list overdue` } : {}) });
  if (d.dueForChase.length)
    blocks.push({ kind: "list", title: `Due for a chase (not pressed for ${plural(d.chaseAfter ?? 0, "day")})`, items: d.dueForChase, ...(d.moreDueForChase > 0 ? { more: `and ${d.moreDueForChase} more` } : {}) });
  if (d.open.length) blocks.push({ kind: "list", title: "Still open, oldest first", items: d.open, ...(d.moreOpen > 0 ? { more: `and ${d.moreOpen} more — /${options.commandName} list` } : {}) });
  return {
    visibility: "channel",
    heading: `${options.docketName ? `${options.docketName} · ` : ""}Docket digest · ${formatDateLong(d.date)}${options.late ? " (late)" : ""}`,
    blocks,
  };
}

/**
 * A headline as a reply block. The ping rides along only for a digest posted in a channel of the
 * ping's own platform and workspace (a role id means nothing anywhere else); a preview, which posts
 * nothing, names it instead.
 */
function headlineBlock(h: Headline, pingIn: ChannelRef | undefined): ReplyBlock {
  const p = h.ping;
  if (!p) return { kind: "headline", text: h.text };
  if (!pingIn) return { kind: "headline", text: `${h.text} · pings ${p.label}` };
  return p.platform === pingIn.platform && p.workspaceId === pingIn.workspaceId ? { kind: "headline", text: h.text, ping: p } : { kind: "headline", text: h.text };
}

/** A subscription's settings as the digest needs them; previews of unsubscribed channels use defaults. */
export interface DigestSettings {
  id: number | null;
  timeZone: TimeZone;
  filter: DigestFilter;
  chaseAfter?: number | null;
}

/** The digest a subscription gets at `now`: news since its previous sent digest, as a reply. */
export async function subscriptionDigest(
  store: Repos,
  docket: Docket,
  sub: DigestSettings,
  now: Date,
  /** `pingIn`: the channel the digest is posted in, so its milestone pings go out; left out (previews), they are only named. */
  options: { commandName: string; openLimit: number; late?: boolean; since?: Instant; pingIn?: ChannelRef },
): Promise<Reply> {
  const today = localParts(now, sub.timeZone).date;
  // why `since` may be given: a preview of a later day counts news from the digests that would run before it.
  const since = options.since ?? (sub.id === null ? undefined : await store.deliveries.latestSent(sub.id, today))?.updatedAt ?? null;
  const digest = await buildDigest(store, {
    docket, timeZone: sub.timeZone, filter: sub.filter, chaseAfter: sub.chaseAfter ?? null, now, since, openLimit: options.openLimit, commandName: options.commandName,
  });
  return digestToReply(digest, { commandName: options.commandName, ...(options.late ? { late: true } : {}), ...(options.pingIn ? { pingIn: options.pingIn } : {}) });
}
