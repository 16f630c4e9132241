import { PassThrough } from "node:stream";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FixedClock } from "../../../src/core/clock.ts";
import type { Config } from "../../../src/config.ts";
import { silentLogger } from "../../../src/log.ts";
import { start, type Running } from "../../../src/main.ts";
import { tempDir } from "../../support/harness.ts";

const running: Running[] = [];
const temp = tempDir();
afterEach(async () => {
  for (const r of running.splice(0)) await r.stop();
});

function config(db: string, scheduler = true): Config {
  return { db, timeZone: "UTC", commandName: "docket", port: 0, logLevel: "error", ...(scheduler ? {} : { scheduler: false as const }) };
}

/** Starts Docket's console as `npm start` does, with streams and a clock the test holds. */
async function console(db: string, clock: FixedClock, scheduler = true) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = "";
  output.on("data", (chunk: Buffer) => (printed += chunk.toString()));
  const r = await start({ config: config(db, scheduler), log: silentLogger, clock, input, output, directory: temp.dir });
  running.push(r);
  const send = async (line: string) => {
    input.write(`${line}\n`);
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { r, input, send, printed: () => printed };
}

const digests = (text: string) => text.split("Docket digest ·").length - 1;

describe("the console's daily digest", () => {
  it("prints the digest once when 09:00 London comes, and a restart that morning prints none", async () => {
    const db = join(temp.dir, "console.sqlite");
    const clock = new FixedClock("2026-12-01T08:58:00Z");
    const first = await console(db, clock);
    await first.send("ask Will sessions be webcast? to:Secretariat");
    await first.send("digest on 09:00 tz:Europe/London");
    expect(first.printed()).toContain("Digest on in this channel");
    await first.r.delivery.tick();
    expect(digests(first.printed())).toBe(0);

    clock.set("2026-12-01T09:00:00Z");
    await first.r.delivery.tick();
    await first.r.delivery.tick();
    clock.set("2026-12-01T09:01:00Z");
    await first.r.delivery.tick();
    expect(digests(first.printed())).toBe(1);
    expect(first.printed()).toContain("Docket digest · Tuesday 1 December 2026");
    expect(first.printed()).toContain("Q1 Will sessions be webcast?");
    first.input.end();
    await first.r.done;
    await first.r.stop();

    clock.set("2026-12-01T09:30:00Z");
    const second = await console(db, clock);
    await second.r.delivery.tick();
    await second.send("digest status");
    expect(digests(second.printed())).toBe(0);
    expect(second.printed()).toContain("2026-12-01: sent");
  });

  it("with DOCKET_SCHEDULER=off posts no digest, not even the one due at start-up; a process with it on does", async () => {
    const db = join(temp.dir, "scheduler-off.sqlite");
    const clock = new FixedClock("2026-12-01T08:58:00Z");
    const first = await console(db, clock, false);
    await first.send("ask Will sessions be webcast? to:Secretariat");
    await first.send("digest on 09:00 tz:Europe/London");
    first.input.end();
    await first.r.done;
    await first.r.stop();

    clock.set("2026-12-01T09:05:00Z");
    const off = await console(db, clock, false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(digests(off.printed())).toBe(0);
    off.input.end();
    await off.r.done;
    await off.r.stop();

    // why: the same start-up with the scheduler on posts that morning's digest at once, which shows the one above was due.
    const on = await console(db, clock);
    await on.r.delivery.settled();
    await vi.waitFor(() => expect(digests(on.printed())).toBe(1));
  });
});
