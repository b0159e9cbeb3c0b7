// Backup and restore of a WAL store: the online backup holds the commits a plain file copy misses, the copy
// is private (0600) and checked, and a restore refuses while the store is open, keeps the replaced file
// and refuses copies it cannot use.
import { copyFileSync, existsSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import {
  BackupFileError,
  backupSqliteFile,
  isSqliteFileInUse,
  LATEST_SCHEMA_VERSION,
  openSqliteStore,
  restoreSqliteFile,
  SchemaTooNewError,
  StoreInUseError,
} from "../src/index.js";
import { KEY_HEX, tempDir } from "./helpers.js";

const count = (path: string): number => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM settings WHERE key LIKE 'row-%'").get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe("backupSqliteFile", () => {
  it("copies every committed row that sits in the WAL, which a plain file copy loses", async () => {
    const dir = tempDir();
    const path = join(dir, "ghl-bulksms.db");
    const store = openSqliteStore({ path, encryptionKey: KEY_HEX });
    // A long-running writer that has not checkpointed yet: its recent commits live only in the -wal file.
    const raw = new Database(path);
    raw.pragma("wal_autocheckpoint = 0");
    for (let i = 1; i <= 300; i++) await store.settings.set(`row-${i}`, { i });
    copyFileSync(path, join(dir, "plain-copy.db"));
    // (here even the tables are still in the WAL: the plain copy has no settings table at all)
    const plain = (() => {
      try {
        return count(join(dir, "plain-copy.db"));
      } catch {
        return null;
      }
    })();
    expect(plain).not.toBe(300);

    const result = await backupSqliteFile({ from: path, to: join(dir, "backup.db") });
    expect(result).toMatchObject({ path: join(dir, "backup.db"), schemaVersion: LATEST_SCHEMA_VERSION });
    expect(count(result.path)).toBe(300);
    expect(statSync(result.path).mode & 0o777).toBe(0o600);
    expect(existsSync(`${result.path}-wal`)).toBe(false); // self-contained
    await expect(backupSqliteFile({ from: path, to: result.path })).rejects.toThrow(/already exists/);
    const nested = await backupSqliteFile({ from: path, to: join(dir, "backups", "2026", "b.db") });
    expect(count(nested.path)).toBe(300); // the folders are created
    raw.close();
    await store.close();
  });
});

describe("restoreSqliteFile", () => {
  it("refuses while the store is open, then restores and keeps the replaced store", async () => {
    const dir = tempDir();
    const path = join(dir, "ghl-bulksms.db");
    const store = openSqliteStore({ path, encryptionKey: KEY_HEX });
    for (let i = 1; i <= 10; i++) await store.settings.set(`row-${i}`, { i });
    const backup = await backupSqliteFile({ from: path, to: join(dir, "backup.db") });
    for (let i = 11; i <= 15; i++) await store.settings.set(`row-${i}`, { i });

    expect(isSqliteFileInUse(path)).toBe(true);
    await expect(restoreSqliteFile({ from: backup.path, to: path })).rejects.toThrow(StoreInUseError);
    expect(await store.settings.get("row-15")).toEqual({ i: 15 }); // untouched
    await store.close();
    expect(isSqliteFileInUse(path)).toBe(false);

    const restored = await restoreSqliteFile({
      from: backup.path,
      to: path,
      now: () => Date.UTC(2026, 0, 2),
    });
    expect(restored.previous).toBe(`${path}.pre-restore-2026-01-02T00-00-00-000Z`);
    expect(count(path)).toBe(10);
    expect(count(restored.previous as string)).toBe(15);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const reopened = openSqliteStore({ path, encryptionKey: KEY_HEX });
    expect(await reopened.settings.get("row-10")).toEqual({ i: 10 });
    expect(await reopened.settings.get("row-11")).toBeNull();
    await reopened.close();
  });

  it("refuses a file that is not a store, and a store from a newer release, before touching anything", async () => {
    const dir = tempDir();
    const path = join(dir, "ghl-bulksms.db");
    const store = openSqliteStore({ path, encryptionKey: KEY_HEX });
    await store.settings.set("row-1", 1);
    await store.close();
    writeFileSync(
      join(dir, "notes.txt"),
      "not a database at all, just some text that is long enough".repeat(20),
    );
    await expect(restoreSqliteFile({ from: join(dir, "notes.txt"), to: path })).rejects.toThrow(
      BackupFileError,
    );
    const newer = await backupSqliteFile({ from: path, to: join(dir, "newer.db") });
    const db = new Database(newer.path);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 0)").run(
      LATEST_SCHEMA_VERSION + 1,
    );
    db.close();
    await expect(restoreSqliteFile({ from: newer.path, to: path })).rejects.toThrow(SchemaTooNewError);
    await expect(restoreSqliteFile({ from: join(dir, "missing.db"), to: path })).rejects.toThrow(
      /does not exist/,
    );
    expect(count(path)).toBe(1);
  });

  it("a failing prepare step (wrong key) leaves the store as it was", async () => {
    const dir = tempDir();
    const path = join(dir, "ghl-bulksms.db");
    const store = openSqliteStore({ path, encryptionKey: KEY_HEX });
    await store.settings.set("row-1", 1);
    await store.close();
    const backup = await backupSqliteFile({ from: path, to: join(dir, "b.db") });
    const otherKey = "ff".repeat(32);
    await expect(
      restoreSqliteFile({
        from: backup.path,
        to: path,
        prepare: async (staged) => {
          await openSqliteStore({ path: staged, encryptionKey: otherKey }).close();
        },
      }),
    ).rejects.toThrow(/encryption key does not match/);
    expect(count(path)).toBe(1);
    expect(existsSync(`${path}.pre-restore`)).toBe(false);
  });
});
