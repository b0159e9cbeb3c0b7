/**
 * Opens (creating and migrating on first start) the embedded SQLite store.
 */
import Database from "better-sqlite3";
import { type Cipher, createCipher, missingKeyCipher } from "../crypto.js";
import { EncryptionError, StoreError } from "../errors.js";
import type { LocksRepo, Repositories, Store, StoreTx } from "../types.js";
import { createAuditLogRepo } from "./audit-log.js";
import { createCampaignsRepo } from "./campaigns.js";
import { createContactsRepo } from "./contacts.js";
import {
  createMutex,
  createStatementCache,
  type SqlContext,
  type TxToken,
  topLevelRunner,
  txContext,
  txRunner,
} from "./context.js";
import { createDecisionsRepo } from "./decisions.js";
import { createDigestsRepo } from "./digests.js";
import { type PermissionWarn, prepareDatabaseFiles, tightenDatabaseFiles } from "./file-permissions.js";
import { createFollowUpsRepo } from "./follow-ups.js";
import { createInboxRepo } from "./inbox.js";
import { createDeadLettersRepo, createJobsRepo } from "./jobs.js";
import { createLocationsRepo } from "./locations.js";
import { createLocksRepo } from "./locks.js";
import { createMergeUndoRepo } from "./merge-undo.js";
import { createMessagesRepo } from "./messages.js";
import { migrate, schemaVersion } from "./migrations.js";
import { createOptOutsRepo } from "./opt-outs.js";
import { createRateBudgetRepo } from "./rate-budget.js";
import { createSettingsRepo } from "./settings.js";
import { createSyncRunsRepo } from "./sync-runs.js";
import { createSecretsRepo, createTokensRepo } from "./tokens.js";
import { createVendorWritesRepo } from "./vendor-writes.js";

export const DEFAULT_DB_PATH = "./data/ghl-bulksms.db";

export interface SqliteStoreOptions {
  /** File path, or ":memory:". Default "./data/ghl-bulksms.db" (the folder is created). */
  path?: string;
  /**
   * 32-byte AES-256-GCM key as 64 hex or 44 base64 characters. Without it the store opens, but tokens and
   * secrets cannot be read or written. With it, the store checks it is the key the database was created with.
   */
  encryptionKey?: string | Uint8Array;
  /** Clock (epoch ms). Default Date.now. */
  now?: () => number;
  /** How long a write waits for another process's lock. Default 5000 ms. */
  busyTimeoutMs?: number;
  /**
   * "NORMAL" (default) survives process crashes (SIGKILL) with WAL; "FULL" also survives power loss
   * at a throughput cost.
   */
  synchronous?: "NORMAL" | "FULL";
  /**
   * Told when open() found the data folder or a database file open to other users and tightened it
   * (0700 / 0600). Default: `process.emitWarning` (code GHL_BULKSMS_STORE_PERMISSIONS).
   */
  onWarning?: (message: string) => void;
}

const defaultWarn: PermissionWarn = (message) =>
  process.emitWarning(message, { code: "GHL_BULKSMS_STORE_PERMISSIONS" });

const KEY_CHECK = "ghl-bulksms key check";

function checkKey(db: Database.Database, cipher: Cipher, hasKey: boolean, path: string, now: number): void {
  if (!hasKey) return;
  const row = db.prepare("SELECT value FROM store_meta WHERE key = 'key_check'").get() as
    | { value: string }
    | undefined;
  if (!row) {
    db.prepare(
      "INSERT INTO store_meta (key, value) VALUES ('key_check', ?) ON CONFLICT (key) DO NOTHING",
    ).run(cipher.encrypt(`${KEY_CHECK} ${now}`, "store:key-check"));
    return;
  }
  try {
    cipher.decrypt(row.value, "store:key-check");
  } catch {
    throw new EncryptionError(
      "wrong_key",
      `the encryption key does not match the one database ${path} was created with; ` +
        "tokens and secrets in it cannot be decrypted (check the key variable)",
    );
  }
}

/** How each repository is built on a connection context (`locks` for the ones that take leases). */
const REPOSITORIES: {
  readonly [K in keyof Repositories]: (ctx: SqlContext, locks: () => LocksRepo) => Repositories[K];
} = {
  locks: (ctx) => createLocksRepo(ctx),
  locations: (ctx) => createLocationsRepo(ctx),
  tokens: (ctx, locks) => createTokensRepo(ctx, locks()),
  secrets: (ctx) => createSecretsRepo(ctx),
  contacts: (ctx) => createContactsRepo(ctx),
  messages: (ctx) => createMessagesRepo(ctx),
  inbox: (ctx) => createInboxRepo(ctx),
  jobs: (ctx) => createJobsRepo(ctx),
  deadLetters: (ctx) => createDeadLettersRepo(ctx),
  optOuts: (ctx) => createOptOutsRepo(ctx),
  runs: (ctx) => createSyncRunsRepo(ctx),
  audit: (ctx) => createAuditLogRepo(ctx),
  decisions: (ctx) => createDecisionsRepo(ctx),
  vendorWrites: (ctx) => createVendorWritesRepo(ctx),
  mergeUndo: (ctx) => createMergeUndoRepo(ctx),
  followUps: (ctx) => createFollowUpsRepo(ctx),
  digests: (ctx) => createDigestsRepo(ctx),
  campaigns: (ctx) => createCampaignsRepo(ctx),
  settings: (ctx) => createSettingsRepo(ctx),
  rateBudget: (ctx) => createRateBudgetRepo(ctx),
};

export function openSqliteStore(options: SqliteStoreOptions = {}): Store {
  const path = options.path ?? DEFAULT_DB_PATH;
  const now = options.now ?? Date.now;
  const memory = path === ":memory:" || path === "";
  const hasKey = options.encryptionKey !== undefined && options.encryptionKey !== "";
  const cipher = hasKey ? createCipher(options.encryptionKey!) : missingKeyCipher();
  const warn = options.onWarning ?? defaultWarn;
  // folder 0700, database file 0600 before SQLite creates its -wal / -shm with the same mode
  if (!memory) prepareDatabaseFiles(path, warn);

  const db = new Database(memory ? ":memory:" : path);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    if (!memory) {
      db.pragma("journal_mode = WAL");
      // -wal / -shm left by an older version (or copied in) may still be open to others
      tightenDatabaseFiles(path, warn);
    }
    db.pragma(`synchronous = ${options.synchronous === "FULL" ? "FULL" : "NORMAL"}`);
    db.pragma("foreign_keys = ON");
    migrate(db, { now: now(), path });
    checkKey(db, cipher, hasKey, path, now());
  } catch (error) {
    db.close();
    throw error;
  }

  const prepare = createStatementCache(db);
  const mutex = createMutex();
  let closed = false;

  // One IMMEDIATE-transaction function for the whole connection (a savepoint when a transaction is open):
  // `db.transaction(fn)` would build five functions per call.
  const atomic = db.transaction((fn: () => unknown) => fn()).immediate as <T>(fn: () => T) => T;
  const begin = db.prepare("BEGIN IMMEDIATE");
  const commit = db.prepare("COMMIT");
  const rollback = db.prepare("ROLLBACK");

  const run = topLevelRunner(mutex, () => closed);
  const topCtx: SqlContext = { db, cipher, now, prepare, atomic, run, write: (fn) => run(() => atomic(fn)) };
  const topLocks = createLocksRepo(topCtx);
  const top: Repositories = {
    locks: topLocks,
    locations: createLocationsRepo(topCtx),
    tokens: createTokensRepo(topCtx, topLocks),
    secrets: createSecretsRepo(topCtx),
    contacts: createContactsRepo(topCtx),
    messages: createMessagesRepo(topCtx),
    inbox: createInboxRepo(topCtx),
    jobs: createJobsRepo(topCtx),
    deadLetters: createDeadLettersRepo(topCtx),
    optOuts: createOptOutsRepo(topCtx),
    runs: createSyncRunsRepo(topCtx),
    audit: createAuditLogRepo(topCtx),
    decisions: createDecisionsRepo(topCtx),
    vendorWrites: createVendorWritesRepo(topCtx),
    mergeUndo: createMergeUndoRepo(topCtx),
    followUps: createFollowUpsRepo(topCtx),
    digests: createDigestsRepo(topCtx),
    campaigns: createCampaignsRepo(topCtx),
    settings: createSettingsRepo(topCtx),
    rateBudget: createRateBudgetRepo(topCtx),
  };

  /**
   * A transaction handle. Its repositories are bound to this transaction's token (so a handle used after
   * its transaction finished fails, even while another transaction is open) and are built on first use:
   * a transaction pays only for the repositories it touches (an ingest: inbox and jobs), not all of them.
   */
  class TxHandle implements StoreTx {
    readonly #ctx: SqlContext;
    readonly #built: { -readonly [K in keyof Repositories]?: Repositories[K] } = {};
    readonly transaction: StoreTx["transaction"];
    constructor(token: TxToken) {
      const txRun = txRunner(token);
      this.#ctx = {
        db,
        cipher,
        now,
        prepare,
        atomic,
        run: txRun,
        write(fn) {
          return txRun(() => atomic(fn));
        },
      };
      // an own function, not a prototype method, so that a detached `tx.transaction` still works
      this.transaction = async <T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> => {
        if (!token.active)
          throw new StoreError("tx_finished", "this transaction handle was used after it finished");
        const name = `sp${++token.savepoints}`;
        db.exec(`SAVEPOINT ${name}`);
        try {
          const result = await fn(this);
          db.exec(`RELEASE ${name}`);
          return result;
        } catch (error) {
          db.exec(`ROLLBACK TO ${name}`);
          db.exec(`RELEASE ${name}`);
          throw error;
        }
      };
    }
    #build<K extends keyof Repositories>(key: K): Repositories[K] {
      const repo = REPOSITORIES[key](this.#ctx, () => this.locks);
      this.#built[key] = repo;
      return repo;
    }
    get locks() {
      return this.#built.locks ?? this.#build("locks");
    }
    get locations() {
      return this.#built.locations ?? this.#build("locations");
    }
    get rateBudget() {
      return this.#built.rateBudget ?? this.#build("rateBudget");
    }
    get tokens() {
      return this.#built.tokens ?? this.#build("tokens");
    }
    get secrets() {
      return this.#built.secrets ?? this.#build("secrets");
    }
    get contacts() {
      return this.#built.contacts ?? this.#build("contacts");
    }
    get messages() {
      return this.#built.messages ?? this.#build("messages");
    }
    get inbox() {
      return this.#built.inbox ?? this.#build("inbox");
    }
    get jobs() {
      return this.#built.jobs ?? this.#build("jobs");
    }
    get deadLetters() {
      return this.#built.deadLetters ?? this.#build("deadLetters");
    }
    get optOuts() {
      return this.#built.optOuts ?? this.#build("optOuts");
    }
    get runs() {
      return this.#built.runs ?? this.#build("runs");
    }
    get audit() {
      return this.#built.audit ?? this.#build("audit");
    }
    get decisions() {
      return this.#built.decisions ?? this.#build("decisions");
    }
    get vendorWrites() {
      return this.#built.vendorWrites ?? this.#build("vendorWrites");
    }
    get mergeUndo() {
      return this.#built.mergeUndo ?? this.#build("mergeUndo");
    }
    get followUps() {
      return this.#built.followUps ?? this.#build("followUps");
    }
    get digests() {
      return this.#built.digests ?? this.#build("digests");
    }
    get campaigns() {
      return this.#built.campaigns ?? this.#build("campaigns");
    }
    get settings() {
      return this.#built.settings ?? this.#build("settings");
    }
  }

  async function transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
    if (closed) throw new StoreError("closed", "the store is closed");
    // Uncontended: take the mutex without a promise. A free mutex also means no transaction callback is
    // running (a transaction holds it while its token is active), so the async-context check can be skipped.
    if (!mutex.tryAcquire()) {
      if (txContext.getStore()?.active) {
        throw new StoreError(
          "outside_tx",
          "store.transaction() was called inside a transaction callback; use tx.transaction() to nest",
        );
      }
      await mutex.acquire();
    }
    const token: TxToken = { active: true, savepoints: 0 };
    try {
      begin.run();
      try {
        const result = await txContext.run(token, () => fn(new TxHandle(token)));
        commit.run();
        return result;
      } catch (error) {
        if (db.inTransaction) rollback.run();
        throw error;
      }
    } finally {
      token.active = false;
      mutex.release();
    }
  }

  return {
    ...top,
    now,
    transaction,
    schemaVersion: () => run(() => schemaVersion(db)),
    ping: () => run(() => (prepare("SELECT 1 AS ok").get() as { ok: number }).ok === 1).catch(() => false),
    probeCommit: () =>
      run(() =>
        atomic(() =>
          prepare(
            `INSERT INTO store_meta (key, value) VALUES ('health_probe', ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
          ).run(String(now())),
        ),
      ).then(
        () => ({ ok: true as const }),
        (e: unknown) => ({ ok: false as const, reason: commitFailure(e) }),
      ),
    close: async () => {
      if (closed) return;
      await mutex.acquire();
      try {
        closed = true;
        db.close();
      } finally {
        mutex.release();
      }
    },
  };
}

/** Why a commit failed, for `/readyz`: the SQLite error code and message (they carry no row data). */
function commitFailure(e: unknown): string {
  if (e instanceof StoreError) return `store cannot commit: ${e.message}`;
  const err = e as { code?: unknown; message?: unknown };
  const code = typeof err?.code === "string" ? `${err.code}: ` : "";
  const message = typeof err?.message === "string" ? err.message.slice(0, 200) : String(e);
  return `store cannot commit: ${code}${message}`;
}

/** An in-memory store for tests; a random encryption key unless one is given. */
export function openMemoryStore(options: Omit<SqliteStoreOptions, "path"> = {}): Store {
  return openSqliteStore({
    ...options,
    path: ":memory:",
    encryptionKey:
      options.encryptionKey ?? Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))),
  });
}
