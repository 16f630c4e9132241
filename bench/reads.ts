/**
 * `tsx bench/reads.ts`: statements and microseconds per command through the core's one face, on a
 * real SQLite file (issue 14, "fewer reads per command"). Not part of `npm run bench`'s table.
 */
import { join } from "node:path";
import { FixedClock } from "../src/core/clock.ts";
import { createCore } from "../src/core/core.ts";
import type { CoreEvent } from "../src/core/events.ts";
import { silentLogger } from "../src/log.ts";
import { openMigrated } from "../src/store/open.ts";
import { createSqliteStore } from "../src/store/sqlite-store.ts";
import { invocation, tempDir } from "../tests/support/harness.ts";
import { countStatements } from "../tests/support/statement-count.ts";

const temp = tempDir();
const { db } = openMigrated(join(temp.dir, "reads.sqlite"));
const counter = countStatements(db);
const store = createSqliteStore(db);
const core = createCore({ store, clock: new FixedClock("2026-11-29T10:00:00Z"), settings: { commandName: "docket", defaultTimeZone: "Europe/London" }, log: silentLogger });
const member = invocation({ isPlatformAdmin: false });
const text = (t: string, who = member): CoreEvent => ({ kind: "text", invocation: who, text: t, forms: false });
const run = async (t: string) => {
  const outcome = await core.handle(text(t));
  if (outcome.kind !== "reply" || outcome.reply.error) throw new Error(`${t}: ${JSON.stringify(outcome)}`);
};

await core.handle(text("deadline add WCIT-12 2027-01-20", invocation()));
for (let i = 1; i <= 30; i++) await run(`ask Question number ${i}? to:ITU by:D1 #fees`);
await run("chase Q1 emailed the secretariat");

const commands = ["list", "list overdue", "show Q1", "help", "deadline list", "note Q2 asked again"];
const only = process.argv.slice(2).filter((a) => !a.startsWith("--"));
for (const c of only.length ? only : commands) {
  // why counted after one run: what a command reads each time, once this replica keeps the docket's deadlines and admins.
  await run(c);
  counter.reset();
  await run(c);
  const statements = counter.texts.filter((t) => !/^(BEGIN|COMMIT|ROLLBACK)/.test(t)).length;
  if (process.argv.includes("--texts")) console.log(counter.texts.map((t) => `    ${t.replace(/\s+/g, " ").slice(0, 140)}`).join("\n"));
  for (let i = 0; i < 300; i++) await run(c);
  // why the median of batches: the machine is shared, and one slow batch should not move the figure.
  const batches: number[] = [];
  for (let b = 0; b < 7; b++) {
    const n = c.startsWith("note") ? 100 : 400;
    // why CPU time: on a shared machine wall time mostly measures the neighbours; this is the work a command costs.
    const start = process.cpuUsage();
    for (let i = 0; i < n; i++) await run(c);
    const used = process.cpuUsage(start);
    batches.push((used.user + used.system) / n);
  }
  const us = batches.sort((x, y) => x - y)[3]!;
  console.log(`${c.padEnd(22)} ${String(statements).padStart(3)} statements  ${us.toFixed(0).padStart(6)} µs CPU`);
}
db.close();
temp.cleanup();
