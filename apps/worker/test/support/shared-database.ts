// The database several workers share, of either kind: the cluster tests run once per kind
// (`describe.each(SHARED_DATABASE_KINDS)`), each test on a new, empty database of its own.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openStore, type Store } from "@ghl-bulksms/store";
import { createTestDatabase } from "@ghl-bulksms/store/testing";
import { inject } from "vitest";

export const SHARED_DATABASE_KINDS = ["sqlite", "postgres"] as const;
export type SharedDatabaseKind = (typeof SHARED_DATABASE_KINDS)[number];

export interface SharedDatabase {
  /** The worker settings that select it: DATA_DIR (SQLite), plus DATABASE_URL for PostgreSQL. */
  readonly env: { DATA_DIR: string; DATABASE_URL?: string };
  /** Opens one more store on it (one more worker's connection or pool). */
  open(keyHex: string): Promise<Store>;
  drop(): Promise<void>;
}

export async function createSharedDatabase(kind: SharedDatabaseKind): Promise<SharedDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "worker-cluster-"));
  const removeDir = async () => rmSync(dir, { recursive: true, force: true });
  switch (kind) {
    case "sqlite": {
      const path = join(dir, "shared.db");
      return {
        env: { DATA_DIR: dir },
        open: (keyHex) => openStore({ database: path, encryptionKey: keyHex }),
        drop: removeDir,
      };
    }
    case "postgres": {
      const provided = inject("postgres");
      if (!provided?.url) {
        throw new Error(`no PostgreSQL for the tests: ${provided?.error ?? "the global setup did not run"}`);
      }
      const db = await createTestDatabase(provided.url);
      return {
        env: { DATA_DIR: dir, DATABASE_URL: db.url },
        open: (keyHex) => openStore({ database: db.url, encryptionKey: keyHex }),
        drop: async () => {
          await db.drop();
          await removeDir();
        },
      };
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown database kind ${String(never)}`);
    }
  }
}
