import type {
  AdminTarget,
  Answer,
  AnswerKind,
  AuditEvent,
  ChannelRef,
  Chase,
  ChaseChannel,
  Deadline,
  Docket,
  Instant,
  LocalDate,
  Member,
  Milestones,
  NeededBy,
  Note,
  Platform,
  Question,
  QuestionLine,
  QuestionStatus,
  Subscription,
  Workspace,
} from "./types.ts";
import type { SearchQuery } from "./search-query.ts";

export type Engine = "sqlite" | "postgres";

/** What a write must hold while it runs: one workspace's or one docket's lock (workspace first, then docket). */
export type LockKey = { workspace: { platform: Platform; id: string } } | { docket: number };

/** Every repository of the store; the same shape outside a transaction and inside one (`tx`). */
export interface Repos {
  readonly dockets: DocketStore;
  readonly workspaces: WorkspaceStore;
  readonly members: MemberStore;
  readonly questions: QuestionStore;
  readonly answers: AnswerStore;
  readonly notes: NoteStore;
  readonly chases: ChaseStore;
  readonly deadlines: DeadlineStore;
  readonly subscriptions: SubscriptionStore;
  readonly admins: AdminStore;
  readonly audit: AuditStore;
  readonly search: SearchStore;
  readonly snapshots: SnapshotStore;
  readonly deliveries: DeliveryStore;
  readonly platformState: PlatformStateStore;
  readonly links: LinkStore;
  /** Takes these locks for the rest of the enclosing transaction (a no-op outside one, and on SQLite, where BEGIN IMMEDIATE already serialises writers). */
  lock(keys: readonly LockKey[]): Promise<void>;
}

/**
 * Storage ports: what the core needs from a store, in its words. Every method is async, so one
 * port serves the embedded SQLite file and a PostgreSQL server. Lookups resolve to `undefined`
 * when nothing matches; they never throw for not-found.
 */
export interface Store extends Repos {
  readonly engine: Engine;
  /**
   * Runs `fn` in one write transaction, holding `lock` first (PostgreSQL advisory transaction locks;
   * SQLite's BEGIN IMMEDIATE serialises every writer already). `fn` must use `tx`, never the outer
   * store, and must not wait on the network: on SQLite other work waits for it.
   */
  transaction<T>(fn: (tx: Repos) => Promise<T>, options?: { lock?: readonly LockKey[] }): Promise<T>;
  /** Refreshes the query planner's statistics where tables changed a lot; cheap when nothing did. */
  optimize(): Promise<void>;
  /** Whether the database answers a trivial query, for /healthz. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * A docket with its version: a number the store raises in the same transaction as every change to
 * the docket's deadlines, admins, name or workspace bindings, so what was read at one version may
 * be kept in memory and served again while a read of the docket returns that version.
 */
export interface VersionedDocket {
  docket: Docket;
  version: number;
}

export interface DocketStore {
  get(id: number): Promise<Docket | undefined>;
  list(): Promise<Docket[]>;
  create(docket: Omit<Docket, "id">): Promise<Docket>;
  /** Changes the name reports and exports carry (and raises the docket's version); does nothing if there is no such docket. */
  rename(id: number, name: string): Promise<void>;
}

export interface WorkspaceStore {
  find(platform: Platform, externalId: string): Promise<Workspace | undefined>;
  /** The docket this workspace is bound to, with its version, in one read; undefined when it is bound to none. */
  docket(platform: Platform, externalId: string): Promise<VersionedDocket | undefined>;
  /** Binds the workspace to its docket and raises that docket's version. */
  bind(workspace: Workspace, at: Instant): Promise<void>;
  /** In the order they were bound: the docket's first workspace first. */
  forDocket(docketId: number): Promise<Workspace[]>;
}

export interface MemberStore {
  /** Creates the member or refreshes its display name (and when it was seen under it); returns it either way. */
  upsert(member: Omit<Member, "id">, seenAt: Instant): Promise<Member>;
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
  /** Only questions asked before this instant. */
  askedBefore?: Instant;
  /** Only questions with no chase done after this day (so none on it or later counts only if before). */
  notChasedAfter?: LocalDate;
  limit: number;
  offset?: number;
}

export interface QuestionStore {
  get(docketId: number, number: number): Promise<Question | undefined>;
  /** Numbers are never reused: the next is one past the highest ever given in this docket. */
  insert(question: NewQuestion): Promise<Question>;
  update(docketId: number, number: number, patch: QuestionPatch, at: Instant): Promise<Question>;
  /** Oldest first (by number). `total` counts every match, not just this page. */
  list(docketId: number, query: QuestionQuery): Promise<{ items: Question[]; total: number }>;
  /** As `list`, with only what a list's lines show of each question. */
  lines(docketId: number, query: QuestionQuery): Promise<{ items: QuestionLine[]; total: number }>;
  countByStatus(docketId: number): Promise<Record<QuestionStatus, number>>;
  /** Open questions whose text starts with or contains `text`, open first, for autocomplete. */
  suggest(docketId: number, text: string, limit: number): Promise<Question[]>;
}

export interface AnswerStore {
  insert(answer: { docketId: number; questionId: number; text: string; source: string | null; kind: AnswerKind; loggedBy: number; loggedAt: Instant }): Promise<Answer>;
  forQuestion(questionId: number): Promise<Answer[]>;
  /** The most recent answer of each question, keyed by question id. */
  latestFor(questionIds: readonly number[]): Promise<Map<number, Answer>>;
  /** Answers logged in [from, to), oldest first. */
  loggedBetween(docketId: number, from: Instant, to: Instant): Promise<Answer[]>;
}

export interface NoteStore {
  insert(note: { docketId: number; questionId: number; text: string; author: number; createdAt: Instant }): Promise<Note>;
  forQuestion(questionId: number): Promise<Note[]>;
}

/** How often a question was chased, and the latest chase (by the day it was done, then by when it was logged). */
export interface ChaseSummary {
  count: number;
  last: Chase;
}

export interface ChaseStore {
  insert(chase: { docketId: number; questionId: number; text: string; via: ChaseChannel | null; onDate: LocalDate; contact: string | null; loggedBy: number; loggedAt: Instant }): Promise<Chase>;
  /** A question's chases, oldest first (by the day done, then as logged). */
  forQuestion(questionId: number): Promise<Chase[]>;
  /** Summaries of the chased questions among `questionIds`, keyed by question id; unchased ones are absent. */
  summaries(questionIds: readonly number[]): Promise<Map<number, ChaseSummary>>;
  /** Every chase of the docket, oldest first by id. */
  forDocket(docketId: number): Promise<Chase[]>;
}

/** Every write here raises the docket's version in the same statement sequence (see VersionedDocket): run writes in a transaction. */
export interface DeadlineStore {
  get(docketId: number, number: number): Promise<Deadline | undefined>;
  /** Deadlines not removed, by date. */
  list(docketId: number): Promise<Deadline[]>;
  insert(deadline: Omit<Deadline, "id" | "number" | "milestones">): Promise<Deadline>;
  update(docketId: number, number: number, patch: Partial<Pick<Deadline, "title" | "date" | "time" | "timeZone" | "place">>): Promise<Deadline>;
  /** Sets a deadline's milestones, or clears them with null; returns the deadline as it now reads. */
  setMilestones(docketId: number, number: number, milestones: Milestones | null): Promise<Deadline>;
  /** Marks removed; the row stays so history and old questions still name it. */
  remove(docketId: number, number: number, at: Instant): Promise<void>;
}

export type SubscriptionInput = Pick<Subscription, "docketId" | "channel" | "time" | "timeZone" | "days" | "filter"> & { chaseAfter?: number | null };

export interface SubscriptionStore {
  forChannel(channel: ChannelRef): Promise<Subscription | undefined>;
  get(id: number): Promise<Subscription | undefined>;
  /** Creates or replaces this channel's subscription, active and due at the next look. Its delivery ledger is kept. */
  upsert(input: SubscriptionInput, at: Instant): Promise<Subscription>;
  turnOff(id: number, at: Instant): Promise<void>;
  pause(id: number, reason: string, at: Instant): Promise<void>;
  resume(id: number, at: Instant): Promise<void>;
  /** Every active subscription of every docket. */
  active(): Promise<Subscription[]>;
  /**
   * Takes up to `limit` active subscriptions that are due (never looked at, or their `next_slot_at`
   * is at or before `now`) and holds them by moving their `next_slot_at` to `holdUntil`, in one
   * statement: another replica's concurrent call skips them, and if this one dies they come due
   * again once the hold passes. Oldest due first. A short result means nothing more is due.
   */
  takeDue(now: Instant, holdUntil: Instant, limit: number): Promise<Subscription[]>;
  /**
   * When the subscription next needs a look. With `held`, only if its `next_slot_at` is still that
   * hold (so a claimer whose hold another took over, or a subscription changed meanwhile, is left
   * alone); resolves to whether it was written.
   */
  setNextSlot(id: number, at: Instant, held?: Instant): Promise<boolean>;
  forDocket(docketId: number): Promise<Subscription[]>;
  /** Pauses every active subscription of a workspace (the bot left it); returns those paused. */
  pauseWorkspace(platform: Platform, workspaceId: string, reason: string, at: Instant): Promise<Subscription[]>;
}

/** `add` and `remove` raise the docket's version (see VersionedDocket): run them in a transaction. */
export interface AdminStore {
  list(docketId: number): Promise<Array<AdminTarget & { addedBy: string; addedAt: Instant }>>;
  add(docketId: number, target: AdminTarget, addedBy: string, at: Instant): Promise<void>;
  remove(docketId: number, target: Pick<AdminTarget, "kind" | "platform" | "id">): Promise<boolean>;
  /** Whether this user, or one of these roles, is on the docket's own admin list. */
  includes(docketId: number, platform: Platform, userId: string, roleIds: readonly string[]): Promise<boolean>;
}

export interface AuditStore {
  record(event: Omit<AuditEvent, "id">): Promise<void>;
  forSubject(docketId: number, subject: string): Promise<AuditEvent[]>;
  count(docketId?: number): Promise<number>;
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
  catchUp(): Promise<void>;
  /**
   * Full-text search over everything written so far, newest first (by when it was written). The query's phrases are
   * bounded by `parseSearch` (search-query.ts); the store adds no work per term beyond the match.
   */
  search(docketId: number, query: SearchQuery, limit: number): Promise<SearchHit[]>;
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
  chases: Array<Omit<Chase, "loggedBy"> & { loggedBy: number }>;
  subscriptions: Subscription[];
  admins: Array<AdminTarget & { addedBy: string; addedAt: Instant }>;
  audit: AuditEvent[];
  /** The delivery ledger of its subscriptions, so a restored docket does not post a day's digest again. */
  deliveries: Array<Delivery & { parts: DeliveryPart[] }>;
}

export interface SnapshotStore {
  read(docketId: number): Promise<DocketSnapshot>;
  /** Restores a snapshot with its own ids; refuses if that docket id is already taken. */
  restore(snapshot: DocketSnapshot): Promise<void>;
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
  claim(subscriptionId: number, localDate: LocalDate, slotAt: Instant, late: boolean, by: string, at: Instant, leaseUntil: Instant): Promise<Delivery | undefined>;
  /**
   * Keeps the messages a claimed delivery's digest was rendered as, and returns them. Does nothing
   * to a delivery that already has parts: the first rendering is the one every attempt sends.
   */
  saveParts(subscriptionId: number, localDate: LocalDate, bodies: readonly string[]): Promise<PendingPart[]>;
  /** A delivery's parts in order (none before its first attempt rendered the digest). */
  parts(subscriptionId: number, localDate: LocalDate): Promise<PendingPart[]>;
  /**
   * Records, before a part is sent, that its outcome is about to be unknown, and renews the lease.
   * False when `by` no longer holds the claim: the part must not be sent.
   */
  markAttempt(subscriptionId: number, localDate: LocalDate, part: number, by: string, at: Instant, leaseUntil: Instant): Promise<boolean>;
  /** Forgets a part's attempt that the platform refused outright (so it certainly did not land). */
  clearAttempt(subscriptionId: number, localDate: LocalDate, part: number, by: string): Promise<boolean>;
  /**
   * Records that one part went out and renews the lease; the first part's id becomes the delivery's
   * `messageId`. False when `by` no longer holds the claim (nothing is recorded).
   */
  markPartSent(subscriptionId: number, localDate: LocalDate, part: number, messageId: string, by: string, at: Instant, leaseUntil: Instant): Promise<boolean>;
  /** Records a delivery whose every part went out. False when `by` no longer holds the claim. */
  markSent(subscriptionId: number, localDate: LocalDate, by: string, at: Instant): Promise<boolean>;
  /**
   * Records a failed attempt; `retryAt` null means it will not be retried. The parts sent stay
   * recorded. False when `by` no longer holds the claim.
   */
  markFailed(subscriptionId: number, localDate: LocalDate, by: string, error: string, retryAt: Instant | null, at: Instant): Promise<boolean>;
  /** Records a day that went by without a digest; does nothing if the day already has a row. */
  markMissed(subscriptionId: number, localDate: LocalDate, slotAt: Instant, at: Instant): Promise<boolean>;
  get(subscriptionId: number, localDate: LocalDate): Promise<Delivery | undefined>;
  /** The most recent row of a subscription, by local date. */
  latest(subscriptionId: number): Promise<Delivery | undefined>;
  /** The most recent sent digest, whose time bounds "answered since the previous digest". */
  latestSent(subscriptionId: number, before: LocalDate): Promise<Delivery | undefined>;
  /** Rows of a subscription, oldest date first. */
  forSubscription(subscriptionId: number): Promise<Delivery[]>;
}

/** A link code as stored: only the hash of its text is kept, never the code. */
export interface LinkCode {
  docketId: number;
  createdAt: Instant;
  expiresAt: Instant;
  usedAt: Instant | null;
}

export type LinkAttemptOutcome = "wrong" | "expired" | "used";

/** Where one docket's numbers went when its content was carried into another: old number → new, in order. */
export interface NumberMap {
  questions: Array<[number, number]>;
  deadlines: Array<[number, number]>;
}

/**
 * Several workspaces sharing one docket (issue 12): link codes, the failed attempts that limit
 * guessing, and the moves of content and bindings between dockets. Every write here runs inside the
 * caller's transaction, which holds both dockets' locks.
 */
export interface LinkStore {
  /** `createdIn`: the workspace the code was made in, so its codes die with its place in the docket (`unlink`). */
  addCode(code: { hash: string; docketId: number; createdBy: string; createdIn: { platform: Platform; workspaceId: string }; createdAt: Instant; expiresAt: Instant }): Promise<void>;
  findCode(hash: string): Promise<LinkCode | undefined>;
  /** Marks the code used by this workspace if no one used it yet; resolves to whether this call did. */
  useCode(hash: string, by: { platform: Platform; workspaceId: string }, at: Instant): Promise<boolean>;
  /** Marks every unused code of a docket used, so a docket no workspace is bound to any more can never be joined. */
  retireCodes(docketId: number, at: Instant): Promise<void>;
  /** Marks used the unused codes of a docket made in one workspace, which is leaving it: whoever holds one could otherwise still join. */
  retireCodesOf(docketId: number, workspace: { platform: Platform; workspaceId: string }, at: Instant): Promise<void>;
  recordAttempt(attempt: { platform: Platform; workspaceId: string; outcome: LinkAttemptOutcome; at: Instant }): Promise<void>;
  /** When this workspace's failed attempts since `since` were made, oldest first. */
  attemptsSince(platform: Platform, workspaceId: string, since: Instant): Promise<Instant[]>;
  /** Binds an already bound workspace to another docket, as of `at` (workspaces list in the order they were bound). */
  rebind(platform: Platform, externalId: string, docketId: number, at: Instant): Promise<void>;
  /**
   * Copies every question, answer, note, chase, deadline (with milestones), tag, member, admin entry
   * and the questions' and deadlines' history (audit rows of subject Qn or Dn) of docket `from` into
   * `to`, numbered after the highest question and deadline number `to` ever gave (so into an empty
   * docket with the same numbers); needed-by references follow their deadline. `from` is left as it was.
   */
  copyContent(from: number, to: number): Promise<NumberMap>;
  /**
   * Moves digest subscriptions of docket `from` to `to` (only those of one workspace's channels when
   * given), their by: filter renumbered through `deadlines` and dropped when it names a deadline the
   * map lacks. Their ids stay, and with them their delivery ledger. Resolves to how many moved.
   */
  moveSubscriptions(from: number, to: number, deadlines: ReadonlyMap<number, number>, workspace?: { platform: Platform; workspaceId: string }): Promise<number>;
  /**
   * Merges docket `from` (bound to one workspace) into `to`: copies its content (`copyContent`), moves
   * its subscriptions, binds its workspaces to `to` and retires its codes. The `from` row and its
   * rows stay, unbound, so nothing is ever deleted.
   */
  merge(from: number, to: number, at: Instant): Promise<NumberMap>;
}

/**
 * State an adapter keeps for itself (an installation, a hash of registered commands), as opaque
 * text keyed by platform and key. Values may hold secrets: the store encrypts them at rest when
 * given a key, and nothing here logs them.
 */
export interface PlatformStateStore {
  get(platform: Platform, key: string): Promise<string | undefined>;
  set(platform: Platform, key: string, value: string, at: Instant): Promise<void>;
  delete(platform: Platform, key: string): Promise<boolean>;
  /** Keys starting with `prefix`, for listing installations. */
  keys(platform: Platform, prefix: string): Promise<string[]>;
}
