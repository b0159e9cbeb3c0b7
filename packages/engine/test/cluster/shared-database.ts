// The database several worker processes share, of either kind: every multi-worker test runs once per kind
// (`describe.each(SHARED_DATABASE_KINDS)`), each test on a new, empty database of its own.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase } from "@ghl-bulksms/store/testing";
import { inject } from "vitest";

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
      const provided = inject("postgres");
      if (!provided?.url) {
        throw new Error(`no PostgreSQL for the tests: ${provided?.error ?? "the global setup did not run"}`);
      }
      const db = await createTestDatabase(provided.url);
      return { location: db.url, drop: () => db.drop() };
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown database kind ${String(never)}`);
    }
  }
}
