// The database several worker processes share, of either kind: every multi-worker test runs once per kind
// (`describe.each(SHARED_DATABASE_KINDS)`), each test on a new, empty database of its own. PostgreSQL is
// started on first use by the file that needs it (TEST_DATABASE_URL, else a throwaway cluster stopped after
// the file), so the other engine tests neither wait for one nor need @ghl-bulksms/store built.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, startTestPostgres, type TestPostgres } from "@ghl-bulksms/store/testing";
import { afterAll } from "vitest";

let server: Promise<TestPostgres> | null = null;
afterAll(async () => {
  if (server) await (await server).stop();
});

export const SHARED_DATABASE_KINDS = ["sqlite", "postgres"] as const;
export type SharedDatabaseKind = (typeof SHARED_DATABASE_KINDS)[number];

export interface SharedDatabase {
  /** What openSharedStore takes: a SQLite file path or a postgres:// URL. */
  readonly location: string;
  drop(): Promise<void>;
}

/** A new, empty shared database: a file in a temp dir, or a database of the test PostgreSQL server. */
export async function createSharedDatabase(kind: SharedDatabaseKind): Promise<SharedDatabase> {
  switch (kind) {
    case "sqlite": {
      const dir = mkdtempSync(join(tmpdir(), "ghl-bulksms-cluster-"));
      return {
        location: join(dir, "shared.db"),
        drop: async () => rmSync(dir, { recursive: true, force: true }),
      };
    }
    case "postgres": {
      server ??= startTestPostgres();
      const db = await createTestDatabase((await server).url);
      return { location: db.url, drop: () => db.drop() };
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown database kind ${String(never)}`);
    }
  }
}
