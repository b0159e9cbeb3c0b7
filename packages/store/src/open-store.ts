/**
 * One switch for the whole store: a `postgres://` / `postgresql://` URL opens the PostgreSQL store (the
 * Kysely repositories of src/kysely), anything else is a SQLite file path. SQLite stays on the hand-written
 * store of src/sqlite, not on the same Kysely repositories: its cached, synchronous prepared statements keep
 * webhook ingest several times faster (bench/ingest.ts, bench/postgres.ts), and it is the embedded default.
 */
import { isPostgresUrl, redactDatabaseUrl } from "./database-url.js";
import { openPostgresStore } from "./postgres/open.js";
import { openSqliteStore } from "./sqlite/open.js";
import type { Store } from "./types.js";

export type StoreKind = "sqlite" | "postgres";

export interface OpenStoreOptions {
  /** A PostgreSQL URL, or a SQLite file path (":memory:" for a throwaway one). */
  database: string;
  encryptionKey?: string | Uint8Array;
  now?: () => number;
  /** SQLite only: told when the data folder or file permissions were tightened. */
  onWarning?: (message: string) => void;
  /** PostgreSQL only: most pool connections (default 10). */
  maxConnections?: number;
  /** PostgreSQL only: told when an idle connection fails (it is replaced on next use). */
  onConnectionError?: (error: Error) => void;
}

export function storeKind(database: string): StoreKind {
  return isPostgresUrl(database) ? "postgres" : "sqlite";
}

/** What to show for the database in logs and `doctor`: the kind and the location without a password. */
export function describeDatabase(database: string): { kind: StoreKind; location: string } {
  return { kind: storeKind(database), location: redactDatabaseUrl(database) };
}

export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (storeKind(options.database) === "postgres") {
    return openPostgresStore({
      url: options.database,
      encryptionKey: options.encryptionKey,
      now: options.now,
      maxConnections: options.maxConnections,
      onConnectionError: options.onConnectionError,
    });
  }
  return openSqliteStore({
    path: options.database,
    encryptionKey: options.encryptionKey,
    now: options.now,
    onWarning: options.onWarning,
  });
}
