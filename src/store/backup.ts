import { existsSync, mkdirSync, realpathSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { openDatabase } from "./open.ts";

/**
 * A backup the operator asked for that cannot be made as asked. Named "ToolError" because the
 * CLI prints errors of that name as one line, with no stack trace, and exits 2.
 */
export class BackupRefused extends Error {
  override readonly name = "ToolError";
}

const example = "./backups/docket-2026-11-29.sqlite";

/** The path with symlinks resolved as far as it exists, so two spellings of one file compare equal. */
function canonical(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  const parent = dirname(absolute);
  return parent === absolute ? absolute : resolve(canonical(parent), absolute.slice(parent.length + 1));
}

/**
 * Copies the live database at `source` to `target` with SQLite's online backup: a consistent
 * snapshot while Docket keeps writing. Creates `target`'s missing directories (the usage hint
 * names `./backups/…`); refuses, changing nothing, a missing source, a target that is the live
 * database or one of its WAL files, and a target that is a directory.
 */
export async function backupDatabase(source: string, target: string): Promise<{ createdDirectory: string | null }> {
  if (!existsSync(source)) throw new BackupRefused(`There is no database at ${source} to back up: check DOCKET_DB.`);
  const live = canonical(source);
  const copy = canonical(target);
  if ([live, `${live}-wal`, `${live}-shm`, `${live}-journal`].includes(copy))
    throw new BackupRefused(`${target} is the live database itself (DOCKET_DB); a backup must go to another file, like docket backup ${example}`);
  if (existsSync(copy) && statSync(copy).isDirectory())
    throw new BackupRefused(`${target} is a directory; name a file in it, like docket backup ${resolve(target, "docket-2026-11-29.sqlite")}`);
  const directory = dirname(copy);
  let createdDirectory: string | null = null;
  if (!existsSync(directory)) {
    try {
      mkdirSync(directory, { recursive: true });
    } catch (error) {
      throw new BackupRefused(`Could not create the directory ${dirname(target)} for the backup (${error instanceof Error ? error.message : String(error)}): create it yourself, or choose another path, like docket backup ${example}`);
    }
    createdDirectory = dirname(target);
  } else if (!statSync(directory).isDirectory()) throw new BackupRefused(`${dirname(target)} is a file, not a directory: choose another path, like docket backup ${example}`);
  const db = openDatabase(source);
  try {
    // why: SQLite's online backup copies a consistent snapshot while the running bot keeps writing.
    await db.backup(copy);
  } catch (error) {
    throw new BackupRefused(`Could not write the backup to ${target}: ${error instanceof Error ? error.message : String(error)}. Check that the directory is writable and has space.`);
  } finally {
    db.close();
  }
  return { createdDirectory };
}
