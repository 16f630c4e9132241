// Loaded with `node --import` by bench/startup.ts: as the process exits, appends its peak resident
// memory (KiB, from getrusage) to the file DOCKET_BENCH_RSS names. Nothing else.
import { appendFileSync } from "node:fs";

const file = process.env.DOCKET_BENCH_RSS;
if (file) process.on("exit", () => appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));
