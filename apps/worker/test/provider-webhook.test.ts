// GHL's ProviderOutboundMessage at /webhooks/ghl: verified on the raw bytes like every GHL webhook and
// stored before the 2xx. Its documented payload has no `timestamp` (ProviderOutboundMessage.md), so a
// signed provider message without one is accepted (its text is keyed by messageId: a replay sends
// nothing twice); a timestamp that is there is still checked, and other events still need one.
import { generateGhlWebhookTestKeys, signGhlWebhook } from "@ghl-bulksms/ghl/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGhlVerifier } from "../src/adapters/ghl-verifier.ts";
import { buildTestServer, MemoryIngestor } from "./fakes.ts";

const keys = generateGhlWebhookTestKeys();
const attacker = generateGhlWebhookTestKeys();
const NOW = Date.parse("2026-12-03T12:00:00.000Z");
const ingestor = new MemoryIngestor();
const server = buildTestServer({
  ingestor,
  verifyGhl: createGhlVerifier({ ed25519PublicKey: keys.publicKeys.ed25519, toleranceMs: 300_000 }),
  now: () => NOW,
});
beforeAll(() => server.ready());
afterAll(() => server.close());

// the documented SMS example's fields (docs/webhook events/ProviderOutboundMessage.md)
const DOCUMENTED = {
  contactId: "GKBhT6BfwY9mjzXAU3sq",
  locationId: "GKAWb4yu7A4LSc0skQ6g",
  messageId: "GKJxs4P5L8dWc5CFUITM",
  type: "SMS",
  phone: "+15864603685",
  message: "The text message to be sent to the contact",
  attachments: [],
  userId: "GK56r6wdJDrkUPd0xsmx",
};

async function post(body: string, key = keys.ed25519.privateKey) {
  return server.inject({
    method: "POST",
    url: "/webhooks/ghl",
    headers: { "content-type": "application/json", "x-ghl-signature": signGhlWebhook(body, key) },
    payload: body,
  });
}

describe("ProviderOutboundMessage at /webhooks/ghl", () => {
  it("the documented payload, signed, is stored (once: a redelivery is a duplicate)", async () => {
    const body = JSON.stringify(DOCUMENTED);
    const before = ingestor.events.size;
    const first = await post(body);
    const again = await post(body);
    expect([first.statusCode, again.statusCode]).toEqual([200, 200]);
    expect(ingestor.events.size - before).toBe(1);
    const stored = [...ingestor.events.values()].at(-1);
    expect(stored).toMatchObject({ source: "ghl", eventType: "SMS", locationId: DOCUMENTED.locationId });
  });

  it("forged, it is 401 and not stored", async () => {
    const before = ingestor.ingestCalls;
    const r = await post(JSON.stringify({ ...DOCUMENTED, messageId: "forged" }), attacker.ed25519.privateKey);
    expect(r.statusCode).toBe(401);
    expect(ingestor.ingestCalls).toBe(before);
  });

  it("a stale timestamp is still refused; other events without a timestamp still are", async () => {
    const stale = JSON.stringify({
      ...DOCUMENTED,
      messageId: "m2",
      timestamp: new Date(NOW - 3_600_000).toISOString(),
    });
    expect((await post(stale)).statusCode).toBe(401);
    const contact = JSON.stringify({ type: "ContactCreate", locationId: "loc1", id: "c1" });
    const r = await post(contact);
    expect(r.statusCode).toBe(401);
    expect(r.json()).toMatchObject({ error: { code: "missing_timestamp" } });
  });
});
