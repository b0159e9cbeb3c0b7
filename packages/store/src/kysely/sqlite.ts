/**
 * The Kysely repositories over SQLite (Kysely's SqliteDialect on better-sqlite3), on a file migrated by
 * the SQLite store's own migrations. It exists to prove the one query layer: the conformance suite runs it
 * next to the hand-written SQLite store and the PostgreSQL store.
 *
 * The embedded default stays the hand-written store (src/sqlite/*): it prepares and caches statements and
 * runs them synchronously without a query builder or a promise per statement, which keeps webhook ingest
 * at the rate packages/store/bench/ingest.ts measures. This path is for tests and for comparing the two.
 */
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { createCipher, missingKeyCipher } from "../crypto.js";
import { migrate, schemaVersion } from "../sqlite/migrations.js";
import type { Store } from "../types.js";
import type { Db } from "./context.js";
import { sqliteDialect } from "./dialect.js";
import { checkKey, createKyselyStore } from "./store.js";

export async function openKyselySqliteStore(options: {
  path?: string;
  encryptionKey?: string | Uint8Array;
  now?: () => number;
}): Promise<Store> {
  const path = options.path ?? ":memory:";
  const now = options.now ?? Date.now;
  const hasKey = options.encryptionKey !== undefined && options.encryptionKey !== "";
  const cipher = hasKey ? createCipher(options.encryptionKey!) : missingKeyCipher();
  const database = new Database(path);
  database.pragma("foreign_keys = ON");
  database.pragma("busy_timeout = 5000");
  if (path !== ":memory:") database.pragma("journal_mode = WAL"); // as the hand-written store
  database.pragma("synchronous = NORMAL");
  migrate(database, { now: now(), path });
  const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database }) }) as unknown as Db;
  if (hasKey) await checkKey(db, cipher, path, now());
  return createKyselyStore({
    db,
    dialect: sqliteDialect,
    cipher,
    now,
    schemaVersion: async () => schemaVersion(database),
  });
}
