// `ghl-bulksms store migrate --to postgres://...` and `--database postgres://...` (the CLI from its sources, as
// a child process): the sandbox store moves to PostgreSQL with its counts checked, a non-empty target is
// refused (exit 1) unless --force, a bad --to is a usage error (exit 2), and no output shows the password.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  SANDBOX_BULKSMS_API_BASE_URL,
  SANDBOX_ENCRYPTION_KEY,
  SANDBOX_GHL_API_BASE_URL,
} from "@ghl-bulksms/config";
import { openPostgresStore, openSqliteStore } from "@ghl-bulksms/store";
import { createTestDatabase, type TestDatabase } from "@ghl-bulksms/store/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runCliFromSources } from "./helpers.js";

let dir: string;
let env: Record<string, string>;
let target: TestDatabase;

function serverUrl(): string {
  const provided = inject("postgres");
  if (!provided?.url) throw new Error(`no PostgreSQL for the tests: ${provided?.error ?? "no global setup"}`);
  return provided.url;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cli-store-migrate-"));
  env = {
    GHL_BULKSMS_MODE: "sandbox",
    GHL_API_BASE_URL: SANDBOX_GHL_API_BASE_URL,
    BULKSMS_API_BASE_URL: SANDBOX_BULKSMS_API_BASE_URL,
    DATA_DIR: join(dir, "data"),
  };
  target = await createTestDatabase(serverUrl());
  const store = openSqliteStore({
    path: join(dir, "data", "ghl-bulksms.db"),
    encryptionKey: SANDBOX_ENCRYPTION_KEY,
  });
  await store.locations.upsert({ id: "L1", name: "Acme" });
  await store.tokens.save("L1", { accessToken: "pit-secret-token", tokenType: "pit" });
  for (let i = 0; i < 3; i++)
    await store.jobs.enqueue({ name: "n", payload: { i }, key: `k${i}`, locationId: "L1" });
  await store.close();
}, 60_000);

afterAll(async () => {
  await target?.drop();
  rmSync(dir, { recursive: true, force: true });
});

/** The target URL with a password PostgreSQL's trust auth ignores, to check it is never printed. */
function withPassword(url: string): string {
  const u = new URL(url);
  u.password = "pw-never-shown";
  return u.toString();
}

describe("store migrate", () => {
  it("copies the store, prints per-table counts, and the worker's store opens it with the same key", async () => {
    const to = withPassword(target.url);
    const r = await runCliFromSources(["store", "migrate", "--to", to, "--json"], { env, timeoutMs: 60_000 });
    expect(r.stderr).not.toContain("pw-never-shown");
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      to: string;
      tables: { table: string; source: number; target: number }[];
    };
    expect(out.ok).toBe(true);
    expect(out.to).toContain(":***@");
    expect(r.stdout).not.toContain("pw-never-shown");
    expect(out.tables.find((t) => t.table === "jobs")).toEqual({ table: "jobs", source: 3, target: 3 });
    expect(out.tables.find((t) => t.table === "tokens")).toEqual({ table: "tokens", source: 1, target: 1 });

    const pg = await openPostgresStore({ url: target.url, encryptionKey: SANDBOX_ENCRYPTION_KEY });
    try {
      expect(await pg.tokens.load("L1")).toEqual({ accessToken: "pit-secret-token", tokenType: "pit" });
      expect(await pg.jobs.counts()).toEqual({ queued: 3, running: 0, done: 0, dead: 0 });
      // a dead letter only the PostgreSQL store has
      const job = await pg.jobs.getByKey("k1");
      expect(await pg.jobs.deadLetter(job!.id, "only in postgres")).toBe(true);
    } finally {
      await pg.close();
    }

    // --database postgres://...: the CLI works on the PostgreSQL store, not on the SQLite file
    const dlq = await runCliFromSources(["--database", to, "dlq", "list", "--json"], { env });
    expect(dlq.code, dlq.stderr).toBe(0);
    expect(JSON.parse(dlq.stdout)).toMatchObject([{ key: "k1", lastError: "only in postgres" }]);
    const sqliteDlq = await runCliFromSources(["dlq", "list", "--json"], { env });
    expect(JSON.parse(sqliteDlq.stdout)).toEqual([]);
  }, 120_000);

  it("refuses a non-empty target (exit 1, says what to do) unless --force", async () => {
    const to = withPassword(target.url);
    const again = await runCliFromSources(["store", "migrate", "--to", to], { env, timeoutMs: 60_000 });
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/is not empty/);
    expect(again.stderr).toMatch(/--force/);
    expect(again.stderr).not.toContain("pw-never-shown");
    const forced = await runCliFromSources(["store", "migrate", "--to", to, "--force"], {
      env,
      timeoutMs: 60_000,
    });
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/TABLE\s+SQLITE\s+POSTGRES/);
    expect(forced.stdout).toMatch(/^jobs\s+3\s+3$/m);
    expect(forced.stderr).toMatch(/copied jobs: 3 rows/);
  }, 120_000);

  it("a --to that is not a PostgreSQL URL is a usage error (exit 2)", async () => {
    const r = await runCliFromSources(["store", "migrate", "--to", "./other.db"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--to must be a postgres:\/\/ or postgresql:\/\/ URL/);
  }, 60_000);

  it("config print shows the PostgreSQL store without its password (text and --json)", async () => {
    const to = withPassword(target.url);
    for (const args of [
      ["config", "print"],
      ["config", "print", "--json"],
    ]) {
      const r = await runCliFromSources(["--database", to, ...args], { env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(":***@");
      expect(r.stdout).not.toContain("pw-never-shown");
    }
  }, 60_000);

  it("--database <path> opens that SQLite file instead of DATA_DIR's", async () => {
    const other = join(dir, "elsewhere", "other.db");
    const store = openSqliteStore({ path: other, encryptionKey: SANDBOX_ENCRYPTION_KEY });
    await store.jobs.enqueue({ name: "n", payload: null, key: "elsewhere" });
    const [job] = await store.jobs.claim({ workerId: "w", limit: 1, leaseMs: 1000 });
    await store.jobs.deadLetter(job!.id, "in the other file");
    await store.close();
    const r = await runCliFromSources(["--database", other, "dlq", "list", "--json"], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject([{ key: "elsewhere", lastError: "in the other file" }]);
  }, 60_000);
});
