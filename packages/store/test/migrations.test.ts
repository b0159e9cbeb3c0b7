import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { LATEST_SCHEMA_VERSION, openSqliteStore, SchemaTooNewError } from "../src/index.js";
import { MIGRATIONS, migrate } from "../src/sqlite/migrations.js";
import { KEY_HEX, tempDir } from "./helpers.js";

describe("migrations", () => {
  it("creates the folder and the database on first start, at the latest version", async () => {
    const path = join(tempDir(), "nested", "data", "store.db");
    const store = openSqliteStore({ path, encryptionKey: KEY_HEX });
    expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    // versions are numbered per branch (each engineer has one), so they strictly increase but may skip
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
    expect(LATEST_SCHEMA_VERSION).toBe(versions[versions.length - 1]);
    await store.close();
    const db = new Database(path);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("migrating twice is a no-op", () => {
    const db = new Database(":memory:");
    expect(migrate(db, { now: 1, path: ":memory:" })).toEqual(MIGRATIONS.map((m) => m.version));
    const schema = db.prepare("SELECT name, sql FROM sqlite_master ORDER BY name").all();
    expect(migrate(db, { now: 2, path: ":memory:" })).toEqual([]);
    expect(db.prepare("SELECT name, sql FROM sqlite_master ORDER BY name").all()).toEqual(schema);
    expect(db.prepare("SELECT version, applied_at FROM schema_migrations").all()).toEqual(
      MIGRATIONS.map((m) => ({ version: m.version, applied_at: 1 })),
    );
    db.close();
  });

  it("reopening an existing file keeps its data and applies nothing", async () => {
    const path = join(tempDir(), "store.db");
    const first = openSqliteStore({ path, encryptionKey: KEY_HEX });
    await first.settings.set("x", { a: 1 });
    await first.close();
    const second = openSqliteStore({ path, encryptionKey: KEY_HEX });
    expect(await second.settings.get("x")).toEqual({ a: 1 });
    await second.close();
  });

  it("applies only the newer migrations to an older database", () => {
    const db = new Database(":memory:");
    const extra = [
      ...MIGRATIONS,
      { version: LATEST_SCHEMA_VERSION + 1, name: "add t", sql: "CREATE TABLE t (x INTEGER)" },
    ];
    migrate(db, { now: 1, path: ":memory:" });
    expect(migrate(db, { now: 2, path: ":memory:", migrations: extra })).toEqual([LATEST_SCHEMA_VERSION + 1]);
    expect(db.prepare("SELECT COUNT(*) AS n FROM t").get()).toEqual({ n: 0 });
    db.close();
  });

  it("migration 6 dates existing opt-outs and their history by the time they were recorded", () => {
    const db = new Database(":memory:");
    const upTo5 = MIGRATIONS.filter((m) => m.version <= 5);
    migrate(db, { now: 1, path: ":memory:", migrations: upTo5 });
    db.prepare("INSERT INTO locations (id, created_at, updated_at) VALUES ('L1', 1, 1)").run();
    db.prepare(
      "INSERT INTO opt_outs (location_id, phone_e164, channel, state, source, note, at) VALUES ('L1', '+447700900001', 'sms', 'opted_out', 'sms_stop', NULL, 1234)",
    ).run();
    db.prepare(
      "INSERT INTO opt_out_history (location_id, phone_e164, channel, state, source, note, at) VALUES ('L1', '+447700900001', 'sms', 'opted_out', 'sms_stop', NULL, 1234)",
    ).run();
    const upTo6 = MIGRATIONS.filter((m) => m.version <= 6);
    expect(migrate(db, { now: 2, path: ":memory:", migrations: upTo6 })).toEqual([6]);
    expect(db.prepare("SELECT event_at, event_key FROM opt_outs").get()).toEqual({
      event_at: 1234,
      event_key: null,
    });
    expect(db.prepare("SELECT event_at, event_key FROM opt_out_history").get()).toEqual({
      event_at: 1234,
      event_key: null,
    });
    db.close();
  });

  it("refuses a database migrated by a newer release, with a clear error", async () => {
    const path = join(tempDir(), "store.db");
    const store = openSqliteStore({ path, encryptionKey: KEY_HEX });
    await store.close();
    const db = new Database(path);
    db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 0)").run(
      LATEST_SCHEMA_VERSION + 1,
    );
    db.close();
    expect(() => openSqliteStore({ path, encryptionKey: KEY_HEX })).toThrow(SchemaTooNewError);
    expect(() => openSqliteStore({ path, encryptionKey: KEY_HEX })).toThrow(
      new RegExp(
        `schema version ${LATEST_SCHEMA_VERSION + 1}.*only knows up to version ${LATEST_SCHEMA_VERSION}`,
      ),
    );
  });

  it("enforces foreign keys with an error naming the missing location", async () => {
    const store = openSqliteStore({ path: join(tempDir(), "s.db"), busyTimeoutMs: 1234 });
    await expect(store.contacts.upsert({ locationId: "nope", contactId: "c1" })).rejects.toThrow(
      /unknown location "nope": register it with store.locations.upsert\(\) first/,
    );
    await store.close();
  });
});
