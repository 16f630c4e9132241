/**
 * A PostgreSQL server for the tests, and one fresh migrated database per caller.
 *
 * Order of preference: the server at DOCKET_TEST_PG_URL (default: the one that runs on the
 * development and CI machines, postgres://postgres@127.0.0.1:5432/postgres); else a throwaway
 * cluster started from the local `initdb` in a temp dir, stopped when the process exits; else none,
 * said in one line, and the PostgreSQL tests skip. With DOCKET_REQUIRE_PG=1 (CI) "none" is an error.
 *
 * The vitest globalSetup (postgres-setup.ts) resolves this once and hands the answer to every worker
 * in DOCKET_TEST_PG_RESOLVED, so one run starts at most one cluster and prints the line once.
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import pg from "pg";
import { migratePostgres, openPostgres, postgresMigrationsDir } from "../../src/store/postgres/open-postgres.ts";
import { freePort } from "./free-port.ts";
import { shownUrl } from "../../src/shown-url.ts";

export const defaultTestPostgresUrl = "postgres://postgres@127.0.0.1:5432/postgres";
/** Set by the globalSetup for the workers: the server's URL, or "" when there is none. */
export const resolvedVariable = "DOCKET_TEST_PG_RESOLVED";

export interface TestPostgres {
  /** A superuser connection to the server's maintenance database. */
  url: string;
  /** Stops the throwaway cluster this process started (idempotent); absent for a server found running. */
  stop?: () => void;
}

/** The URL with its password hidden, for messages. */
export const redacted = shownUrl;

/** The URL of another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * What to do when no server answers and no cluster can be started: the one line saying the tests
 * skip, or, when the environment requires PostgreSQL (CI sets DOCKET_REQUIRE_PG=1), an error,
 * because there a silent skip would pass a run that tested nothing on PostgreSQL.
 */
export function noPostgres(url: string, env: NodeJS.ProcessEnv): string {
  const where = `no server at ${redacted(url)} and no initdb`;
  if (env.DOCKET_REQUIRE_PG === "1")
    throw new Error(`PostgreSQL is required (DOCKET_REQUIRE_PG=1) but there is ${where}: start one and set DOCKET_TEST_PG_URL, or install the server binaries (apt-get install postgresql).`);
  return `PostgreSQL tests skipped: ${where}`;
}

/** Whether a server answers at `url` within `timeoutMs`. */
export async function answers(url: string, timeoutMs = 2000): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // why: a refused connection also emits 'error' on the client; connect()'s rejection already says it.
  client.on("error", () => undefined);
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch (error) {
    if (error instanceof Error && process.env.DOCKET_TEST_PG_DEBUG) console.warn(`no PostgreSQL at ${redacted(url)}: ${error.message}`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** The directory holding `initdb` and `pg_ctl`: $PGBIN, the newest /usr/lib/postgresql/N/bin, or one on PATH. */
export function postgresBinaries(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const has = (dir: string) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"));
  if (env.PGBIN) return has(env.PGBIN) ? env.PGBIN : undefined;
  const debian = "/usr/lib/postgresql";
  const versions = existsSync(debian) ? readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  const candidates = [...versions.map((v) => join(debian, v, "bin")), ...(env.PATH ?? "").split(delimiter).filter(Boolean)];
  return candidates.find(has);
}

/**
 * Starts a PostgreSQL cluster of its own on a free loopback port, in a temp dir, with durability off
 * (a test cluster trades it for speed: never use these settings for real data). About a second.
 */
export async function startThrowawayCluster(bin: string): Promise<TestPostgres> {
  // why: PostgreSQL refuses to run as root; as root it runs as the `postgres` user the Debian package creates.
  const asRoot = process.getuid?.() === 0;
  const run = (tool: string, args: string[]) => {
    const command = asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, tool), ...args]] as const : [join(bin, tool), args] as const;
    return spawnSync(command[0], command[1], { encoding: "utf8" });
  };
  const dir = mkdtempSync(join(tmpdir(), "docket-pg-"));
  const data = join(dir, "data");
  const fail = (step: string, result: ReturnType<typeof run>) => {
    const log = existsSync(join(dir, "server.log")) ? readFileSync(join(dir, "server.log"), "utf8").slice(-2000) : "";
    rmSync(dir, { recursive: true, force: true });
    return new Error(`The throwaway PostgreSQL cluster failed at ${step}: ${result.error?.message ?? ""}${result.stderr ?? ""}${log}`);
  };
  if (asRoot) {
    const chown = spawnSync("chown", ["postgres:postgres", dir], { encoding: "utf8" });
    if (chown.status !== 0) throw fail("chown to the postgres user", chown);
  }
  const init = run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"]);
  if (init.status !== 0) throw fail("initdb", init);
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const settings = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
    const start = run("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-w", "-t", "30", "-o", settings, "start"]);
    if (start.status === 0) {
      let stopped = false;
      const stop = () => {
        if (stopped) return;
        stopped = true;
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
        rmSync(dir, { recursive: true, force: true });
      };
      process.once("exit", stop);
      return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
    }
    // why: the free port can be taken between finding it and the server binding it; a second port settles it.
    if (attempt === 2) throw fail("pg_ctl start", start);
  }
}

let resolved: Promise<TestPostgres | undefined> | undefined;

/** The tests' server, resolved once per process (see the top of this file); undefined when the PostgreSQL tests skip. */
export function testPostgres(env: NodeJS.ProcessEnv = process.env): Promise<TestPostgres | undefined> {
  resolved ??= (async () => {
    const handed = env[resolvedVariable];
    if (handed !== undefined) return handed === "" ? undefined : { url: handed };
    const url = env.DOCKET_TEST_PG_URL || defaultTestPostgresUrl;
    if (await answers(url)) return { url };
    const bin = postgresBinaries(env);
    if (bin) return startThrowawayCluster(bin);
    console.warn(noPostgres(url, env));
    return undefined;
  })();
  return resolved;
}

/** Runs `fn` on one short-lived connection (CREATE DATABASE cannot run on a pooled one inside a transaction). */
async function onConnection<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Serialises building a template across worker processes (and other checkouts testing on the same server). */
const templateLockKey = "110386544690293";

/**
 * A database migrated with migrations/postgres, built once per server and migration set: its name
 * carries a hash of the files, so a run never clones a template of older migrations, and runs with
 * the same files share it. Built under another name and renamed when complete, so a crashed build
 * is never cloned.
 */
async function migratedTemplate(url: string): Promise<string> {
  const hash = createHash("sha256");
  for (const file of readdirSync(postgresMigrationsDir).sort()) hash.update(file).update("\0").update(readFileSync(join(postgresMigrationsDir, file)));
  const name = `docket_tpl_${hash.digest("hex").slice(0, 16)}`;
  await onConnection(url, async (admin) => {
    // why a session lock: CREATE DATABASE cannot run inside the transaction an xact lock needs.
    await admin.query(`SELECT pg_advisory_lock(${templateLockKey})`);
    const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (exists.rowCount) return;
    const building = `${name}_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${building}"`);
    const pool = openPostgres(withDatabase(url, building), { max: 1 });
    try {
      await migratePostgres(pool);
    } finally {
      await pool.end();
    }
    await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
  });
  return name;
}

const templates = new Map<string, Promise<string>>();
let created = 0;

export interface FreshDatabase {
  url: string;
  /** Drops the database, closing whatever connections are still open to it. */
  drop(): Promise<void>;
}

/**
 * A new database with the current schema, cloned from the migrated template (about 85 ms). Throws
 * when there is no server: guard the suite with `describe.skipIf(!(await testPostgres()))`.
 */
export async function freshDatabase(): Promise<FreshDatabase> {
  const server = await testPostgres();
  if (!server) throw new Error("freshDatabase() needs a PostgreSQL server: skip the suite when testPostgres() finds none.");
  let template = templates.get(server.url);
  if (!template) {
    template = migratedTemplate(server.url);
    templates.set(server.url, template);
  }
  const source = await template;
  const name = `docket_t_${process.pid}_${++created}_${randomBytes(3).toString("hex")}`;
  await onConnection(server.url, (admin) => admin.query(`CREATE DATABASE "${name}" TEMPLATE "${source}"`));
  return {
    url: withDatabase(server.url, name),
    drop: () => onConnection(server.url, async (admin) => void (await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}

/** An empty database (no migrations), for tests of migrating itself. */
export async function emptyDatabase(): Promise<FreshDatabase> {
  const server = await testPostgres();
  if (!server) throw new Error("emptyDatabase() needs a PostgreSQL server: skip the suite when testPostgres() finds none.");
  const name = `docket_e_${process.pid}_${++created}_${randomBytes(3).toString("hex")}`;
  await onConnection(server.url, (admin) => admin.query(`CREATE DATABASE "${name}"`));
  return {
    url: withDatabase(server.url, name),
    drop: () => onConnection(server.url, async (admin) => void (await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
  };
}
