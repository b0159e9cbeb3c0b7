// Two REAL worker processes (node + tsx on src/main.ts) on one database (one DATA_DIR, i.e. one SQLite
// file, or one DATABASE_URL on PostgreSQL: run on both), with
// GHL_RATE_BUDGET=shared and their own WORKER_ID and port; both start at once on a fresh database (both
// migrate it). GHL's signed ContactCreate is captured once and the identical bytes are posted to both
// workers at the same moment: one answers "accepted", the other "duplicate", and the contact gets exactly
// one welcome text at BulkSMS.
import { type ChildProcess, spawn } from "node:child_process";
import { createServer as createHttpServer, type Server } from "node:http";
import { join } from "node:path";
import { type Sandbox, startSandbox } from "@ghl-bulksms/sandbox";
import { afterAll, describe, expect, it } from "vitest";
import { afternoonZone, freePort, sleep } from "./support/process-kit.ts";
import {
  createSharedDatabase,
  SHARED_DATABASE_KINDS,
  type SharedDatabase,
} from "./support/shared-database.ts";

const WORKER_DIR = join(import.meta.dirname, "..");

describe.each(SHARED_DATABASE_KINDS)("on %s", (kind) => {
  let sandbox: Sandbox | null = null;
  let capture: Server | null = null;
  const children: ChildProcess[] = [];
  let shared: SharedDatabase | null = null;
  afterAll(async () => {
    await Promise.all(
      children.map(
        (c) =>
          new Promise((r) => {
            if (c.exitCode !== null || c.signalCode !== null) return r(null);
            c.once("exit", r);
            c.kill("SIGTERM");
          }),
      ),
    );
    await sandbox?.close();
    await new Promise((r) => (capture ? capture.close(r) : r(null)));
    await shared?.drop();
  });

  describe("two worker processes on one database", () => {
    it("the same signed webhook posted to both at once: one accepted, one duplicate, one text", {
      timeout: 90_000,
    }, async () => {
      shared = await createSharedDatabase(kind);
      const sharedEnv = shared.env;
      sandbox = await startSandbox({
        seedContacts: 0,
        ghl: {
          locations: [{ country: "GB", timezone: "Europe/London" }],
          signing: { timestamps: "real" }, // the workers verify with their own clocks
        },
      });
      const sb = sandbox;
      const location = sb.ghl.locations[0]!;
      const credential = sb.bulksms.credentials[0]!;
      const captured: Array<{ body: Buffer; headers: Record<string, string> }> = [];
      capture = createHttpServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(req.headers)) {
            if (typeof v === "string" && !["host", "content-length", "connection"].includes(k))
              headers[k] = v;
          }
          captured.push({ body: Buffer.concat(chunks), headers });
          res.writeHead(200).end("{}");
        });
      });
      await new Promise<void>((r) => capture!.listen(0, "127.0.0.1", r));
      const capturePort = (capture.address() as { port: number }).port;
      sb.ghl.control.setWebhookUrl(`http://127.0.0.1:${capturePort}/`);

      const urls: string[] = [];
      let stderr = "";
      for (const workerId of ["w1", "w2"]) {
        const port = await freePort();
        urls.push(`http://127.0.0.1:${port}`);
        const c = spawn(
          process.execPath,
          ["--conditions=@ghl-bulksms/source", "--import", "tsx", "src/main.ts"],
          {
            cwd: WORKER_DIR,
            env: {
              PATH: process.env.PATH ?? "",
              HOME: process.env.HOME ?? "",
              GHL_BULKSMS_MODE: "sandbox",
              HOST: "127.0.0.1",
              PORT: String(port),
              ...sharedEnv, // one database for both
              WORKER_ID: workerId,
              GHL_RATE_BUDGET: "shared",
              LOG_LEVEL: "warn",
              GHL_API_BASE_URL: sb.ghl.url,
              BULKSMS_API_BASE_URL: sb.bulksms.url,
              BULKSMS_TOKEN_ID: credential.tokenId,
              BULKSMS_TOKEN_SECRET: credential.tokenSecret,
              GHL_WEBHOOK_PUBLIC_KEY: sb.ghl.keys.ed25519PublicKeyPem,
              WELCOME_TEMPLATE: "Hi {{firstName}}, welcome!",
              GHL_LOCATION_1_ID: location.id,
              GHL_LOCATION_1_TOKEN: location.token,
              GHL_LOCATION_1_REGION: "GB",
              GHL_LOCATION_1_TIMEZONE: afternoonZone(Date.now()),
            },
            stdio: ["ignore", "ignore", "pipe"],
          },
        );
        c.stderr?.on("data", (b: Buffer) => {
          stderr += b.toString();
        });
        children.push(c);
      }
      for (const [i, url] of urls.entries()) {
        let ready = false;
        for (let n = 0; n < 600 && !ready; n++) {
          if (children[i]!.exitCode !== null)
            throw new Error(`worker exited at start:\n${stderr.slice(-3000)}`);
          ready = await fetch(`${url}/readyz`).then(
            (r) => r.ok,
            () => false,
          );
          if (!ready) await sleep(50);
        }
        if (!ready) throw new Error(`worker ${url} did not become ready:\n${stderr.slice(-3000)}`);
      }

      sb.ghl.control.createContact(location.id, { firstName: "Ada", phone: "07911 123456" });
      await sb.ghl.control.flushWebhooks();
      const event = captured.find((c) => c.body.toString().includes("ContactCreate"));
      if (!event) throw new Error(`no ContactCreate webhook captured (${captured.length} captured)`);
      const answers = await Promise.all(
        urls.map((url) =>
          fetch(`${url}/webhooks/ghl`, { method: "POST", headers: event.headers, body: event.body }).then(
            async (r) => ({ status: r.status, body: (await r.json()) as { status?: string } }),
          ),
        ),
      );
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      expect(answers.map((a) => a.body.status).sort()).toEqual(["accepted", "duplicate"]);

      const textsTo = () =>
        sb.bulksms.control.sentMessages().filter((m) => JSON.stringify(m).includes("447911123456")).length;
      for (let n = 0; n < 300 && textsTo() === 0; n++) await sleep(50);
      await sleep(2_000); // time for a second text, if either worker were to send one
      expect(textsTo()).toBe(1);
      expect(stderr).not.toMatch(/"level":(50|60)/); // no error or fatal log line
    });
  });
});
