import type { DocketSnapshot } from "../ports.ts";
import type { ReplyFile } from "../reply.ts";
import { toCsv } from "./csv.ts";
import { toIcs } from "./ics.ts";
import { toMarkdown } from "./markdown.ts";

export const exportFormats = ["md", "csv", "json", "ics"] as const;
export type ExportFormat = (typeof exportFormats)[number];

const mimeTypes: Record<ExportFormat, string> = { md: "text/markdown", csv: "text/csv", json: "application/json", ics: "text/calendar" };

/** The docket as a file in one of the export formats. */
export function exportFile(snapshot: DocketSnapshot, format: ExportFormat, now: Date): ReplyFile {
  const slug = snapshot.docket.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "docket";
  const date = now.toISOString().slice(0, 10);
  const content =
    format === "md" ? toMarkdown(snapshot, now) : format === "csv" ? toCsv(snapshot, now) : format === "ics" ? toIcs(snapshot, now) : `${JSON.stringify(snapshot, null, 2)}\n`;
  return { name: `${slug}-${date}.${format}`, mimeType: mimeTypes[format], content };
}
