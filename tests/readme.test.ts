import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { operatorTable } from "../src/cli.ts";
import { commandTable } from "../src/core/command-table.ts";
import { commands } from "../src/core/commands/registry.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");

describe("README.md", () => {
  it("starts with the two commands a new user runs", () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    expect(firstBlock.split("\n").map((l) => l.split("#")[0]!.trim()).filter(Boolean)).toEqual(["npm install", "npm start", "npm test"]);
  });

  it("has the command table the declarations generate (npm run docs rewrites it)", () => {
    const table = readme.slice(readme.indexOf("<!-- commands:start -->") + "<!-- commands:start -->".length, readme.indexOf("<!-- commands:end -->")).trim();
    expect(table).toBe(commandTable(commands, "docket"));
  });

  it("has the operator commands' table the CLI's declarations generate (npm run docs rewrites it)", () => {
    const table = readme.slice(readme.indexOf("<!-- operator:start -->") + "<!-- operator:start -->".length, readme.indexOf("<!-- operator:end -->")).trim();
    expect(table).toBe(operatorTable());
  });

  it("documents every configuration variable the code reads", () => {
    const config = readFileSync(new URL("../src/config.ts", import.meta.url), "utf8");
    const variables = [...new Set([...config.matchAll(/\b((?:DOCKET|SLACK|DISCORD)_[A-Z_]+|PORT|LOG_LEVEL)\b/g)].map((m) => m[1]!))];
    for (const variable of variables) expect(readme, variable).toContain(`\`${variable}\``);
  });

  it("shows a benchmark table", () => {
    const bench = readme.slice(readme.indexOf("<!-- bench:start -->"), readme.indexOf("<!-- bench:end -->"));
    expect(bench).toContain("| measure | result | ratio to baseline | aim |");
  });
});

describe(".ci/run", () => {
  it("runs exactly the README's install and test commands", () => {
    const script = readFileSync(new URL("../.ci/run", import.meta.url), "utf8");
    const commandsRun = script.split("\n").filter((l) => /^npm /.test(l));
    expect(commandsRun).toEqual(["npm ci --no-audit --no-fund", "npm test"]);
  });
});
