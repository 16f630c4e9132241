/**
 * `npm run bench -- --side-by-side`: Docket's Slack HTTP path against the smallest Bolt app that
 * answers `/docket` (bench/bare-bolt.js), in one run on one machine, each a child process run by
 * plain node and measured alone. Signed `help`, `list` (a docket of a few hundred questions) and
 * `note` at saturation, `list` at a steady rate for the ack's p99, and resident memory after.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { ensureBuilt } from "../bin/build.js";
import { startFakeSlack } from "../tests/fakes/slack/fake-slack.ts";
import { buildSlashCommand, encodeForm } from "../tests/fakes/slack/signed-request.ts";
import { freePort } from "../tests/support/free-port.ts";
import { describeAllocations, describeWhere, whatIsAllocated, whereTimeGoes } from "./profile-summary.ts";
import { createClient, median, rssMiB, saturate, spread, type Saturation, type Shot, type Spread, type Target } from "./load.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const secret = "bench-signing-secret";

export interface SideBySideOptions {
  scratch: string;
  /** Rounds of every measure, bare and Docket back to back in each (default 1); medians are reported. */
  rounds?: number;
  /** Saturation: warm-up and measured time per command and process (default 5 s and 10 s). */
  warmMs?: number;
  ms?: number;
  connections?: number;
  /** Extra node flags for Docket's process and the baseline's (to try --max-semi-space-size and the like). */
  docketNodeFlags?: string[];
  bareNodeFlags?: string[];
  /** Arguments to bench/bare-bolt.js (--docket-listeners). */
  bareArgs?: string[];
  /** Only these commands (default all three). */
  commands?: Command[];
  /** Skip the steady-rate p99 runs. */
  noSpread?: boolean;
  /** Questions in the docket `list` reads (default 300). */
  questions?: number;
  progress?: (what: string) => void;
  /**
   * Instead of the bare app, a second Docket as the baseline, started from this entry (say, a copy of
   * dist/src/docket.js built before a change) with bareNodeFlags: an A/B test of a change or a flag.
   */
  against?: string;
  /** Profile each measured saturation window of both processes (bench/probe.js) into this directory, and say where the time went. */
  profileDir?: string;
}

export interface Child {
  child: ChildProcess;
  port: number;
  log: string;
  stop(): Promise<void>;
}

/** Spawns `node <args>` with `env`, its output into a file (never a pipe the bench must drain), and waits for `ready`. */
export async function spawnChild(name: string, args: string[], env: Record<string, string>, scratch: string, ready: (port: number) => Promise<boolean>): Promise<Child> {
  const port = await freePort();
  const log = join(scratch, `${name}.log`);
  const fd = openSync(log, "w");
  const child = spawn(process.execPath, args, { cwd: scratch, env: { PATH: process.env.PATH ?? "", HOME: scratch, PORT: String(port), ...env }, stdio: ["ignore", fd, fd] });
  closeSync(fd);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited ${child.exitCode}: ${readFileSync(log, "utf8")}`);
    if (await ready(port).catch(() => false)) break;
    if (i > 600) throw new Error(`${name} never became ready: ${readFileSync(log, "utf8")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    child, port, log,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Signed slash commands typing `text`, each one distinct (Docket refuses an exact repeat as a replay). */
export function slashCommands(text: string, responseUrl: string): () => Shot {
  const [head, tail] = encodeForm({ ...buildSlashCommand({ text, response_url: responseUrl, trigger_id: "TRIGGER" }) }).split("TRIGGER") as [string, string];
  const tag = `${process.pid}.${Math.random().toString(36).slice(2, 10)}`;
  let n = 0;
  let ts = "";
  let tsAt = 0;
  return () => {
    const now = Date.now();
    // why: a timestamp is good for 5 minutes; re-reading it once a second keeps it fresh at no cost.
    if (now - tsAt > 1000) {
      ts = String(Math.floor(now / 1000));
      tsAt = now;
    }
    const body = `${head}${++n}.${tag}${tail}`;
    const signature = `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;
    return { body, headers: { "content-type": "application/x-www-form-urlencoded", "x-slack-signature": signature, "x-slack-request-timestamp": ts } };
  };
}

const healthz = async (port: number) => (await fetch(`http://127.0.0.1:${port}/healthz`)).status === 200;
const listening = (log: string) => async () => readFileSync(log, "utf8").includes("bare bolt listening");

export interface Pair<T> {
  bare: T;
  docket: T;
}

export interface SideBySideFigures {
  saturation: Record<Command, Pair<Saturation[]>>;
  spread: Pair<Spread[]>;
  rss: Pair<number>;
}

/** Runs the Slack comparison; the figures of every round. */
export async function benchSlackSideBySide(o: SideBySideOptions): Promise<SideBySideFigures> {
  const progress = o.progress ?? (() => {});
  const sat = { connections: o.connections ?? 16, warmMs: o.warmMs ?? 5000, ms: o.ms ?? 10_000 };
  ensureBuilt();
  const fake = await startFakeSlack();
  const children: Child[] = [];
  const client = createClient(sat.connections);
  try {
    const probe = o.profileDir ? ["--import", join(root, "bench/probe.js")] : [];
    const env = { SLACK_BOT_TOKEN: "xoxb-bench", SLACK_SIGNING_SECRET: secret, SLACK_API_URL: fake.url, ...(o.profileDir ? { DOCKET_BENCH_PROBE_DIR: o.profileDir } : {}) };
    const bareLog = join(o.scratch, "bare-bolt.log");
    const bare = o.against
      ? await spawnChild("baseline-docket", [...probe, ...(o.bareNodeFlags ?? []), o.against, "start"], { ...env, DOCKET_DB: join(o.scratch, "baseline.sqlite") }, o.scratch, healthz)
      : await spawnChild("bare-bolt", [...probe, ...(o.bareNodeFlags ?? []), join(root, "bench/bare-bolt.js"), ...(o.bareArgs ?? [])], env, o.scratch, listening(bareLog));
    children.push(bare);
    const docket = await spawnChild("docket", [...probe, ...(o.docketNodeFlags ?? []), join(root, "bin/docket.js"), "start"], { ...env, DOCKET_DB: join(o.scratch, "side-by-side.sqlite") }, o.scratch, healthz);
    children.push(docket);
    const targets: Pair<Target> = {
      bare: { name: o.against ? "baseline Docket" : "bare Bolt", port: bare.port, path: "/slack/events", pid: bare.child.pid! },
      docket: { name: "Docket", port: docket.port, path: "/slack/events", pid: docket.child.pid! },
    };
    const responseUrl = fake.responseUrl("side-by-side");

    // A docket of a few hundred questions, asked through Docket's own front door.
    const questions = o.questions ?? 300;
    const dockets = o.against ? [targets.bare, targets.docket] : [targets.docket];
    let asked = 0;
    const seeder = async () => {
      while (asked < questions * dockets.length) {
        const n = asked++;
        const i = (n % questions) + 1;
        const r = await client.send(dockets[Math.floor(n / questions)]!, slashCommands(`ask Question ${i}: what does membership category ${i % 17} cost? to:ITU`, responseUrl)(), true);
        if (r.status !== 200 || !r.body.includes(`Q`)) throw new Error(`seeding answered ${r.status}: ${r.body.slice(0, 200)}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, seeder));
    progress(`side by side: docket seeded with ${questions} questions`);

    const texts = { help: "help", list: "list", note: "note Q1 Heard again at the 9 Oct briefing; they promised a reply by Friday" } as const;
    // why: a refusal acks 200 too; one look at each of Docket's answers shows it did the work.
    const expect = { help: /list/, list: /Q1\b/, note: /Noted on Q1/ } as const;
    for (const cmd of ["help", "list", "note"] as const) {
      for (const d of dockets) {
        const r = await client.send(d, slashCommands(texts[cmd], responseUrl)(), true);
        if (r.status !== 200 || !expect[cmd].test(r.body)) throw new Error(`${d.name}'s ${cmd} answered ${r.status}: ${r.body.slice(0, 300)}`);
      }
    }

    return await measurePair(client, targets, (cmd) => slashCommands(texts[cmd], responseUrl), o);
  } finally {
    client.close();
    for (const c of children.reverse()) await c.stop();
    await fake.close();
  }
}

export type Command = "help" | "list" | "note";

/**
 * The measures of one pair, bare app and Docket back to back: each command at saturation, `list` at
 * 200 req/s, in `rounds` rounds, then both processes' resident memory. `shots(cmd)` makes a fresh
 * source of signed requests for one run.
 */
export async function measurePair(client: ReturnType<typeof createClient>, targets: Pair<Target>, shots: (cmd: Command) => () => Shot, o: SideBySideOptions): Promise<SideBySideFigures> {
  const progress = o.progress ?? (() => {});
  const sat = { connections: o.connections ?? 16, warmMs: o.warmMs ?? 5000, ms: o.ms ?? 10_000 };
  const figures: SideBySideFigures = {
    saturation: { help: { bare: [], docket: [] }, list: { bare: [], docket: [] }, note: { bare: [], docket: [] } },
    spread: { bare: [], docket: [] },
    rss: { bare: 0, docket: 0 },
  };
  // why: a fresh process grows its heap and compiles its hot paths first; neither belongs in the first figure.
  for (const who of ["bare", "docket"] as const) await saturate(client, targets[who], shots("help"), { ...sat, ms: 1 });
  const profiles = { bare: 0, docket: 0 };
  for (let round = 0; round < (o.rounds ?? 1); round++) {
    for (const cmd of o.commands ?? (["help", "list", "note"] as const)) {
      for (const who of ["bare", "docket"] as const) {
        const pid = targets[who].pid;
        const signal = () => process.kill(pid, "SIGUSR2");
        const r = await saturate(client, targets[who], shots(cmd), { ...sat, ...(o.profileDir ? { around: { start: signal, end: signal } } : {}) });
        figures.saturation[cmd][who].push(r);
        progress(`side by side, round ${round + 1}: ${cmd} ${targets[who].name}: ${r.requestsPerSecond.toFixed(0)} req/s, ${r.cpuMicros.toFixed(0)} µs CPU/req${r.failures ? `, ${r.failures} failed` : ""}`);
        if (o.profileDir) {
          const n = (profiles[who] += 1);
          const file = join(o.profileDir, `${pid}-${n}`);
          for (let i = 0; i < 100 && !existsSync(`${file}.json`); i++) await new Promise((resolve) => setTimeout(resolve, 50));
          const stats = JSON.parse(readFileSync(`${file}.json`, "utf8")) as { gc: Record<string, { count: number; ms: number }>; heapUsed: number };
          const requests = r.requestsPerSecond * sat.ms / 1000;
          const gc = Object.entries(stats.gc).map(([k, v]) => `${k} ${v.count} (${((v.ms * 1000) / requests).toFixed(1)} µs/req)`).join(", ");
          progress(`  profile ${file}.cpuprofile; heap used ${(stats.heapUsed / 2 ** 20).toFixed(1)} MiB; GC: ${gc}\n${describeWhere(whereTimeGoes(`${file}.cpuprofile`, requests))}\n${describeAllocations(whatIsAllocated(`${file}.heapprofile`, requests))}`);
        }
      }
    }
    for (const who of o.noSpread ? [] : (["bare", "docket"] as const)) {
      const r = await spread(client, targets[who], shots("list"), { rate: 200, warmMs: 2000, ms: 10_000 });
      figures.spread[who].push(r);
      progress(`side by side, round ${round + 1}: list at 200 req/s ${targets[who].name}: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms${r.failures ? `, ${r.failures} failed` : ""}`);
    }
  }
  figures.rss = { bare: rssMiB(targets.bare.pid), docket: rssMiB(targets.docket.pid) };
  progress(`side by side: RSS ${targets.bare.name} ${figures.rss.bare.toFixed(1)} MiB, ${targets.docket.name} ${figures.rss.docket.toFixed(1)} MiB`);
  return figures;
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** A range "min–max" of per-round values, when there is more than one round. */
const range = (xs: number[], digits: number) => (xs.length > 1 ? ` (${fmt(Math.min(...xs), digits)}–${fmt(Math.max(...xs), digits)})` : "");

/** The bench table's rows: medians over rounds, ratios Docket/bare per round and their median. */
export function sideBySideRows(f: SideBySideFigures, label: string, aims: Record<"help" | "list" | "note" | "p99" | "rss", string>): string[][] {
  const rows: string[][] = [];
  for (const cmd of ["help", "list", "note"] as const) {
    const { bare, docket } = f.saturation[cmd];
    if (bare.length === 0) continue;
    const rps = (xs: Saturation[]) => median(xs.map((x) => x.requestsPerSecond));
    const cpu = (xs: Saturation[]) => median(xs.map((x) => x.cpuMicros));
    const ratios = docket.map((d, i) => d.requestsPerSecond / bare[i]!.requestsPerSecond);
    rows.push([`${label} \`${cmd}\` at saturation (16 connections): bare app, baseline`, `${fmt(rps(bare))} req/s, ${fmt(cpu(bare))} µs CPU/req`, "1.00", "—"]);
    // why the CPU ratio too: on a busy machine requests/s swing with the neighbours' load, CPU per request much less.
    const cpuRatios = docket.map((d, i) => d.cpuMicros / bare[i]!.cpuMicros);
    rows.push([`${label} \`${cmd}\` at saturation: Docket`, `${fmt(rps(docket))} req/s, ${fmt(cpu(docket))} µs CPU/req (${fmt(median(cpuRatios), 2)}× the bare app's${range(cpuRatios, 2)})`, `${fmt(median(ratios), 2)}${range(ratios, 2)}`, aims[cmd]]);
  }
  const p99 = (xs: Spread[]) => median(xs.map((x) => x.p99));
  const p99Ratios = f.spread.docket.map((d, i) => d.p99 / f.spread.bare[i]!.p99);
  if (p99Ratios.length > 0) {
    rows.push([`${label} \`list\` at 200 req/s spread over each second, ack p99: bare app, baseline`, `${fmt(p99(f.spread.bare), 2)} ms`, "1.00", "—"]);
    rows.push([`${label} \`list\` at 200 req/s, ack p99: Docket`, `${fmt(p99(f.spread.docket), 2)} ms`, `${fmt(median(p99Ratios), 2)}${range(p99Ratios, 2)}`, aims.p99]);
  }
  rows.push([`${label} resident memory after the runs: bare app, baseline`, `${fmt(f.rss.bare, 1)} MiB`, "1.00", "—"]);
  rows.push([`${label} resident memory after the runs: Docket`, `${fmt(f.rss.docket, 1)} MiB`, fmt(f.rss.docket / f.rss.bare, 2), aims.rss]);
  return rows;
}

/** Timing of the bench's own request building, so a reader can see the generator is not the bottleneck. */
export function generatorMicros(): number {
  const next = slashCommands("list", "http://127.0.0.1/response/x");
  for (let i = 0; i < 2000; i++) next();
  const t = performance.now();
  for (let i = 0; i < 20_000; i++) next();
  return ((performance.now() - t) / 20_000) * 1000;
}
