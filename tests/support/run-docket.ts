import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The `docket` command as an operator runs it: `node bin/docket.js` (the compiled dist/). */
export const docketBin = fileURLToPath(new URL("../../bin/docket.js", import.meta.url));

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `docket <args>` to its end in `cwd`, `input` on its standard input, in a clean environment
 * (PATH, HOME = cwd, and `env`) so a developer's SLACK_ or DISCORD_ variables cannot make `start`
 * connect anywhere. `prefix` runs it under another command (setpriv).
 */
export function runDocket(args: readonly string[], options: { cwd: string; env?: Record<string, string>; input?: string; prefix?: readonly string[] }): Promise<Run> {
  return new Promise((resolve, reject) => {
    const [command, ...rest] = [...(options.prefix ?? []), process.execPath, docketBin, ...args] as [string, ...string[]];
    const child = spawn(command, rest, { cwd: options.cwd, env: { PATH: process.env.PATH ?? "", HOME: options.cwd, ...options.env }, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** A `docket start` left running, for tests that kill it: its process, everything it wrote so far, and its exit. */
export interface Started {
  child: ChildProcess;
  output(): string;
  exited: Promise<void>;
}

/** Starts `docket start` in `cwd` with a clean environment plus `env` (errors only logged), standard input piped or ignored. */
export function startDocket(cwd: string, env: Record<string, string>, stdin: "pipe" | "ignore" = "ignore"): Started {
  const child = spawn(process.execPath, [docketBin, "start"], { cwd, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "error", ...env }, stdio: [stdin, "pipe", "pipe"] });
  let output = "";
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (output += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => (output += d));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  return { child, output: () => output, exited };
}
