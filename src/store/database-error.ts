import { statfsSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** What is wrong with the database file, in the operator's terms. */
export type DatabaseProblem =
  | "missing_directory"
  | "not_a_directory"
  | "is_directory"
  | "not_a_database"
  | "foreign"
  | "damaged"
  | "read_only"
  | "unreadable"
  | "locked"
  | "full"
  | "io"
  | "unreachable";

/**
 * The database file cannot be used, for a reason the operator fixes (a path, permissions, space,
 * a backup), not a bug: the CLI prints the message as one line and exits 2, and a command that
 * meets it while Docket runs is answered without the generic apology when the disk is full.
 * The message names the file, what is wrong and what to do, in one sentence.
 */
export class DatabaseError extends Error {
  override readonly name = "DatabaseError";
  constructor(
    readonly problem: DatabaseProblem,
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/** How long a connection waits for another's write lock, in milliseconds; see `openDatabase`. */
export const busyTimeoutMs = 5_000;

/** The SQLite result code (`SQLITE_BUSY`, `SQLITE_READONLY_DIRECTORY`, …) or Node errno (`ENOENT`) of an error, if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/** True when the filesystem holding `file` has less than a few pages free. */
function noSpaceLeft(file: string): boolean {
  try {
    const fs = statfsSync(dirname(resolve(file)));
    return fs.bavail * fs.bsize < 64 * 1024;
  } catch {
    // why: a filesystem that cannot even be asked for its free space tells us nothing either way.
    return false;
  }
}

const detailOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Turns what SQLite or the filesystem threw while opening, checking or migrating `file` into the
 * operator's message, or returns undefined when the error is not about the file (a bug, which
 * keeps its stack).
 */
export function databaseErrorOf(file: string, error: unknown): DatabaseError | undefined {
  if (error instanceof DatabaseError) return error;
  const code = errorCode(error) ?? "";
  // why: SQLite reports a full disk as SQLITE_FULL only when a write comes up short; growing its -shm
  // or -wal file on a full disk surfaces as an I/O or open error, which would send the operator to
  // check the disk's health instead of its free space.
  const full = code === "SQLITE_FULL" || code === "ENOSPC" || ((code.startsWith("SQLITE_IOERR") || code.startsWith("SQLITE_CANTOPEN")) && noSpaceLeft(file));
  const say = (problem: DatabaseProblem, message: string) => new DatabaseError(problem, file, message);
  if (full)
    return say("full", `The disk holding ${file} is full, so Docket can't save: free space on that disk (the database's -wal file shrinks back once it can be checkpointed), then start Docket again.`);
  if (code === "SQLITE_NOTADB")
    return say("not_a_database", `${file} is not a SQLite database (its header is not SQLite's): point DOCKET_DB at Docket's database file, or restore it from a backup.`);
  if (code.startsWith("SQLITE_CORRUPT"))
    return say("damaged", `${file} is damaged (${detailOf(error)}): restore it from a backup (docket backup makes one), keeping the damaged file aside for inspection.`);
  if (code.startsWith("SQLITE_READONLY") || code === "EROFS")
    return say("read_only", `${file} can't be written (${detailOf(error)}): give the user running Docket write permission on the file and its directory (SQLite writes a -wal file beside it), or remount that filesystem read-write.`);
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"))
    return say("locked", `${file} stayed locked by another program for more than ${busyTimeoutMs / 1000} s: stop whatever holds it (a sqlite3 shell, a copy or backup tool, a stuck Docket) and start again.`);
  if (code === "SQLITE_PERM" || code === "SQLITE_AUTH" || code === "EACCES" || code === "EPERM")
    return say("unreadable", `${file} can't be opened (permission denied): give the user running Docket read and write permission on the file and its directory.`);
  if (code.startsWith("SQLITE_CANTOPEN"))
    return say("unreadable", `${file} can't be opened (${detailOf(error)}): check that it is a file the user running Docket may read and write, in a directory it may write.`);
  if (code.startsWith("SQLITE_IOERR") || code === "EIO")
    return say("io", `${file} could not be read or written (disk I/O error: ${detailOf(error)}): check the disk and its filesystem, and restore the file from a backup if docket check finds it damaged.`);
  return undefined;
}
