// One server for the ingest benchmark, run in its own process so the load generator does not share its CPU.
//   kind=worker: the real route (Fastify, raw body, Ed25519 verify, inbox row + job in one transaction)
//   kind=floor:  node:http doing only the unavoidable work (read body, verify the same signature, parse,
//                insert the same row + job)
//   kind=bare:   a Fastify route that does nothing
import { createPublicKey, verify } from "node:crypto";
import { createServer } from "node:http";
import { parseBulkSmsWebhook } from "@ghl-bulksms/bulksms";
import { openSqliteStore } from "@ghl-bulksms/store";
import Fastify from "fastify";
import { createGhlVerifier } from "../src/adapters/ghl-verifier.ts";
import { createStoreIngestor } from "../src/adapters/store-ingestor.ts";
import { createLogger } from "../src/logger.ts";
import { createMetrics } from "../src/metrics.ts";
import { buildServer } from "../src/server.ts";

const kind = process.argv[2];
const dbPath = process.env.BENCH_DB ?? "";
const publicPem = (process.env.BENCH_PUBLIC_KEY ?? "").replace(/\\n/g, "\n");

async function main() {
  if (kind === "bare") {
    const app = Fastify();
    app.post("/webhooks/ghl", async () => ({ ok: true }));
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    ready(url, async () => app.close());
    return;
  }
  const store = openSqliteStore({ path: dbPath, encryptionKey: Buffer.alloc(32, 3) });
  if (kind === "worker") {
    const app = buildServer({
      options: {
        bodyLimitBytes: 1024 * 1024,
        overloadThreshold: 10_000_000,
        bulksmsWebhookSecret: null,
        workflowWebhookSecret: null,
      },
      ingestor: createStoreIngestor(store),
      verifyGhl: createGhlVerifier({ ed25519PublicKey: publicPem, toleranceMs: 15 * 60_000 }),
      parseBulkSms: parseBulkSmsWebhook,
      readiness: { check: async () => ({ ok: true as const }) },
      metrics: createMetrics(),
      logger: createLogger({ level: "info", destination: { write: () => undefined } as never }), // production level, output discarded
      now: Date.now,
      isShuttingDown: () => false,
    });
    const url = await app.listen({ host: "127.0.0.1", port: 0 });
    ready(url, async () => {
      await app.close();
      await store.close();
    });
    return;
  }
  if (kind === "floor") {
    const key = createPublicKey(publicPem);
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        const sig = req.headers["x-ghl-signature"];
        if (typeof sig !== "string" || !verify(null, body, key, Buffer.from(sig, "base64"))) {
          res.writeHead(401).end();
          return;
        }
        const event = JSON.parse(body.toString("utf8")) as {
          webhookId: string;
          type: string;
          locationId: string;
        };
        const at = Date.now();
        store
          .transaction(async (tx) => {
            const r = await tx.inbox.insert({
              source: "ghl",
              eventId: event.webhookId,
              eventType: event.type,
              locationId: event.locationId,
              payload: body.toString("utf8"),
              receivedAt: at,
            });
            if (r.inserted) {
              await tx.jobs.enqueue({
                name: "inbox.process",
                key: `inbox:${r.id}`,
                payload: { inboxId: r.id },
                locationId: event.locationId,
                runAt: at,
              });
            }
          })
          .then(
            () => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'),
            () => res.writeHead(429).end(),
          );
      });
    });
    server.listen(0, "127.0.0.1", () => {
      const addr = server.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      ready(`http://127.0.0.1:${port}`, async () => {
        await new Promise<void>((r) => server.close(() => r()));
        await store.close();
      });
    });
    return;
  }
  throw new Error(`unknown kind ${kind}`);
}

function ready(url: string, close: () => Promise<void>) {
  process.stdout.write(`READY ${url}\n`);
  process.on("SIGTERM", () => {
    close().then(() => process.exit(0));
  });
}

void main();
