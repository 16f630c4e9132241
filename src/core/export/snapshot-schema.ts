import { z } from "zod";
import { UserError } from "../errors.ts";
import type { DocketSnapshot } from "../ports.ts";
import { questionStatuses, weekdays } from "../types.ts";

const platform = z.enum(["slack", "discord", "console"]);
const instant = z.string().datetime({ offset: true });
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const time = z.string().regex(/^\d{2}:\d{2}$/);
const id = z.number().int().positive();
const member = z.object({ id, docketId: id, platform, userId: z.string(), displayName: z.string() });
const neededBy = z.union([z.object({ kind: z.literal("deadline"), deadlineNumber: id }), z.object({ kind: z.literal("date"), date })]).nullable();

/** The shape `export json` writes; `import` refuses anything else before touching the database. */
export const snapshotSchema = z.object({
  format: z.literal("docket"),
  version: z.literal(1),
  docket: z.object({ id, name: z.string(), timeZone: z.string(), createdAt: instant }),
  workspaces: z.array(z.object({ platform, externalId: z.string(), name: z.string(), docketId: id })),
  members: z.array(member),
  deadlines: z.array(
    z.object({ id, docketId: id, number: id, title: z.string(), date, time: time.nullable(), timeZone: z.string(), place: z.string().nullable(), createdAt: instant, removedAt: instant.nullable() }),
  ),
  questions: z.array(
    z.object({
      id, docketId: id, number: id, text: z.string(), addressee: z.string().nullable(), tags: z.array(z.string()), status: z.enum(questionStatuses),
      neededBy, askedBy: id, askedAt: instant, updatedAt: instant,
    }),
  ),
  answers: z.array(z.object({ id, questionNumber: id, text: z.string(), source: z.string().nullable(), kind: z.enum(["full", "partial"]), loggedBy: id, loggedAt: instant })),
  notes: z.array(z.object({ id, questionNumber: id, text: z.string(), author: id, createdAt: instant })),
  subscriptions: z.array(
    z.object({
      id, docketId: id, channel: z.object({ platform, workspaceId: z.string(), channelId: z.string() }), time, timeZone: z.string(), days: z.array(z.enum(weekdays)),
      filter: z.object({ tag: z.string().nullable(), addressee: z.string().nullable(), deadlineNumber: id.nullable() }),
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
}) satisfies z.ZodType<DocketSnapshot>;

export function parseSnapshot(data: unknown): DocketSnapshot {
  const result = snapshotSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new UserError("import.invalid", `This is not a Docket json export: ${issue.path.join(".") || "the file"}: ${issue.message}.`);
  }
  return result.data as DocketSnapshot;
}
