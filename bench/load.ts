/**
 * The load generator of the side-by-side bench: keep-alive HTTP over loopback from the bench
 * process, cheap enough per request (one Agent, bodies built from a template) that the server under
 * test, not the generator, is what saturates. Also reads a child's CPU time and resident memory
 * from /proc, which a noisy machine disturbs less than requests per second.
 */
import { Agent, request } from "node:http";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/** One request to send: its body and headers (signature included). */
export interface Shot {
  body: string;
  headers: Record<string, string>;
}

export interface Target {
  /** What the table calls it. */
  name: string;
  port: number;
  path: string;
  pid: number;
}

export interface Reply {
  status: number;
  body: string;
}

/** CPU seconds (user + system) the process has used so far. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // why: the command name in parentheses may hold spaces; the fields after it are fixed.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Resident memory (VmRSS) of the process now, in MiB. */
export function rssMiB(pid: number): number {
  const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kib) / 1024;
}

export function createClient(connections: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  function send(t: Target, shot: Shot, keepBody = false): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = request(
        { agent, host: "127.0.0.1", port: t.port, path: t.path, method: "POST", headers: { ...shot.headers, "content-length": Buffer.byteLength(shot.body) } },
        (res) => {
          let body = "";
          if (keepBody) res.setEncoding("utf8").on("data", (c: string) => (body += c));
          else res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(shot.body);
    });
  }
  return { send, close: () => agent.destroy() };
}

export interface Saturation {
  requestsPerSecond: number;
  /** The server's CPU time per request over the measured window, in µs. */
  cpuMicros: number;
  /** Answers that were not 200 (or failed), in the measured window. */
  failures: number;
}

/**
 * `connections` requests always in flight for `warmMs` (not counted), then `ms` counted: requests
 * per second, and the server's CPU per request over the same window.
 */
export async function saturate(
  client: ReturnType<typeof createClient>, t: Target, next: () => Shot,
  o: { connections: number; warmMs: number; ms: number; around?: { start(): void; end(): void } },
): Promise<Saturation> {
  let phase: "warm" | "measure" | "done" = "warm";
  let done = 0;
  let failures = 0;
  const worker = async () => {
    while (phase !== "done") {
      const counted = phase === "measure";
      const ok = await client.send(t, next()).then((r) => r.status === 200, () => false);
      if (counted && phase === "measure") {
        done += 1;
        if (!ok) failures += 1;
      }
    }
  };
  const workers = Array.from({ length: o.connections }, worker);
  await sleep(o.warmMs);
  phase = "measure";
  o.around?.start();
  const cpu0 = cpuSeconds(t.pid);
  const t0 = performance.now();
  await sleep(o.ms);
  phase = "done";
  o.around?.end();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = cpuSeconds(t.pid) - cpu0;
  const counted = done;
  await Promise.all(workers);
  return { requestsPerSecond: counted / seconds, cpuMicros: (cpu / counted) * 1e6, failures };
}

export interface Spread {
  p50: number;
  p99: number;
  failures: number;
}

/**
 * `rate` requests a second, each sent at its slot (evenly spread over the second) whether or not the
 * earlier ones were answered: `warmMs` unrecorded, then `ms` recorded, latency from send to the end
 * of the answer, in ms.
 */
export async function spread(client: ReturnType<typeof createClient>, t: Target, next: () => Shot, o: { rate: number; warmMs: number; ms: number }): Promise<Spread> {
  const interval = 1000 / o.rate;
  const samples: number[] = [];
  const pending: Promise<void>[] = [];
  let failures = 0;
  const start = performance.now();
  for (let i = 0; ; i++) {
    const due = start + i * interval;
    if (due - start >= o.warmMs + o.ms) break;
    const wait = due - performance.now();
    if (wait > 0.5) await sleep(wait);
    const recorded = due - start >= o.warmMs;
    const sent = performance.now();
    pending.push(
      client.send(t, next()).then(
        (r) => {
          if (!recorded) return;
          samples.push(performance.now() - sent);
          if (r.status !== 200) failures += 1;
        },
        () => void (recorded && (failures += 1)),
      ),
    );
  }
  await Promise.all(pending);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99), failures };
}

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
