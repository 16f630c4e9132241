/** Domain types of Docket. Every row belongs to exactly one docket; platform ids never key domain data. */

export type Platform = "slack" | "discord" | "console";

/** A calendar date, `YYYY-MM-DD`, meaningful only together with a time zone. */
export type LocalDate = string;
/** A wall-clock time, `HH:MM` (24 h). */
export type LocalTime = string;
/** An instant, ISO-8601 in UTC (`2026-11-29T09:00:00.000Z`). */
export type Instant = string;
/** An IANA time-zone name such as `Europe/London`. */
export type TimeZone = string;

/** What a list shows of a question: enough for its line, read without the rest of the row. */
export type QuestionLine = Pick<Question, "id" | "number" | "text" | "addressee" | "tags" | "status" | "neededBy" | "askedAt"> & { askedBy: Pick<Member, "displayName" | "platform"> };

export interface Docket {
  id: number;
  name: string;
  timeZone: TimeZone;
  createdAt: Instant;
}

export interface Workspace {
  platform: Platform;
  externalId: string;
  name: string;
  docketId: number;
}

export interface Member {
  id: number;
  docketId: number;
  platform: Platform;
  userId: string;
  displayName: string;
}

export const questionStatuses = ["open", "partial", "answered", "withdrawn"] as const;
export type QuestionStatus = (typeof questionStatuses)[number];

/** What a question is needed by: one of the docket's deadlines, or a plain date in the docket's zone. */
export type NeededBy = { kind: "deadline"; deadlineNumber: number } | { kind: "date"; date: LocalDate };

export interface Question {
  id: number;
  docketId: number;
  number: number;
  text: string;
  addressee: string | null;
  tags: string[];
  status: QuestionStatus;
  neededBy: NeededBy | null;
  askedBy: Member;
  askedAt: Instant;
  updatedAt: Instant;
}

export type AnswerKind = "full" | "partial";

export interface Answer {
  id: number;
  questionNumber: number;
  text: string;
  source: string | null;
  kind: AnswerKind;
  loggedBy: Member;
  loggedAt: Instant;
}

export interface Note {
  id: number;
  questionNumber: number;
  text: string;
  author: Member;
  createdAt: Instant;
}

export const chaseChannels = ["email", "letter", "meeting", "call", "other"] as const;
export type ChaseChannel = (typeof chaseChannels)[number];

/** A time the coalition pressed a question's addressee again: what was done, how, on which day, and with whom. */
export interface Chase {
  id: number;
  questionNumber: number;
  text: string;
  via: ChaseChannel | null;
  /** The day it was done, in the docket's zone (logged on that day or later). */
  onDate: LocalDate;
  contact: string | null;
  loggedBy: Member;
  loggedAt: Instant;
}

export interface Deadline {
  id: number;
  docketId: number;
  number: number;
  title: string;
  date: LocalDate;
  time: LocalTime | null;
  timeZone: TimeZone;
  place: string | null;
  createdAt: Instant;
  /** Set only when an admin asked for milestone headlines (`deadline milestones`). */
  milestones?: Milestones;
}

/**
 * Whom a milestone's digest headline mentions: a role (Discord) or user group (Slack) by its id, in
 * the one workspace it belongs to, or `here` (Slack's @here). The only mention Docket ever sends;
 * it is never taken from text a member typed, only from the ping option an admin set.
 */
export interface Ping {
  kind: "role" | "here";
  platform: Platform;
  workspaceId: string;
  /** The role's or user group's id; empty for `here`. */
  id: string;
  /** How replies name it: `@organisers`, `@here`. */
  label: string;
}

/** Milestones of a deadline: the days before it whose digests open with a headline, and the optional ping. */
export interface Milestones {
  /** Whole calendar days before the deadline, in the reader's zone, largest first: [30, 7, 1]. */
  days: number[];
  ping: Ping | null;
}

export const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof weekdays)[number];

export interface DigestFilter {
  tag: string | null;
  addressee: string | null;
  deadlineNumber: number | null;
}

/** Paused: Docket stopped it (channel gone, bot removed). Off: someone turned it off. */
export type SubscriptionState = { kind: "active" } | { kind: "paused"; reason: string; since: Instant } | { kind: "off"; since: Instant };

/** A channel's subscription to the daily digest. */
export interface Subscription {
  id: number;
  docketId: number;
  channel: ChannelRef;
  time: LocalTime;
  timeZone: TimeZone;
  days: Weekday[];
  filter: DigestFilter;
  /** With a number, the digest lists open questions neither asked nor chased for that many days ("Due for a chase"). */
  chaseAfter: number | null;
  state: SubscriptionState;
  /** When it was last turned on or resumed: slots before this are neither posted nor counted missed. */
  activeSince: Instant;
  createdAt: Instant;
}

/** Where a message goes: a channel of one workspace of one platform. */
export interface ChannelRef {
  platform: Platform;
  workspaceId: string;
  channelId: string;
}

export type AdminTarget = { kind: "member" | "role"; platform: Platform; id: string; label: string };

export interface AuditEvent {
  id: number;
  docketId: number;
  actor: string;
  at: Instant;
  action: string;
  subject: string | null;
  before: unknown;
  after: unknown;
}
