// Private files for the SQLite store: the database holds contacts, phone numbers and (encrypted) tokens, so
// only the owner may read it. The data folder is created 0700 and the database files (db, -wal, -shm,
// -journal) 0600; looser permissions found at open are tightened, with a warning.
//
// SQLite creates -wal / -shm / -journal with the permissions of the database file, so creating the database
// file 0600 before SQLite opens it keeps every later file private too.
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, resolve } from "node:path";

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** The files SQLite keeps for a database path. */
export const SQLITE_FILE_SUFFIXES = ["", "-wal", "-shm", "-journal"] as const;

export type PermissionWarn = (message: string) => void;

/** Permission bits for group and others. */
const LOOSE_BITS = 0o077;

function modeOf(path: string): number | null {
  try {
    return statSync(path).mode & 0o777;
  } catch {
    return null; // missing
  }
}

const octal = (mode: number) => `0${mode.toString(8).padStart(3, "0")}`;

/** Folders that are not the store's own: never chmod them, only warn. */
function sharedFolder(dir: string): boolean {
  const shared = new Set(["/", resolve(homedir()), resolve(tmpdir()), resolve(process.cwd())]);
  return shared.has(resolve(dir));
}

/**
 * Before SQLite opens `path`: the folder exists (created 0700) and is not open to others, and the
 * database file exists with 0600 (created empty, which SQLite takes as a new database).
 */
export function prepareDatabaseFiles(path: string, warn: PermissionWarn): void {
  if (process.platform === "win32") return;
  const dir = dirname(resolve(path));
  const dirMode = modeOf(dir);
  if (dirMode === null) {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    // mkdir applies the umask; a umask cannot add bits, but make the result exact anyway
    chmodSync(dir, PRIVATE_DIR_MODE);
  } else if ((dirMode & LOOSE_BITS) !== 0) {
    if (sharedFolder(dir)) {
      warn(
        `the store's folder ${dir} is ${octal(dirMode)} (open to other users) and is not a dedicated data folder, so it was left as is; put the database in its own folder (DATA_DIR)`,
      );
    } else {
      chmodSync(dir, PRIVATE_DIR_MODE);
      warn(`the store's folder ${dir} was ${octal(dirMode)} (open to other users); changed to 0700`);
    }
  }
  try {
    // "wx": only when it does not exist yet, so an existing database is never truncated
    closeSync(openSync(path, "wx", PRIVATE_FILE_MODE));
    chmodSync(path, PRIVATE_FILE_MODE);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  tightenDatabaseFiles(path, warn);
}

/** Each existing database file (db, -wal, -shm, -journal) readable by others is changed to 0600. */
export function tightenDatabaseFiles(path: string, warn: PermissionWarn): void {
  if (process.platform === "win32") return;
  for (const suffix of SQLITE_FILE_SUFFIXES) {
    const file = `${path}${suffix}`;
    const mode = modeOf(file);
    if (mode === null || (mode & LOOSE_BITS) === 0) continue;
    chmodSync(file, PRIVATE_FILE_MODE);
    warn(`the store file ${file} was ${octal(mode)} (readable by other users); changed to 0600`);
  }
}
