// Test harness: the real sandbox (both simulators on 127.0.0.1), a real store (SQLite in memory, or
// PostgreSQL on a new database of its own with `store: "postgres"`), the engine, and a webhook receiver whose requests are ingested like the worker does.
import { randomBytes } from "node:crypto";
import { type BulkSmsClient, createBulkSmsClient } from "@ghl-bulksms/bulksms";
import { createGhlClient, type GhlClient } from "@ghl-bulksms/ghl";
import { type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { startWebhookReceiver, type WebhookReceiver } from "@ghl-bulksms/sandbox/testing";
import { openMemoryStore, openPostgresStore, type Store } from "@ghl-bulksms/store";
import {
  createEngine,
  type Engine,
  type EngineConfigInput,
  type EngineLogger,
  type LifecycleConfigInput,
  registerLocation,
} from "../src/index.js";
import type { DrainResult } from "../src/testing/index.js";
import { createSharedDatabase } from "./cluster/shared-database.js";
import { createSettler } from "./webhook-pump.js";

export interface Harness {
  sandbox: Sandbox;
  store: Store;
  engine: Engine;
  ghl: GhlClient;
  locationId: string;
  receiver: WebhookReceiver;
  /** Deliver pending webhooks, ingest them, run jobs; repeat until nothing moves. */
  settle(): Promise<DrainResult>;
  advance(ms: number): Promise<DrainResult>;
  close(): Promise<void>;
}

/** 2026-03-10 12:00 in London (GMT): inside the default sending window. */
export const NOON_LONDON = Date.UTC(2026, 2, 10, 12, 0);

export async function startHarness(
  options: {
    config?: EngineConfigInput;
    lifecycle?: LifecycleConfigInput;
    clockStart?: number;
    /** Virtual ms per real ms of the sandbox clock (default 1; tiny = frozen between advance() calls). */
    clockSpeed?: number;
    wrapGhl?: (c: GhlClient) => GhlClient;
    wrapSms?: (c: BulkSmsClient) => BulkSmsClient;
    /** BulkSMS request timeout (real ms; default the client's). */
    smsTimeoutMs?: number;
    logger?: EngineLogger;
    /** The store: SQLite in memory (default), or PostgreSQL (a new database, dropped on close). */
    store?: "memory" | "postgres";
  } = {},
): Promise<Harness> {
  const receiver = await startWebhookReceiver();
  const sandbox = await startSandbox({
    seedContacts: 0,
    clockStart: options.clockStart ?? NOON_LONDON,
    ...(options.clockSpeed !== undefined ? { clockSpeed: options.clockSpeed } : {}),
    ghl: { locations: [{ country: "GB", timezone: "Europe/London" }] },
    webhookTargets: { ghl: `${receiver.url}/ghl`, bulksms: `${receiver.url}/bulksms` },
  });
  const location = sandbox.ghl.locations[0];
  if (!location) throw new Error("sandbox has no location");
  const now = () => sandbox.clock.now();
  const database = options.store === "postgres" ? await createSharedDatabase("postgres") : null;
  const store = database
    ? await openPostgresStore({ url: database.location, now, encryptionKey: randomBytes(32) })
    : openMemoryStore({ now, encryptionKey: randomBytes(32) });
  const realGhl = createGhlClient({
    auth: { kind: "private-integration", token: location.token },
    baseUrl: sandbox.ghl.url,
    now,
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
  });
  const ghl = options.wrapGhl ? options.wrapGhl(realGhl) : realGhl;
  const credential = sandbox.bulksms.credentials[0];
  if (!credential) throw new Error("sandbox has no BulkSMS credential");
  const realSms = createBulkSmsClient({
    tokenId: credential.tokenId,
    tokenSecret: credential.tokenSecret,
    baseUrl: sandbox.bulksms.url,
    now,
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    ...(options.smsTimeoutMs !== undefined ? { timeoutMs: options.smsTimeoutMs } : {}),
  });
  const sms = options.wrapSms ? options.wrapSms(realSms) : realSms;
  const engine = createEngine({
    store,
    ghl: () => ghl,
    sms,
    config: options.config ?? {},
    now,
    ...(options.lifecycle ? { lifecycle: options.lifecycle } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
  });
  await registerLocation(engine.deps, {
    id: location.id,
    region: location.country,
    timezone: location.timezone,
  });

  const settle = createSettler(sandbox, receiver, store, engine);

  return {
    sandbox,
    store,
    engine,
    ghl,
    locationId: location.id,
    receiver,
    settle,
    async advance(ms: number) {
      await settle();
      await sandbox.clock.advance(ms);
      return settle();
    },
    async close() {
      await sandbox.close();
      await receiver.close();
      await store.close();
      await database?.drop();
    },
  };
}
