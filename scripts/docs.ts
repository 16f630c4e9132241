/** `npm run docs`: rewrites README's generated sections: the command table and the operator commands. */
import { readFileSync, writeFileSync } from "node:fs";
import { operatorTable } from "../src/cli.ts";
import { commands } from "../src/core/commands/registry.ts";
import { commandTable } from "../src/core/command-table.ts";

let readme = readFileSync("README.md", "utf8");
for (const [name, content] of [["commands", commandTable(commands, "docket")], ["operator", operatorTable()]] as const) {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < 0) throw new Error(`README.md needs the markers ${start} and ${end}`);
  readme = `${readme.slice(0, from + start.length)}\n${content}\n${readme.slice(to)}`;
}
writeFileSync("README.md", readme);
