// The one place the multi-worker tests and benchmarks open "the database every worker shares": a SQLite
// file path (several processes on one machine share it in WAL mode), or a `postgres://` URL (the PostgreSQL
// store; each process its own pool). The tests and children use the Store interface only, so every
// multi-worker test runs on both (test/cluster/shared-database.ts makes one database of either kind).
import { openStore, type Store } from "@ghl-bulksms/store";

export function openSharedStore(database: string, keyHex: string, now?: () => number): Promise<Store> {
  return openStore({ database, encryptionKey: keyHex, ...(now ? { now } : {}) });
}
