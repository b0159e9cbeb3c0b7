import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseBulkSmsWebhook } from "@ghl-bulksms/bulksms";
import { createSignedGhlWebhook, generateGhlWebhookTestKeys, signGhlWebhook } from "@ghl-bulksms/ghl/testing";
import { openSqliteStore, type Store } from "@ghl-bulksms/store";
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGhlVerifier } from "../src/adapters/ghl-verifier.ts";
import { createStoreIngestor } from "../src/adapters/store-ingestor.ts";
import { createStoreReadiness } from "../src/adapters/store-readiness.ts";
import { createLogger } from "../src/logger.ts";
import { createMetrics } from "../src/metrics.ts";
import type { Ingestor } from "../src/ports.ts";
import { buildServer, secretMatches } from "../src/server.ts";
import { admitAllLocations, MemoryIngestor } from "./fakes.ts";

const keys = generateGhlWebhookTestKeys();
const BULKSMS_SECRET = "bulksms-secret-0123456789abcdef";
const WORKFLOW_SECRET = "workflow-secret-0123456789abcdef";
const NOW = Date.parse("2026-11-25T22:00:00.000Z");
const silent = createLogger({ level: "silent" });

function makeServer(
  ingestor: Ingestor,
  extra: { overloadThreshold?: number; shuttingDown?: boolean; store?: Store } = {},
) {
  const metrics = createMetrics();
  const server = buildServer({
    options: {
      bodyLimitBytes: 64 * 1024,
      overloadThreshold: extra.overloadThreshold ?? 1000,
      bulksmsWebhookSecret: BULKSMS_SECRET,
      workflowWebhookSecret: WORKFLOW_SECRET,
      backlogCacheMs: 0,
    },
    ingestor,
    verifyGhl: createGhlVerifier({
      ed25519PublicKey: keys.publicKeys.ed25519,
      rsaPublicKey: keys.publicKeys.rsa,
      toleranceMs: 5 * 60_000,
    }),
    parseBulkSms: parseBulkSmsWebhook,
    readiness: extra.store
      ? createStoreReadiness(extra.store)
      : { check: async () => ({ ok: true as const }) },
    locations: admitAllLocations,
    metrics,
    logger: silent,
    now: () => NOW,
    isShuttingDown: () => extra.shuttingDown ?? false,
  });
  return { server, metrics };
}

const contactCreate = {
  type: "ContactCreate",
  locationId: "loc1",
  id: "c1",
  phone: "+27821234567",
  firstName: "Jane",
};

function signed(
  payload: Record<string, unknown> = contactCreate,
  opts: { now?: number; webhookId?: string } = {},
) {
  return createSignedGhlWebhook(payload, keys, { now: opts.now ?? NOW, webhookId: opts.webhookId });
}

describe("POST /webhooks/ghl against the real SQLite store", () => {
  let dir: string;
  let store: Store;
  let server: FastifyInstance;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "worker-http-"));
    store = openSqliteStore({
      path: join(dir, "db.sqlite"),
      encryptionKey: Buffer.alloc(32, 1),
      now: () => NOW,
    });
    ({ server } = makeServer(createStoreIngestor(store, { now: () => NOW }), { store }));
    await server.ready();
  });
  afterEach(async () => {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("accepts a valid signature, persists the event and its job before answering 200", async () => {
    const w = signed(contactCreate, { webhookId: "wh-1" });
    const res = await server.inject({
      method: "POST",
      url: "/webhooks/ghl",
      headers: w.headers,
      payload: w.body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true, status: "accepted" });
    const pending = await store.inbox.listPending();
    expect(pending).toHaveLength(1);
    expect(pending[0]).toMatchObject({
      source: "ghl",
      eventId: "wh-1",
      eventType: "ContactCreate",
      locationId: "loc1",
    });
    expect(pending[0]?.payload).toBe(w.body); // raw bytes kept
    const job = await store.jobs.getByKey(`inbox:${pending[0]?.id}`);
    expect(job).toMatchObject({ name: "inbox.process", state: "queued", locationId: "loc1" });
  });

  it("answers a duplicate (same webhookId) 200 and stores/enqueues it only once", async () => {
    const w = signed(contactCreate, { webhookId: "wh-dup" });
    const a = await server.inject({
      method: "POST",
      url: "/webhooks/ghl",
      headers: w.headers,
      payload: w.body,
    });
    const b = await server.inject({
      method: "POST",
      url: "/webhooks/ghl",
      headers: w.headers,
      payload: w.body,
    });
    expect(a.statusCode).toBe(200);
    expect(b.statusCode).toBe(200);
    expect(b.json().status).toBe("duplicate");
    expect(await store.inbox.listPending()).toHaveLength(1);
    expect((await store.jobs.counts()).queued).toBe(1);
  });

  it("rejects forged, missing, stale and tampered signatures with 401 and stores nothing", async () => {
    const w = signed();
    const other = generateGhlWebhookTestKeys();
    const forged = { ...w.headers, "x-ghl-signature": signGhlWebhook(w.body, other.ed25519.privateKey) };
    const stale = signed(contactCreate, { now: NOW - 10 * 60_000 });
    const future = signed(contactCreate, { now: NOW + 10 * 60_000 });
    const tampered = w.body.replace("Jane", "Joan");
    const { "x-ghl-signature": _s, ...unsigned } = w.headers;
    const cases = [
      { headers: forged, payload: w.body, code: "bad_signature" },
      { headers: unsigned, payload: w.body, code: "missing_signature" },
      { headers: { ...w.headers, "x-ghl-signature": "N/A" }, payload: w.body, code: "missing_signature" },
      { headers: stale.headers, payload: stale.body, code: "stale" },
      { headers: future.headers, payload: future.body, code: "stale" },
      { headers: w.headers, payload: tampered, code: "bad_signature" },
      { headers: w.headers, payload: w.body.slice(0, -5), code: "bad_signature" }, // truncated
    ];
    for (const c of cases) {
      const res = await server.inject({
        method: "POST",
        url: "/webhooks/ghl",
        headers: c.headers,
        payload: c.payload,
      });
      expect(res.statusCode, c.code).toBe(401);
      expect(res.json().error.code).toBe(c.code);
    }
    expect(await store.inbox.listPending()).toHaveLength(0);
  });

  it("a replayed delivery (captured, re-sent later) is stale once outside the window, a duplicate inside it", async () => {
    const w = signed(contactCreate, { now: NOW - 4 * 60_000, webhookId: "wh-replay" });
    expect(
      (await server.inject({ method: "POST", url: "/webhooks/ghl", headers: w.headers, payload: w.body }))
        .statusCode,
    ).toBe(200);
    const again = await server.inject({
      method: "POST",
      url: "/webhooks/ghl",
      headers: w.headers,
      payload: w.body,
    });
    expect(again.json().status).toBe("duplicate");
    const old = signed(contactCreate, { now: NOW - 6 * 60_000, webhookId: "wh-replay-old" });
    expect(
      (await server.inject({ method: "POST", url: "/webhooks/ghl", headers: old.headers, payload: old.body }))
        .statusCode,
    ).toBe(401);
    expect(await store.inbox.listPending()).toHaveLength(1);
  });

  it("a validly signed body that is not a usable event is 400", async () => {
    const body = "{not json";
    const headers = {
      "content-type": "application/json",
      "x-ghl-signature": signGhlWebhook(body, keys.ed25519.privateKey),
    };
    const res = await server.inject({ method: "POST", url: "/webhooks/ghl", headers, payload: body });
    expect(res.statusCode).toBe(400);
    const noType = JSON.stringify({ timestamp: new Date(NOW).toISOString(), locationId: "x" });
    const res2 = await server.inject({
      method: "POST",
      url: "/webhooks/ghl",
      headers: { "x-ghl-signature": signGhlWebhook(noType, keys.ed25519.privateKey) },
      payload: noType,
    });
    expect(res2.statusCode).toBe(400);
  });

  it("oversized bodies are 413", async () => {
    const big = signed({ ...contactCreate, filler: "x".repeat(70 * 1024) });
    const res = await server.inject({
      method: "POST",
      url: "/webhooks/ghl",
      headers: big.headers,
      payload: big.body,
    });
    expect(res.statusCode).toBe(413);
  });

  it("/readyz reports the migrated store; /healthz is up", async () => {
    expect((await server.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    const ready = await server.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    await store.close();
    const notReady = await server.inject({ method: "GET", url: "/readyz" });
    expect(notReady.statusCode).toBe(503);
    store = openSqliteStore({ path: join(dir, "db.sqlite"), encryptionKey: Buffer.alloc(32, 1) }); // for afterEach
  });

  it("BulkSMS: each message of the array becomes one inbox event keyed by id + status id", async () => {
    const body = JSON.stringify([
      {
        id: "101",
        type: "SENT",
        to: "27821234567",
        body: "hi",
        status: { id: "DELIVERED.null", type: "DELIVERED", subtype: null },
      },
      {
        id: "101",
        type: "SENT",
        to: "27821234567",
        body: "hi",
        status: { id: "SENT.null", type: "SENT", subtype: null },
      },
      { id: "202", type: "RECEIVED", from: "27821234567", body: "STOP" },
    ]);
    const url = `/webhooks/bulksms/${BULKSMS_SECRET}`;
    const res = await server.inject({
      method: "POST",
      url,
      headers: { "content-type": "application/json" },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ accepted: 3, duplicates: 0 });
    const again = await server.inject({
      method: "POST",
      url,
      headers: { "content-type": "application/json" },
      payload: body,
    });
    expect(again.json()).toMatchObject({ accepted: 0, duplicates: 3 });
    const ids = (await store.inbox.listPending()).map((e) => `${e.eventId}|${e.eventType}`).sort();
    expect(ids).toEqual([
      "101:DELIVERED.null|bulksms.status-report",
      "101:SENT.null|bulksms.status-report",
      "202:RECEIVED|bulksms.incoming-message",
    ]);
  });
});

describe("webhook routes with an in-memory ingestor", () => {
  let ingestor: MemoryIngestor;
  let server: FastifyInstance;
  let metrics: ReturnType<typeof createMetrics>;
  beforeEach(async () => {
    ingestor = new MemoryIngestor();
    ({ server, metrics } = makeServer(ingestor, { overloadThreshold: 100 }));
    await server.ready();
  });
  afterEach(() => server.close());

  it("GHL: 429 with Retry-After when the inbox backlog is above the threshold (GHL retries only 429)", async () => {
    ingestor.pending = 100;
    const w = signed();
    const res = await server.inject({
      method: "POST",
      url: "/webhooks/ghl",
      headers: w.headers,
      payload: w.body,
    });
    expect(res.statusCode).toBe(429);
    expect(res.headers["retry-after"]).toBeDefined();
    expect(ingestor.ingestCalls).toBe(0);
    ingestor.pending = 99;
    expect(
      (await server.inject({ method: "POST", url: "/webhooks/ghl", headers: w.headers, payload: w.body }))
        .statusCode,
    ).toBe(200);
  });

  it("GHL: 429 when the store is busy or throws; BulkSMS: 503 (never a 4xx for a transient fault)", async () => {
    const w = signed();
    const bulk = JSON.stringify([
      { id: "1", type: "SENT", status: { id: "SENT.null", type: "SENT", subtype: null } },
    ]);
    for (const mode of ["busy", "unavailable", "throw"] as const) {
      ingestor.failWith = mode;
      const g = await server.inject({
        method: "POST",
        url: "/webhooks/ghl",
        headers: w.headers,
        payload: w.body,
      });
      expect(g.statusCode, mode).toBe(429);
      const b = await server.inject({
        method: "POST",
        url: `/webhooks/bulksms/${BULKSMS_SECRET}`,
        payload: bulk,
        headers: { "content-type": "application/json" },
      });
      expect(b.statusCode, mode).toBe(503);
    }
  });

  it("BulkSMS: the registration test POST [] is 200 and stores nothing", async () => {
    const res = await server.inject({
      method: "POST",
      url: `/webhooks/bulksms/${BULKSMS_SECRET}`,
      payload: "[]",
      headers: { "content-type": "application/json" },
    });
    expect(res.statusCode).toBe(200);
    expect(ingestor.events.size).toBe(0);
  });

  it("BulkSMS: wrong or missing secret is 401, malformed JSON 400", async () => {
    for (const s of ["nope", `${BULKSMS_SECRET}x`, BULKSMS_SECRET.slice(0, -1), WORKFLOW_SECRET]) {
      const res = await server.inject({ method: "POST", url: `/webhooks/bulksms/${s}`, payload: "[]" });
      expect(res.statusCode).toBe(401);
    }
    expect(
      (await server.inject({ method: "POST", url: "/webhooks/bulksms/", payload: "[]" })).statusCode,
    ).toBe(401);
    const bad = await server.inject({
      method: "POST",
      url: `/webhooks/bulksms/${BULKSMS_SECRET}`,
      payload: '[{"id":"1",',
    });
    expect(bad.statusCode).toBe(400);
    expect(ingestor.events.size).toBe(0);
  });

  it("workflow: maps the payload, dedupes within the minute, rejects a wrong secret and unknown events", async () => {
    const body = {
      contact_id: "c9",
      first_name: "Jane",
      phone: "+27821234567",
      tags: "vip, new",
      location: { id: "loc1", name: "Shop" },
      workflow: { id: "wf1", name: "New contact" },
      customData: { event: "ContactCreate" },
    };
    const url = `/webhooks/ghl-workflow/${WORKFLOW_SECRET}`;
    const a = await server.inject({ method: "POST", url, payload: body });
    expect(a.statusCode).toBe(200);
    expect(a.json().status).toBe("accepted");
    const b = await server.inject({ method: "POST", url, payload: body });
    expect(b.json().status).toBe("duplicate");
    const [event] = [...ingestor.events.values()];
    expect(event).toMatchObject({ source: "ghl-workflow", eventType: "ContactCreate", locationId: "loc1" });
    expect(JSON.parse(event?.payload ?? "{}")).toMatchObject({
      type: "ContactCreate",
      id: "c9",
      tags: ["new", "vip"],
    });
    expect(
      (
        await server.inject({
          method: "POST",
          url: `/webhooks/ghl-workflow/${BULKSMS_SECRET}`,
          payload: body,
        })
      ).statusCode,
    ).toBe(401);
    const unknown = await server.inject({
      method: "POST",
      url,
      payload: { ...body, customData: { event: "ContactExplode" } },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.message).toContain("ContactCreate");
    const viaQuery = await server.inject({
      method: "POST",
      url: `${url}?event=ContactTagUpdate`,
      payload: { ...body, customData: undefined },
    });
    expect(viaQuery.statusCode).toBe(200);
    expect([...ingestor.events.values()].map((e) => e.eventType)).toContain("ContactTagUpdate");
  });

  it("counts webhook requests by route pattern (never by secret) and status", async () => {
    await server.inject({ method: "POST", url: `/webhooks/bulksms/${BULKSMS_SECRET}`, payload: "[]" });
    await server.inject({ method: "POST", url: "/webhooks/bulksms/wrong-secret", payload: "[]" });
    const res = await server.inject({ method: "GET", url: "/metrics" });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(
      'ghlbulksms_webhook_requests_total{route="/webhooks/bulksms/:secret",status="200"} 1',
    );
    expect(res.body).toContain(
      'ghlbulksms_webhook_requests_total{route="/webhooks/bulksms/:secret",status="401"} 1',
    );
    expect(res.body).not.toContain(BULKSMS_SECRET);
    expect(res.body).toContain("ghlbulksms_inbox_lag_seconds");
    expect(metrics.registry.contentType).toContain("text/plain");
  });

  it("/readyz is 503 while shutting down", async () => {
    const { server: s } = makeServer(ingestor, { shuttingDown: true });
    expect((await s.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(503);
    await s.close();
  });
});

describe("over a real socket", () => {
  let server: FastifyInstance;
  let base: string;
  const ingestor = new MemoryIngestor();
  beforeAll(async () => {
    ({ server } = makeServer(ingestor));
    base = await server.listen({ host: "127.0.0.1", port: 0 });
  });
  afterAll(() => server.close());

  it("accepts a signed webhook and answers 413 to an oversized one", async () => {
    const w = signed(contactCreate, { webhookId: "sock-1" });
    const ok = await fetch(`${base}/webhooks/ghl`, { method: "POST", headers: w.headers, body: w.body });
    expect(ok.status).toBe(200);
    const big = await fetch(`${base}/webhooks/bulksms/${BULKSMS_SECRET}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `[${"1,".repeat(40_000)}1]`,
    });
    expect(big.status).toBe(413);
  });
});

describe("request logging", () => {
  it("logs each webhook request by route pattern, never the path secret or the body", async () => {
    const lines: string[] = [];
    const { Writable } = await import("node:stream");
    const destination = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const server = buildServer({
      options: {
        bodyLimitBytes: 65536,
        overloadThreshold: 100,
        bulksmsWebhookSecret: BULKSMS_SECRET,
        workflowWebhookSecret: WORKFLOW_SECRET,
      },
      ingestor: new MemoryIngestor(),
      verifyGhl: createGhlVerifier({ ed25519PublicKey: keys.publicKeys.ed25519, toleranceMs: 300_000 }),
      parseBulkSms: parseBulkSmsWebhook,
      readiness: { check: async () => ({ ok: true as const }) },
      locations: admitAllLocations,
      metrics: createMetrics(),
      logger: createLogger({ level: "debug", destination }),
      now: () => NOW,
      isShuttingDown: () => false,
    });
    const body = JSON.stringify([{ id: "5", type: "RECEIVED", from: "27821234567", body: "STOP please" }]);
    const res = await server.inject({
      method: "POST",
      url: `/webhooks/bulksms/${BULKSMS_SECRET}`,
      payload: body,
      headers: { "content-type": "application/json" },
    });
    expect(res.statusCode).toBe(200);
    await server.inject({ method: "POST", url: `/webhooks/ghl-workflow/${WORKFLOW_SECRET}x`, payload: "{}" });
    await server.close();
    const out = lines.join("");
    expect(out).toContain('"route":"/webhooks/bulksms/:secret"');
    expect(out).toContain('"status":401');
    for (const secret of [BULKSMS_SECRET, WORKFLOW_SECRET, "27821234567", "STOP please"])
      expect(out).not.toContain(secret);
  });
});

describe("secretMatches", () => {
  it("compares in constant time over digests, any lengths", () => {
    expect(secretMatches("abc", "abc")).toBe(true);
    expect(secretMatches("abc", "abcd")).toBe(false);
    expect(secretMatches("", "abc")).toBe(false);
  });
});
