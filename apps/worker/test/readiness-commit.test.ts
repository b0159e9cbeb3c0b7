// /readyz reflects whether the store can COMMIT, not only whether it answers a read: a write lock held by
// another process, and a real full disk (a tiny tmpfs, when this runs as root), both make it 503 with a
// reason; it is 200 again once the store can commit.
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteStore, type Store } from "@ghl-bulksms/store";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { createStoreReadiness } from "../src/adapters/store-readiness.ts";
import type { buildServer } from "../src/server.ts";
import { buildTestServer } from "./fakes.ts";

const KEY = Buffer.alloc(32, 3);

function serverFor(store: Store, timeoutMs?: number) {
  return buildTestServer({
    options: { bodyLimitBytes: 1024, overloadThreshold: 10 },
    readiness: createStoreReadiness(store, timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

async function readyz(server: ReturnType<typeof buildServer>) {
  const res = await server.inject({ method: "GET", url: "/readyz" });
  return { status: res.statusCode, body: res.json() as { ok: boolean; reason?: string } };
}

describe("/readyz and the store's ability to commit", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "readyz-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("503 naming SQLITE_BUSY while another process holds the write lock, 200 after", async () => {
    const path = join(dir, "db.sqlite");
    const store = openSqliteStore({ path, encryptionKey: KEY, busyTimeoutMs: 50 });
    const server = serverFor(store);
    const other = new Database(path);
    try {
      expect(await readyz(server)).toEqual({ status: 200, body: { ok: true } });
      other.exec("BEGIN IMMEDIATE");
      expect(await store.ping()).toBe(true); // reads still work: the old probe said ready
      const busy = await readyz(server);
      expect(busy.status).toBe(503);
      expect(busy.body.reason).toMatch(/^store cannot commit: SQLITE_BUSY/);
      other.exec("ROLLBACK");
      expect(await readyz(server)).toEqual({ status: 200, body: { ok: true } });
    } finally {
      other.close();
      await server.close();
      await store.close();
    }
  });

  it("503 when the commit does not finish within the readiness timeout (a transaction holds the store)", async () => {
    const store = openSqliteStore({ path: join(dir, "db.sqlite"), encryptionKey: KEY });
    const server = serverFor(store, 200);
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    // a transaction stuck in its callback keeps every other store operation waiting (in this process)
    const stuck = store.transaction(async () => held);
    try {
      const slow = await readyz(server);
      expect(slow).toEqual({
        status: 503,
        body: { ok: false, reason: "store did not commit within 200 ms" },
      });
      release();
      await stuck;
      expect(await readyz(server)).toEqual({ status: 200, body: { ok: true } });
    } finally {
      release();
      await server.close();
      await store.close();
    }
  });
});

/** A real full disk needs a tmpfs mount, which needs root (CI containers often are; laptops are not). */
function mountTinyTmpfs(at: string): boolean {
  if (process.platform !== "linux" || process.getuid?.() !== 0) return false;
  try {
    mkdirSync(at, { recursive: true });
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=2m", "tmpfs", at], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("/readyz on a real full disk", () => {
  const mountPoint = mkdtempSync(join(tmpdir(), "readyz-tmpfs-"));
  const mounted = mountTinyTmpfs(mountPoint);
  afterAll(() => {
    if (mounted) execFileSync("umount", [mountPoint], { stdio: "ignore" });
    rmSync(mountPoint, { recursive: true, force: true });
  });

  // Skipped (with this reason) when a 2 MiB tmpfs cannot be mounted: not root, or no mount permission.
  it.skipIf(!mounted)("is 503 with SQLITE_FULL while the disk is full, 200 once space is freed", async () => {
    const store = openSqliteStore({ path: join(mountPoint, "data", "ghl-bulksms.db"), encryptionKey: KEY });
    const server = serverFor(store);
    try {
      expect((await readyz(server)).status).toBe(200);
      const filler = join(mountPoint, "filler");
      const fd = openSync(filler, "w");
      for (const size of [64 * 1024, 512, 1]) {
        const chunk = Buffer.alloc(size, 1);
        try {
          for (;;) writeSync(fd, chunk);
        } catch (e) {
          expect((e as NodeJS.ErrnoException).code).toBe("ENOSPC");
        }
      }
      closeSync(fd);
      expect(await store.ping()).toBe(true); // reads still work
      const full = await readyz(server);
      expect(full.status).toBe(503);
      expect(full.body.reason).toBe("store cannot commit: SQLITE_FULL: database or disk is full");
      rmSync(filler);
      expect(await readyz(server)).toEqual({ status: 200, body: { ok: true } });
    } finally {
      await server.close();
      await store.close();
    }
  });
});
