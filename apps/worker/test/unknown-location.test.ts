// Workflow webhooks naming a location this installation does not know never register it. By default they
// are refused (403, nothing stored, no dead letter); with UNKNOWN_LOCATIONS=hold the location waits for an
// operator's approval, at most UNKNOWN_LOCATIONS_MAX_PENDING of them. Signed marketplace AppInstall
// webhooks still register locations.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseBulkSmsWebhook } from "@ghl-bulksms/bulksms";
import { loadConfig } from "@ghl-bulksms/config";
import { approvePendingLocation, listPendingLocations, rejectPendingLocation } from "@ghl-bulksms/engine";
import { createSignedGhlWebhook, generateGhlWebhookTestKeys } from "@ghl-bulksms/ghl/testing";
import { type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { openSqliteStore, type Store } from "@ghl-bulksms/store";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGhlVerifier } from "../src/adapters/ghl-verifier.ts";
import { createStoreIngestor } from "../src/adapters/store-ingestor.ts";
import { createStoreLocationGate } from "../src/adapters/store-location-gate.ts";
import { createWorkerApp, type WorkerApp } from "../src/app.ts";
import { createEnginePlugin } from "../src/engine-plugin.ts";
import { createLogger } from "../src/logger.ts";
import { createMetrics } from "../src/metrics.ts";
import { buildServer } from "../src/server.ts";

const WF_SECRET = "workflow-secret-0123456789abcdef";
const keys = generateGhlWebhookTestKeys();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function workflowBody(locationId: string, contactId = "c-1") {
  return JSON.stringify({
    contact_id: contactId,
    first_name: "Ada",
    phone: "+447911123456",
    location: { id: locationId },
    workflow: { id: "wf-1", name: "Contact created" },
    customData: { event: "ContactCreate" },
  });
}

describe("worker + engine: unknown workflow locations are refused by default", () => {
  let sandbox: Sandbox;
  let app: WorkerApp;
  let url: string;
  let dir: string;
  let known: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "worker-unknown-loc-"));
    sandbox = await startSandbox({ seedContacts: 0, ghl: { locations: [{ country: "GB" }] } });
    const location = sandbox.ghl.locations[0];
    const credential = sandbox.bulksms.credentials[0];
    if (!location || !credential) throw new Error("sandbox without location or credential");
    known = location.id;
    const config = loadConfig({
      HOST: "127.0.0.1",
      PORT: "0",
      DATA_DIR: dir,
      LOG_LEVEL: "silent",
      GHL_API_BASE_URL: sandbox.ghl.url,
      BULKSMS_API_BASE_URL: sandbox.bulksms.url,
      GHL_LOCATION_1_ID: location.id,
      GHL_LOCATION_1_TOKEN: location.token,
      BULKSMS_TOKEN_ID: credential.tokenId,
      BULKSMS_TOKEN_SECRET: credential.tokenSecret,
      GHL_WORKFLOW_WEBHOOK_SECRET: WF_SECRET,
      GHL_WEBHOOK_PUBLIC_KEY: keys.publicKeys.ed25519,
    });
    expect(config.ghl.unknownLocations).toEqual({ policy: "refuse", maxPending: 20 });
    app = createWorkerApp({
      config,
      logger: createLogger({ level: "silent" }),
      now: () => sandbox.clock.now(),
      pollIntervalMs: 10,
      engine: createEnginePlugin(),
    });
    ({ url } = await app.start());
  });
  afterAll(async () => {
    await app?.stop();
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function settle() {
    for (let i = 0; i < 200; i++) {
      const lag = await app.store().inbox.lag();
      const jobs = await app.store().jobs.counts();
      if (lag.pending === 0 && jobs.queued === 0 && jobs.running === 0) return;
      await sleep(20);
    }
    throw new Error("worker did not settle");
  }

  const postWorkflow = (locationId: string) =>
    fetch(`${url}/webhooks/ghl-workflow/${WF_SECRET}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: workflowBody(locationId),
    });

  it("50 posts for 50 unknown locations: 50 refusals (403), 0 locations, 0 events, 0 dead letters", async () => {
    const locationsBefore = (await app.store().locations.list()).map((l) => l.id);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 50; i++) {
      const res = await postWorkflow(`phantom-${i}`);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("unknown_location");
      expect(body.error.message).toContain(`location phantom-${i} is not registered`);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 403: 50 });
    await settle();
    expect((await app.store().locations.list()).map((l) => l.id)).toEqual(locationsBefore);
    expect(await app.store().inbox.lag()).toMatchObject({ pending: 0 });
    expect(await app.store().deadLetters.list()).toEqual([]);
    expect(await listPendingLocations(app.store())).toEqual([]);
    // a configured location is taken as before
    expect((await postWorkflow(known)).status).toBe(200);
  });

  it("a signed marketplace AppInstall still registers its location, whose workflow webhooks are then taken", async () => {
    expect((await postWorkflow("loc-installed")).status).toBe(403);
    const install = createSignedGhlWebhook(
      { type: "INSTALL", appId: "app", locationId: "loc-installed" },
      keys,
      {
        now: sandbox.clock.now(),
      },
    );
    const res = await fetch(`${url}/webhooks/ghl`, {
      method: "POST",
      headers: install.headers,
      body: install.body,
    });
    expect(res.status).toBe(200);
    await settle();
    expect(await app.store().locations.get("loc-installed")).toMatchObject({
      id: "loc-installed",
      active: true,
    });
    expect((await postWorkflow("loc-installed")).status).toBe(200);
    await settle();
    expect(await app.store().deadLetters.list()).toEqual([]);
  });
});

describe("UNKNOWN_LOCATIONS=hold: held for approval, bounded", () => {
  let dir: string;
  let store: Store;
  let server: ReturnType<typeof buildServer>;
  const NOW = Date.parse("2026-11-25T22:00:00.000Z");

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "worker-hold-"));
    store = openSqliteStore({
      path: join(dir, "db.sqlite"),
      encryptionKey: Buffer.alloc(32, 9),
      now: () => NOW,
    });
    server = buildServer({
      options: {
        bodyLimitBytes: 64 * 1024,
        overloadThreshold: 1000,
        bulksmsWebhookSecret: null,
        workflowWebhookSecret: WF_SECRET,
      },
      ingestor: createStoreIngestor(store, { now: () => NOW }),
      verifyGhl: createGhlVerifier({ ed25519PublicKey: keys.publicKeys.ed25519, toleranceMs: 300_000 }),
      parseBulkSms: parseBulkSmsWebhook,
      readiness: { check: async () => ({ ok: true as const }) },
      locations: createStoreLocationGate(store, { configured: ["loc-env"], policy: "hold", maxPending: 3 }),
      metrics: createMetrics(),
      logger: createLogger({ level: "silent" }),
      now: () => NOW,
      isShuttingDown: () => false,
    });
    await server.ready();
  });
  afterEach(async () => {
    await server.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = async (locationId: string, contactId?: string) => {
    const res = await server.inject({
      method: "POST",
      url: `/webhooks/ghl-workflow/${WF_SECRET}`,
      payload: workflowBody(locationId, contactId),
    });
    return { status: res.statusCode, code: (res.json() as { error?: { code: string } }).error?.code ?? "ok" };
  };

  it("holds at most 3 locations, refuses the rest, stores no event, and takes an approved one", async () => {
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await post(`new-${i}`));
    expect(answers).toEqual([
      { status: 403, code: "location_pending_approval" },
      { status: 403, code: "location_pending_approval" },
      { status: 403, code: "location_pending_approval" },
      { status: 403, code: "unknown_location" },
      { status: 403, code: "unknown_location" },
    ]);
    expect(await post("new-0", "c-2")).toEqual({ status: 403, code: "location_pending_approval" });
    const pending = await listPendingLocations(store);
    expect(pending.map((p) => [p.locationId, p.requests])).toEqual([
      ["new-0", 2],
      ["new-1", 1],
      ["new-2", 1],
    ]);
    expect(JSON.stringify(pending)).not.toMatch(/Ada|447911123456|c-1/); // no personal data kept
    expect(await store.inbox.lag()).toMatchObject({ pending: 0 });
    expect(await store.locations.list()).toEqual([]);

    expect(await approvePendingLocation(store, "new-1", { region: "GB" })).toEqual({ ok: true });
    expect(await store.locations.get("new-1")).toMatchObject({ active: true, region: "GB" });
    expect(await post("new-1")).toEqual({ status: 200, code: "ok" });
    expect(await approvePendingLocation(store, "new-1")).toMatchObject({
      ok: false,
      error: { code: "not_pending" },
    });

    expect(await rejectPendingLocation(store, "new-2")).toBe(true);
    // room again: the next unknown location is held
    expect(await post("new-4")).toEqual({ status: 403, code: "location_pending_approval" });
    expect((await listPendingLocations(store)).map((p) => p.locationId)).toEqual(["new-0", "new-4"]);
    // configured locations are always taken
    expect(await post("loc-env")).toEqual({ status: 200, code: "ok" });
    expect(await store.inbox.lag()).toMatchObject({ pending: 2 });
  });

  it("an id that is not a plausible GHL id is refused, never recorded", async () => {
    expect(await post("x".repeat(65))).toEqual({ status: 403, code: "unknown_location" });
    expect(await post("../../etc")).toEqual({ status: 403, code: "unknown_location" });
    expect(await listPendingLocations(store)).toEqual([]);
  });
});
