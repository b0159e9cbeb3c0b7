/**
 * A `Store` over any Kysely database (PostgreSQL, or SQLite through Kysely's SqliteDialect): the same
 * transaction rules as the hand-written SQLite store.
 *
 * - `store.transaction(fn)` runs `fn` in one database transaction on one connection; `tx.transaction`
 *   nests with a savepoint; read-check-write methods take their own savepoint inside a transaction.
 * - Calling `store` (instead of `tx`) inside a callback, or a `tx` after its transaction finished, fails at
 *   once with the same errors as the SQLite store, so code that works on one store works on the other.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { sql } from "kysely";
import type { Cipher } from "../crypto.js";
import { EncryptionError, StoreError } from "../errors.js";
import type { JobDispatcher } from "../postgres/graphile-queue.js";
import type { Store, StoreTx } from "../types.js";
import type { Db, KyselyContext } from "./context.js";
import type { StoreDialect } from "./dialect.js";
import { createQueueEngine } from "./repos/queue-engine.js";
import { defineRepositories } from "./repositories.js";

interface TxToken {
  active: boolean;
  savepoints: number;
}

export interface KyselyStoreParts {
  db: Db;
  dialect: StoreDialect;
  cipher: Cipher;
  now: () => number;
  schemaVersion: () => Promise<number>;
  /** PostgreSQL with graphile-worker (see KyselyContext.queue and Store.queueEngine). */
  queue?: { dispatcher: JobDispatcher; connectionString: string };
  /** Describes the failure of a commit for `/readyz` (never row data). */
  describeFailure?: (error: unknown) => string;
}

const closedError = () => new StoreError("closed", "the store is closed");

async function inSavepoint<T>(db: Db, name: string, fn: () => Promise<T>): Promise<T> {
  await sql.raw(`SAVEPOINT ${name}`).execute(db);
  try {
    const result = await fn();
    await sql.raw(`RELEASE SAVEPOINT ${name}`).execute(db);
    return result;
  } catch (error) {
    await sql.raw(`ROLLBACK TO SAVEPOINT ${name}`).execute(db);
    await sql.raw(`RELEASE SAVEPOINT ${name}`).execute(db);
    throw error;
  }
}

export function createKyselyStore(parts: KyselyStoreParts): Store {
  const { db, dialect, cipher, now } = parts;
  const queue = parts.queue?.dispatcher;
  const txContext = new AsyncLocalStorage<TxToken>();
  let closed = false;

  const topCheck = (): StoreError | null => {
    if (closed) return closedError();
    if (txContext.getStore()?.active) {
      return new StoreError(
        "outside_tx",
        "a store method was called on `store` inside a transaction callback; use the `tx` argument " +
          "instead (calling `store` here would wait for the transaction forever)",
      );
    }
    return null;
  };

  const topCtx: KyselyContext = {
    dialect,
    cipher,
    now,
    ...(queue ? { queue } : {}),
    run(fn) {
      const error = topCheck();
      return error ? Promise.reject(error) : fn(db);
    },
    write(lockKey, fn) {
      const error = topCheck();
      if (error) return Promise.reject(error);
      return db.transaction().execute(async (trx) => {
        if (lockKey !== null) await dialect.lockKey(trx, lockKey);
        return fn(trx);
      });
    },
  };

  function txHandle(trx: Db, token: TxToken): StoreTx {
    const finished = () =>
      new StoreError("tx_finished", "this transaction handle was used after its transaction finished");
    const ctx: KyselyContext = {
      dialect,
      cipher,
      now,
      ...(queue ? { queue } : {}),
      run(fn) {
        return token.active ? fn(trx) : Promise.reject(finished());
      },
      write(lockKey, fn) {
        if (!token.active) return Promise.reject(finished());
        return inSavepoint(trx, `w${++token.savepoints}`, async () => {
          if (lockKey !== null) await dialect.lockKey(trx, lockKey);
          return fn(trx);
        });
      },
    };
    const handle = defineRepositories({} as { transaction: StoreTx["transaction"] }, ctx);
    // an own function, so that a detached `tx.transaction` still works
    handle.transaction = async <T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> => {
      if (!token.active)
        throw new StoreError("tx_finished", "this transaction handle was used after it finished");
      return inSavepoint(trx, `sp${++token.savepoints}`, () => fn(handle as StoreTx));
    };
    return handle as StoreTx;
  }

  async function transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    if (closed) throw closedError();
    if (txContext.getStore()?.active) {
      throw new StoreError(
        "outside_tx",
        "store.transaction() was called inside a transaction callback; use tx.transaction() to nest",
      );
    }
    const token: TxToken = { active: true, savepoints: 0 };
    try {
      return await db.transaction().execute((trx) => txContext.run(token, () => fn(txHandle(trx, token))));
    } finally {
      token.active = false;
    }
  }

  const top = defineRepositories(
    {
      now,
      transaction,
      ...(queue && parts.queue
        ? {
            queueEngine: createQueueEngine(
              { ...topCtx, queue },
              { connectionString: parts.queue.connectionString },
            ),
          }
        : {}),
      schemaVersion: () => (closed ? Promise.reject(closedError()) : parts.schemaVersion()),
      ping: async () => {
        if (closed) return false;
        try {
          await sql`SELECT 1`.execute(db);
          return true;
        } catch {
          return false;
        }
      },
      probeCommit: async () => {
        try {
          await topCtx.write(null, (trx) =>
            trx
              .insertInto("store_meta")
              .values({ key: "health_probe", value: String(now()) })
              .onConflict((oc) => oc.column("key").doUpdateSet((eb) => ({ value: eb.ref("excluded.value") })))
              .execute(),
          );
          return { ok: true as const };
        } catch (error) {
          return { ok: false as const, reason: (parts.describeFailure ?? describeFailure)(error) };
        }
      },
      close: async () => {
        if (closed) return;
        closed = true;
        await db.destroy();
      },
    },
    topCtx,
  );
  return top as Store;
}

/** Why a commit failed: the error code and message (they carry no row data). */
export function describeFailure(e: unknown): string {
  if (e instanceof StoreError) return `store cannot commit: ${e.message}`;
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err?.code === "string" ? `${err.code}: ` : "";
  const message = typeof err?.message === "string" ? err.message.slice(0, 200) : String(e);
  return `store cannot commit: ${code}${message}`;
}

const KEY_CHECK = "ghl-bulksms key check";

/**
 * Records (first open) or verifies the key-check value in `store_meta`: the same value and context as the
 * SQLite store, so a database copied from SQLite keeps its key check.
 */
export async function checkKey(db: Db, cipher: Cipher, label: string, now: number): Promise<void> {
  const row = await db
    .selectFrom("store_meta")
    .select("value")
    .where("key", "=", "key_check")
    .executeTakeFirst();
  if (!row) {
    await db
      .insertInto("store_meta")
      .values({ key: "key_check", value: cipher.encrypt(`${KEY_CHECK} ${now}`, "store:key-check") })
      .onConflict((oc) => oc.column("key").doNothing())
      .execute();
    return;
  }
  try {
    cipher.decrypt(row.value, "store:key-check");
  } catch {
    throw new EncryptionError(
      "wrong_key",
      `the encryption key does not match the one database ${label} was created with; ` +
        "tokens and secrets in it cannot be decrypted (check the key variable)",
    );
  }
}
