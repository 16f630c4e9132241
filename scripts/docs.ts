/** `npm run docs`: rewrites README's command table from the vocabulary. */
import { readFileSync, writeFileSync } from "node:fs";
import { commands } from "../src/core/commands/registry.ts";
import { commandTable } from "../src/core/command-table.ts";

const start = "<!-- commands:start -->";
const end = "<!-- commands:end -->";
const readme = readFileSync("README.md", "utf8");
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from < 0 || to < 0) throw new Error(`README.md needs the markers ${start} and ${end}`);
writeFileSync("README.md", `${readme.slice(0, from + start.length)}\n${commandTable(commands, "docket")}\n${readme.slice(to)}`);
