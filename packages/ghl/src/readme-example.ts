// The README's usage example, kept here so `pnpm typecheck` compiles it (readme-example.test.ts checks
// that the README block and this file stay identical).
import {
  createGhlClient,
  createMemoryTokenStore,
  type GhlWebhookEvent,
  verifyGhlWebhook,
} from "@ghl-bulksms/ghl";

export async function example(rawBody: Buffer, headers: Record<string, string>): Promise<void> {
  const ghl = createGhlClient({
    auth: {
      kind: "oauth",
      clientId: "app-client-id",
      clientSecret: "app-secret",
      redirectUri: "https://example.com/cb",
    },
    tokenStore: createMemoryTokenStore(), // use a durable store in production: refresh tokens are single-use
    limiter: { realtimeReservedShare: 0.2, onWait: (w) => console.warn("ghl rate-limit wait", w.waitMs) },
  });

  const created = await ghl.contacts.upsert({
    locationId: "loc_123",
    phone: "+447700900123",
    firstName: "Ada",
  });
  if (!created.ok) {
    // One error type: code, status, vendorMessage, traceId, retryable, retryAfterMs, ambiguous.
    if (created.error.code === "reinstall_required") console.error(created.error.message);
    else if (created.error.retryable) console.warn(`retry in ${created.error.retryAfterMs ?? 1000} ms`);
    return;
  }
  await ghl.tags.add({ locationId: "loc_123", contactId: created.data.contact.id, tags: ["sms-opt-in"] });

  // Every contact, 500 at a time; page numbers first, then the searchAfter cursor past 10,000.
  for await (const page of ghl.searchContactsIterator(
    { locationId: "loc_123" },
    { priority: "background" },
  )) {
    if (!page.ok) break;
    for (const contact of page.contacts) void contact.id;
  }

  // Webhooks: verify the raw bytes, then dedupe on the idempotency key.
  const verified = verifyGhlWebhook(rawBody, headers, { now: Date.now });
  if (!verified.ok) return; // reply 401 (or 400 for "malformed")
  const event: GhlWebhookEvent = verified.event;
  if (event.type === "ContactUpdate") void event.id;
  void verified.idempotencyKey;
}
