export { type Cipher, createCipher, parseEncryptionKey } from "./crypto.js";
export { EncryptionError, SchemaTooNewError, StoreError } from "./errors.js";
export {
  BackupFileError,
  type BackupResult,
  backupSqliteFile,
  checkBackupFile,
  isSqliteFileInUse,
  type RestoreResult,
  restoreSqliteFile,
  StoreInUseError,
} from "./sqlite/backup.js";
export { LATEST_SCHEMA_VERSION } from "./sqlite/migrations.js";
export { DEFAULT_DB_PATH, openMemoryStore, openSqliteStore, type SqliteStoreOptions } from "./sqlite/open.js";
export { DEFAULT_RUN_STALE_MS } from "./sqlite/sync-runs.js";
export { compareStatus, isTerminalStatus, MESSAGE_STATUS_RANK, MESSAGE_STATUSES } from "./status-rank.js";
export { emptyCounts } from "./sync-run-counts.js";
export type * from "./types.js";
