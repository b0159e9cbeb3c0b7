// The whole worker shell: config -> real SQLite store in a temp dir -> job runner -> HTTP on 127.0.0.1:0.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@ghl-bulksms/config";
import { createSignedGhlWebhook, generateGhlWebhookTestKeys } from "@ghl-bulksms/ghl/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorkerApp, type EngineFactory } from "../src/app.ts";
import type { InboxItem } from "../src/inbox-dispatch.ts";
import { createLogger } from "../src/logger.ts";
import type { JobOutcome } from "../src/ports.ts";

const keys = generateGhlWebhookTestKeys();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean | Promise<boolean>, ms = 5000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await sleep(10);
  }
  throw new Error("condition not met in time");
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "worker-app-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function config(extra: Record<string, string> = {}) {
  return loadConfig({
    HOST: "127.0.0.1",
    PORT: "0",
    DATA_DIR: dir,
    LOG_LEVEL: "silent",
    GHL_WEBHOOK_PUBLIC_KEY: keys.publicKeys.ed25519.replace(/\n/g, "\\n"),
    JOB_CONCURRENCY_PER_LOCATION: "1",
    SHUTDOWN_TIMEOUT_SECONDS: "1",
    ...extra,
  });
}

function engine(
  handle: (item: InboxItem, signal: AbortSignal) => Promise<JobOutcome>,
): EngineFactory<Record<never, never>> {
  return async () => ({
    jobs: {},
    inbox: {
      ghl: (item, ctx) => handle(item, ctx.signal),
      ghlWorkflow: (item, ctx) => handle(item, ctx.signal),
      bulksms: (item, ctx) => handle(item, ctx.signal),
    },
  });
}

describe("worker app", () => {
  it("starts in order, verifies with the configured key, processes each event once, stops cleanly", async () => {
    const seen: string[] = [];
    const app = createWorkerApp({
      config: config(),
      logger: createLogger({ level: "silent" }),
      pollIntervalMs: 10,
      engine: engine(async (item) => {
        seen.push(`${item.source}:${item.eventType}:${(item.payload as { id?: string }).id}`);
        return { ok: true };
      }),
    });
    const { url } = await app.start();
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const w = createSignedGhlWebhook({ type: "ContactCreate", locationId: "loc1", id: "c1" }, keys, {
      webhookId: "wh-a",
    });
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${url}/webhooks/ghl`, { method: "POST", headers: w.headers, body: w.body });
      expect(res.status).toBe(200);
    }
    await until(async () => (await app.store().inbox.lag()).pending === 0);
    expect(seen).toEqual(["ghl:ContactCreate:c1"]);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/ghlbulksms_jobs_total\{job="inbox.process",outcome="complete"\} 1/);
    await app.stop();
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it("graceful stop releases a job whose handler does not finish in time; a restart processes it", async () => {
    let started = 0;
    const app = createWorkerApp({
      config: config(),
      logger: createLogger({ level: "silent" }),
      pollIntervalMs: 10,
      engine: engine(async (_item, signal) => {
        started++;
        await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve()));
        return { ok: true };
      }),
    });
    const { url } = await app.start();
    const w = createSignedGhlWebhook({ type: "ContactUpdate", locationId: "loc1", id: "c2" }, keys, {
      webhookId: "wh-b",
    });
    expect(
      (await fetch(`${url}/webhooks/ghl`, { method: "POST", headers: w.headers, body: w.body })).status,
    ).toBe(200);
    await until(() => started === 1);
    const { jobs } = await app.stop();
    expect(jobs).toEqual({ finished: 0, released: 1 });

    const processed: string[] = [];
    const again = createWorkerApp({
      config: config(),
      logger: createLogger({ level: "silent" }),
      pollIntervalMs: 10,
      engine: engine(async (item) => {
        processed.push(item.eventId);
        return { ok: true };
      }),
    });
    await again.start();
    await until(async () => (await again.store().inbox.lag()).pending === 0);
    expect(processed).toEqual(["wh-b"]);
    expect(await again.store().deadLetters.list()).toEqual([]);
    await again.stop();
  });

  it("without an engine events stay pending (not lost, not failed)", async () => {
    const app = createWorkerApp({
      config: config(),
      logger: createLogger({ level: "silent" }),
      pollIntervalMs: 10,
    });
    const { url } = await app.start();
    const body = JSON.stringify([
      { id: "9", type: "SENT", status: { id: "DELIVERED.null", type: "DELIVERED", subtype: null } },
    ]);
    const res = await fetch(`${url}/webhooks/bulksms/sandbox-webhook-secret-not-for-production`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(res.status).toBe(200);
    await sleep(100);
    expect((await app.store().inbox.lag()).pending).toBe(1);
    expect((await app.store().deadLetters.list()).length).toBe(0);
    await app.stop();
  });

  it("WORKER_ID names the worker on every log line and on the lease of each job it runs", async () => {
    const lines: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const app = createWorkerApp({
      config: config({ WORKER_ID: "box-1:worker-a" }),
      logger: createLogger({ level: "info", destination: { write: (line: string) => lines.push(line) } }),
      pollIntervalMs: 10,
      engine: engine(async () => {
        await held;
        return { ok: true };
      }),
    });
    const { url } = await app.start();
    const w = createSignedGhlWebhook({ type: "ContactCreate", locationId: "loc1", id: "c9" }, keys, {
      webhookId: "wh-id",
    });
    expect(
      (await fetch(`${url}/webhooks/ghl`, { method: "POST", headers: w.headers, body: w.body })).status,
    ).toBe(200);
    await until(async () => (await app.store().jobs.counts()).running === 1);
    const [pending] = await app.store().inbox.listPending();
    expect((await app.store().jobs.getByKey(`inbox:${pending!.id}`))?.leaseOwner).toBe("box-1:worker-a");
    release();
    await app.stop();
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ workerId: "box-1:worker-a" });
  });
});
