import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Database } from "better-sqlite3";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const fileName = /^(\d{4})_([a-z0-9_]+)\.sql$/;
const fileOf = (m: Migration) => `${String(m.version).padStart(4, "0")}_${m.name}.sql`;

/** A schema problem the operator must fix; start-up stops with this message. */
export class MigrationError extends Error {
  override readonly name = "MigrationError";
}

/**
 * Reads `NNNN_name.sql` files in order. Refuses gaps and duplicate numbers, because either means
 * two branches numbered their schema changes independently and applying them would guess an order.
 */
export function readMigrations(dir: string): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.toLowerCase().endsWith(".sql")) continue;
    const match = fileName.exec(file);
    if (!match) throw new MigrationError(`Migration file ${file} is misnamed: name it like 0002_add_reminders.sql.`);
    migrations.push({ version: Number(match[1]), name: match[2]!, sql: readFileSync(join(dir, file), "utf8") });
  }
  migrations.forEach((m, i) => {
    const previous = migrations[i - 1];
    if (previous && previous.version === m.version)
      throw new MigrationError(`Two migrations are numbered ${m.version} (${previous.name} and ${m.name}): renumber one of them.`);
    if (m.version !== i + 1)
      throw new MigrationError(`Migration ${String(i + 1).padStart(4, "0")} is missing before ${fileOf(m)}: migrations must be numbered 0001, 0002, … without gaps.`);
  });
  return migrations;
}

export interface MigrationResult {
  from: number;
  to: number;
  applied: string[];
}

/**
 * Applies every pending migration in one transaction, tracked by `PRAGMA user_version`.
 * Forward-only: a database newer than the code is refused rather than run by code that
 * does not know its schema.
 *
 * The version is read again inside the write transaction (BEGIN IMMEDIATE), so two processes
 * starting on one new file at the same instant do not both apply 0001: the second waits for the
 * first's lock and then finds the schema current.
 */
export function migrate(db: Database, migrations: readonly Migration[]): MigrationResult {
  const latest = migrations.length;
  const version = () => db.pragma("user_version", { simple: true }) as number;
  const newer = (from: number) =>
    new MigrationError(`The database ${db.name} is at schema version ${from}, newer than this Docket knows (${latest}): upgrade Docket, or restore a backup made by this version.`);
  // why: the version only moves forward, so a current schema seen without the lock is current; this
  // spares every start (and read-only tools such as export) the write lock.
  const seen = version();
  if (seen > latest) throw newer(seen);
  if (seen === latest) return { from: seen, to: seen, applied: [] };
  return db.transaction((): MigrationResult => {
    const from = version();
    if (from > latest) throw newer(from);
    const pending = migrations.slice(from);
    if (pending.length === 0) return { from, to: from, applied: [] };
    for (const m of pending) {
      try {
        db.exec(m.sql);
      } catch (error) {
        // why: only an error in the SQL is the file's fault; a full disk, a lock or a damaged database
        // is the environment's, and "fix that file" would send the operator the wrong way.
        if (!isSqlMistake(error)) throw error;
        throw new MigrationError(`Migration ${fileOf(m)} failed (${error instanceof Error ? error.message : String(error)}); nothing was applied. Fix that file and start again.`);
      }
    }
    // why: user_version is stored in the database header, so it commits or rolls back with the schema.
    db.pragma(`user_version = ${latest}`);
    return { from, to: latest, applied: pending.map((m) => `${String(m.version).padStart(4, "0")}_${m.name}`) };
  }).immediate();
}

function isSqlMistake(error: unknown): boolean {
  const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined;
  return code === undefined || code === "SQLITE_ERROR" || (typeof code === "string" && code.startsWith("SQLITE_CONSTRAINT"));
}

/** How `docket check` words a database's schema version against the code's latest. */
export function schemaVersionText(version: number, latest: number): string {
  return version === 0 ? "empty (start or docket migrate creates the schema)"
    : version < latest ? `schema version ${version}, docket migrate brings it to ${latest}`
    : version > latest ? `schema version ${version}, newer than this Docket (${latest}): upgrade Docket before starting it`
    : `schema version ${version}, current`;
}
