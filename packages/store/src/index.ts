export {
  type CopyOptions,
  type CopyProgress,
  type CopyResult,
  copySqliteToPostgres,
  type TableCount,
  TargetNotEmptyError,
} from "./copy/sqlite-to-postgres.js";
export { type Cipher, createCipher, parseEncryptionKey } from "./crypto.js";
export { isPostgresUrl, redactDatabaseUrl } from "./database-url.js";
export { EncryptionError, SchemaTooNewError, StoreError } from "./errors.js";
export {
  describeDatabase,
  type OpenStoreOptions,
  openStore,
  type StoreKind,
  storeKind,
} from "./open-store.js";
export { PG_LATEST_SCHEMA_VERSION } from "./postgres/migrations/index.js";
export { openPostgresStore, type PostgresStoreOptions } from "./postgres/open.js";
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
