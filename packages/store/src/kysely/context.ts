/**
 * The context every Kysely repository is built on: the dialect, the cipher, the clock, and how to reach
 * the database for one unit of store work (the store's pool, or the open transaction of a `tx` handle).
 */
import type { Kysely } from "kysely";
import type { Cipher } from "../crypto.js";
import { StoreError } from "../errors.js";
import type { JobDispatcher } from "../postgres/graphile-queue.js";
import type { StoreDialect } from "./dialect.js";
import type { StoreSchema } from "./schema.js";

export type Db = Kysely<StoreSchema>;

export interface KyselyContext {
  readonly dialect: StoreDialect;
  readonly cipher: Cipher;
  readonly now: () => number;
  /**
   * PostgreSQL with graphile-worker: tells graphile-worker of every job the ledger makes runnable, on the
   * same connection (see postgres/graphile-queue.ts). Absent: the embedded outbox, jobs are claimed.
   */
  readonly queue?: JobDispatcher;
  /** Runs one unit of store work on the right connection. */
  run<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /**
   * Runs read-check-write work atomically: in its own transaction at the top level, in a savepoint inside
   * an open transaction (so a failure, even a caught one, undoes only this unit). With `lockKey`, other
   * processes doing the same work on the same key wait (see StoreDialect.lockKey).
   */
  write<T>(lockKey: string | null, fn: (db: Db) => Promise<T>): Promise<T>;
}

/** Turns a foreign-key violation into an error naming the missing location (as the SQLite store does). */
export async function withLocation<T>(
  ctx: KyselyContext,
  locationId: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (ctx.dialect.isForeignKeyViolation(error)) {
      throw new StoreError(
        "unknown_location",
        `unknown location ${JSON.stringify(locationId)}: register it with store.locations.upsert() first`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Rows touched by an UPDATE / DELETE / INSERT result, as a number. */
export function affected(
  result: { numUpdatedRows?: bigint; numDeletedRows?: bigint; numInsertedOrUpdatedRows?: bigint } | undefined,
): number {
  if (!result) return 0;
  return Number(result.numUpdatedRows ?? result.numDeletedRows ?? result.numInsertedOrUpdatedRows ?? 0n);
}

export function num(value: unknown): number {
  return Number(value);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : Number(value);
}

export function strOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : (value as string);
}
