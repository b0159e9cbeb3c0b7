/**
 * The store factories every conformance test runs against: the hand-written SQLite store (the embedded
 * default), the Kysely repositories on SQLite, and the Kysely repositories on PostgreSQL. Each `open()`
 * gives an empty store; stores opened in a test are closed after it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, inject } from "vitest";
import { openMemoryStore, openPostgresStore, openSqliteStore, type Store } from "../../src/index.js";
import { openKyselySqliteStore } from "../../src/kysely/sqlite.js";
import { createTestSchema, type TestSchema } from "../../src/testing/index.js";

export interface OpenOptions {
  now?: () => number;
  encryptionKey?: string | Uint8Array;
}
export type OpenStore = (options?: OpenOptions) => Promise<Store>;

/** `n` stores on one new, empty database (as `n` worker processes see it). */
export type OpenShared = (n: number, options?: OpenOptions) => Promise<Store[]>;

export interface StoreFactory {
  readonly name: "sqlite" | "kysely-sqlite" | "postgres";
  readonly open: OpenStore;
  readonly openShared: OpenShared;
}

const opened: Store[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function sharedFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "ghl-bulksms-shared-"));
  dirs.push(dir);
  return join(dir, "shared.db");
}

function randomKey(): Buffer {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32)));
}

/** The PostgreSQL server of this run (see test/global-setup.ts); throws its start-up error if it has none. */
export function testPostgresUrl(): string {
  const provided = inject("postgres");
  if (!provided?.url) {
    throw new Error(`no PostgreSQL for the tests: ${provided?.error ?? "the global setup did not run"}`);
  }
  return provided.url;
}

let schema: Promise<TestSchema> | null = null;
/** This test file's own schema, created on first use and dropped after the file. */
export function fileSchema(): Promise<TestSchema> {
  schema ??= createTestSchema(testPostgresUrl());
  return schema;
}
afterAll(async () => {
  if (schema) await (await schema).drop();
});

async function track(store: Promise<Store>): Promise<Store> {
  const s = await store;
  opened.push(s);
  return s;
}

export const STORE_FACTORIES: readonly StoreFactory[] = [
  {
    name: "sqlite",
    open: (options = {}) => track(Promise.resolve(openMemoryStore(options))),
    // one file, one connection per store: what several worker processes on one SQLite file see
    openShared: async (n, options = {}) => {
      const path = sharedFile();
      const key = options.encryptionKey ?? randomKey();
      const stores: Store[] = [];
      for (let i = 0; i < n; i++)
        stores.push(await track(Promise.resolve(openSqliteStore({ ...options, path, encryptionKey: key }))));
      return stores;
    },
  },
  {
    name: "kysely-sqlite",
    open: (options = {}) =>
      track(openKyselySqliteStore({ ...options, encryptionKey: options.encryptionKey ?? randomKey() })),
    // One store, n references. Kysely's SqliteDialect keeps its one connection across the awaits of a
    // transaction and better-sqlite3 waits for a busy file synchronously, so a second connection in the same
    // process would block the event loop the first one needs to commit (this path is for tests and
    // comparison, never several processes). Concurrent calls queue on that connection instead, which still
    // runs the Kysely repositories' SQLite dialect; cross-connection atomicity is proven on "sqlite" and
    // "postgres".
    openShared: async (n, options = {}) => {
      const store = await track(
        openKyselySqliteStore({ ...options, encryptionKey: options.encryptionKey ?? randomKey() }),
      );
      return Array.from({ length: n }, () => store);
    },
  },
  {
    name: "postgres",
    open: async (options = {}) => {
      const s = await fileSchema();
      await s.truncate();
      return track(
        openPostgresStore({
          url: testPostgresUrl(),
          schema: s.schema,
          now: options.now,
          encryptionKey: options.encryptionKey ?? randomKey(),
        }),
      );
    },
    // one schema, one pool per store: what several worker processes on one database see
    openShared: async (n, options = {}) => {
      const s = await fileSchema();
      await s.truncate();
      const key = options.encryptionKey ?? randomKey();
      const stores: Store[] = [];
      for (let i = 0; i < n; i++)
        stores.push(
          await track(
            openPostgresStore({
              url: testPostgresUrl(),
              schema: s.schema,
              now: options.now,
              encryptionKey: key,
            }),
          ),
        );
      return stores;
    },
  },
];

/** Runs `body` once per store factory, in a describe named after it. */
export function describeEachStore(
  body: (open: OpenStore, name: StoreFactory["name"], openShared: OpenShared) => void,
): void {
  describe.each(STORE_FACTORIES)("on $name", ({ open, name, openShared }) => body(open, name, openShared));
}
