/**
 * Everything that differs between SQLite and PostgreSQL for the Kysely repositories, in one place.
 * A repository never branches on the dialect itself: it asks this object.
 */
import { type RawBuilder, sql } from "kysely";
import type { Db } from "./context.js";
import type { Bool, Json } from "./schema.js";

export type DialectName = "sqlite" | "postgres";

export interface StoreDialect {
  readonly name: DialectName;
  /** A boolean as the column stores it (SQLite 0/1, PostgreSQL boolean). */
  bool(value: boolean): Bool;
  /** Reads a boolean column. */
  readBool(value: unknown): boolean;
  /** Reads a JSON column (SQLite: text to parse; PostgreSQL jsonb: already parsed); SQL NULL is null. */
  readJson(value: unknown): unknown;
  /**
   * The column that orders rows by insertion where the primary key does not (messages have random text ids):
   * SQLite's rowid, PostgreSQL's `seq` identity column (a stand-in for rowid, see postgres/migrations).
   */
  readonly insertionOrder: RawBuilder<unknown>;
  /** Whether `SELECT ... FOR UPDATE SKIP LOCKED` exists (PostgreSQL): jobs are claimed with it. */
  readonly skipLocked: boolean;
  /** Is `error` the dialect's foreign-key violation? */
  isForeignKeyViolation(error: unknown): boolean;
  /**
   * Serialises read-check-write work on one logical key across processes, until the transaction ends.
   * PostgreSQL: a transaction-scoped advisory lock. SQLite: nothing to do, a write transaction already
   * excludes every other writer of the file.
   */
  lockKey(db: Db, key: string): Promise<void>;
}

/** Writes a JSON column: SQL NULL for null/undefined, else JSON text (PostgreSQL casts it to jsonb). */
export function json(value: unknown): Json {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value);
}

export const sqliteDialect: StoreDialect = {
  name: "sqlite",
  bool: (value) => (value ? 1 : 0),
  readBool: (value) => value === 1 || value === 1n || value === true,
  readJson: (value) => (typeof value === "string" ? JSON.parse(value) : null),
  insertionOrder: sql`rowid`,
  skipLocked: false,
  isForeignKeyViolation: (error) =>
    (error as { code?: unknown } | null)?.code === "SQLITE_CONSTRAINT_FOREIGNKEY",
  lockKey: async () => {},
};

export const postgresDialect: StoreDialect = {
  name: "postgres",
  bool: (value) => value,
  readBool: (value) => value === true,
  readJson: (value) => (value === undefined ? null : value),
  insertionOrder: sql`seq`,
  skipLocked: true,
  isForeignKeyViolation: (error) => (error as { code?: unknown } | null)?.code === "23503",
  lockKey: async (db, key) => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`.execute(db);
  },
};
