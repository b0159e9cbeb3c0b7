/**
 * The store factories every conformance test runs against: the hand-written SQLite store (the embedded
 * default), the Kysely repositories on SQLite, and the Kysely repositories on PostgreSQL. Each `open()`
 * gives an empty store; stores opened in a test are closed after it.
 */
import { afterAll, afterEach, describe, inject } from "vitest";
import { openMemoryStore, openPostgresStore, type Store } from "../../src/index.js";
import { openKyselySqliteStore } from "../../src/kysely/sqlite.js";
import { createTestSchema, type TestSchema } from "../../src/testing/index.js";

export interface OpenOptions {
  now?: () => number;
  encryptionKey?: string | Uint8Array;
}
export type OpenStore = (options?: OpenOptions) => Promise<Store>;

export interface StoreFactory {
  readonly name: "sqlite" | "kysely-sqlite" | "postgres";
  readonly open: OpenStore;
}

const opened: Store[] = [];
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
});

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
  },
  {
    name: "kysely-sqlite",
    open: (options = {}) =>
      track(openKyselySqliteStore({ ...options, encryptionKey: options.encryptionKey ?? randomKey() })),
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
  },
];

/** Runs `body` once per store factory, in a describe named after it. */
export function describeEachStore(body: (open: OpenStore, name: StoreFactory["name"]) => void): void {
  describe.each(STORE_FACTORIES)("on $name", ({ open, name }) => body(open, name));
}
