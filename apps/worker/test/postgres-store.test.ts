// DATABASE_URL=postgres://... : the worker opens the PostgreSQL store (and leaves DATA_DIR alone), persists
// a webhook there before answering 200, processes it once, and never logs the URL's password.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { loadConfig, SANDBOX_ENCRYPTION_KEY } from "@ghl-bulksms/config";
import { createSignedGhlWebhook, generateGhlWebhookTestKeys } from "@ghl-bulksms/ghl/testing";
import { openPostgresStore } from "@ghl-bulksms/store";
import { createTestDatabase, type TestDatabase } from "@ghl-bulksms/store/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createWorkerApp } from "../src/app.ts";
import { runDemo } from "./support/run-demo.ts";

const keys = generateGhlWebhookTestKeys();
let dir: string;
let db: TestDatabase;

beforeAll(async () => {
  const provided = inject("postgres");
  if (!provided?.url) throw new Error(`no PostgreSQL for the tests: ${provided?.error ?? "no global setup"}`);
  db = await createTestDatabase(provided.url);
  dir = mkdtempSync(join(tmpdir(), "worker-pg-"));
});
afterAll(async () => {
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe("worker on PostgreSQL", () => {
  it("uses the store DATABASE_URL names, and processes a webhook once", async () => {
    const url = new URL(db.url);
    url.password = "pw-never-logged"; // trust auth ignores it
    const lines: string[] = [];
    const logger = pino(
      { level: "info" },
      new Writable({
        write(chunk, _enc, cb) {
          lines.push(String(chunk));
          cb();
        },
      }),
    );
    const dataDir = join(dir, "data");
    const seen: string[] = [];
    const app = createWorkerApp({
      config: loadConfig({
        HOST: "127.0.0.1",
        PORT: "0",
        DATA_DIR: dataDir,
        DATABASE_URL: url.toString(),
        GHL_WEBHOOK_PUBLIC_KEY: keys.publicKeys.ed25519.replace(/\n/g, "\\n"),
        SHUTDOWN_TIMEOUT_SECONDS: "1",
      }),
      logger: logger as never,
      pollIntervalMs: 10,
      engine: async () => ({
        jobs: {},
        inbox: {
          ghl: async (item) => {
            seen.push(item.eventId);
            return { ok: true };
          },
          ghlWorkflow: async () => ({ ok: true }),
          bulksms: async () => ({ ok: true }),
        },
      }),
    });
    const { url: base } = await app.start();
    const w = createSignedGhlWebhook({ type: "ContactCreate", locationId: "loc1", id: "c1" }, keys, {
      webhookId: "wh-pg",
    });
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${base}/webhooks/ghl`, { method: "POST", headers: w.headers, body: w.body });
      expect(res.status).toBe(200);
    }
    const end = Date.now() + 10_000;
    while ((await app.store().inbox.lag()).pending > 0 && Date.now() < end)
      await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(["wh-pg"]);
    await app.stop();

    // the rows are in PostgreSQL; nothing was created in DATA_DIR
    const pg = await openPostgresStore({ url: db.url, encryptionKey: SANDBOX_ENCRYPTION_KEY });
    try {
      expect(await pg.inbox.lag()).toMatchObject({ pending: 0 });
      expect(await pg.jobs.counts()).toMatchObject({ done: 1, queued: 0, running: 0 });
    } finally {
      await pg.close();
    }
    expect(existsSync(dataDir)).toBe(false);
    const log = lines.join("");
    expect(log).toMatch(/"kind":"postgres"/);
    expect(log).toContain(":***@");
    expect(log).not.toContain("pw-never-logged");
  }, 60_000);

  it("pnpm demo --once --database postgres://...: every flow of the demo holds on PostgreSQL", async () => {
    const demoDb = await createTestDatabase(inject("postgres").url!);
    try {
      const r = await runDemo(["--once", "--database", demoDb.url]);
      expect(r.code, r.stderr.slice(-2000)).toBe(0);
      const summary = JSON.parse(r.stdout) as { ok: boolean; failed: number; passed: number };
      expect(summary).toMatchObject({ ok: true, failed: 0 });
      expect(summary.passed).toBeGreaterThan(30);
      // it really ran on PostgreSQL
      const pg = await openPostgresStore({ url: demoDb.url, encryptionKey: SANDBOX_ENCRYPTION_KEY });
      try {
        expect((await pg.messages.list({ limit: 1000 })).length).toBeGreaterThan(0);
        expect((await pg.jobs.counts()).done).toBeGreaterThan(0);
      } finally {
        await pg.close();
      }
    } finally {
      await demoDb.drop();
    }
  }, 180_000);
});
