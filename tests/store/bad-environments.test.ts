import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, chownSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, truncateSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/core/clock.ts";
import { commands } from "../../src/core/commands/registry.ts";
import { createDispatcher } from "../../src/core/dispatch.ts";
import { silentLogger } from "../../src/log.ts";
import { openMigrated } from "../../src/store/open.ts";
import { createSqliteStore } from "../../src/store/sqlite-store.ts";
import { invocation, tempDir } from "../support/harness.ts";
import { runDocket, type Run } from "../support/run-docket.ts";

// The bad environments an operator meets, each through the real CLI (`node bin/docket.js`), as
// issue 11 found them: every one must end with exit 2 and one line on stderr that names the file,
// says what is wrong and what to do, and no stack trace. Permission cases run the CLI, when the
// suite runs as root, as root without the capabilities that let root ignore file modes (setpriv):
// unlike switching to `nobody`, that still reaches a checkout in a private directory. The read-only
// filesystem and the full disk use a small tmpfs, and are skipped, saying so, where mounting is not allowed.

const isRoot = process.getuid?.() === 0;
/** Runs a command as root that obeys file modes: without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH. */
const modeBound = ["setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search", "--"];
const nobody = 65534;

function docket(args: readonly string[], options: { cwd: string; db?: string; input?: string; obeyModes?: boolean }): Promise<Run> {
  return runDocket(args, {
    cwd: options.cwd,
    env: options.db === undefined ? {} : { DOCKET_DB: options.db },
    ...(options.input === undefined ? {} : { input: options.input }),
    ...(options.obeyModes && isRoot ? { prefix: modeBound } : {}),
  });
}

/** Exit 2, one line naming the file, the phrase that says what is wrong, no stack trace. */
function expectOperatorLine(run: Run, file: string, says: RegExp): void {
  const lines = run.stderr.trimEnd().split("\n");
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^docket: /);
  expect(lines[0]).toContain(file);
  expect(lines[0]).toMatch(says);
  expect(run.code, run.stderr).toBe(2);
}

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** A real Docket database with enough questions to span many pages, checkpointed into the main file. */
async function goodDatabase(file: string, questions = 150): Promise<void> {
  const { db } = openMigrated(file);
  db.pragma("synchronous = OFF");
  const core = createDispatcher({ store: createSqliteStore(db), clock: systemClock, settings: { commandName: "docket", defaultTimeZone: "UTC" }, log: silentLogger, commands });
  for (let i = 1; i <= questions; i++) await core.runText(invocation(), `ask "Question ${i}: what does membership cost, and who decides? ${"detail ".repeat(20)}"`);
  db.pragma("wal_checkpoint(TRUNCATE)");
  db.close();
}

/** Overwrites the cell pointers of the `questions` table's root page, the damage `quick_check` exists for. */
function scribbleCellPointers(file: string): void {
  const db = new Sqlite(file, { readonly: true });
  const { rootpage } = db.prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'questions'").get() as { rootpage: number };
  const pageSize = db.pragma("page_size", { simple: true }) as number;
  db.close();
  const fd = openSync(file, "r+");
  try {
    const page = (rootpage - 1) * pageSize;
    const type = Buffer.alloc(1);
    readSync(fd, type, 0, 1, page);
    // why: a b-tree page header is 12 bytes on interior pages (type 2 or 5) and 8 on leaves; the cell pointers follow it.
    const pointers = page + (type[0] === 0x02 || type[0] === 0x05 ? 12 : 8);
    writeSync(fd, Buffer.from([0xff, 0xf0, 0xff, 0xf0, 0xff, 0xf0]), 0, 6, pointers);
  } finally {
    closeSync(fd);
  }
}

const mountable = (() => {
  if (!isRoot) return false;
  const probe = tempDir();
  const mounted = spawnSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.dir]).status === 0;
  if (mounted) spawnSync("umount", [probe.dir]);
  probe.cleanup();
  return mounted;
})();

let temp: ReturnType<typeof tempDir>;
let good: string;
const mounts: string[] = [];
beforeAll(async () => {
  temp = tempDir();
  // why: the files of the cases that are not about permissions stay readable to whoever runs the CLI.
  chmodSync(temp.dir, 0o755);
  good = join(temp.dir, "good.sqlite");
  await goodDatabase(good);
});
afterAll(() => {
  for (const m of mounts) spawnSync("umount", [m]);
  temp.cleanup();
});

/** A fresh directory for one case, and a copy of the good database in it when asked. */
function place(name: string, withCopy = false): { dir: string; file: string } {
  const dir = join(temp.dir, name);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  const file = join(dir, "docket.sqlite");
  if (withCopy) {
    copyFileSync(good, file);
    chmodSync(file, 0o666);
  }
  return { dir, file };
}

/** A tmpfs of `size` mounted in a fresh directory; unmounted after the suite. */
function tmpfs(name: string, size: string): string {
  const dir = join(temp.dir, name);
  mkdirSync(dir);
  const mount = spawnSync("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0777`, "tmpfs", dir]);
  if (mount.status !== 0) throw new Error(`mount failed: ${mount.stderr.toString()}`);
  mounts.push(dir);
  // why: the cases below fill this directory up; if it were not the tmpfs they would fill the real disk.
  if (spawnSync("mountpoint", ["-q", dir]).status !== 0) throw new Error(`${dir} is not a mount point`);
  return dir;
}

describe.concurrent("a bad environment gets one clear line and exit 2, never a stack trace", () => {
  it("DOCKET_DB is a directory", async () => {
    const { dir } = place("is-a-directory");
    const run = await docket(["migrate"], { cwd: dir, db: dir });
    expectOperatorLine(run, dir, /is a directory, not a database file: set DOCKET_DB to a file in it/);
  });

  it("DOCKET_DB runs through a file", async () => {
    const { dir } = place("through-a-file");
    writeFileSync(join(dir, "notes.txt"), "not a folder\n");
    const file = join(dir, "notes.txt", "docket.sqlite");
    const run = await docket(["start"], { cwd: dir, db: file });
    expectOperatorLine(run, file, /is a file, not a directory: fix DOCKET_DB/);
  });

  it("DOCKET_DB's directory does not exist (a typo): refused, and nothing is created", async () => {
    const { dir } = place("typo");
    const file = join(dir, "dtaa", "docket.sqlite");
    const run = await docket(["start"], { cwd: dir, db: file, input: "list\n" });
    expectOperatorLine(run, file, /check DOCKET_DB for a typo/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("the default path (DOCKET_DB unset) creates ./data on a first start", async () => {
    const { dir } = place("default-path");
    const run = await docket(["migrate"], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(dir, "data", "docket.sqlite"))).toBe(true);
  });

  it("random bytes", async () => {
    const { dir, file } = place("random-bytes");
    writeFileSync(file, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 251)));
    const run = await docket(["start"], { cwd: dir, db: file });
    expectOperatorLine(run, file, /is not a SQLite database.*restore it from a backup/);
  });

  it("a json export given as the database", async () => {
    const { dir, file } = place("json-export");
    writeFileSync(file, JSON.stringify({ format: "docket", version: 1, questions: [] }));
    const run = await docket(["migrate"], { cwd: dir, db: file });
    expectOperatorLine(run, file, /is not a SQLite database/);
  });

  it("a truncated file", async () => {
    const { dir, file } = place("truncated", true);
    truncateSync(file, Math.floor(readFileSync(file).length / 2));
    const run = await docket(["migrate"], { cwd: dir, db: file });
    expectOperatorLine(run, file, /is damaged .*restore it from a backup/);
  });

  it("scribbled cell pointers: start refuses the file and writes nothing to it", async () => {
    const { dir, file } = place("scribbled", true);
    scribbleCellPointers(file);
    const before = sha(file);
    const run = await docket(["start"], { cwd: dir, db: file, input: 'ask "Is this saved?"\n' });
    expectOperatorLine(run, file, /is damaged \(SQLite's check found: .*\): restore it from a backup/);
    expect(sha(file)).toBe(before);
  });

  it("scribbled cell pointers: docket check refuses it too", async () => {
    const { dir, file } = place("scribbled-check", true);
    scribbleCellPointers(file);
    const run = await docket(["check"], { cwd: dir, db: file });
    expectOperatorLine(run, file, /is damaged/);
  });

  it("another application's database", async () => {
    const { dir, file } = place("foreign");
    const other = new Sqlite(file);
    other.exec("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT); INSERT INTO moz_places (url) VALUES ('https://example.org');");
    other.close();
    const run = await docket(["migrate"], { cwd: dir, db: file });
    expectOperatorLine(run, file, /another application \(tables moz_places; no Docket schema\): set DOCKET_DB to Docket's own file/);
  });

  it("a database newer than this Docket", async () => {
    const { dir, file } = place("newer", true);
    const db = new Sqlite(file);
    db.pragma("user_version = 99");
    db.close();
    const run = await docket(["start"], { cwd: dir, db: file });
    expectOperatorLine(run, file, /is at schema version 99, newer than this Docket knows .*upgrade Docket, or restore a backup/);
  });

  it("locked by another program for longer than the busy wait", async () => {
    const { dir, file } = place("locked");
    // why: a rollback-journal file under an EXCLUSIVE transaction can be neither read nor written by anyone else.
    const holder = new Sqlite(file);
    holder.exec("CREATE TABLE t (x); BEGIN EXCLUSIVE; INSERT INTO t VALUES (1);");
    try {
      const run = await docket(["migrate"], { cwd: dir, db: file });
      expectOperatorLine(run, file, /stayed locked by another program for more than 5 s: stop whatever holds it/);
    } finally {
      holder.exec("ROLLBACK");
      holder.close();
    }
  });

  it.skipIf(!isRoot)("a read-only file (root without the capabilities that ignore file modes)", async () => {
    const { dir, file } = place("read-only-file", true);
    chownSync(file, nobody, nobody);
    chmodSync(file, 0o444);
    const run = await docket(["start"], { cwd: dir, db: file, obeyModes: true });
    expectOperatorLine(run, file, /can't be written because the user running Docket may not write .*fix the permissions/);
  });

  it.skipIf(!isRoot)("an unreadable file (root obeying file modes)", async () => {
    const { dir, file } = place("unreadable", true);
    chmodSync(file, 0o000);
    const run = await docket(["migrate"], { cwd: dir, db: file, obeyModes: true });
    expectOperatorLine(run, file, /fix the permissions/);
  });

  it.skipIf(!isRoot)("a writable file in a read-only directory, where SQLite cannot create its -wal file (root obeying file modes)", async () => {
    const { dir, file } = place("read-only-dir", true);
    chmodSync(dir, 0o555);
    const run = await docket(["migrate"], { cwd: temp.dir, db: file, obeyModes: true });
    expectOperatorLine(run, file, /may not write .*read-only-dir.*fix the permissions of the file and its directory/);
  });

  it.skipIf(!mountable)("a read-only filesystem (a tmpfs remounted read-only)", async () => {
    const dir = tmpfs("ro-fs", "2m");
    const file = join(dir, "docket.sqlite");
    copyFileSync(good, file);
    expect(spawnSync("mount", ["-o", "remount,ro", dir]).status).toBe(0);
    const run = await docket(["start"], { cwd: temp.dir, db: file });
    expectOperatorLine(run, file, /read-only filesystem: remount it read-write/);
  });

  it.skipIf(!mountable)("a full disk at start-up (a new database on a tmpfs with no room)", async () => {
    const dir = tmpfs("full-at-start", "64k");
    writeFileSync(join(dir, "filler"), Buffer.alloc(60 * 1024));
    const file = join(dir, "docket.sqlite");
    const run = await docket(["migrate"], { cwd: temp.dir, db: file });
    expectOperatorLine(run, file, /disk holding .* is full.*free space on that disk/);
  });

  it.skipIf(!mountable)("a full disk while running: members read \"Docket can't save right now\", the operator a disk-full log line", async () => {
    const dir = tmpfs("full-running", "1m");
    const file = join(dir, "docket.sqlite");
    expect((await docket(["migrate"], { cwd: temp.dir, db: file })).code).toBe(0);
    // why: a connection held open keeps the -shm file SQLite needs to open at all, with an empty WAL,
    // so the disk fills up under Docket's first write rather than under its start-up.
    const holder = new Sqlite(file);
    holder.pragma("wal_checkpoint(TRUNCATE)");
    // why: bounded at twice the tmpfs's size, so a mistake can never fill a real disk.
    const fd = openSync(join(dir, "filler"), "w");
    let filled = false;
    try {
      for (let i = 0; i < 512; i++) writeSync(fd, Buffer.alloc(4096));
    } catch (error) {
      filled = (error as { code?: string }).code === "ENOSPC";
    } finally {
      closeSync(fd);
    }
    expect(filled).toBe(true);
    let run: Run;
    try {
      run = await docket(["start"], { cwd: temp.dir, db: file, input: 'ask "Will this be saved?"\n' });
    } finally {
      holder.close();
    }
    expect(run.stdout).toContain("Docket can't save right now");
    expect(run.stdout).not.toContain("Sorry, something went wrong");
    expect(run.stderr).toContain("disk full");
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it("docket check on a healthy file says so and changes nothing", async () => {
    const { dir, file } = place("healthy", true);
    const before = sha(file);
    const run = await docket(["check"], { cwd: dir, db: file });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/is healthy: integrity_check ok, foreign keys ok, schema version \d+, current\./);
    expect(sha(file)).toBe(before);
  });

  it("docket check of a file that is not there creates nothing", async () => {
    const { dir, file } = place("check-missing");
    const run = await docket(["check"], { cwd: dir, db: file });
    expectOperatorLine(run, file, /There is no database at .*check DOCKET_DB/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
