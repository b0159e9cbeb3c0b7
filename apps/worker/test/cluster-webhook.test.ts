// Two worker apps on ONE database (a SQLite file, or PostgreSQL; two connections or pools, as two processes
// would have; run on both), each with its own
// HTTP server, job runner and scheduler. GHL's signed ContactCreate webhook is captured once and the very
// same bytes are delivered to both workers at the same moment: one of them accepts it, the other answers
// "duplicate" (one inbox row: the idempotency key is derived at the door), one inbox job runs, and the
// contact gets exactly one welcome text at BulkSMS.

import { createServer, type Server } from "node:http";
import { loadConfig } from "@ghl-bulksms/config";
import { type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorkerApp, type WorkerApp } from "../src/app.ts";
import { createEnginePlugin } from "../src/engine-plugin.ts";
import { createLogger } from "../src/logger.ts";
import {
  createSharedDatabase,
  SHARED_DATABASE_KINDS,
  type SharedDatabase,
} from "./support/shared-database.ts";

const NOON_LONDON = Date.UTC(2026, 2, 10, 12, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Captured {
  body: Buffer;
  headers: Record<string, string>;
}

describe.each(SHARED_DATABASE_KINDS)("on %s", (kind) => {
  let sandbox: Sandbox;
  let shared: SharedDatabase;
  let capture: Server;
  const captured: Captured[] = [];
  const apps: WorkerApp[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    shared = await createSharedDatabase(kind);
    sandbox = await startSandbox({
      seedContacts: 0,
      clockStart: NOON_LONDON,
      ghl: { locations: [{ country: "GB", timezone: "Europe/London" }] },
    });
    capture = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(req.headers)) {
          if (typeof v === "string" && k !== "host" && k !== "content-length" && k !== "connection")
            headers[k] = v;
        }
        captured.push({ body: Buffer.concat(chunks), headers });
        res.writeHead(200).end("{}");
      });
    });
    await new Promise<void>((r) => capture.listen(0, "127.0.0.1", r));
    const address = capture.address();
    if (address === null || typeof address === "string") throw new Error("no capture port");
    sandbox.ghl.control.setWebhookUrl(`http://127.0.0.1:${address.port}/`);

    const location = sandbox.ghl.locations[0];
    const credential = sandbox.bulksms.credentials[0];
    if (!location || !credential) throw new Error("sandbox without location or credential");
    for (const workerId of ["w1", "w2"]) {
      const config = loadConfig({
        HOST: "127.0.0.1",
        PORT: "0",
        ...shared.env, // one database for both workers
        LOG_LEVEL: "silent",
        WORKER_ID: workerId,
        GHL_RATE_BUDGET: "shared",
        GHL_API_BASE_URL: sandbox.ghl.url,
        BULKSMS_API_BASE_URL: sandbox.bulksms.url,
        GHL_LOCATION_1_ID: location.id,
        GHL_LOCATION_1_TOKEN: location.token,
        GHL_LOCATION_1_TIMEZONE: "Europe/London",
        GHL_LOCATION_1_REGION: "GB",
        BULKSMS_TOKEN_ID: credential.tokenId,
        BULKSMS_TOKEN_SECRET: credential.tokenSecret,
        GHL_WEBHOOK_PUBLIC_KEY: sandbox.ghl.keys.ed25519PublicKeyPem,
        WELCOME_TEMPLATE: "Hi {{firstName}}, welcome!",
      });
      const app = createWorkerApp({
        config,
        logger: createLogger({ level: "silent" }),
        now: () => sandbox.clock.now(),
        pollIntervalMs: 10,
        engine: createEnginePlugin(),
      });
      apps.push(app);
      urls.push((await app.start()).url);
    }
  });

  afterAll(async () => {
    for (const app of apps) await app.stop();
    await sandbox?.close();
    await new Promise((r) => capture?.close(r));
    await shared?.drop();
  });

  async function settle(rounds = 200) {
    for (let i = 0; i < rounds; i++) {
      await sandbox.bulksms.control.settle();
      const store = apps[0]!.store();
      const lag = await store.inbox.lag();
      const jobs = await store.jobs.counts();
      if (lag.pending === 0 && jobs.queued === 0 && jobs.running === 0) return;
      await sleep(20);
    }
    throw new Error("workers did not settle");
  }

  describe("two workers, one database: the same webhook has one effect", () => {
    it("the identical signed ContactCreate delivered to both workers at once: one accepted, one duplicate, one text", async () => {
      const location = sandbox.ghl.locations[0]!;
      sandbox.ghl.control.createContact(location.id, { firstName: "Ada", phone: "07911 123456" });
      await sandbox.ghl.control.flushWebhooks();
      const event = captured.find((c) => c.body.toString().includes("ContactCreate"));
      if (!event) throw new Error(`no ContactCreate webhook captured (${captured.length} captured)`);
      const jobsBefore = await apps[0]!.store().jobs.counts();

      const answers = await Promise.all(
        urls.map((url) =>
          fetch(`${url}/webhooks/ghl`, { method: "POST", headers: event.headers, body: event.body }).then(
            async (r) => ({ status: r.status, body: (await r.json()) as { status?: string } }),
          ),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect(answers.map((a) => a.body.status).sort()).toEqual(["accepted", "duplicate"]);

      await settle();
      await sandbox.clock.advance(60_000);
      await settle();
      const sent = sandbox.bulksms.control.sentMessages();
      expect(sent.filter((m) => JSON.stringify(m).includes("447911123456"))).toHaveLength(1);
      const jobsAfter = await apps[1]!.store().jobs.counts();
      // one event: exactly one more finished job chain than before, nothing dead, nothing left
      expect(jobsAfter.dead).toBe(jobsBefore.dead);
      expect(await apps[1]!.store().deadLetters.list()).toEqual([]);
      expect(await apps[0]!.store().inbox.listPending()).toEqual([]);
    });
  });
});
