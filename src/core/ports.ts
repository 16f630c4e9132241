import type {
  AdminTarget,
  Answer,
  AnswerKind,
  AuditEvent,
  ChannelRef,
  Deadline,
  Docket,
  Instant,
  LocalDate,
  Member,
  NeededBy,
  Note,
  Platform,
  Question,
  QuestionStatus,
  Subscription,
  Workspace,
} from "./types.ts";
import type { SearchQuery } from "./search-query.ts";

/**
 * Storage ports: what the core needs from a store, in its words. They are synchronous because
 * better-sqlite3 is, so a transaction never spans an `await`. Lookups return `undefined` when
 * nothing matches; they never throw for not-found.
 */
export interface Store {
  /** Refreshes the query planner's statistics where tables changed a lot; cheap when nothing did. */
  optimize(): void;
  /** Runs `fn` in one write transaction; nested calls join the outer one. */
  transaction<T>(fn: () => T): T;
  readonly dockets: DocketStore;
  readonly workspaces: WorkspaceStore;
  readonly members: MemberStore;
  readonly questions: QuestionStore;
  readonly answers: AnswerStore;
  readonly notes: NoteStore;
  readonly deadlines: DeadlineStore;
  readonly subscriptions: SubscriptionStore;
  readonly admins: AdminStore;
  readonly audit: AuditStore;
  readonly search: SearchStore;
  readonly snapshots: SnapshotStore;
  readonly deliveries: DeliveryStore;
  readonly platformState: PlatformStateStore;
}

export interface DocketStore {
  get(id: number): Docket | undefined;
  list(): Docket[];
  create(docket: Omit<Docket, "id">): Docket;
  /** Changes the name reports and exports carry; does nothing if there is no such docket. */
  rename(id: number, name: string): void;
}

export interface WorkspaceStore {
  find(platform: Platform, externalId: string): Workspace | undefined;
  bind(workspace: Workspace, at: Instant): void;
  forDocket(docketId: number): Workspace[];
}

export interface MemberStore {
  /** Creates the member or refreshes its display name (and when it was seen under it); returns it either way. */
  upsert(member: Omit<Member, "id">, seenAt: Instant): Member;
}

export interface NewQuestion {
  docketId: number;
  text: string;
  addressee: string | null;
  tags: string[];
  neededBy: NeededBy | null;
  askedBy: number;
  askedAt: Instant;
}

export interface QuestionPatch {
  text?: string;
  addressee?: string | null;
  tags?: string[];
  neededBy?: NeededBy | null;
  status?: QuestionStatus;
}

export interface QuestionQuery {
  statuses: readonly QuestionStatus[];
  addressee?: string;
  tag?: string;
  deadlineNumber?: number;
  /** Only questions whose needed-by has passed (a needed-by deadline among these numbers, or a date before this one); with `exclude`, only those whose has not. */
  overdue?: { passedDeadlines: readonly number[]; today: LocalDate; exclude?: boolean };
  limit: number;
  offset?: number;
}

export interface QuestionStore {
  get(docketId: number, number: number): Question | undefined;
  /** Numbers are never reused: the next is one past the highest ever given in this docket. */
  insert(question: NewQuestion): Question;
  update(docketId: number, number: number, patch: QuestionPatch, at: Instant): Question;
  /** Oldest first (by number). `total` counts every match, not just this page. */
  list(docketId: number, query: QuestionQuery): { items: Question[]; total: number };
  countByStatus(docketId: number): Record<QuestionStatus, number>;
  /** Open questions whose text starts with or contains `text`, open first, for autocomplete. */
  suggest(docketId: number, text: string, limit: number): Question[];
}

export interface AnswerStore {
  insert(answer: { docketId: number; questionId: number; text: string; source: string | null; kind: AnswerKind; loggedBy: number; loggedAt: Instant }): Answer;
  forQuestion(questionId: number): Answer[];
  /** The most recent answer of each question, keyed by question id. */
  latestFor(questionIds: readonly number[]): Map<number, Answer>;
  /** Answers logged in [from, to), oldest first. */
  loggedBetween(docketId: number, from: Instant, to: Instant): Answer[];
}

export interface NoteStore {
  insert(note: { docketId: number; questionId: number; text: string; author: number; createdAt: Instant }): Note;
  forQuestion(questionId: number): Note[];
}

export interface DeadlineStore {
  get(docketId: number, number: number): Deadline | undefined;
  /** Deadlines not removed, by date. */
  list(docketId: number): Deadline[];
  insert(deadline: Omit<Deadline, "id" | "number">): Deadline;
  update(docketId: number, number: number, patch: Partial<Pick<Deadline, "title" | "date" | "time" | "timeZone" | "place">>): Deadline;
  /** Marks removed; the row stays so history and old questions still name it. */
  remove(docketId: number, number: number, at: Instant): void;
}

export type SubscriptionInput = Pick<Subscription, "docketId" | "channel" | "time" | "timeZone" | "days" | "filter">;

export interface SubscriptionStore {
  forChannel(channel: ChannelRef): Subscription | undefined;
  get(id: number): Subscription | undefined;
  /** Creates or replaces this channel's subscription, active. Its delivery ledger is kept. */
  upsert(input: SubscriptionInput, at: Instant): Subscription;
  turnOff(id: number, at: Instant): void;
  pause(id: number, reason: string, at: Instant): void;
  resume(id: number, at: Instant): void;
  /** Every active subscription of every docket, for the scheduler. */
  active(): Subscription[];
  forDocket(docketId: number): Subscription[];
  /** Pauses every active subscription of a workspace (the bot left it); returns those paused. */
  pauseWorkspace(platform: Platform, workspaceId: string, reason: string, at: Instant): Subscription[];
}

export interface AdminStore {
  list(docketId: number): Array<AdminTarget & { addedBy: string; addedAt: Instant }>;
  add(docketId: number, target: AdminTarget, addedBy: string, at: Instant): void;
  remove(docketId: number, target: Pick<AdminTarget, "kind" | "platform" | "id">): boolean;
  /** Whether this user, or one of these roles, is on the docket's own admin list. */
  includes(docketId: number, platform: Platform, userId: string, roleIds: readonly string[]): boolean;
}

export interface AuditStore {
  record(event: Omit<AuditEvent, "id">): void;
  forSubject(docketId: number, subject: string): AuditEvent[];
  count(docketId?: number): number;
}

export interface SearchHit {
  kind: "question" | "answer" | "note";
  questionNumber: number;
  /** The question's status now, so results say whether it still needs an answer. */
  status: QuestionStatus;
  /** What the member wrote there (the question's, answer's or note's own text, none of the index's extra fields), for a snippet. */
  text: string;
}

export interface SearchStore {
  /** Indexes what was written since the last catch-up; search does this itself, the scheduler keeps it warm. */
  catchUp(): void;
  /**
   * Full-text search over everything written so far, newest first (by when it was written). The query's phrases are
   * bounded by `parseSearch` (search-query.ts); the store adds no work per term beyond the match.
   */
  search(docketId: number, query: SearchQuery, limit: number): SearchHit[];
}

/** A whole docket as data: what `export json` writes and `import` restores. */
export interface DocketSnapshot {
  format: "docket";
  version: 1;
  docket: Docket;
  workspaces: Workspace[];
  members: Member[];
  deadlines: Array<Deadline & { removedAt: Instant | null }>;
  questions: Array<Omit<Question, "askedBy"> & { askedBy: number }>;
  answers: Array<Omit<Answer, "loggedBy"> & { loggedBy: number }>;
  notes: Array<Omit<Note, "author"> & { author: number }>;
  subscriptions: Subscription[];
  admins: Array<AdminTarget & { addedBy: string; addedAt: Instant }>;
  audit: AuditEvent[];
  /** The delivery ledger of its subscriptions, so a restored docket does not post a day's digest again. */
  deliveries: Array<Delivery & { parts: DeliveryPart[] }>;
}

export interface SnapshotStore {
  read(docketId: number): DocketSnapshot;
  /** Restores a snapshot with its own ids; refuses if that docket id is already taken. */
  restore(snapshot: DocketSnapshot): void;
}

export type DeliveryState = "claimed" | "sent" | "failed" | "missed";

/** One row of the delivery ledger: a subscription's digest for one local date. */
export interface Delivery {
  subscriptionId: number;
  localDate: LocalDate;
  slotAt: Instant;
  state: DeliveryState;
  late: boolean;
  attempts: number;
  /** When a failed delivery may be tried again; null when it will not be. */
  retryAt: Instant | null;
  /** The platform's id of the digest's first message, once that went out. */
  messageId: string | null;
  error: string | null;
  updatedAt: Instant;
}

/** One message of a delivery's digest, as rendered when the delivery was first claimed. */
export interface DeliveryPart {
  /** Its place in the digest, from 1. */
  part: number;
  /** What the chat port rendered (opaque to the core); null once the delivery is over, when it is no longer needed. */
  body: string | null;
  /** Set once this message went out. */
  messageId: string | null;
  sentAt: Instant | null;
}

/** A part as the delivery that sends it sees it: also whether an earlier attempt at it may have landed. */
export interface PendingPart extends DeliveryPart {
  /**
   * When a send of this part was first started whose outcome is not known (it timed out, the network
   * failed, the process died): before sending it again, the platform is asked whether it landed.
   * Null when no attempt was made or every attempt was refused outright.
   */
  attemptedAt: Instant | null;
}

/**
 * The delivery ledger. A claim is a lease: `claim` hands the (subscription, date) slot to one claimer
 * (`by`, unique per claim) until `leaseUntil`; the claimer renews it with each part it records, and
 * every write after the claim is fenced by `by`, so a claimer that stalled past its lease and was taken
 * over records nothing over its successor (the write returns false). This is the one mechanism that
 * recovers a claim left by a process that died, on SQLite now and on the hosted PostgreSQL store later.
 */
export interface DeliveryStore {
  /**
   * Claims the (subscription, date) slot for one attempt, leased to `by` until `leaseUntil`: inserts a
   * `claimed` row, takes over a `failed` row whose retry time has come, or takes over a `claimed` row
   * whose lease has expired (its claimer died or stalled). Returns undefined when another claim holds
   * the slot or the day is settled, which is what keeps two processes (or a restart) from posting the
   * same digest twice.
   */
  claim(subscriptionId: number, localDate: LocalDate, slotAt: Instant, late: boolean, by: string, at: Instant, leaseUntil: Instant): Delivery | undefined;
  /**
   * Keeps the messages a claimed delivery's digest was rendered as, and returns them. Does nothing
   * to a delivery that already has parts: the first rendering is the one every attempt sends.
   */
  saveParts(subscriptionId: number, localDate: LocalDate, bodies: readonly string[]): PendingPart[];
  /** A delivery's parts in order (none before its first attempt rendered the digest). */
  parts(subscriptionId: number, localDate: LocalDate): PendingPart[];
  /**
   * Records, before a part is sent, that its outcome is about to be unknown, and renews the lease.
   * False when `by` no longer holds the claim: the part must not be sent.
   */
  markAttempt(subscriptionId: number, localDate: LocalDate, part: number, by: string, at: Instant, leaseUntil: Instant): boolean;
  /** Forgets a part's attempt that the platform refused outright (so it certainly did not land). */
  clearAttempt(subscriptionId: number, localDate: LocalDate, part: number, by: string): boolean;
  /**
   * Records that one part went out and renews the lease; the first part's id becomes the delivery's
   * `messageId`. False when `by` no longer holds the claim (nothing is recorded).
   */
  markPartSent(subscriptionId: number, localDate: LocalDate, part: number, messageId: string, by: string, at: Instant, leaseUntil: Instant): boolean;
  /** Records a delivery whose every part went out. False when `by` no longer holds the claim. */
  markSent(subscriptionId: number, localDate: LocalDate, by: string, at: Instant): boolean;
  /**
   * Records a failed attempt; `retryAt` null means it will not be retried. The parts sent stay
   * recorded. False when `by` no longer holds the claim.
   */
  markFailed(subscriptionId: number, localDate: LocalDate, by: string, error: string, retryAt: Instant | null, at: Instant): boolean;
  /** Records a day that went by without a digest; does nothing if the day already has a row. */
  markMissed(subscriptionId: number, localDate: LocalDate, slotAt: Instant, at: Instant): boolean;
  get(subscriptionId: number, localDate: LocalDate): Delivery | undefined;
  /** The most recent row of a subscription, by local date. */
  latest(subscriptionId: number): Delivery | undefined;
  /** The most recent sent digest, whose time bounds "answered since the previous digest". */
  latestSent(subscriptionId: number, before: LocalDate): Delivery | undefined;
  /** Rows of a subscription, oldest date first. */
  forSubscription(subscriptionId: number): Delivery[];
}

/**
 * State an adapter keeps for itself (an installation, a hash of registered commands), as opaque
 * text keyed by platform and key. Values may hold secrets: the store encrypts them at rest when
 * given a key, and nothing here logs them.
 */
export interface PlatformStateStore {
  get(platform: Platform, key: string): string | undefined;
  set(platform: Platform, key: string, value: string, at: Instant): void;
  delete(platform: Platform, key: string): boolean;
  /** Keys starting with `prefix`, for listing installations. */
  keys(platform: Platform, prefix: string): string[];
}
