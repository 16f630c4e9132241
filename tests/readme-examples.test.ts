/**
 * The README's examples work as written: the console session under "Trying it in the console" and
 * every example in the command table, each run through the console adapter with its reply checked.
 */
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runLine } from "../adapters/console/console-adapter.ts";
import { replyToText } from "../src/core/api.ts";
import { examplesFixture } from "./support/examples-fixture.ts";
import { harness, type Harness } from "./support/harness.ts";

const readme = readFileSync("README.md", "utf8");

/** The lines the README pipes into `npm start`: the arguments of its `printf '%s\n' …`, as the shell would split them. */
function consoleSession(): string[] {
  const block = /```sh\n(printf '%s\\n'[\s\S]*?\| npm start[^\n]*)\n```/.exec(readme)?.[1];
  if (!block) throw new Error("README has no `printf … | npm start` session");
  const args = block.replace(/\\\n/g, " ").replace(/^printf '%s\\n'/, "").replace(/\|\s*npm start.*$/, "");
  return [...args.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

/** The example column of the README's command table. */
function tableExamples(): string[] {
  const table = /<!-- commands:start -->([\s\S]*?)<!-- commands:end -->/.exec(readme)?.[1] ?? readme;
  return [...table.matchAll(/^\|.*\| `\/docket ([^`]+)` \|$/gm)].map((m) => m[1]!.replaceAll("\\|", "|"));
}

let h: Harness;
beforeEach(() => (h = harness()));
afterEach(() => h.close());

describe("README examples", () => {
  it("the console session runs, each line answered without an error", async () => {
    const lines = consoleSession();
    expect(lines.length).toBeGreaterThanOrEqual(4);
    for (const line of lines) {
      const reply = await runLine(h.core, line);
      expect(reply.error, `${line} → ${replyToText(reply)}`).toBeUndefined();
    }
  });

  const examples = tableExamples();
  it("the command table has an example for every command", () => {
    expect(examples.length).toBe(h.commands.length);
  });

  it.each(examples)("the table's example runs: %s", async (example) => {
    await examplesFixture(h, { platform: "console", workspace: "console", channel: "console", id: "local", displayName: "local" }, "@amina");
    const reply = await runLine(h.core, example);
    expect(reply.error, `${example} → ${replyToText(reply)}`).toBeUndefined();
  });
});
