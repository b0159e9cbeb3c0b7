/**
 * Backup and restore of the SQLite store file while it may be in use.
 *
 * A plain copy of a WAL-mode database taken while a process writes to it misses every commit still in the
 * `-wal` file (and may be torn). `backupSqliteFile` uses SQLite's online backup API (better-sqlite3
 * `db.backup()`): the copy is one consistent snapshot holding every transaction committed before it began,
 * taken without stopping the writers (a WAL reader blocks nobody). The copy is written to a temporary file
 * created with mode 0600 (it holds personal data and encrypted tokens), checked with
 * `PRAGMA integrity_check`, and renamed into place.
 *
 * `restoreSqliteFile` puts such a copy back. It refuses while any process has the store open (a running
 * worker, a CLI command), checks the copy (integrity, a ghl-bulksms store, a schema this release knows),
 * keeps the current file as `<store>.pre-restore-<time>` and renames the copy into place. Migrations run
 * when the restored store is next opened.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import Database from "better-sqlite3";
import { SchemaTooNewError, StoreError } from "../errors.js";
import { LATEST_SCHEMA_VERSION } from "./migrations.js";

/** The store file is open in another process (or connection): a restore would pull it from under it. */
export class StoreInUseError extends StoreError {
  readonly path: string;
  constructor(path: string) {
    super(
      "store_in_use",
      `the store ${path} is open in another process (a running worker or CLI command); ` +
        "stop the worker (and wait for other ghl-bulksms commands to finish), then restore again",
    );
    this.name = "StoreInUseError";
    this.path = path;
  }
}

/** The file given is not a usable ghl-bulksms store copy (missing, not SQLite, damaged, foreign). */
export class BackupFileError extends StoreError {
  readonly path: string;
  constructor(path: string, problem: string) {
    super("bad_backup", `${path} ${problem}`);
    this.name = "BackupFileError";
    this.path = path;
  }
}

export interface BackupResult {
  /** absolute path of the copy */
  readonly path: string;
  readonly bytes: number;
  readonly schemaVersion: number;
}

export interface RestoreResult {
  /** absolute path of the store now holding the copy */
  readonly path: string;
  /** where the replaced store was kept; null when there was none */
  readonly previous: string | null;
  readonly schemaVersion: number;
}

const FILE_MODE = 0o600;

function schemaVersionOf(db: Database.Database, path: string): number {
  const table = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .get();
  if (!table) throw new BackupFileError(path, "is not a ghl-bulksms store (no schema_migrations table)");
  const row = db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null };
  return row.v ?? 0;
}

function checkIntegrity(db: Database.Database, path: string): void {
  const result = db.pragma("integrity_check", { simple: true });
  if (result !== "ok") throw new BackupFileError(path, `fails SQLite's integrity check: ${String(result)}`);
}

/** Creates an empty file readable by its owner only (SQLite keeps the mode of a file it opens). */
function createPrivateFile(path: string): void {
  closeSync(openSync(path, "wx", FILE_MODE));
  chmodSync(path, FILE_MODE); // the umask may have taken bits away, never added any: this is a no-op guard
}

function removeWithSidecars(path: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${path}${suffix}`, { force: true });
}

/**
 * Copies the store at `from` (which may be open and written by other processes) to `to`, mode 0600.
 * Refuses to overwrite an existing `to` unless `overwrite`.
 */
export async function backupSqliteFile(options: {
  from: string;
  to: string;
  overwrite?: boolean;
}): Promise<BackupResult> {
  const from = resolve(options.from);
  const to = resolve(options.to);
  if (!existsSync(from)) throw new BackupFileError(from, "does not exist (no store to back up)");
  if (to === from) throw new BackupFileError(to, "is the store itself: give another file");
  if (existsSync(to) && !options.overwrite)
    throw new BackupFileError(to, "already exists (remove it or choose another name)");
  mkdirSync(dirname(to), { recursive: true });
  const temp = join(dirname(to), `.${basename(to)}.partial-${process.pid}`);
  removeWithSidecars(temp);
  createPrivateFile(temp);
  const source = new Database(from, { fileMustExist: true, timeout: 5_000 });
  try {
    // The first step copies 100 pages; every later step copies all the rest at once, in one read
    // transaction: a snapshot, so writers from other processes cannot make the backup start over forever.
    await source.backup(temp, { progress: ({ totalPages }) => Math.max(100, totalPages) });
  } catch (error) {
    removeWithSidecars(temp);
    throw error;
  } finally {
    source.close();
  }
  let schemaVersion: number;
  const copy = new Database(temp, { fileMustExist: true });
  try {
    checkIntegrity(copy, temp);
    schemaVersion = schemaVersionOf(copy, temp);
    // A self-contained file: no -wal beside it to lose when it is moved elsewhere.
    copy.pragma("journal_mode = DELETE");
  } catch (error) {
    copy.close();
    removeWithSidecars(temp);
    throw error;
  }
  copy.close();
  if (options.overwrite) removeWithSidecars(to);
  renameSync(temp, to);
  chmodSync(to, FILE_MODE);
  return { path: to, bytes: statSync(to).size, schemaVersion };
}

/**
 * True when another connection (in this process or another one) has the database file open. An exclusive
 * lock is only granted to the sole connection of a WAL database, idle ones included.
 */
export function isSqliteFileInUse(path: string): boolean {
  if (!existsSync(path)) return false;
  const probe = new Database(path, { fileMustExist: true, timeout: 0 });
  try {
    probe.pragma("locking_mode = EXCLUSIVE");
    probe.exec("BEGIN EXCLUSIVE");
    probe.exec("ROLLBACK");
    return false;
  } catch (error) {
    if ((error as { code?: string }).code === "SQLITE_BUSY") return true;
    throw error;
  } finally {
    probe.close();
  }
}

/**
 * Checks a backup copy: it exists, is an intact SQLite database holding a ghl-bulksms store, and its
 * schema is not newer than this release's. Returns its schema version.
 */
export function checkBackupFile(path: string): number {
  const file = resolve(path);
  if (!existsSync(file)) throw new BackupFileError(file, "does not exist");
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    db.prepare("SELECT COUNT(*) FROM sqlite_master").get();
  } catch (error) {
    throw new BackupFileError(file, `is not a SQLite database (${(error as Error).message})`);
  }
  try {
    checkIntegrity(db, file);
    const version = schemaVersionOf(db, file);
    if (version > LATEST_SCHEMA_VERSION) throw new SchemaTooNewError(version, LATEST_SCHEMA_VERSION, file);
    return version;
  } finally {
    db.close();
  }
}

/**
 * Replaces the store at `to` with the backup copy `from`. Refuses (StoreInUseError) while anything has the
 * store open; the replaced store is kept beside it as `<to>.pre-restore-<ISO time>`. `prepare` is called on
 * the staged copy before anything is replaced (the CLI opens it with the encryption key: a copy made with
 * another key is refused there, and migrations bring an older copy up to date).
 */
export async function restoreSqliteFile(options: {
  from: string;
  to: string;
  now?: () => number;
  prepare?: (stagedPath: string) => Promise<void>;
}): Promise<RestoreResult> {
  const from = resolve(options.from);
  const to = resolve(options.to);
  if (from === to) throw new BackupFileError(from, "is the store itself: give the backup file");
  checkBackupFile(from);
  if (isSqliteFileInUse(to)) throw new StoreInUseError(to);
  const staged = join(dirname(to), `.${basename(to)}.restore-${process.pid}`);
  removeWithSidecars(staged);
  const source = new Database(from, { readonly: true, fileMustExist: true });
  try {
    createPrivateFile(staged);
    await source.backup(staged);
  } catch (error) {
    removeWithSidecars(staged);
    throw error;
  } finally {
    source.close();
  }
  let schemaVersion: number;
  try {
    if (options.prepare) await options.prepare(staged);
    const db = new Database(staged, { fileMustExist: true });
    try {
      schemaVersion = schemaVersionOf(db, staged);
      db.pragma("journal_mode = WAL");
    } finally {
      db.close();
    }
  } catch (error) {
    removeWithSidecars(staged);
    throw error;
  }
  // Checked again right before the swap: a worker started in the meantime keeps its store.
  if (isSqliteFileInUse(to)) {
    removeWithSidecars(staged);
    throw new StoreInUseError(to);
  }
  let previous: string | null = null;
  if (existsSync(to)) {
    // Nobody has it open, so its WAL was checkpointed into the file when the last connection closed; a
    // -wal left by a crashed process is folded in by opening and closing it once.
    new Database(to, { fileMustExist: true }).close();
    const stamp = new Date((options.now ?? Date.now)()).toISOString().replace(/[:.]/g, "-");
    previous = `${to}.pre-restore-${stamp}`;
    renameSync(to, previous);
    chmodSync(previous, FILE_MODE);
    rmSync(`${to}-wal`, { force: true });
    rmSync(`${to}-shm`, { force: true });
  }
  renameSync(staged, to);
  rmSync(`${staged}-wal`, { force: true });
  rmSync(`${staged}-shm`, { force: true });
  chmodSync(to, FILE_MODE);
  return { path: to, previous, schemaVersion };
}
