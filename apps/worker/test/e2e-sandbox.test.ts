// The worker with the real engine against both simulators: GHL signs its webhooks with the sandbox key
// (configured through GHL_WEBHOOK_PUBLIC_KEY), BulkSMS calls the secret URL. A new contact gets exactly
// one welcome SMS, and its delivery report flows back through the BulkSMS webhook.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@ghl-bulksms/config";
import { registerBulkSmsWebhooks, type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkerApp, type WorkerApp } from "../src/app.ts";
import { createEnginePlugin } from "../src/engine-plugin.ts";
import { createLogger } from "../src/logger.ts";

const NOON_LONDON = Date.UTC(2026, 2, 10, 12, 0);
const BULK_SECRET = "e2e-bulksms-secret-0123456789";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let sandbox: Sandbox;
let app: WorkerApp;
let url: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "worker-e2e-"));
  sandbox = await startSandbox({
    seedContacts: 0,
    clockStart: NOON_LONDON,
    ghl: { locations: [{ country: "GB", timezone: "Europe/London" }] },
  });
  const location = sandbox.ghl.locations[0];
  const credential = sandbox.bulksms.credentials[0];
  if (!location || !credential) throw new Error("sandbox without location or credential");
  const config = loadConfig({
    HOST: "127.0.0.1",
    PORT: "0",
    DATA_DIR: dir,
    LOG_LEVEL: "silent",
    GHL_API_BASE_URL: sandbox.ghl.url,
    BULKSMS_API_BASE_URL: sandbox.bulksms.url,
    GHL_LOCATION_1_ID: location.id,
    GHL_LOCATION_1_TOKEN: location.token,
    GHL_LOCATION_1_TIMEZONE: "Europe/London",
    GHL_LOCATION_1_REGION: "GB",
    BULKSMS_TOKEN_ID: credential.tokenId,
    BULKSMS_TOKEN_SECRET: credential.tokenSecret,
    BULKSMS_WEBHOOK_SECRET: BULK_SECRET,
    GHL_WEBHOOK_PUBLIC_KEY: sandbox.ghl.keys.ed25519PublicKeyPem,
    WELCOME_TEMPLATE: "Hi {{firstName}}, welcome!",
  });
  app = createWorkerApp({
    config,
    logger: createLogger({ level: "silent" }),
    now: () => sandbox.clock.now(),
    pollIntervalMs: 10,
    engine: createEnginePlugin(),
  });
  ({ url } = await app.start());
  sandbox.ghl.control.setWebhookUrl(`${url}/webhooks/ghl`);
  const warnings = await registerBulkSmsWebhooks(sandbox.bulksms, `${url}/webhooks/bulksms/${BULK_SECRET}`);
  expect(warnings).toEqual([]);
});

afterAll(async () => {
  await app?.stop();
  await sandbox?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function settle(rounds = 100) {
  for (let i = 0; i < rounds; i++) {
    await sandbox.ghl.control.flushWebhooks();
    await sandbox.bulksms.control.settle();
    const lag = await app.store().inbox.lag();
    const jobs = await app.store().jobs.counts();
    if (lag.pending === 0 && jobs.queued === 0 && jobs.running === 0) return;
    await sleep(20);
  }
  throw new Error("worker did not settle");
}

describe("worker + engine + sandbox", () => {
  it("a contact created in GHL gets one welcome SMS; its delivery report comes back through the webhook", async () => {
    const location = sandbox.ghl.locations[0];
    if (!location) throw new Error("no location");
    const contact = sandbox.ghl.control.createContact(location.id, {
      firstName: "Ada",
      phone: "07911 123456",
    });
    await settle();
    await sandbox.clock.advance(60_000);
    await settle();
    const sent = sandbox.bulksms.control.sentMessages();
    expect(sent.filter((m) => JSON.stringify(m).includes("447911123456"))).toHaveLength(1);
    const events = await app.store().inbox.listPending();
    expect(events).toEqual([]);
    expect(await app.store().deadLetters.list()).toEqual([]);
    const mirror = await app.store().contacts.get(location.id, contact.id);
    expect(mirror?.welcomeSentAt).not.toBeNull();
    const deliveries = sandbox.bulksms.control.deliveryLog();
    expect(deliveries.length).toBeGreaterThan(0);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/ghlbulksms_sms_sends_total\{status="DELIVERED"\} 1/);
  });

  it("a GHL workflow webhook (private-integration set-up) drives the same use-case", async () => {
    const location = sandbox.ghl.locations[0];
    if (!location) throw new Error("no location");
    sandbox.ghl.control.setWebhookUrl(undefined); // no marketplace webhooks: only the workflow calls us
    const contact = sandbox.ghl.control.createContact(location.id, {
      firstName: "Grace",
      phone: "07911 123457",
    });
    const body = {
      contact_id: contact.id,
      first_name: "Grace",
      phone: "07911 123457",
      tags: "",
      location: { id: location.id },
      workflow: { id: "wf-created", name: "Contact created" },
      customData: { event: "ContactCreate" },
    };
    const post = () =>
      fetch(`${url}/webhooks/ghl-workflow/sandbox-webhook-secret-not-for-production`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await post()).status).toBe(200);
    expect(await (await post()).json()).toMatchObject({ status: "duplicate" });
    await settle();
    await sandbox.clock.advance(60_000);
    await settle();
    const sent = sandbox.bulksms.control
      .sentMessages()
      .filter((m) => JSON.stringify(m).includes("447911123457"));
    expect(sent).toHaveLength(1);
    expect(await app.store().deadLetters.list()).toEqual([]);
  });
});
