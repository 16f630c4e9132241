import { existsSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { Config } from "../../../src/config.ts";
import { FixedClock } from "../../../src/core/clock.ts";
import { createLogger, createLogOutput, silentLogger } from "../../../src/log.ts";
import { start, type Running } from "../../../src/main.ts";
import { tempDir } from "../../support/harness.ts";
import { TerminalModel } from "./terminal-model.ts";

// The console as a person at a terminal meets it: keys in, and what the screen shows. The streams
// are the test's (the input claims to be a TTY, so the console is interactive); standard output
// and standard error are one terminal, as they are for someone who ran `npm start`.

const running: Running[] = [];
const temp = tempDir();
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

const config = (db: string): Config => ({ db, timeZone: "UTC", commandName: "docket", port: 0, logLevel: "debug" });
let databases = 0;
const freshDb = () => join(temp.dir, `terminal-${++databases}.sqlite`);

/** Waits (polling, never asserting on time) until `ready` holds, failing with what the screen shows. */
async function until(ready: () => boolean, describe: () => string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`gave up waiting; the screen shows:\n${describe()}`);
}

async function terminal(options: { clock?: FixedClock; directory?: string } = {}) {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = new PassThrough();
  const screen = new TerminalModel();
  output.on("data", (chunk: Buffer) => screen.write(chunk.toString()));
  // why: until the console starts, log lines go to standard error, the same terminal.
  const logOutput = createLogOutput((line) => void output.write(`${line}\n`));
  const r = await start({
    config: config(freshDb()), log: createLogger("debug", (line) => logOutput.write(line)), logOutput, errors: output,
    clock: options.clock ?? new FixedClock("2026-12-01T08:00:00Z"), input, output, directory: options.directory ?? temp.dir,
  });
  running.push(r);
  let exitCode: number | undefined;
  void r.done.then((code) => (exitCode = code));
  const shown = () => screen.lines().join("\n");
  const prompt = async () => until(() => screen.current() === "docket>", shown);
  await prompt();
  // why: start-up logs ("database migrated") come before the console; the stories start at its greeting.
  const greeting = screen.lines().findIndex((l) => l.startsWith("Docket console."));
  if (greeting > 0) screen.dropTop(greeting);
  return {
    r, screen, shown, prompt,
    exited: () => exitCode,
    /** Types keys without Enter. */
    keys: async (keys: string) => {
      input.write(keys);
      await until(() => screen.current().endsWith(keys.replace(/[\x00-\x1f]/g, "").slice(-5)), shown);
    },
    /** Presses keys and waits until the screen shows `expected`. */
    press: async (keys: string, expected: string | (() => boolean)) => {
      input.write(keys);
      await until(typeof expected === "string" ? () => shown().includes(expected) : expected, shown);
    },
  };
}

describe("the console in a terminal", () => {
  it("a digest that fires while the user is typing is printed above the prompt, which comes back with the half-typed line", async () => {
    const clock = new FixedClock("2026-12-01T08:58:00Z");
    const t = await terminal({ clock });
    await t.press("ask Who chairs WG1?\r", "Added Q1");
    await t.press("digest on 09:00 tz:UTC\r", "Digest on in this channel");
    await t.prompt();
    await t.keys("ask Can observers");

    clock.set("2026-12-01T09:00:00Z");
    await t.r.delivery.tick();
    await until(() => t.shown().includes('"message":"digest sent"'), t.shown);

    const lines = t.screen.lines();
    const digest = lines.findIndex((l) => l.startsWith("Docket digest · Tuesday 1 December 2026"));
    expect(digest).toBeGreaterThan(0);
    expect(lines[digest - 1]).not.toMatch(/docket>\s*\S/);
    // The log line is a line of its own, not glued to the prompt or the digest.
    expect(lines.find((l) => l.includes('"digest sent"'))).toMatch(/^\{"level":"info"/);
    expect(lines.at(-1)).toBe("docket> ask Can observers");
    expect(lines.filter((l) => l === "docket> ask Can observers")).toHaveLength(1);

    // What was typed before the digest is still in the line being edited.
    await t.press(" speak?\r", "Added Q2");
    expect(t.shown()).toMatch(/Added Q2\n\s*Can observers speak\?/);
  });

  it("Ctrl-C drops a half-typed line like a shell: it stays on screen marked ^C, and a fresh prompt follows", async () => {
    const t = await terminal();
    await t.keys("ask Half a thou");
    await t.press("\x03", () => t.screen.current() === "docket>");
    expect(t.screen.lines().slice(-2)).toEqual(["docket> ask Half a thou^C", "docket>"]);
    await t.press("list\r", "No open questions");
    expect(t.shown()).not.toContain("Added Q1");
    expect(t.exited()).toBeUndefined();
  });

  it("Ctrl-C on an empty prompt says how to leave; a second Ctrl-C leaves", async () => {
    const t = await terminal();
    await t.press("\x03", "To leave, type exit or press Ctrl-D, or press Ctrl-C again.");
    await t.prompt();
    expect(t.exited()).toBeUndefined();
    await t.press("\x03", () => t.exited() !== undefined);
    expect(t.exited()).toBe(0);
  });

  it("a key between two Ctrl-Cs disarms the second: it only warns again", async () => {
    const t = await terminal();
    await t.press("\x03", "To leave");
    await t.keys("x");
    await t.press("\x7f", () => t.screen.current() === "docket>");
    await t.press("\x03", () => t.shown().split("To leave").length === 3);
    expect(t.exited()).toBeUndefined();
  });

  it.each([["exit"], ["quit"], ["/docket exit"], ["QUIT"]])("%s leaves the console, exit code 0, without asking the core", async (word) => {
    const t = await terminal();
    await t.press(`${word}\r`, () => t.exited() !== undefined);
    expect(t.exited()).toBe(0);
    expect(t.shown()).not.toMatch(/Did you mean|There is no command/);
  });

  it("Ctrl-D on an empty prompt leaves, exit code 0", async () => {
    const t = await terminal();
    await t.press("\x04", () => t.exited() !== undefined);
    expect(t.exited()).toBe(0);
  });

  it("an export into a directory that cannot be written says so in a sentence, no stack trace", async () => {
    const missing = join(temp.dir, "no-such-directory");
    const t = await terminal({ directory: missing });
    await t.press("ask Who chairs WG1?\r", "Added Q1");
    await t.press("export csv\r", "Could not write");
    expect(t.shown()).toContain(`Could not write ${join(missing, "console-2026-12-01.csv")} (the directory does not exist)`);
    expect(t.shown()).not.toMatch(/\n\s+at /);
    expect(existsSync(missing)).toBe(false);
    await t.prompt();
  });

  it("the greeting, then the prompt", async () => {
    const t = await terminal();
    expect(t.screen.lines()).toEqual(["Docket console. Type help for the commands, exit or Ctrl-D to leave.", "docket>"]);
  });
});

describe("the console with piped input", () => {
  async function piped(lines: string[]) {
    const input = new PassThrough();
    const output = new PassThrough();
    let printed = "";
    output.on("data", (chunk: Buffer) => (printed += chunk.toString()));
    const r = await start({ config: config(freshDb()), log: silentLogger, input, output, directory: temp.dir });
    running.push(r);
    input.end(lines.map((l) => `${l}\n`).join(""));
    const code = await r.done;
    return { code, printed };
  }

  it("ends with 0 when every command was answered", async () => {
    expect((await piped(["ask Who chairs WG1?", "list"])).code).toBe(0);
  });

  it("ends with 1 when a command was answered with an error, after answering the rest", async () => {
    const run = await piped(["answer Q99 x", "ask Who chairs WG1?"]);
    expect(run.code).toBe(1);
    expect(run.printed).toContain("There is no Q99");
    expect(run.printed).toContain("Added Q1");
  });

  it("exit stops reading: the lines after it are not run", async () => {
    const run = await piped(["ask Who chairs WG1?", "exit", "ask Never asked?"]);
    expect(run.code).toBe(0);
    expect(run.printed).toContain("Added Q1");
    expect(run.printed).not.toContain("Never asked");
  });
});
