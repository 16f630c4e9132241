/**
 * Reads a CPU profile the probe (bench/probe.js) wrote for one measured window and says where the
 * time went, in µs per request: by package or Docket file, and the functions that cost most.
 */
import { readFileSync } from "node:fs";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface Profile {
  nodes: Array<{ id: number; callFrame: CallFrame }>;
  samples: number[];
  timeDeltas: number[];
}

/** Where a function belongs: a package, a Docket file, a Node module, or V8's own work. */
function place(cf: CallFrame): string {
  const { url, functionName } = cf;
  if (functionName === "(garbage collector)") return "garbage collection";
  if (functionName === "(program)") return "VM (program)";
  if (url.includes("node_modules/")) return url.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, "$1");
  if (url.includes("/dist/") || url.includes("/bench/")) return `docket ${url.replace(/.*\/(dist|bench)\//, "")}`;
  if (url.startsWith("node:")) return url.replace(/^node:(internal\/)?([^/]+).*/, "node:$2");
  if (url === "") return `native ${functionName}`;
  return url;
}

export interface Where {
  byPlace: Array<[string, number]>;
  byFunction: Array<[string, number]>;
  /** CPU µs per request the profile saw, idle excluded. */
  busy: number;
}

export function whereTimeGoes(file: string, requests: number): Where {
  const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const frames = new Map(p.nodes.map((n) => [n.id, n.callFrame]));
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  p.samples.forEach((id, i) => {
    const cf = frames.get(id)!;
    if (cf.functionName === "(idle)") return;
    const dt = p.timeDeltas[i] ?? 0;
    busy += dt;
    const where = place(cf);
    byPlace.set(where, (byPlace.get(where) ?? 0) + dt);
    const name = `${cf.functionName || "(anonymous)"} ${cf.url.split("/").pop()}:${cf.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + dt);
  });
  const per = (m: Map<string, number>) => [...m].map(([k, v]) => [k, v / requests] as [string, number]).sort((a, b) => b[1] - a[1]);
  return { byPlace: per(byPlace), byFunction: per(byFunction), busy: busy / requests };
}

export function describeWhere(w: Where, top = 12): string {
  const line = ([k, v]: [string, number]) => `    ${v.toFixed(1).padStart(7)} µs  ${k}`;
  return [`  ${w.busy.toFixed(0)} µs per request on the CPU (sampled); by place:`, ...w.byPlace.slice(0, top).map(line), "  costliest functions:", ...w.byFunction.slice(0, top).map(line)].join("\n");
}

interface HeapNode {
  callFrame: CallFrame;
  selfSize: number;
  children: HeapNode[];
}

/** What a sampling allocation profile (garbage included) says was allocated, in KiB per request: by place and by function. */
export function whatIsAllocated(file: string, requests: number): Where {
  const { head } = JSON.parse(readFileSync(file, "utf8")) as { head: HeapNode };
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  const walk = (n: HeapNode) => {
    if (n.selfSize > 0) {
      total += n.selfSize;
      const where = place(n.callFrame);
      byPlace.set(where, (byPlace.get(where) ?? 0) + n.selfSize);
      const name = `${n.callFrame.functionName || "(anonymous)"} ${n.callFrame.url.split("/").pop()}:${n.callFrame.lineNumber + 1}`;
      byFunction.set(name, (byFunction.get(name) ?? 0) + n.selfSize);
    }
    n.children.forEach(walk);
  };
  walk(head);
  const per = (m: Map<string, number>) => [...m].map(([k, v]) => [k, v / requests / 1024] as [string, number]).sort((a, b) => b[1] - a[1]);
  return { byPlace: per(byPlace), byFunction: per(byFunction), busy: total / requests / 1024 };
}

export function describeAllocations(w: Where, top = 10): string {
  const line = ([k, v]: [string, number]) => `    ${v.toFixed(1).padStart(7)} KiB  ${k}`;
  return [`  ${w.busy.toFixed(1)} KiB allocated per request (sampled); by place:`, ...w.byPlace.slice(0, top).map(line), "  allocating most:", ...w.byFunction.slice(0, top).map(line)].join("\n");
}
