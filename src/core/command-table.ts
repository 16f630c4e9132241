import { usageOf, type Command } from "./vocabulary.ts";

const who = { anyone: "anyone", admin: "admins", asker: "asker or admin" } as const;
const cell = (text: string) => text.replaceAll("|", "\\|");

/** The README's command table, generated from the declarations so the two cannot drift apart. */
export function commandTable(commands: readonly Command[], root: string): string {
  return [
    "| command | what it does | who | example |",
    "| --- | --- | --- | --- |",
    ...commands.map((c) => `| \`/${root} ${cell(usageOf(c))}\` | ${cell(c.summary)} | ${who[c.permission]} | \`/${root} ${cell(c.examples[0] ?? c.name)}\` |`),
  ].join("\n");
}
