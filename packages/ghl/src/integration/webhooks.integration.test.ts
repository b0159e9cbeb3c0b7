// Signed, forged, replayed, stale and malformed deliveries POSTed to a real endpoint.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebhookReceiver, type WebhookReceiver } from "../test-support/webhook-receiver.js";
import { createSignedGhlWebhook, generateGhlWebhookTestKeys, signGhlWebhook } from "../testing/index.js";

const keys = generateGhlWebhookTestKeys();
const attacker = generateGhlWebhookTestKeys();
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver({ now: () => NOW, publicKeys: keys.publicKeys });
});
afterAll(() => receiver.close());

async function post(body: string, headers: Record<string, string>) {
  const res = await fetch(receiver.url, { method: "POST", body, headers });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const contact = { type: "ContactUpdate", locationId: "loc-1", id: "c-1", phone: "+15555550100" };

describe("webhook endpoint (real HTTP)", () => {
  it("accepts a signed delivery once and acknowledges the replay as a duplicate", async () => {
    const d = createSignedGhlWebhook(contact, keys, { now: NOW, webhookId: "wh-1" });
    expect(await post(d.body, d.headers)).toEqual({ status: 200, body: { accepted: "ContactUpdate" } });
    expect(await post(d.body, d.headers)).toEqual({ status: 200, body: { duplicate: true } });
    expect(receiver.accepted.filter((t) => t === "ContactUpdate")).toHaveLength(1);
  });

  it("rejects forgeries: attacker key, tampered body, and downgrade to the RSA header", async () => {
    const forged = createSignedGhlWebhook(contact, attacker, { now: NOW });
    expect((await post(forged.body, forged.headers)).body).toEqual({ error: "bad_signature" });
    const good = createSignedGhlWebhook(contact, keys, { now: NOW });
    const tampered = good.body.replace("c-1", "c-999");
    expect((await post(tampered, good.headers)).status).toBe(401);
    // Attacker strips x-ghl-signature... and adds an RSA one made with their own key: rejected.
    const rsa = signGhlWebhook(good.body, attacker.rsa.privateKey);
    expect(
      (await post(good.body, { "content-type": "application/json", "x-wh-signature": rsa })).body,
    ).toEqual({
      error: "bad_signature",
    });
  });

  it("rejects stale deliveries and deliveries without signature", async () => {
    const stale = createSignedGhlWebhook(contact, keys, { now: NOW - 10 * 60_000 });
    expect((await post(stale.body, stale.headers)).body).toEqual({ error: "stale" });
    expect((await post(JSON.stringify(contact), { "content-type": "application/json" })).body).toEqual({
      error: "missing_signature",
    });
  });

  it("answers malformed signed payloads with 400 and keeps serving", async () => {
    for (const body of [
      "{not json",
      "null",
      '{"type":42}',
      JSON.stringify({ type: "ContactCreate", timestamp: new Date(NOW).toISOString() }),
    ]) {
      const r = await post(body, { "x-ghl-signature": signGhlWebhook(body, keys.ed25519.privateKey) });
      expect(r).toEqual({ status: 400, body: { error: "malformed" } });
    }
    const ok = createSignedGhlWebhook({ type: "INSTALL", appId: "app-1", locationId: "loc-1" }, keys, {
      now: NOW,
    });
    expect((await post(ok.body, ok.headers)).status).toBe(200);
  });
});
