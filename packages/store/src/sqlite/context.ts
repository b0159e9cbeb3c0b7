/**
 * The connection context shared by every SQLite repository, and the rules of concurrency on it.
 *
 * better-sqlite3 is synchronous, so a single store operation can never interleave with another one.
 * Only transactions span awaits; while a transaction's callback runs, an async mutex holds every other
 * operation back, so nothing else lands inside the open transaction.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Database, Statement } from "better-sqlite3";
import type { Cipher } from "../crypto.js";
import { StoreError } from "../errors.js";

export interface SqlContext {
  readonly db: Database;
  readonly cipher: Cipher;
  readonly now: () => number;
  /** A cached prepared statement. */
  prepare(sql: string): Statement;
  /** Runs one synchronous unit of store work at the right moment (now, or after the current transaction). */
  run<T>(fn: () => T): Promise<T>;
  /**
   * `run` for read-check-write work: also wrapped in an IMMEDIATE transaction (a savepoint inside an open
   * one), so another process cannot write between the read and the write (e.g. monotonic status).
   */
  write<T>(fn: () => T): Promise<T>;
  /**
   * Runs `fn` synchronously in an IMMEDIATE transaction (a savepoint inside an open one); what
   * `db.transaction(fn).immediate()` does, without building a new transaction function per call.
   */
  atomic<T>(fn: () => T): T;
}

export interface Mutex {
  readonly locked: boolean;
  acquire(): Promise<void>;
  /** Takes the mutex at once if it is free (no promise); false if it is held. */
  tryAcquire(): boolean;
  release(): void;
}

export function createMutex(): Mutex {
  let locked = false;
  const waiters: Array<() => void> = [];
  return {
    get locked() {
      return locked;
    },
    acquire() {
      if (!locked) {
        locked = true;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    tryAcquire() {
      if (locked) return false;
      locked = true;
      return true;
    },
    release() {
      const next = waiters.shift();
      if (next) next();
      else locked = false;
    },
  };
}

/** Marks the async context of a running transaction callback. */
export interface TxToken {
  active: boolean;
  savepoints: number;
}

export const txContext = new AsyncLocalStorage<TxToken>();

export function runSync<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** `run` for the top-level store: immediate when no transaction is open, else queued behind it. */
export function topLevelRunner(mutex: Mutex, isClosed: () => boolean): <T>(fn: () => T) => Promise<T> {
  return <T>(fn: () => T): Promise<T> => {
    if (isClosed()) return Promise.reject(new StoreError("closed", "the store is closed"));
    // A transaction holds the mutex for as long as its token is active, so while the mutex is free no
    // transaction callback can be calling: skip the async-context lookup.
    if (!mutex.locked) return runSync(fn);
    const token = txContext.getStore();
    if (token?.active) {
      return Promise.reject(
        new StoreError(
          "outside_tx",
          "a store method was called on `store` inside a transaction callback; use the `tx` argument " +
            "instead (calling `store` here would wait for the transaction forever)",
        ),
      );
    }
    return mutex.acquire().then(() => {
      try {
        return fn();
      } finally {
        mutex.release();
      }
    });
  };
}

/** `run` for a transaction handle: only valid while its transaction is open. */
export function txRunner(token: TxToken): <T>(fn: () => T) => Promise<T> {
  return <T>(fn: () => T): Promise<T> => {
    if (!token.active) {
      return Promise.reject(
        new StoreError("tx_finished", "this transaction handle was used after its transaction finished"),
      );
    }
    return runSync(fn);
  };
}

export function createStatementCache(db: Database): (sql: string) => Statement {
  const cache = new Map<string, Statement>();
  return (sql) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };
}
