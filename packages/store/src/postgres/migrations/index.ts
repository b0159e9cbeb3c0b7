/**
 * PostgreSQL migrations, run by Kysely's Migrator (one transaction each, a lock so that several workers
 * starting at once migrate once). To port SQLite migration N: add `000N-<name>.ts` here with the same
 * version and name, and append it to PG_MIGRATIONS. test/schema-parity.test.ts fails until both dialects
 * have the same tables, columns and indexes.
 */
import { type Kysely, type Migration, type MigrationProvider, Migrator, sql } from "kysely";
import { SchemaTooNewError, StoreError } from "../../errors.js";
import { migration0001 } from "./0001-initial-schema.js";
import { migration0002 } from "./0002-cross-process-locks.js";
import { migration0003 } from "./0003-message-listing-indexes.js";
import { migration0004 } from "./0004-send-decisions.js";
import { migration0005 } from "./0005-contacts-consent-view-time.js";
import { migration0006 } from "./0006-opt-out-event-times.js";
import { migration0007 } from "./0007-replies-from-earlier-numbers.js";
import { migration0008 } from "./0008-campaigns.js";
import { migration0009 } from "./0009-shared-vendor-rate-budget.js";
import type { PgMigration } from "./types.js";

export const PG_MIGRATIONS: readonly PgMigration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
];

export const PG_LATEST_SCHEMA_VERSION = PG_MIGRATIONS[PG_MIGRATIONS.length - 1]?.version ?? 0;

/** Kysely's bookkeeping tables (kept out of the store's own tables). */
export const PG_MIGRATION_TABLE = "store_migration";
export const PG_MIGRATION_LOCK_TABLE = "store_migration_lock";

/** "0006-opt-outs-decided-..." from a migration; the version is the leading number. */
export function migrationKey(m: PgMigration): string {
  const slug = m.name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `${String(m.version).padStart(4, "0")}-${slug}`;
}

function provider(migrations: readonly PgMigration[]): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {};
      for (const m of migrations) {
        out[migrationKey(m)] = { up: async (db) => void (await sql.raw(m.sql).execute(db)) };
      }
      return out;
    },
  };
}

/** The highest applied version (0 for an empty database). */
export async function pgSchemaVersion(db: Kysely<unknown>, schema: string): Promise<number> {
  const exists = await sql<{ present: boolean }>`
    SELECT to_regclass(${`${quoteIdent(schema)}.${PG_MIGRATION_TABLE}`}) IS NOT NULL AS present`.execute(db);
  if (!exists.rows[0]?.present) return 0;
  const rows = await sql<{ name: string }>`SELECT name FROM ${sql.id(schema, PG_MIGRATION_TABLE)}`.execute(
    db,
  );
  return rows.rows.reduce((max, row) => Math.max(max, Number.parseInt(row.name, 10) || 0), 0);
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Brings the database to the latest version; refuses a database migrated by a newer release. */
export async function migratePostgres(
  db: Kysely<unknown>,
  options: { schema: string; label: string; migrations?: readonly PgMigration[] },
): Promise<number[]> {
  const migrations = options.migrations ?? PG_MIGRATIONS;
  const known = migrations[migrations.length - 1]?.version ?? 0;
  const found = await pgSchemaVersion(db, options.schema);
  if (found > known) throw new SchemaTooNewError(found, known, options.label);
  const migrator = new Migrator({
    db,
    provider: provider(migrations),
    migrationTableName: PG_MIGRATION_TABLE,
    migrationLockTableName: PG_MIGRATION_LOCK_TABLE,
    migrationTableSchema: options.schema,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    throw new StoreError(
      "migration_failed",
      `could not migrate PostgreSQL database ${options.label}: ${(error as Error).message ?? String(error)}`,
      { cause: error },
    );
  }
  return (results ?? [])
    .filter((r) => r.status === "Success")
    .map((r) => Number.parseInt(r.migrationName, 10));
}
