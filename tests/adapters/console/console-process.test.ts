import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tempDir } from "../../support/harness.ts";
import { docketBin, runDocket, type Run } from "../../support/run-docket.ts";
import { TerminalModel } from "./terminal-model.ts";

// The console as `npm start` runs it: the real `docket start` process (bin/docket.js, compiled
// dist/), piped as a script runs it, and in a pseudo-terminal (util-linux `script`) as a person
// runs it. A clean environment, so no Slack or Discord variables make it connect anywhere.

const bin = docketBin;
const temp = tempDir();
afterAll(() => temp.cleanup());
let databases = 0;
const ownDatabase = (extra: Record<string, string> = {}) => ({ DOCKET_DB: join(temp.dir, `process-${++databases}.sqlite`), ...extra });
const env = (extra: Record<string, string> = {}) => ({ PATH: process.env.PATH ?? "", HOME: temp.dir, ...ownDatabase(extra) });
const stackTrace = /\n\s+at |EPIPE|Error:/;

function piped(lines: readonly string[], extra: Record<string, string> = {}): Promise<Run> {
  return runDocket(["start"], { cwd: temp.dir, env: ownDatabase(extra), input: lines.map((l) => `${l}\n`).join("") });
}

describe.concurrent("docket start, piped", { timeout: 60_000 }, () => {
  it("a clean session: replies only on stdout, nothing on stderr (no \"database migrated\" line), exit 0", async () => {
    const run = await piped(["ask Who chairs WG1?", "list"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Added Q1");
    expect(run.stdout).not.toContain('{"level"');
    expect(run.stderr).toBe("");
  });

  it("a command answered with an error makes the session exit 1, after answering every line", async () => {
    const run = await piped(["answer Q99 x", "ask Who chairs WG1?"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("There is no Q99");
    expect(run.stdout).toContain("Added Q1");
    expect(run.stderr).toBe("");
  });

  it("LOG_LEVEL=info asks for the routine lines again, on stderr only", async () => {
    const run = await piped(["list"], { LOG_LEVEL: "info" });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^\{"level":"info".*"message":"database migrated"/);
    expect(run.stdout).not.toContain('{"level"');
  });

  it("a reader that stops early (`| head`) ends the console quietly: no EPIPE, no stack trace", async () => {
    const run = await new Promise<Run>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, "start"], { cwd: temp.dir, env: env(), stdio: ["pipe", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      // why: like `head -1`, read the first piece of the conversation and close the pipe.
      child.stdout.once("data", () => child.stdout.destroy());
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout: "", stderr }));
      child.stdin.on("error", () => undefined);
      child.stdin.end("help\n".repeat(2000));
    });
    expect(run.stderr).not.toMatch(stackTrace);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
  });
});

const hasScript = spawnSync("script", ["--version"]).status === 0;

/** `docket start` in a pseudo-terminal: keys in, and what the terminal shows. */
function inTerminal(extra: Record<string, string> = {}) {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const child = spawn("script", ["-qfec", `${quote(process.execPath)} ${quote(bin)} start`, "/dev/null"], { cwd: temp.dir, env: { ...env(extra), TERM: "xterm" }, stdio: ["pipe", "pipe", "pipe"] });
  const screen = new TerminalModel();
  let raw = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    raw += chunk;
    screen.write(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const shown = () => screen.lines().join("\n");
  const until = async (ready: () => boolean) => {
    for (let i = 0; i < 1500 && !ready(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    if (!ready()) throw new Error(`gave up waiting; the terminal shows:\n${shown()}`);
  };
  return {
    screen, shown, exited, raw: () => raw,
    prompt: () => until(() => screen.current() === "docket>"),
    press: async (keys: string, expected: string) => {
      child.stdin.write(keys);
      await until(() => shown().includes(expected));
    },
    type: (keys: string) => child.stdin.write(keys),
    close: () => child.stdin.end(),
  };
}

describe.skipIf(!hasScript).concurrent("docket start in a terminal", { timeout: 60_000 }, () => {
  it("starts with the greeting and the prompt, no log line, and `exit` leaves with 0", async () => {
    const t = inTerminal();
    await t.prompt();
    expect(t.screen.lines()).toEqual(["Docket console. Type help for the commands, exit or Ctrl-D to leave.", "docket>"]);
    await t.press("list\r", "No open questions");
    await t.prompt();
    t.type("exit\r");
    expect(await t.exited).toBe(0);
    t.close();
    expect(t.raw()).not.toContain('{"level"');
    expect(t.shown()).not.toMatch(/Did you mean/);
  });

  it("Ctrl-D leaves with 0, the shell's prompt on a line of its own", async () => {
    const t = inTerminal();
    await t.prompt();
    t.type("\x04");
    expect(await t.exited).toBe(0);
    t.close();
    expect(t.screen.current()).toBe("");
  });

  it("Ctrl-C drops a half-typed line and the prompt comes back; two on an empty prompt leave with 0", async () => {
    const t = inTerminal();
    await t.prompt();
    await t.press("ask Half a tho", "ask Half a tho");
    await t.press("\x03", "ask Half a tho^C");
    await t.prompt();
    await t.press("\x03", "To leave, type exit or press Ctrl-D, or press Ctrl-C again.");
    await t.prompt();
    t.type("\x03");
    expect(await t.exited).toBe(0);
    t.close();
    expect(t.shown()).not.toContain("Added Q1");
  });
});
