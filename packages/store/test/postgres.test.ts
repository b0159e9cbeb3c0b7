/**
 * What only the PostgreSQL store has to prove: several processes (here: several stores, each with its own
 * pool) on one database, int8 parsing per pool, encryption at rest, the migration lock and version checks,
 * and that a connection error never shows the password.
 */
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  EncryptionError,
  LATEST_SCHEMA_VERSION,
  openPostgresStore,
  PG_LATEST_SCHEMA_VERSION,
  SchemaTooNewError,
  type Store,
} from "../src/index.js";
import { PG_MIGRATIONS } from "../src/postgres/migrations/index.js";
import { MIGRATIONS } from "../src/sqlite/migrations.js";
import { createTestSchema, type TestSchema } from "../src/testing/index.js";
import { fakeClock, KEY_B64, KEY_HEX } from "./helpers.js";
import { testPostgresUrl } from "./support/stores.js";

const schemas: TestSchema[] = [];
const stores: Store[] = [];
afterAll(async () => {
  for (const store of stores) await store.close();
  for (const schema of schemas) await schema.drop();
});

/** A fresh schema and `n` stores on it, as `n` processes would have. */
async function processes(n: number, options: { now?: () => number; key?: string } = {}) {
  const schema = await createTestSchema(testPostgresUrl());
  schemas.push(schema);
  const opened: Store[] = [];
  for (let i = 0; i < n; i++) {
    const store = await openPostgresStore({
      url: testPostgresUrl(),
      schema: schema.schema,
      encryptionKey: options.key ?? KEY_HEX,
      now: options.now,
    });
    opened.push(store);
    stores.push(store);
  }
  return { schema, stores: opened };
}

async function rawQuery<T extends pg.QueryResultRow>(schema: string, text: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: testPostgresUrl(), options: `-c search_path=${schema}` });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe("PostgreSQL store", () => {
  it("is at the same schema version as the SQLite store, and reopening migrates nothing", async () => {
    const {
      schema,
      stores: [store],
    } = await processes(1);
    expect(PG_LATEST_SCHEMA_VERSION).toBe(LATEST_SCHEMA_VERSION);
    expect(await store!.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    const again = await openPostgresStore({
      url: testPostgresUrl(),
      schema: schema.schema,
      encryptionKey: KEY_HEX,
    });
    stores.push(again);
    expect(await again.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    const applied = await rawQuery<{ n: string }>(
      schema.schema,
      "SELECT count(*)::text AS n FROM store_migration",
    );
    // versions may skip (numbered per branch): every migration ran once, the same list as SQLite's
    expect(applied[0]!.n).toBe(String(PG_MIGRATIONS.length));
    expect(PG_MIGRATIONS.map((m) => [m.version, m.name])).toEqual(MIGRATIONS.map((m) => [m.version, m.name]));
  });

  it("several processes opening a fresh database at once migrate it once", async () => {
    const schema = await createTestSchema(testPostgresUrl());
    schemas.push(schema);
    const opened = await Promise.all(
      [1, 2, 3].map(() =>
        openPostgresStore({ url: testPostgresUrl(), schema: schema.schema, encryptionKey: KEY_HEX }),
      ),
    );
    stores.push(...opened);
    for (const store of opened) expect(await store.schemaVersion()).toBe(LATEST_SCHEMA_VERSION);
    await opened[0]!.settings.set("shared", 1);
    expect(await opened[2]!.settings.get("shared")).toBe(1);
  });

  it("parses BIGINT columns as numbers on its own pool, leaving pg's global parsers alone", async () => {
    const clock = fakeClock(1_800_000_000_123);
    const {
      stores: [store],
    } = await processes(1, { now: clock.now });
    await store!.locations.upsert({ id: "L1" });
    const job = await store!.jobs.enqueue({
      name: "n",
      payload: { big: 2 ** 40 },
      key: "k",
      locationId: "L1",
    });
    const read = await store!.jobs.get(job.enqueued ? job.id : -1);
    expect(read).toMatchObject({
      createdAt: 1_800_000_000_123,
      runAt: 1_800_000_000_123,
      payload: { big: 2 ** 40 },
    });
    expect(typeof read!.id).toBe("number");
    expect(await store!.jobs.counts()).toEqual({ queued: 1, running: 0, done: 0, dead: 0 });
    // the process-wide parser still returns int8 as text: nothing else in the process is changed
    expect(pg.types.getTypeParser(20, "text")("1800000000123")).toBe("1800000000123");
  });

  it("claims with SKIP LOCKED: a claimer never waits for, nor gets, a job another claimer holds", async () => {
    const {
      stores: [a, b],
    } = await processes(2);
    for (let i = 0; i < 6; i++) await a!.jobs.enqueue({ name: "send", payload: { i }, key: `k${i}` });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let claimedInTx!: (ids: number[]) => void;
    const heldIds = new Promise<number[]>((resolve) => {
      claimedInTx = resolve;
    });
    // process A claims three jobs inside a transaction that stays open (its rows stay locked)
    const held = a!.transaction(async (tx) => {
      const jobs = await tx.jobs.claim({ workerId: "A", limit: 3, leaseMs: 60_000 });
      claimedInTx(jobs.map((j) => j.id));
      await gate;
    });
    const lockedIds = await heldIds;
    // process B does not block on A's locked rows and gets only the other three
    const fromB = await b!.jobs.claim({ workerId: "B", limit: 10, leaseMs: 60_000 });
    expect(fromB).toHaveLength(3);
    expect(fromB.some((j) => lockedIds.includes(j.id))).toBe(false);
    release();
    await held;
    expect(await b!.jobs.counts()).toEqual({ queued: 0, running: 6, done: 0, dead: 0 });
  });

  it("several processes draining one outbox concurrently run every job exactly once", async () => {
    const { stores: workers } = await processes(3);
    const total = 60;
    for (let i = 0; i < total; i++)
      await workers[0]!.jobs.enqueue({ name: "send", payload: { i }, key: `k${i}` });
    const seen: number[] = [];
    const perWorker = await Promise.all(
      workers.map(async (store, w) => {
        let mine = 0;
        for (;;) {
          const jobs = await store.jobs.claim({ workerId: `w${w}`, limit: 4, leaseMs: 60_000 });
          if (jobs.length === 0) return mine;
          for (const job of jobs) {
            seen.push(job.id);
            expect(await store.jobs.complete(job.id, { workerId: `w${w}` })).toBe(true);
            mine++;
          }
        }
      }),
    );
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(perWorker.reduce((a, b) => a + b, 0)).toBe(total);
    expect(await workers[1]!.jobs.counts()).toEqual({ queued: 0, running: 0, done: total, dead: 0 });
  });

  it("a lock row excludes another process until released; withLock serialises critical sections", async () => {
    const {
      stores: [a, b],
    } = await processes(2);
    const events: string[] = [];
    const section = (who: string) => async () => {
      events.push(`${who}:in`);
      await new Promise((r) => setTimeout(r, 60));
      events.push(`${who}:out`);
    };
    await Promise.all([a!.tokens.withLock("L1", section("a")), b!.tokens.withLock("L1", section("b"))]);
    expect(events[0]!.split(":")[0]).toBe(events[1]!.split(":")[0]);
    expect(events[2]!.split(":")[0]).toBe(events[3]!.split(":")[0]);
    expect(await a!.locks.tryAcquire("digest", "a", 60_000)).toBe(true);
    expect(await b!.locks.tryAcquire("digest", "b", 60_000)).toBe(false);
    await expect(b!.locks.withLock("digest", async () => 1, { waitMs: 100 })).rejects.toThrow(
      /could not acquire lock "digest" within 100 ms/,
    );
    expect(await a!.locks.release("digest", "a")).toBe(true);
    expect(await b!.locks.tryAcquire("digest", "b", 60_000)).toBe(true);
  });

  it("two processes applying opt-out events to one number keep the later event, whatever the order", async () => {
    const {
      stores: [a, b],
    } = await processes(2);
    await a!.locations.upsert({ id: "L1" });
    const phone = "+27820000001";
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a! : b!).optOuts.set({
          locationId: "L1",
          phoneE164: phone,
          state: i === 7 ? "opted_out" : "opted_in",
          source: "sms_stop",
          eventAt: 1000 + i,
          eventKey: `e${i}`,
        }),
      ),
    );
    const last = Array.from({ length: 10 }, (_, i) => i).at(-1)!;
    expect(await a!.optOuts.get("L1", phone)).toMatchObject({ eventAt: 1000 + last, eventKey: `e${last}` });
    expect(await b!.optOuts.history("L1", phone)).toHaveLength(10);
  });

  it("keeps tokens and secrets encrypted at rest and refuses another key", async () => {
    const {
      schema,
      stores: [store],
    } = await processes(1);
    const access = "ACCESS-TOKEN-PLAINTEXT-pg-4f9a";
    await store!.tokens.save("loc-1", { accessToken: access, refreshToken: "REFRESH-PLAINTEXT-pg" });
    await store!.secrets.set("webhook", "SECRET-PLAINTEXT-pg");
    const rows = await rawQuery<{ ciphertext: string }>(
      schema.schema,
      "SELECT ciphertext FROM tokens UNION ALL SELECT ciphertext FROM secrets",
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.ciphertext).toMatch(/^v1\./);
      expect(row.ciphertext).not.toMatch(/PLAINTEXT/);
    }
    expect((await store!.tokens.load("loc-1"))?.accessToken).toBe(access);
    await expect(
      openPostgresStore({ url: testPostgresUrl(), schema: schema.schema, encryptionKey: KEY_B64 }),
    ).rejects.toThrow(EncryptionError);
  });

  it("refuses a database migrated by a newer release", async () => {
    const { schema } = await processes(1);
    await rawQuery(
      schema.schema,
      "INSERT INTO store_migration (name, timestamp) VALUES ('9999-from-the-future', '2030-01-01')",
    );
    await expect(
      openPostgresStore({ url: testPostgresUrl(), schema: schema.schema, encryptionKey: KEY_HEX }),
    ).rejects.toThrow(SchemaTooNewError);
  });

  it("names the server without its password when it cannot connect", async () => {
    const error = await openPostgresStore({
      url: "postgres://app:s3cret-pass@127.0.0.1:1/db",
      encryptionKey: KEY_HEX,
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(
      /cannot connect to PostgreSQL at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/db/,
    );
    expect((error as Error).message).not.toContain("s3cret-pass");
  });

  it("survives its connections being cut: told once per lost idle connection, the next call reconnects", async () => {
    const schema = await createTestSchema(testPostgresUrl());
    schemas.push(schema);
    const lost: string[] = [];
    const name = `ghl-bulksms-cut-${schema.schema}`;
    const store = await openPostgresStore({
      url: testPostgresUrl(),
      schema: schema.schema,
      encryptionKey: KEY_HEX,
      applicationName: name,
      onConnectionError: (e) => lost.push(e.message),
    });
    stores.push(store);
    await store.settings.set("before", 1);
    const killed = await rawQuery<{ ok: boolean }>(
      "public",
      "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1",
      [name],
    );
    expect(killed.length).toBeGreaterThan(0);
    for (let i = 0; i < 100 && lost.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(lost.length).toBeGreaterThan(0);
    expect(await store.settings.get("before")).toBe(1);
    expect(await store.ping()).toBe(true);
  });

  it("two processes racing on one key: one message, one running sync run, one active follow-up", async () => {
    const {
      stores: [a, b],
    } = await processes(2);
    await a!.locations.upsert({ id: "L1" });
    const creates = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        (i % 2 ? a! : b!).messages.create({
          key: "welcome:L1:c1",
          locationId: "L1",
          to: "+27820000001",
          body: "Hi",
        }),
      ),
    );
    expect(creates.filter((c) => c.created)).toHaveLength(1);
    const ids = new Set(creates.map((c) => (c.created ? c.message.id : c.existing.id)));
    expect(ids.size).toBe(1);
    const starts = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 ? a! : b!).runs.start({ locationId: "L1", kind: "full" })),
    );
    expect(starts.filter((s) => s.started)).toHaveLength(1);
    const follow = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? a! : b!).followUps.start({ locationId: "L1", ruleId: "r", contactId: "c1", nextRunAt: 1 }),
      ),
    );
    expect(follow.filter((f) => f.started)).toHaveLength(1);
    // partial upserts from both processes keep every field
    await Promise.all([
      a!.contacts.upsert({ locationId: "L1", contactId: "c9", phoneE164: "+27820000009" }),
      b!.contacts.upsert({ locationId: "L1", contactId: "c9", emailNorm: "c9@example.com" }),
    ]);
    expect(await a!.contacts.get("L1", "c9")).toMatchObject({
      phoneE164: "+27820000009",
      emailNorm: "c9@example.com",
    });
    // a delivery report racing a late SENT never moves the status backwards
    const message = creates.find((c) => c.created)!;
    const id = message.created ? message.message.id : "";
    await a!.messages.markSubmitted(id, { providerIds: ["p1"] });
    await Promise.all([
      a!.messages.updateStatus(id, { status: "DELIVERED" }),
      b!.messages.updateStatus(id, { status: "SENT" }),
      a!.messages.updateStatus(id, { status: "SENT" }),
    ]);
    expect((await b!.messages.get(id))?.status).toBe("DELIVERED");
  });
});
