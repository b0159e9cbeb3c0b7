// A minimal webhook endpoint on 127.0.0.1 built the way the worker should: raw body -> verifyGhlWebhook
// -> dedupe on idempotencyKey -> 2xx. Used by integration tests only.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type VerifyGhlWebhookOptions, verifyGhlWebhook } from "../webhooks/verify-webhook.js";

export interface WebhookReceiver {
  url: string;
  accepted: string[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: VerifyGhlWebhookOptions): Promise<WebhookReceiver> {
  const seen = new Set<string>();
  const accepted: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const result = verifyGhlWebhook(Buffer.concat(chunks), req.headers, options);
      const reply = (status: number, body: unknown): void => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (!result.ok) {
        return reply(result.error.code === "malformed" ? 400 : 401, { error: result.error.code });
      }
      if (seen.has(result.idempotencyKey)) return reply(200, { duplicate: true });
      seen.add(result.idempotencyKey);
      accepted.push(result.event.type);
      reply(200, { accepted: result.event.type });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/ghl`,
    accepted,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
