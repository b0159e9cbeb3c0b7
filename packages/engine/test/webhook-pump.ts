// Shared by the test harnesses: forwards what the sandbox delivered to the webhook receiver into the
// store's inbox (as the worker does), and settles by alternating that with running the engine's jobs.
import { parseBulkSmsWebhook } from "@ghl-bulksms/bulksms";
import type { Sandbox } from "@ghl-bulksms/sandbox";
import type { WebhookReceiver } from "@ghl-bulksms/sandbox/testing";
import type { Store } from "@ghl-bulksms/store";
import type { Engine } from "../src/index.js";
import { type DrainResult, drainJobs, ingestEvent } from "../src/testing/index.js";

/** Returns `settle()`: deliver pending webhooks, ingest them, run jobs; repeat until nothing moves. */
export function createSettler(
  sandbox: Sandbox,
  receiver: WebhookReceiver,
  store: Store,
  engine: Engine,
): () => Promise<DrainResult> {
  let seen = 0;
  async function pump(): Promise<number> {
    await sandbox.ghl.control.flushWebhooks();
    await sandbox.bulksms.control.settle();
    let ingested = 0;
    while (seen < receiver.requests.length) {
      const req = receiver.requests[seen++];
      if (!req) continue;
      if (req.path.endsWith("/ghl")) {
        const body = req.body as { type: string; webhookId: string; locationId?: string };
        const r = await ingestEvent(store, {
          source: "ghl",
          eventId: body.webhookId,
          eventType: body.type,
          locationId: body.locationId ?? null,
          payload: body,
        });
        if (r.inserted) ingested++;
      } else if (req.path.endsWith("/bulksms")) {
        const parsed = parseBulkSmsWebhook(JSON.stringify(req.body), req.headers as never);
        if (!parsed.ok) throw new Error(`bad BulkSMS webhook: ${parsed.error}`);
        for (const m of parsed.data.messages) {
          const statusId = m.type === "RECEIVED" ? "RECEIVED" : (m.status?.id ?? "UNKNOWN.null");
          const r = await ingestEvent(store, {
            source: "bulksms",
            eventId: `${m.id}:${statusId}`,
            eventType: m.type === "RECEIVED" ? "bulksms.incoming-message" : "bulksms.status-report",
            locationId: null,
            payload: m,
          });
          if (r.inserted) ingested++;
        }
      }
    }
    return ingested;
  }

  return async function settle(): Promise<DrainResult> {
    const total: DrainResult = { ran: {}, failures: [], dead: 0 };
    for (let round = 0; round < 50; round++) {
      const ingested = await pump();
      const r = await drainJobs(engine);
      for (const [k, v] of Object.entries(r.ran)) total.ran[k] = (total.ran[k] ?? 0) + v;
      total.failures.push(...r.failures);
      total.dead += r.dead;
      if (ingested === 0 && Object.keys(r.ran).length === 0) return total;
    }
    throw new Error("settle: still busy after 50 rounds");
  };
}
