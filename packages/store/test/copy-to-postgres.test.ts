/**
 * `store migrate` end to end at the store level: a SQLite store with rows in every table is copied into
 * PostgreSQL, then read back through the Store API of the PostgreSQL store (tokens decrypt: the ciphertext
 * was copied as is).
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import pgDriver from "pg";
import { afterAll, describe, expect, it } from "vitest";
import {
  copySqliteToPostgres,
  openPostgresStore,
  openSqliteStore,
  type Store,
  TargetNotEmptyError,
} from "../src/index.js";
import { createTestSchema, type TestSchema } from "../src/testing/index.js";
import { fakeClock, KEY_HEX, tempDir } from "./helpers.js";
import { testPostgresUrl } from "./support/stores.js";

const schemas: TestSchema[] = [];
afterAll(async () => {
  for (const s of schemas) await s.drop();
});

const PHONE = "+27820000001";

/** Writes at least one row into every table of the store. */
async function fill(store: Store, clock: ReturnType<typeof fakeClock>) {
  await store.locations.upsert({ id: "L1", name: "Acme", region: "ZA", settings: { welcome: true } });
  await store.tokens.save("L1", {
    accessToken: "ACCESS-1",
    refreshToken: "REFRESH-1",
    expiresAt: 1_900_000_000_000,
  });
  await store.secrets.set("webhook:bulksms", "S3CRET");
  await store.contacts.upsert({
    locationId: "L1",
    contactId: "c1",
    ghl: { firstName: "Ann" },
    phoneE164: PHONE,
  });
  await store.contacts.markWelcomeSent("L1", "c1");
  const m = await store.messages.create({
    key: "welcome:L1:c1",
    locationId: "L1",
    contactId: "c1",
    to: PHONE,
    body: "Hi",
  });
  if (!m.created) throw new Error("not created");
  await store.messages.markSubmitted(m.message.id, { providerIds: ["p-1"], status: "ACCEPTED", cost: 1.5 });
  clock.advance(10);
  await store.messages.create({ key: "later", locationId: "L1", to: PHONE, body: "Later" });
  await store.inbox.insert({ source: "ghl", eventId: "e1", payload: '{"type":"ContactCreate"}' });
  await store.jobs.enqueue({ name: "send", payload: { n: 1 }, key: "job-1", locationId: "L1", priority: 2 });
  await store.jobs.enqueue({ name: "send", payload: null, key: "job-2" });
  await store.optOuts.set({
    locationId: "L1",
    phoneE164: PHONE,
    state: "opted_out",
    source: "sms_stop",
    eventKey: "stop-1",
  });
  const run = await store.runs.start({ locationId: "L1", kind: "full", owner: "w1" });
  if (!run.started) throw new Error("no run");
  await store.runs.saveCheckpoint(run.run.id, { cursor: "abc" });
  await store.runs.recordConflict({
    runId: run.run.id,
    contactId: "c1",
    field: "firstName",
    policy: "ghl-wins",
    decision: "remote",
    base: "A",
    local: "B",
    remote: "C",
    chosen: "C",
  });
  await store.runs.finish(run.run.id, { status: "succeeded" });
  await store.audit.record({
    vendor: "ghl",
    operation: "notes.create",
    locationId: "L1",
    targetId: null,
    idempotencyKey: "note:e1",
    resultStatus: "201",
    detail: { ok: true },
  });
  await store.decisions.record({
    key: "d1",
    locationId: "L1",
    contactId: "c1",
    purpose: "automated",
    kind: "welcome",
    decision: "sent",
    reason: "sent",
  });
  await store.vendorWrites.begin("note:e1", { vendor: "ghl", operation: "notes.create", locationId: "L1" });
  const undo = await store.mergeUndo.record({
    locationId: "L1",
    survivorId: "c1",
    mergedId: "c2",
    snapshot: { c: 1 },
  });
  await store.mergeUndo.markApplied(undo);
  await store.followUps.start({
    locationId: "L1",
    ruleId: "r1",
    contactId: "c1",
    nextRunAt: clock.now() + 1000,
  });
  await store.digests.record({
    locationId: "L1",
    localDate: "2026-12-03",
    recipient: "ops",
    summary: { sent: 1 },
  });
  await store.settings.set("engine.version", 3);
  // a contact whose number changed: its earlier number is kept
  await store.contacts.upsert({ locationId: "L1", contactId: "c2", phoneE164: "+27820000002" });
  await store.contacts.upsert({ locationId: "L1", contactId: "c2", phoneE164: "+27820000003" });
  await store.rateBudget.reserve({
    resource: "L1",
    now: clock.now(),
    allowed: 100,
    pendingTtlMs: 60_000,
    day: "2026-12-03",
    dailyAllowed: null,
  });
  await store.locks.tryAcquire("digest:L1", "w1", 60_000);
  await store.campaigns.create({
    id: "cmp1",
    locationId: "L1",
    name: "Spring",
    template: "Hi {{firstName}}",
    audience: { tags: { any: ["vip"] } },
    options: { batchSize: 100 },
  });
  await store.campaigns.update("cmp1", { status: "running", summary: null });
  await store.campaigns.addRecipients("cmp1", [
    { contactId: "c1", phoneE164: PHONE, timeZone: "Africa/Johannesburg", sendAt: clock.now() },
  ]);
  await store.campaigns.createBatch({ campaignId: "cmp1", seq: 1, dedupId: 77, size: 1 });
  await store.campaigns.updateRecipients("cmp1", [{ contactId: "c1", state: "sent", batchSeq: 1 }]);
  await store.campaigns.updateBatch("cmp1", 1, { state: "submitted", attempts: 1, submittedAt: clock.now() });
  await store.probeCommit();
}

describe("store migrate: SQLite -> PostgreSQL", () => {
  it("copies every table, verifies the counts, and the PostgreSQL store reads it all back", async () => {
    const clock = fakeClock();
    const path = join(tempDir(), "store.db");
    const sqlite = openSqliteStore({ path, encryptionKey: KEY_HEX, now: clock.now });
    await fill(sqlite, clock);
    await sqlite.close();

    const schema = await createTestSchema(testPostgresUrl());
    schemas.push(schema);
    const graphileKeys = async (): Promise<string[]> => {
      const client = new pgDriver.Client({ connectionString: testPostgresUrl() });
      await client.connect();
      try {
        const { rows } = await client.query<{ key: string }>(
          `SELECT key FROM "${schema.schema}_graphile_worker".jobs ORDER BY key`,
        );
        return rows.map((r) => r.key);
      } finally {
        await client.end();
      }
    };
    const progress: string[] = [];
    const result = await copySqliteToPostgres({
      from: path,
      to: testPostgresUrl(),
      schema: schema.schema,
      batchSize: 1,
      onProgress: (p) => progress.push(`${p.table} ${p.copied}/${p.total}`),
    });
    expect(result.ok).toBe(true);
    // every table of the store had rows, and has them all in PostgreSQL
    const raw = new Database(path, { readonly: true });
    const tables = (
      raw
        .prepare(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_migrations', 'sqlite_sequence')",
        )
        .all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    raw.close();
    expect(result.tables.map((t) => t.table).sort()).toEqual(tables.sort());
    for (const t of result.tables) {
      expect(t.source, `${t.table} has rows in the source`).toBeGreaterThan(0);
      expect(t.target).toBe(t.source);
    }
    expect(progress).toContain("messages 2/2");
    // parents before children
    const order = result.tables.map((t) => t.table);
    expect(order.indexOf("locations")).toBeLessThan(order.indexOf("contacts"));
    expect(order.indexOf("messages")).toBeLessThan(order.indexOf("message_provider_ids"));
    expect(order.indexOf("sync_runs")).toBeLessThan(order.indexOf("conflict_decisions"));

    const pg = await openPostgresStore({
      url: testPostgresUrl(),
      schema: schema.schema,
      encryptionKey: KEY_HEX,
      now: clock.now,
    });
    try {
      expect(await pg.tokens.load("L1")).toEqual({
        accessToken: "ACCESS-1",
        refreshToken: "REFRESH-1",
        expiresAt: 1_900_000_000_000,
      });
      expect(await pg.secrets.get("webhook:bulksms")).toBe("S3CRET");
      expect(await pg.locations.get("L1")).toMatchObject({
        name: "Acme",
        region: "ZA",
        settings: { welcome: true },
        active: true,
      });
      expect(await pg.contacts.get("L1", "c1")).toMatchObject({
        ghl: { firstName: "Ann" },
        deleted: false,
        welcomeSentAt: clock.now() - 10,
      });
      expect(await pg.messages.findByProviderId("p-1")).toMatchObject({
        key: "welcome:L1:c1",
        status: "ACCEPTED",
        cost: 1.5,
        providerIds: ["p-1"],
      });
      expect((await pg.messages.list()).map((m) => m.key)).toEqual(["later", "welcome:L1:c1"]);
      expect((await pg.contacts.findByPreviousPhone("L1", "+27820000002")).map((c) => c.contactId)).toEqual([
        "c2",
      ]);
      expect(await pg.rateBudget.usage("L1", clock.now())).toEqual({
        live: 1,
        usedToday: 1,
        day: "2026-12-03",
      });
      // the grant ids continue after the copied ones
      const grant = await pg.rateBudget.reserve({
        resource: "L1",
        now: clock.now(),
        allowed: 100,
        pendingTtlMs: 60_000,
        day: "2026-12-03",
        dailyAllowed: null,
      });
      expect(grant).toEqual({ ok: true, grantId: 2 });
      expect(await pg.optOuts.isOptedOut("L1", PHONE)).toBe(true);
      expect(await pg.optOuts.history("L1", PHONE)).toHaveLength(1);
      const run = await pg.runs.latest("L1", { kind: "full" });
      expect(run).toMatchObject({ checkpoint: { cursor: "abc" }, dryRun: false });
      expect(await pg.runs.listConflicts(run!.id)).toMatchObject([{ policy: "ghl-wins", chosen: "C" }]);
      expect(await pg.jobs.getByKey("job-1")).toMatchObject({
        payload: { n: 1 },
        priority: 2,
        state: "queued",
      });
      // the copied queued jobs are handed to graphile-worker, the job queue on PostgreSQL
      expect(await graphileKeys()).toEqual(
        [
          `job:${(await pg.jobs.getByKey("job-1"))!.id}`,
          `job:${(await pg.jobs.getByKey("job-2"))!.id}`,
        ].sort(),
      );
      expect((await pg.inbox.listPending()).map((e) => e.eventId)).toEqual(["e1"]);
      expect(await pg.audit.list()).toMatchObject([{ operation: "notes.create", detail: { ok: true } }]);
      expect(await pg.decisions.list({ contactIds: ["c1"] })).toMatchObject([
        { key: "d1", decision: "sent" },
      ]);
      expect(await pg.vendorWrites.get("note:e1")).toMatchObject({ state: "begun", attempts: 1 });
      expect(await pg.campaigns.get("cmp1")).toMatchObject({
        status: "running",
        audience: { tags: { any: ["vip"] } },
        options: { batchSize: 100 },
        summary: null,
      });
      expect(await pg.campaigns.getRecipient("cmp1", "c1")).toMatchObject({
        state: "sent",
        batchSeq: 1,
        submittedAt: clock.now(),
      });
      expect(await pg.campaigns.getBatch("cmp1", 1)).toMatchObject({ state: "submitted", dedupId: 77 });
      expect(order.indexOf("campaigns")).toBeLessThan(order.indexOf("campaign_recipients"));
      expect(await pg.mergeUndo.list({ locationId: "L1" })).toMatchObject([
        { status: "applied", snapshot: { c: 1 } },
      ]);
      expect(await pg.followUps.getActive("L1", "r1", "c1")).toMatchObject({ step: 0 });
      expect(await pg.digests.latest("L1")).toMatchObject({ summary: { sent: 1 } });
      expect(await pg.settings.get("engine.version")).toBe(3);
      expect(await pg.locks.tryAcquire("digest:L1", "w2", 60_000)).toBe(false);
      // identity sequences continue after the copied ids
      const next = await pg.jobs.enqueue({ name: "send", payload: null, key: "job-3" });
      const copied = await pg.jobs.getByKey("job-2");
      expect(next.enqueued && next.id).toBeGreaterThan(copied!.id);
      // the copy kept the source's key check: another key is refused
      await expect(
        openPostgresStore({
          url: testPostgresUrl(),
          schema: schema.schema,
          encryptionKey: Buffer.alloc(32, 9),
        }),
      ).rejects.toThrow(/encryption key does not match/);
    } finally {
      await pg.close();
    }

    // a second copy into the now non-empty database is refused, unless forced
    await expect(
      copySqliteToPostgres({ from: path, to: testPostgresUrl(), schema: schema.schema }),
    ).rejects.toThrow(TargetNotEmptyError);
    const forced = await copySqliteToPostgres({
      from: path,
      to: testPostgresUrl(),
      schema: schema.schema,
      force: true,
    });
    expect(forced.ok).toBe(true);
    expect(forced.tables.find((t) => t.table === "jobs")).toEqual({ table: "jobs", source: 2, target: 2 });
    // the forced copy retired the graphile jobs of the replaced rows: the copied jobs are there once
    // (job-3, enqueued after the first copy, is gone with its row)
    expect(await graphileKeys()).toEqual(["job:1", "job:2"]);
  });
});
