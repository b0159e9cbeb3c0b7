/**
 * Opens (creating and migrating on first start) the PostgreSQL store: the Kysely repositories over a pg
 * pool. Several processes may open the same database: migrations take a lock, jobs run on graphile-worker
 * (installed here, in its own schema), read-check-write work takes transaction-scoped advisory locks.
 */
import { Kysely, PostgresDialect, sql } from "kysely";
import { createCipher, missingKeyCipher } from "../crypto.js";
import { redactDatabaseUrl } from "../database-url.js";
import { StoreError } from "../errors.js";
import type { Db } from "../kysely/context.js";
import { postgresDialect } from "../kysely/dialect.js";
import { checkKey, createKyselyStore } from "../kysely/store.js";
import type { Store } from "../types.js";
import { createJobDispatcher, graphileSchemaFor, installGraphileWorker } from "./graphile-queue.js";
import { migratePostgres, pgSchemaVersion, quoteIdent } from "./migrations/index.js";
import { createPool } from "./pool.js";

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/db` (or `postgresql://`). */
  url: string;
  /** Same key rules as the SQLite store; ciphertexts are portable between the two. */
  encryptionKey?: string | Uint8Array;
  /** Clock (epoch ms). Default Date.now. */
  now?: () => number;
  /** Schema to live in (created if missing). Default "public". */
  schema?: string;
  /** Most pool connections. Default 10. */
  maxConnections?: number;
  /** Told when an idle connection fails (it is replaced on next use). Default: process.emitWarning. */
  onConnectionError?: (error: Error) => void;
  /** `application_name` of the connections (pg_stat_activity). Default "ghl-bulksms". */
  applicationName?: string;
  /**
   * Where jobs run. Default "graphile-worker": graphile-worker's schema is installed next to the store's
   * and every runnable job is also added to it (see graphile-queue.ts). "outbox": jobs are only claimed
   * from the store's own table (tools that copy or inspect a database, and the outbox conformance runs).
   */
  jobQueue?: "graphile-worker" | "outbox";
}

/** Opens the store; rejects with a StoreError naming the (password-redacted) URL when it cannot connect. */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  const now = options.now ?? Date.now;
  const schema = options.schema ?? "public";
  const label = redactDatabaseUrl(options.url) + (schema === "public" ? "" : ` (schema ${schema})`);
  const jobQueue = options.jobQueue ?? "graphile-worker";
  const hasKey = options.encryptionKey !== undefined && options.encryptionKey !== "";
  const cipher = hasKey ? createCipher(options.encryptionKey!) : missingKeyCipher();
  const pool = createPool({
    url: options.url,
    schema,
    max: options.maxConnections,
    onError: options.onConnectionError,
    applicationName: options.applicationName,
  });
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });
  try {
    try {
      await sql`SELECT 1`.execute(db);
    } catch (error) {
      throw new StoreError(
        "connect_failed",
        `cannot connect to PostgreSQL at ${label}: ${(error as Error).message} (check DATABASE_URL)`,
        { cause: error },
      );
    }
    if (schema !== "public") await sql.raw(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`).execute(db);
    await migratePostgres(db, { schema, label });
    if (jobQueue === "graphile-worker")
      await installGraphileWorker(pool, options.url, graphileSchemaFor(schema));
    if (hasKey) await checkKey(db as unknown as Db, cipher, label, now());
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return createKyselyStore({
    db: db as unknown as Db,
    dialect: postgresDialect,
    cipher,
    now,
    schemaVersion: () => pgSchemaVersion(db, schema),
    ...(jobQueue === "graphile-worker"
      ? {
          queue: {
            // an injected clock other than Date.now is a simulated one (the demo, tests)
            dispatcher: createJobDispatcher(graphileSchemaFor(schema), {
              simulatedClock: options.now !== undefined && options.now !== Date.now,
            }),
            connectionString: options.url,
          },
        }
      : {}),
  });
}
