// Harness for the lifecycle tests: the sandbox (both simulators), a SQLite store (memory or file), the
// engine, and the webhook receiver ingested like the worker. Options the engine's harness lacks: location
// duplicate rules, seeded contacts, a file store, the GHL limiter settings.
import { randomBytes } from "node:crypto";
import { createBulkSmsClient } from "@ghl-bulksms/bulksms";
import { createGhlClient, type GhlClient } from "@ghl-bulksms/ghl";
import { type GhlLocationOption, type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { startWebhookReceiver, type WebhookReceiver } from "@ghl-bulksms/sandbox/testing";
import { openMemoryStore, openSqliteStore, type Store } from "@ghl-bulksms/store";
import {
  createEngine,
  type Engine,
  type EngineConfigInput,
  type LifecycleConfig,
  parseLifecycleConfig,
  registerLocation,
} from "../../src/index.js";
import type { DrainResult } from "../../src/testing/index.js";
import { createSettler } from "../webhook-pump.js";

export interface LifecycleHarness {
  sandbox: Sandbox;
  store: Store;
  engine: Engine;
  ghl: GhlClient;
  locationId: string;
  lifecycle: LifecycleConfig;
  receiver: WebhookReceiver;
  /** Deliver pending webhooks, ingest them, run the engine's jobs; repeat until nothing moves. */
  settle(): Promise<DrainResult>;
  close(): Promise<void>;
}

/** 2026-03-10 12:00 in London (GMT): inside the default sending window. */
export const NOON_LONDON = Date.UTC(2026, 2, 10, 12, 0);

export async function startLifecycleHarness(
  options: {
    config?: EngineConfigInput;
    lifecycle?: unknown;
    clockStart?: number;
    location?: GhlLocationOption;
    seedContacts?: number;
    storePath?: string;
    encryptionKey?: Buffer;
  } = {},
): Promise<LifecycleHarness> {
  const receiver = await startWebhookReceiver();
  const sandbox = await startSandbox({
    seedContacts: options.seedContacts ?? 0,
    clockStart: options.clockStart ?? NOON_LONDON,
    ghl: { locations: [{ country: "GB", timezone: "Europe/London", ...options.location }] },
    webhookTargets: { ghl: `${receiver.url}/ghl`, bulksms: `${receiver.url}/bulksms` },
  });
  const location = sandbox.ghl.locations[0];
  if (!location) throw new Error("sandbox has no location");
  const now = () => sandbox.clock.now();
  const key = options.encryptionKey ?? randomBytes(32);
  const store = options.storePath
    ? openSqliteStore({ path: options.storePath, now, encryptionKey: key })
    : openMemoryStore({ now, encryptionKey: key });
  const ghl = createGhlClient({
    auth: { kind: "private-integration", token: location.token },
    baseUrl: sandbox.ghl.url,
    now,
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
  });
  const credential = sandbox.bulksms.credentials[0];
  if (!credential) throw new Error("sandbox has no BulkSMS credential");
  const sms = createBulkSmsClient({
    tokenId: credential.tokenId,
    tokenSecret: credential.tokenSecret,
    baseUrl: sandbox.bulksms.url,
    now,
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
  });
  const engine = createEngine({ store, ghl: () => ghl, sms, config: options.config ?? {}, now });
  await registerLocation(engine.deps, {
    id: location.id,
    region: location.country,
    timezone: location.timezone,
  });

  return {
    sandbox,
    store,
    engine,
    ghl,
    locationId: location.id,
    lifecycle: parseLifecycleConfig(options.lifecycle ?? {}),
    receiver,
    settle: createSettler(sandbox, receiver, store, engine),
    async close() {
      await sandbox.close();
      await receiver.close();
      await store.close();
    },
  };
}
