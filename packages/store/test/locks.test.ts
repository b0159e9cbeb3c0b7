import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { LATEST_SCHEMA_VERSION, openSqliteStore, type Store } from "../src/index.js";
import { MIGRATIONS, migrate } from "../src/sqlite/migrations.js";
import { fakeClock, KEY_HEX, tempDir } from "./helpers.js";
import { describeEachStore } from "./support/stores.js";

/** A copy of @ghl-bulksms/ghl's TokenStore, to prove `store.tokens` fits it without depending on it. */
interface GhlTokens {
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number;
  userType: "Location" | "Company";
  locationId?: string | null;
  companyId?: string | null;
  scope?: string | null;
}
interface GhlTokenStore {
  load(locationId: string): Promise<GhlTokens | null>;
  save(locationId: string, tokens: GhlTokens): Promise<void>;
  withLock?<T>(locationId: string, fn: () => Promise<T>): Promise<T>;
}

describeEachStore((open, _name, openShared) => {
  describe("locks and the GHL TokenStore shape", () => {
    it("store.tokens works as the GHL client's TokenStore and round-trips its token type exactly", async () => {
      const store = await open();
      const tokenStore: GhlTokenStore = store.tokens;
      const tokens: GhlTokens = {
        accessToken: "a",
        refreshToken: "r",
        expiresAt: 1_800_000_000_000,
        userType: "Location",
        locationId: "L1",
        scope: "contacts.readonly",
      };
      await tokenStore.save("L1", tokens);
      expect(await tokenStore.load("L1")).toEqual(tokens);
      expect(await store.tokens.listExpiring(2_000_000_000_000)).toEqual([
        { ownerId: "L1", expiresAt: 1_800_000_000_000 },
      ]);
      expect(await tokenStore.withLock!("L1", async () => "refreshed")).toBe("refreshed");
    });

    it("a lease excludes other owners until released or expired", async () => {
      const clock = fakeClock();
      const store = await open({ now: clock.now });
      expect(await store.locks.tryAcquire("digest:L1", "a", 1000)).toBe(true);
      expect(await store.locks.tryAcquire("digest:L1", "b", 1000)).toBe(false);
      expect(await store.locks.tryAcquire("digest:L1", "a", 1000)).toBe(true);
      expect(await store.locks.release("digest:L1", "b")).toBe(false);
      clock.advance(1000);
      expect(await store.locks.tryAcquire("digest:L1", "b", 1000)).toBe(true);
      expect(await store.locks.release("digest:L1", "b")).toBe(true);
      expect(await store.locks.tryAcquire("digest:L1", "c", 1000)).toBe(true);
    });

    it("a holder slower than its lease keeps it: another store cannot take the lock while fn still runs", async () => {
      const [a, b] = (await openShared(2)) as [Store, Store];
      const events: string[] = [];
      // a's section takes 4 lease lifetimes (a slow token refresh); b arrives while it runs
      const slow = a.locks.withLock(
        "token-refresh:L1",
        async () => {
          events.push("a:in");
          await new Promise((r) => setTimeout(r, 600));
          events.push("a:out");
        },
        { ttlMs: 150 },
      );
      await new Promise((r) => setTimeout(r, 20));
      const fast = b.locks.withLock(
        "token-refresh:L1",
        async () => {
          events.push("b:in");
        },
        { ttlMs: 150, waitMs: 5_000 },
      );
      await Promise.all([slow, fast]);
      expect(events).toEqual(["a:in", "a:out", "b:in"]);
    });
  });
});

describe("locks across processes on one SQLite file", () => {
  it("withLock serialises critical sections across two processes' stores on one file, and times out", async () => {
    const path = join(tempDir(), "locks.db");
    const a = openSqliteStore({ path, encryptionKey: KEY_HEX });
    const b = openSqliteStore({ path, encryptionKey: KEY_HEX });
    const events: string[] = [];
    const section = (who: string) => async () => {
      events.push(`${who}:in`);
      await new Promise((r) => setTimeout(r, 60));
      events.push(`${who}:out`);
    };
    await Promise.all([a.tokens.withLock("L1", section("a")), b.tokens.withLock("L1", section("b"))]);
    expect(
      [events.slice(0, 2), events.slice(2)].map((pair) => pair[0]!.split(":")[0] === pair[1]!.split(":")[0]),
    ).toEqual([true, true]);
    let releaseA!: () => void;
    const held = a.locks.withLock("x", () => new Promise<void>((r) => (releaseA = r)));
    await new Promise((r) => setTimeout(r, 10));
    await expect(b.locks.withLock("x", async () => 1, { waitMs: 100 })).rejects.toThrow(
      /could not acquire lock "x" within 100 ms/,
    );
    releaseA();
    await held;
    expect(await b.locks.withLock("x", async () => 2)).toBe(2);
    await a.close();
    await b.close();
  });

  it("upgrades a database created at schema version 1", async () => {
    const path = join(tempDir(), "v1.db");
    const db = new Database(path);
    migrate(db, { now: 1, path, migrations: MIGRATIONS.slice(0, 1) });
    db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('kept', '1', 1)").run();
    db.close();
    const store = openSqliteStore({ path, encryptionKey: KEY_HEX });
    expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    expect(await store.settings.get("kept")).toBe(1);
    expect(await store.locks.tryAcquire("n", "o", 10)).toBe(true);
    await store.close();
  });
});
