import type { AdminTarget, Docket, Platform, Workspace } from "../core/types.ts";
import { num, str, type Row } from "./statements.ts";

export const docketOf = (row: Row): Docket => ({ id: num(row, "id"), name: str(row, "name"), timeZone: str(row, "time_zone"), createdAt: str(row, "created_at") });
export const workspaceOf = (row: Row): Workspace => ({
  platform: str(row, "platform") as Platform, externalId: str(row, "external_id"), name: str(row, "name"), docketId: num(row, "docket_id"),
});
export const adminOf = (row: Row) => ({
  kind: str(row, "kind") as AdminTarget["kind"], platform: str(row, "platform") as Platform, id: str(row, "ref_id"), label: str(row, "label"),
  addedBy: str(row, "added_by"), addedAt: str(row, "added_at"),
});
