// Loaded with `node --import` into a process of the side-by-side bench when it runs with
// `--profile DIR`: each SIGUSR2 toggles a CPU profile, a sampling allocation profile (garbage included) and counts of garbage collections and the
// heap), so the profile covers exactly the measured window the bench signals around. On the second
// signal it writes DIR/<pid>-<n>.cpuprofile, .heapprofile and .json. Nothing else.
import { renameSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import { join } from "node:path";
import { PerformanceObserver, constants } from "node:perf_hooks";
import { getHeapStatistics } from "node:v8";

const dir = process.env.DOCKET_BENCH_PROBE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  const post = (method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))));
  const kinds = { [constants.NODE_PERFORMANCE_GC_MINOR]: "scavenge", [constants.NODE_PERFORMANCE_GC_MAJOR]: "mark-compact", [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: "incremental", [constants.NODE_PERFORMANCE_GC_WEAKCB]: "weak" };
  let gc = {};
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      const kind = kinds[e.detail?.kind] ?? String(e.detail?.kind);
      const k = (gc[kind] ??= { count: 0, ms: 0 });
      k.count += 1;
      k.ms += e.duration;
    }
  }).observe({ entryTypes: ["gc"] });
  let n = 0;
  let on = false;
  let heapBefore;
  process.on("SIGUSR2", () => {
    void (async () => {
      if (!on) {
        on = true;
        gc = {};
        heapBefore = getHeapStatistics();
        await post("Profiler.enable");
        await post("Profiler.setSamplingInterval", { interval: 250 });
        await post("Profiler.start");
        // why: what a request allocates, garbage included, is what the young generation pays for.
        await post("HeapProfiler.startSampling", { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
        return;
      }
      on = false;
      const { profile } = await post("Profiler.stop");
      const { profile: allocations } = await post("HeapProfiler.stopSampling");
      const file = join(dir, `${process.pid}-${++n}`);
      writeFileSync(`${file}.heapprofile`, JSON.stringify(allocations));
      writeFileSync(`${file}.cpuprofile`, JSON.stringify(profile));
      const heap = getHeapStatistics();
      // why: the bench waits for this file; it must appear whole.
      writeFileSync(`${file}.json.partial`, JSON.stringify({ gc, heapUsedBefore: heapBefore.used_heap_size, heapUsed: heap.used_heap_size, heapTotal: heap.total_heap_size, rss: process.memoryUsage().rss }));
      renameSync(`${file}.json.partial`, `${file}.json`);
    })();
  });
}
