// The store's folder is 0700 and its database files 0600, whatever the umask made them; looser ones found at
// open are tightened with a warning.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore } from "../src/index.js";

const KEY = Buffer.alloc(32, 7);
const modeOf = (p: string) => statSync(p).mode & 0o777;
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "store-perms-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

// Windows has no POSIX modes (chmod only toggles read-only), so there is nothing to check there.
describe.skipIf(process.platform === "win32")("store file permissions", () => {
  it("creates the data folder 0700 and the db, -wal and -shm 0600", async () => {
    const dir = join(root, "data", "nested");
    const path = join(dir, "ghl-bulksms.db");
    const warnings: string[] = [];
    const store = openSqliteStore({ path, encryptionKey: KEY, onWarning: (m) => warnings.push(m) });
    try {
      await store.locations.upsert({ id: "loc1", active: true }); // a write: the -wal has frames
      expect(modeOf(join(root, "data"))).toBe(0o700);
      expect(modeOf(dir)).toBe(0o700);
      for (const f of [path, `${path}-wal`, `${path}-shm`]) expect([f, modeOf(f)]).toEqual([f, 0o600]);
      expect(warnings).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it("tightens a world-readable folder, db, -wal and -shm at open, with one warning each", async () => {
    const dir = join(root, "old-data");
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const path = join(dir, "ghl-bulksms.db");
    // a database left by an older version, 0644, still open by another process (so -wal and -shm exist)
    const other = new Database(path);
    other.pragma("journal_mode = WAL");
    other.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1);");
    for (const f of [path, `${path}-wal`, `${path}-shm`]) chmodSync(f, 0o644);
    const warnings: string[] = [];
    const store = openSqliteStore({ path, encryptionKey: KEY, onWarning: (m) => warnings.push(m) });
    try {
      expect(modeOf(dir)).toBe(0o700);
      for (const f of [path, `${path}-wal`, `${path}-shm`]) expect([f, modeOf(f)]).toEqual([f, 0o600]);
      expect(warnings).toHaveLength(4);
      expect(warnings[0]).toBe(`the store's folder ${dir} was 0755 (open to other users); changed to 0700`);
      expect(warnings).toContain(
        `the store file ${path}-wal was 0644 (readable by other users); changed to 0600`,
      );
      // the data is intact
      expect(other.prepare("SELECT x FROM t").get()).toEqual({ x: 1 });
      expect(await store.ping()).toBe(true);
    } finally {
      other.close();
      await store.close();
    }
    // reopening finds nothing to fix
    const again: string[] = [];
    const reopened = openSqliteStore({ path, encryptionKey: KEY, onWarning: (m) => again.push(m) });
    await reopened.close();
    expect(again).toEqual([]);
  });

  it("keeps stricter modes as they are (0400 is not loosened)", async () => {
    const dir = join(root, "ro");
    mkdirSync(dir, { mode: 0o700 });
    const path = join(dir, "db.sqlite");
    const store = openSqliteStore({ path, encryptionKey: KEY });
    await store.close();
    chmodSync(path, 0o400);
    const warnings: string[] = [];
    const { tightenDatabaseFiles } = await import("../src/sqlite/file-permissions.js");
    tightenDatabaseFiles(path, (m) => warnings.push(m));
    expect(modeOf(path)).toBe(0o400);
    expect(warnings).toEqual([]);
  });
});
