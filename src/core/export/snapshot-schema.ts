import { z } from "zod";
import { canonicalZone } from "../dates/zones.ts";
import { UserError } from "../errors.ts";
import type { DocketSnapshot } from "../ports.ts";
import { chaseChannels, questionStatuses, weekdays } from "../types.ts";

const platform = z.enum(["slack", "discord", "console"]);
const instant = z.string().datetime({ offset: true });
const realDate = (value: string) => {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
};
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine(realDate, "not a calendar date");
const zone = z.string().refine((value) => canonicalZone(value) === value, "not an IANA time zone as Docket writes it");
const tag = z.string().regex(/^[\p{L}\p{N}_][\p{L}\p{M}\p{N}_\-.]*$/u, "not a tag");
const time = z.string().regex(/^\d{2}:\d{2}$/);
const id = z.number().int().positive();
const member = z.object({ id, docketId: id, platform, userId: z.string(), displayName: z.string() });
const ping = z.object({ kind: z.enum(["role", "here"]), platform, workspaceId: z.string(), id: z.string(), label: z.string() });
const milestones = z.object({ days: z.array(z.number().int().min(0).max(366)).min(1), ping: ping.nullable() });
const neededBy = z.union([z.object({ kind: z.literal("deadline"), deadlineNumber: id }), z.object({ kind: z.literal("date"), date })]).nullable();

/** The shape `export json` writes; `import` refuses anything else before touching the database. */
export const snapshotSchema = z.object({
  format: z.literal("docket"),
  version: z.literal(1),
  docket: z.object({ id, name: z.string(), timeZone: zone, createdAt: instant }),
  workspaces: z.array(z.object({ platform, externalId: z.string(), name: z.string(), docketId: id })),
  members: z.array(member),
  deadlines: z.array(
    z.object({
      id, docketId: id, number: id, title: z.string(), date, time: time.nullable(), timeZone: zone, place: z.string().nullable(), createdAt: instant,
      milestones: milestones.optional(), removedAt: instant.nullable(),
    }),
  ),
  questions: z.array(
    z.object({
      id, docketId: id, number: id, text: z.string(), addressee: z.string().nullable(), tags: z.array(tag), status: z.enum(questionStatuses),
      neededBy, askedBy: id, askedAt: instant, updatedAt: instant,
    }),
  ),
  answers: z.array(z.object({ id, questionNumber: id, text: z.string(), source: z.string().nullable(), kind: z.enum(["full", "partial"]), loggedBy: id, loggedAt: instant })),
  notes: z.array(z.object({ id, questionNumber: id, text: z.string(), author: id, createdAt: instant })),
  // why a default: exports written before chases were kept have none.
  chases: z
    .array(z.object({ id, questionNumber: id, text: z.string(), via: z.enum(chaseChannels).nullable(), onDate: date, contact: z.string().nullable(), loggedBy: id, loggedAt: instant }))
    .default([]),
  subscriptions: z.array(
    z.object({
      id, docketId: id, channel: z.object({ platform, workspaceId: z.string(), channelId: z.string() }), time, timeZone: zone, days: z.array(z.enum(weekdays)),
      filter: z.object({ tag: z.string().nullable(), addressee: z.string().nullable(), deadlineNumber: id.nullable() }),
      chaseAfter: z.number().int().positive().nullable().default(null),
      state: z.union([
        z.object({ kind: z.literal("active") }),
        z.object({ kind: z.literal("paused"), reason: z.string(), since: instant }),
        z.object({ kind: z.literal("off"), since: instant }),
      ]),
      activeSince: instant,
      createdAt: instant,
    }),
  ),
  admins: z.array(z.object({ kind: z.enum(["member", "role"]), platform, id: z.string(), label: z.string(), addedBy: z.string(), addedAt: instant })),
  audit: z.array(z.object({ id, docketId: id, actor: z.string(), at: instant, action: z.string(), subject: z.string().nullable(), before: z.unknown(), after: z.unknown() })),
  // why: exports written before the ledger was included have none; they restore with an empty ledger.
  deliveries: z
    .array(
      z
        .object({
          subscriptionId: id, localDate: date, slotAt: instant, state: z.enum(["claimed", "sent", "failed", "missed"]), late: z.boolean(), attempts: z.number().int().min(0),
          retryAt: instant.nullable(), messageId: z.string().nullable(), error: z.string().nullable(), updatedAt: instant,
          parts: z.array(z.object({ part: id, body: z.string().nullable(), messageId: z.string().nullable(), sentAt: instant.nullable() })).default([]),
          /** Written by exports from before the ledger kept the parts themselves. */
          partsSent: z.number().int().min(0).optional(),
        })
        // why: an older export's half-posted digest has no parts to resume from; retrying would post its start twice.
        .transform(({ partsSent, ...d }) => (partsSent && d.parts.length === 0 && d.retryAt !== null ? { ...d, retryAt: null } : d)),
    )
    .default([]),
})
  .superRefine((s, ctx) => {
    // why: restore inserts with foreign keys on; a dangling reference must be refused with a sentence, not a SQLite error.
    const members = new Set(s.members.map((m) => m.id));
    const questions = new Set(s.questions.map((q) => q.number));
    const deadlines = new Set(s.deadlines.map((d) => d.number));
    const problem = (message: string) => ctx.addIssue({ code: "custom", message });
    for (const q of s.questions) {
      if (!members.has(q.askedBy)) problem(`Q${q.number} was asked by member ${q.askedBy}, who is not in the file`);
      if (q.neededBy?.kind === "deadline" && !deadlines.has(q.neededBy.deadlineNumber)) problem(`Q${q.number} is needed by D${q.neededBy.deadlineNumber}, which is not in the file`);
    }
    for (const a of s.answers) {
      if (!questions.has(a.questionNumber)) problem(`an answer is to Q${a.questionNumber}, which is not in the file`);
      if (!members.has(a.loggedBy)) problem(`an answer to Q${a.questionNumber} was logged by member ${a.loggedBy}, who is not in the file`);
    }
    const subscriptions = new Set(s.subscriptions.map((x) => x.id));
    for (const d of s.deliveries) {
      if (!subscriptions.has(d.subscriptionId)) problem(`a digest delivery is for subscription ${d.subscriptionId}, which is not in the file`);
      if (d.parts.some((p, i) => p.part !== i + 1)) problem(`the digest of ${d.localDate} for subscription ${d.subscriptionId} has its parts out of order`);
    }
    for (const c of s.chases) {
      if (!questions.has(c.questionNumber)) problem(`a chase is of Q${c.questionNumber}, which is not in the file`);
      if (!members.has(c.loggedBy)) problem(`a chase of Q${c.questionNumber} was logged by member ${c.loggedBy}, who is not in the file`);
    }
    for (const n of s.notes) {
      if (!questions.has(n.questionNumber)) problem(`a note is on Q${n.questionNumber}, which is not in the file`);
      if (!members.has(n.author)) problem(`a note on Q${n.questionNumber} is by member ${n.author}, who is not in the file`);
    }
  }) satisfies z.ZodType<DocketSnapshot>;

export function parseSnapshot(data: unknown): DocketSnapshot {
  const result = snapshotSchema.safeParse(data, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const got = "input" in issue && (typeof issue.input === "string" || typeof issue.input === "number") ? ` (it says ${JSON.stringify(issue.input)})` : "";
    throw new UserError("import.invalid", `This is not a Docket json export: ${issue.path.join(".") || "the file"}: ${issue.message}${got}.`);
  }
  return result.data as DocketSnapshot;
}
