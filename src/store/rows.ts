import type { Delivery, DeliveryPart, DeliveryState, PendingPart } from "../core/ports.ts";
import type { AdminTarget, Answer, Chase, ChaseChannel, Deadline, Docket, Member, Milestones, NeededBy, Note, Ping, Platform, Question, QuestionLine, QuestionStatus, Subscription, Weekday, Workspace } from "../core/types.ts";
import type { Row } from "./sql.ts";

/** Row readers: the same for both engines, since both return integers as numbers and instants as ISO text. */
export const str = (row: Row, key: string): string => row[key] as string;
export const num = (row: Row, key: string): number => row[key] as number;
export const optStr = (row: Row, key: string): string | null => (row[key] as string | null) ?? null;
export const optNum = (row: Row, key: string): number | null => (row[key] as number | null) ?? null;


export const docketOf = (row: Row): Docket => ({ id: num(row, "id"), name: str(row, "name"), timeZone: str(row, "time_zone"), createdAt: str(row, "created_at") });
export const workspaceOf = (row: Row): Workspace => ({
  platform: str(row, "platform") as Platform, externalId: str(row, "external_id"), name: str(row, "name"), docketId: num(row, "docket_id"),
});
export const adminOf = (row: Row) => ({
  kind: str(row, "kind") as AdminTarget["kind"], platform: str(row, "platform") as Platform, id: str(row, "ref_id"), label: str(row, "label"),
  addedBy: str(row, "added_by"), addedAt: str(row, "added_at"),
});

export const memberColumns = "m.id AS m_id, m.docket_id AS m_docket, m.platform AS m_platform, m.user_id AS m_user, m.display_name AS m_name";

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
  return { ...questionLineOf(row), docketId: num(row, "docket_id"), askedBy: memberOf(row), updatedAt: str(row, "updated_at") };
}

export function questionLineOf(row: Row): QuestionLine {
  const tags = str(row, "tags");
  return {
    id: num(row, "id"),
    number: num(row, "number"),
    text: str(row, "text"),
    addressee: optStr(row, "addressee"),
    tags: tags === "" ? [] : tags.split(" "),
    status: str(row, "status") as QuestionStatus,
    neededBy: neededByOf(row),
    askedBy: { displayName: str(row, "m_name"), platform: str(row, "m_platform") as Platform },
    askedAt: str(row, "asked_at"),
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

export function chaseOf(row: Row): Chase {
  return {
    id: num(row, "id"),
    questionNumber: num(row, "question_number"),
    text: str(row, "text"),
    via: optStr(row, "via") as ChaseChannel | null,
    onDate: str(row, "on_date"),
    contact: optStr(row, "contact"),
    loggedBy: memberOf(row),
    loggedAt: str(row, "logged_at"),
  };
}

export function deadlineOf(row: Row): Deadline {
  return {
    id: num(row, "id"),
    docketId: num(row, "docket_id"),
    number: num(row, "number"),
    title: str(row, "title"),
    date: str(row, "date"),
    time: optStr(row, "time"),
    timeZone: str(row, "time_zone"),
    place: optStr(row, "place"),
    createdAt: str(row, "created_at"),
    ...milestonesOf(row),
  };
}

/** The deadline's milestones, only when set: a deadline without them reads (and exports) as before. */
function milestonesOf(row: Row): { milestones?: Milestones } {
  const days = optStr(row, "milestone_days");
  if (days === null) return {};
  const ping = optStr(row, "milestone_ping");
  return { milestones: { days: days.split(",").map(Number), ping: ping === null ? null : (JSON.parse(ping) as Ping) } };
}

/** The two columns a deadline's milestones are stored in. */
export function milestoneColumns(m: Milestones | null | undefined): { days: string | null; ping: string | null } {
  if (!m) return { days: null, ping: null };
  return { days: m.days.join(","), ping: m.ping === null ? null : JSON.stringify({ kind: m.ping.kind, platform: m.ping.platform, workspaceId: m.ping.workspaceId, id: m.ping.id, label: m.ping.label }) };
}

export function subscriptionOf(row: Row): Subscription {
  const state = str(row, "state");
  return {
    id: num(row, "id"),
    docketId: num(row, "docket_id"),
    channel: { platform: str(row, "platform") as Platform, workspaceId: str(row, "workspace_id"), channelId: str(row, "channel_id") },
    time: str(row, "time"),
    timeZone: str(row, "time_zone"),
    days: str(row, "days").split(",").filter(Boolean) as Weekday[],
    filter: { tag: optStr(row, "filter_tag"), addressee: optStr(row, "filter_addressee"), deadlineNumber: optNum(row, "filter_deadline") },
    chaseAfter: optNum(row, "chase_after"),
    state:
      state === "paused" ? { kind: "paused", reason: str(row, "state_reason"), since: str(row, "state_since") }
      : state === "off" ? { kind: "off", since: str(row, "state_since") }
      : { kind: "active" },
    activeSince: str(row, "active_since"),
    createdAt: str(row, "created_at"),
  };
}

export const deliveryOf = (row: Row): Delivery => ({
  subscriptionId: num(row, "subscription_id"),
  localDate: str(row, "local_date"),
  slotAt: str(row, "slot_at"),
  state: str(row, "state") as DeliveryState,
  late: num(row, "late") === 1,
  attempts: num(row, "attempts"),
  retryAt: optStr(row, "retry_at"),
  messageId: optStr(row, "message_id"),
  error: optStr(row, "error"),
  updatedAt: str(row, "updated_at"),
});

export const deliveryPartOf = (row: Row): DeliveryPart => ({
  part: num(row, "part"),
  body: optStr(row, "body"),
  messageId: optStr(row, "message_id"),
  sentAt: optStr(row, "sent_at"),
});

export const pendingPartOf = (row: Row): PendingPart => ({ ...deliveryPartOf(row), attemptedAt: optStr(row, "attempted_at") });

