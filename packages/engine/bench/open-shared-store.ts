// The one place the multi-worker tests and benchmarks open "the database every worker shares". Today it
// is a SQLite file (several processes on one machine share it in WAL mode). When the PostgreSQL store
// lands, open it here for a `postgres://` location (e.g. from TEST_DATABASE_URL) and every multi-worker
// test runs on PostgreSQL unchanged: they use the Store interface only.
import { openSqliteStore, type Store } from "@ghl-bulksms/store";

export function openSharedStore(location: string, keyHex: string, now?: () => number): Store {
  return openSqliteStore({ path: location, encryptionKey: keyHex, ...(now ? { now } : {}) });
}
