/** One PostgreSQL migration: the port of the SQLite migration with the same version number. */
export interface PgMigration {
  /** The same number as the SQLite migration it ports (src/sqlite/migrations.ts). */
  readonly version: number;
  /** The same name as the SQLite migration. */
  readonly name: string;
  /** Plain SQL without parameters (run as one multi-statement query, inside the migration's transaction). */
  readonly sql: string;
}
