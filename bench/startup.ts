/**
 * Start-up time and peak resident memory of the real `docket` process, compiled (dist/, through
 * bin/docket.js and its staleness check) against the same sources run through tsx, as Docket ran
 * before it was compiled: `docket help`, and `docket start` with Slack configured against the local
 * fake Slack, timed from spawn to the first 200 from /healthz.
 */
import { spawn } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { ensureBuilt } from "../bin/build.js";
import { startFakeSlack } from "../tests/fakes/slack/fake-slack.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const probe = join(root, "bench/rss-probe.js");

type Variant = "compiled" | "tsx";
const entry: Record<Variant, string[]> = {
  compiled: [join(root, "bin/docket.js")],
  tsx: ["--import", "tsx", join(root, "src/docket.ts")],
};

interface Sample {
  ms: number;
  rssKiB: number;
}

/** Spawns `docket <args>` and resolves with the time until `ready` settles (default: the exit) and its peak RSS. */
async function run(variant: Variant, args: string[], env: Record<string, string>, scratch: string, ready?: (stderr: () => string) => Promise<void>): Promise<Sample> {
  const rssFile = join(scratch, `rss-${variant}-${Math.random().toString(36).slice(2)}`);
  const t = performance.now();
  // why: cwd is the repository, so `--import tsx` resolves, as `npm start` ran it before.
  const child = spawn(process.execPath, ["--import", probe, ...entry[variant], ...args], {
    cwd: root, env: { PATH: process.env.PATH ?? "", HOME: scratch, DOCKET_BENCH_RSS: rssFile, ...env }, stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  let ms: number;
  if (ready) {
    await Promise.race([ready(() => stderr), exited.then((code) => Promise.reject(new Error(`docket ${args.join(" ")} (${variant}) exited ${code}: ${stderr}`)))]);
    ms = performance.now() - t;
    child.kill("SIGTERM");
    await exited;
  } else {
    const code = await exited;
    ms = performance.now() - t;
    if (code !== 0) throw new Error(`docket ${args.join(" ")} (${variant}) exited ${code}: ${stderr}`);
  }
  const rssKiB = Number(readFileSync(rssFile, "utf8").trim().split("\n").pop());
  rmSync(rssFile);
  return { ms, rssKiB };
}

/** Resolves once the started Slack app logged its port and /healthz answered 200 there. */
async function healthy(stderr: () => string): Promise<void> {
  for (;;) {
    const started = stderr().split("\n").map((l) => /"message":"slack adapter started".*"port":(\d+)/.exec(l)?.[1]).find(Boolean);
    if (started) {
      const res = await fetch(`http://127.0.0.1:${started}/healthz`);
      if (res.status === 200) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface StartupFigures {
  what: string;
  before: { ms: number; rssMiB: number };
  compiled: { ms: number; rssMiB: number };
}

/** Measures both variants in alternating rounds (after one warm-up each), medians of `rounds`. */
async function compare(what: string, rounds: number, sample: (v: Variant) => Promise<Sample>): Promise<StartupFigures> {
  const samples: Record<Variant, Sample[]> = { compiled: [], tsx: [] };
  await sample("compiled");
  await sample("tsx");
  for (let i = 0; i < rounds; i++) for (const v of ["tsx", "compiled"] as const) samples[v].push(await sample(v));
  const figure = (v: Variant) => ({ ms: median(samples[v].map((s) => s.ms)), rssMiB: median(samples[v].map((s) => s.rssKiB)) / 1024 });
  return { what, before: figure("tsx"), compiled: figure("compiled") };
}

export async function benchStartup(scratch: string): Promise<StartupFigures[]> {
  // why: the compiled side must not pay for a build inside its first timed run.
  ensureBuilt();
  const help = await compare("`docket help`", 7, (v) => run(v, ["help"], {}, scratch));
  const fake = await startFakeSlack();
  try {
    const env = {
      SLACK_BOT_TOKEN: "xoxb-bench", SLACK_SIGNING_SECRET: "bench-secret", SLACK_API_URL: fake.url, PORT: "0", LOG_LEVEL: "info", DOCKET_DB: join(scratch, "startup.sqlite"),
    };
    const slack = await compare("`docket start`, Slack over HTTP, to the first /healthz", 5, (v) => run(v, ["start"], env, scratch, healthy));
    return [help, slack];
  } finally {
    await fake.close();
  }
}
