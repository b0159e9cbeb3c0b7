import { describe, expect, it } from "vitest";
import { createSignedGhlWebhook, generateGhlWebhookTestKeys, signGhlWebhook } from "../testing/index.js";
import { verifyGhlWebhook } from "./verify-webhook.js";

const keys = generateGhlWebhookTestKeys();
const other = generateGhlWebhookTestKeys();
const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const opts = { now: () => NOW, publicKeys: keys.publicKeys };
const contact = { type: "ContactCreate", locationId: "loc_1", id: "c_1", phone: "+15555550100" };

describe("verifyGhlWebhook", () => {
  it("accepts an Ed25519-signed event and returns it typed, keyed by webhookId", () => {
    const signed = createSignedGhlWebhook(contact, keys, { now: NOW, webhookId: "wh_1" });
    const r = verifyGhlWebhook(signed.body, signed.headers, opts);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.idempotencyKey).toBe("wh_1");
    expect(r.scheme).toBe("ed25519");
    expect(r.event.type).toBe("ContactCreate");
    if (r.event.type === "ContactCreate") expect(r.event.id).toBe("c_1");
  });

  it("accepts Uint8Array bodies and Headers objects", () => {
    const signed = createSignedGhlWebhook(contact, keys, { now: NOW });
    const r = verifyGhlWebhook(new TextEncoder().encode(signed.body), new Headers(signed.headers), opts);
    expect(r.ok).toBe(true);
  });

  it("accepts the legacy RSA x-wh-signature when x-ghl-signature is absent", () => {
    const signed = createSignedGhlWebhook(contact, keys, { now: NOW, scheme: "rsa-sha256" });
    expect(signed.headers["x-wh-signature"]).toBeDefined();
    const r = verifyGhlWebhook(signed.body, signed.headers, opts);
    expect(r.ok && r.scheme).toBe("rsa-sha256");
    const disabled = verifyGhlWebhook(signed.body, signed.headers, { ...opts, allowLegacyRsa: false });
    expect(!disabled.ok && disabled.error.code).toBe("missing_signature");
  });

  it("never falls back to RSA when x-ghl-signature is present but wrong", () => {
    const signed = createSignedGhlWebhook(contact, keys, { now: NOW, scheme: "rsa-sha256" });
    const forged = {
      ...signed.headers,
      "x-ghl-signature": signGhlWebhook(signed.body, other.ed25519.privateKey),
    };
    const r = verifyGhlWebhook(signed.body, forged, opts);
    expect(!r.ok && r.error.code).toBe("bad_signature");
  });

  it("treats N/A as a missing signature", () => {
    const signed = createSignedGhlWebhook(contact, keys, { now: NOW, scheme: "rsa-sha256" });
    const r = verifyGhlWebhook(signed.body, { ...signed.headers, "x-ghl-signature": "N/A" }, opts);
    expect(r.ok && r.scheme).toBe("rsa-sha256");
    const none = verifyGhlWebhook(signed.body, { "x-ghl-signature": "N/A", "x-wh-signature": "N/A" }, opts);
    expect(!none.ok && none.error.code).toBe("missing_signature");
  });

  it("rejects forgeries: other key, tampered body, garbage signature", () => {
    const signed = createSignedGhlWebhook(contact, keys, { now: NOW });
    const otherKey = verifyGhlWebhook(signed.body, signed.headers, { ...opts, publicKeys: other.publicKeys });
    expect(!otherKey.ok && otherKey.error.code).toBe("bad_signature");
    const tampered = verifyGhlWebhook(signed.body.replace("c_1", "c_2"), signed.headers, opts);
    expect(!tampered.ok && tampered.error.code).toBe("bad_signature");
    const garbage = verifyGhlWebhook(signed.body, { "x-ghl-signature": "%%%not base64" }, opts);
    expect(!garbage.ok && garbage.error.code).toBe("bad_signature");
    const short = verifyGhlWebhook(signed.body, { "x-ghl-signature": "AAAA" }, opts);
    expect(!short.ok && short.error.code).toBe("bad_signature");
  });

  it("by default verifies against GHL's published keys (so a test key's signature fails)", () => {
    const signed = createSignedGhlWebhook(contact, keys, { now: NOW });
    const r = verifyGhlWebhook(signed.body, signed.headers, { now: () => NOW });
    expect(!r.ok && r.error.code).toBe("bad_signature");
  });

  it("verifies the raw bytes only: re-serialised copies of a signed body are forged (401)", () => {
    const signed = createSignedGhlWebhook(contact, keys, { now: NOW }); // no webhookId would help here
    const parsed = JSON.parse(signed.body) as Record<string, unknown>;
    const copies = [
      JSON.stringify(parsed, null, 2), // pretty-printed
      ` ${signed.body}`, // leading space
      `${signed.body}\n`, // trailing newline
      JSON.stringify(Object.fromEntries(Object.entries(parsed).reverse())), // keys reordered
      signed.body.replace("+15555550100", "\\u002b15555550100"), // same string, escaped
    ];
    for (const copy of copies) {
      expect(copy).not.toBe(signed.body);
      const r = verifyGhlWebhook(copy, signed.headers, opts);
      expect(r, copy).toMatchObject({ ok: false, error: { code: "bad_signature" } });
    }
    // and the signer's own compact form still verifies, also when it was produced by JSON.stringify
    const canonical = JSON.stringify(parsed);
    const sig = signGhlWebhook(canonical, keys.ed25519.privateKey);
    expect(verifyGhlWebhook(canonical, { "x-ghl-signature": sig }, opts).ok).toBe(true);
    const pretty = JSON.stringify(parsed, null, 2);
    expect(verifyGhlWebhook(pretty, { "x-ghl-signature": sig }, opts).ok).toBe(false);
  });

  it("answers a deeply nested forged body bad_signature without throwing (no stack overflow)", () => {
    const depth = 200_000;
    const deep = `{"type":"ContactCreate","x":${"[".repeat(depth)}${"]".repeat(depth)}}`;
    const forgedSig = signGhlWebhook(deep, other.ed25519.privateKey);
    for (const headers of [
      { "x-ghl-signature": forgedSig },
      { "x-wh-signature": forgedSig },
      { "x-ghl-signature": "AAAA" },
      {},
    ]) {
      let r: ReturnType<typeof verifyGhlWebhook> | undefined;
      expect(() => {
        r = verifyGhlWebhook(deep, headers, opts);
      }).not.toThrow();
      expect(r?.ok).toBe(false);
      expect(["bad_signature", "missing_signature"]).toContain(r?.ok === false && r.error.code);
    }
  });

  it("never throws, even when reading the input throws: unauthenticated means bad_signature", () => {
    const hostile = {
      get() {
        throw new RangeError("Maximum call stack size exceeded");
      },
    } as unknown as Headers;
    expect(verifyGhlWebhook("{}", hostile, opts)).toMatchObject({
      ok: false,
      error: { code: "bad_signature", message: "signature could not be checked (RangeError)" },
    });
  });

  it("bounds signed bodies: nesting deeper than maxDepth and bodies above maxBodyBytes are refused", () => {
    const nest = (n: number) => `${"[".repeat(n)}1${"]".repeat(n)}`;
    const body = (n: number) =>
      `{"type":"ContactCreate","locationId":"l","id":"c","timestamp":"${new Date(NOW).toISOString()}","x":${nest(n)}}`;
    const signedDeep = (n: number) => ({
      "x-ghl-signature": signGhlWebhook(body(n), keys.ed25519.privateKey),
    });
    expect(verifyGhlWebhook(body(31), signedDeep(31), opts).ok).toBe(true); // 32 levels with the envelope
    expect(verifyGhlWebhook(body(32), signedDeep(32), opts)).toMatchObject({
      ok: false,
      error: { code: "malformed", message: expect.stringContaining("deeper than 32") },
    });
    expect(verifyGhlWebhook(body(32), signedDeep(32), { ...opts, maxDepth: 40 }).ok).toBe(true);
    // brackets inside strings are not nesting
    const quoted = JSON.stringify({
      ...contact,
      timestamp: new Date(NOW).toISOString(),
      note: '[[[[{{{{\\"]]',
    });
    const qs = { "x-ghl-signature": signGhlWebhook(quoted, keys.ed25519.privateKey) };
    expect(verifyGhlWebhook(quoted, qs, { ...opts, maxDepth: 1 }).ok).toBe(true);
    const big = createSignedGhlWebhook({ ...contact, pad: "x".repeat(2000) }, keys, { now: NOW });
    expect(verifyGhlWebhook(big.body, big.headers, { ...opts, maxBodyBytes: 1000 })).toMatchObject({
      ok: false,
      error: { code: "too_large" },
    });
    expect(verifyGhlWebhook(big.body, big.headers, opts).ok).toBe(true);
  });

  it("rejects stale and future timestamps outside 5 minutes, accepts inside", () => {
    const old = createSignedGhlWebhook(contact, keys, { now: NOW - 5 * 60_000 - 1000 });
    const r = verifyGhlWebhook(old.body, old.headers, opts);
    expect(!r.ok && r.error.code).toBe("stale");
    const future = createSignedGhlWebhook(contact, keys, { now: NOW + 6 * 60_000 });
    expect(verifyGhlWebhook(future.body, future.headers, opts).ok).toBe(false);
    const recent = createSignedGhlWebhook(contact, keys, { now: NOW - 4 * 60_000 });
    expect(verifyGhlWebhook(recent.body, recent.headers, opts).ok).toBe(true);
    expect(verifyGhlWebhook(old.body, old.headers, { ...opts, toleranceMs: 10 * 60_000 }).ok).toBe(true);
  });

  it("gives the same idempotency key to a replayed delivery (caller dedupes)", () => {
    const signed = createSignedGhlWebhook(contact, keys, { now: NOW, webhookId: "wh_replay" });
    const a = verifyGhlWebhook(signed.body, signed.headers, opts);
    const b = verifyGhlWebhook(signed.body, signed.headers, opts);
    expect(a.ok && b.ok && a.idempotencyKey === b.idempotencyKey).toBe(true);
  });

  it("derives a body-hash key when webhookId is absent", () => {
    const body = JSON.stringify({ ...contact, timestamp: new Date(NOW).toISOString() });
    const headers = { "x-ghl-signature": signGhlWebhook(body, keys.ed25519.privateKey) };
    const r = verifyGhlWebhook(body, headers, opts);
    expect(r.ok && r.idempotencyKey).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("returns clear errors for malformed payloads and never throws", () => {
    const cases: Array<[string, string]> = [
      ["not json {", "malformed"],
      ["[1,2]", "malformed"],
      ['{"locationId":"x"}', "malformed"],
      [
        JSON.stringify({ type: "ContactCreate", locationId: "l", timestamp: new Date(NOW).toISOString() }),
        "malformed",
      ],
      [JSON.stringify({ type: "ContactCreate", locationId: "l", id: "c" }), "missing_timestamp"],
      [
        JSON.stringify({ type: "ContactCreate", locationId: "l", id: "c", timestamp: "yesterday" }),
        "malformed",
      ],
      ["", "malformed"],
    ];
    for (const [body, code] of cases) {
      const headers = { "x-ghl-signature": signGhlWebhook(body, keys.ed25519.privateKey) };
      const r = verifyGhlWebhook(body, headers, opts);
      expect(r.ok, body).toBe(false);
      if (!r.ok) {
        expect(r.error.code, body).toBe(code);
        expect(r.error.message.length).toBeGreaterThan(5);
      }
    }
    expect(verifyGhlWebhook("{}", {}, opts)).toMatchObject({
      ok: false,
      error: { code: "missing_signature" },
    });
  });

  it("wraps unknown event types instead of rejecting them", () => {
    const signed = createSignedGhlWebhook({ type: "OpportunityCreate", locationId: "l" }, keys, { now: NOW });
    const r = verifyGhlWebhook(signed.body, signed.headers, opts);
    expect(r.ok && r.event.type).toBe("Unknown");
    if (r.ok && r.event.type === "Unknown") expect(r.event.originalType).toBe("OpportunityCreate");
  });

  it("accepts the published GHL keys as valid key material", () => {
    // Parsing both default keys must work (a typo would make every delivery fail).
    const signed = createSignedGhlWebhook(contact, keys, { now: NOW, scheme: "rsa-sha256" });
    const r = verifyGhlWebhook(signed.body, signed.headers, { now: () => NOW });
    expect(!r.ok && r.error.code).toBe("bad_signature");
  });
});
