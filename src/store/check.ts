import { existsSync } from "node:fs";
import { DatabaseError, databaseErrorOf } from "./database-error.ts";
import { readMigrations, schemaVersionText } from "./migrate.ts";
import { damaged, migrationsDir, openDatabase, sanityProblem } from "./open.ts";

/**
 * `docket check`: the full `integrity_check` (every page, and every index against its table),
 * foreign keys, and whether the file is Docket's and at which schema version. Writes nothing and
 * creates nothing. Returns the report line for a healthy file; throws a `DatabaseError` naming
 * the file and the fix for any other.
 */
export function checkDatabase(path: string): string {
  if (!existsSync(path)) throw new DatabaseError("unreadable", path, `There is no database at ${path}: check DOCKET_DB, or restore the file from a backup.`);
  const db = openDatabase(path);
  try {
    const problems = (db.pragma("integrity_check(5)") as Array<{ integrity_check: string }>).map((r) => r.integrity_check);
    if (problems.length !== 1 || problems[0] !== "ok") throw damaged(path, problems);
    const foreign = sanityProblem(db, path);
    if (foreign) throw foreign;
    const orphans = db.pragma("foreign_key_check") as Array<{ table: string; parent: string }>;
    if (orphans.length > 0)
      throw damaged(path, [`${orphans.length} row(s) of ${[...new Set(orphans.map((o) => o.table))].join(", ")} point at missing ${[...new Set(orphans.map((o) => o.parent))].join(", ")}`]);
    const version = db.pragma("user_version", { simple: true }) as number;
    const latest = readMigrations(migrationsDir).length;
    const schema = schemaVersionText(version, latest);
    return `${path} is healthy: integrity_check ok, foreign keys ok, ${schema}.`;
  } catch (error) {
    throw databaseErrorOf(path, error) ?? error;
  } finally {
    db.close();
  }
}
