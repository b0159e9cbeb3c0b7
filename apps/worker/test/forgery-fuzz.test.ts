// Forged and replayed GHL deliveries, generated: every variant of a genuinely signed delivery that is not the
// delivery itself (re-serialised, re-ordered, escaped, padded, tampered, deeply nested, signed with another
// key, re-timed, replayed) is counted when the worker ACCEPTS it as a new event. The count must be 0.
// Figures are printed for the report.
import { generateGhlWebhookTestKeys, signGhlWebhook } from "@ghl-bulksms/ghl/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGhlVerifier } from "../src/adapters/ghl-verifier.ts";
import { buildTestServer, MemoryIngestor } from "./fakes.ts";

const keys = generateGhlWebhookTestKeys();
const attacker = generateGhlWebhookTestKeys();
const NOW = Date.parse("2026-11-25T22:00:00.000Z");
const ingestor = new MemoryIngestor();
const server = buildTestServer({
  options: { bodyLimitBytes: 8 * 1024 * 1024, overloadThreshold: 1_000_000 },
  ingestor,
  verifyGhl: createGhlVerifier({ ed25519PublicKey: keys.publicKeys.ed25519, toleranceMs: 300_000 }),
  now: () => NOW,
});
beforeAll(() => server.ready());
afterAll(() => server.close());

type Variant = (body: string, parsed: Record<string, unknown>) => { body: string; signature?: string };

const VARIANTS: Record<string, Variant> = {
  pretty: (_b, p) => ({ body: JSON.stringify(p, null, 2) }),
  reordered: (_b, p) => ({ body: JSON.stringify(Object.fromEntries(Object.entries(p).reverse())) }),
  leadingSpace: (b) => ({ body: ` ${b}` }),
  trailingNewline: (b) => ({ body: `${b}\n` }),
  escapedChar: (b) => ({ body: b.replace(/"type"/, '"\\u0074ype"') }),
  duplicateKey: (b, p) => ({ body: `${b.slice(0, -1)},"type":${JSON.stringify(p.type)}}` }),
  tamperedField: (b) => ({ body: b.replace(/"locationId":"/, '"locationId":"x') }),
  retimed: (_b, p) => ({ body: JSON.stringify({ ...p, timestamp: new Date(NOW + 1000).toISOString() }) }),
  deepNested: (b) => ({ body: `${b.slice(0, -1)},"x":${"[".repeat(100_000)}${"]".repeat(100_000)}}` }),
  otherKey: (b) => ({ body: b, signature: signGhlWebhook(b, attacker.ed25519.privateKey) }),
  truncatedSignature: (b) => ({
    body: b,
    signature: signGhlWebhook(b, keys.ed25519.privateKey).slice(0, 40),
  }),
};

const counts = {
  genuine: 0,
  genuineAccepted: 0,
  forged: 0,
  forgedAccepted: 0,
  replayed: 0,
  replayAccepted: 0,
};
const statuses = new Map<number, number>();

async function post(body: string, signature: string) {
  const res = await server.inject({
    method: "POST",
    url: "/webhooks/ghl",
    headers: { "content-type": "application/json", "x-ghl-signature": signature },
    payload: body,
  });
  statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
  return res.statusCode === 200 && (res.json() as { status?: string }).status === "accepted";
}

describe("forged and replayed GHL deliveries (generated)", () => {
  it("accepts each genuine delivery once and no forged or replayed copy", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          type: fc.constantFrom("ContactCreate", "ContactUpdate", "ContactDndUpdate", "INSTALL"),
          locationId: fc.stringMatching(/^[A-Za-z0-9]{4,20}$/),
          id: fc.stringMatching(/^[A-Za-z0-9]{4,20}$/),
          firstName: fc.string({ maxLength: 20 }),
          tags: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
        }),
        fc.boolean(), // with or without webhookId
        fc.subarray(Object.keys(VARIANTS), { minLength: 1 }),
        fc.integer({ min: 1, max: 3 }),
        async (event, withId, variants, replays) => {
          // each genuine delivery is a distinct event (seq), so "accepted" is the only right answer to it
          const payload: Record<string, unknown> = {
            timestamp: new Date(NOW).toISOString(),
            appId: "app-1",
            seq: counts.genuine,
            ...event,
          };
          if (withId) payload.webhookId = `wh-${Math.random().toString(36).slice(2)}`;
          const body = JSON.stringify(payload);
          const signature = signGhlWebhook(body, keys.ed25519.privateKey);
          counts.genuine++;
          if (await post(body, signature)) counts.genuineAccepted++;
          for (let i = 0; i < replays; i++) {
            counts.replayed++;
            if (await post(body, signature)) counts.replayAccepted++;
          }
          for (const name of variants) {
            const v = (VARIANTS[name] as Variant)(body, payload);
            counts.forged++;
            if (await post(v.body, v.signature ?? signature)) counts.forgedAccepted++;
          }
        },
      ),
      { numRuns: 120 },
    );
    console.info(
      `forgery fuzz: ${counts.genuine} genuine (${counts.genuineAccepted} accepted), ${counts.forged} forged (${counts.forgedAccepted} accepted), ${counts.replayed} replays (${counts.replayAccepted} accepted); statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect(counts.forgedAccepted).toBe(0);
    expect(counts.replayAccepted).toBe(0);
    expect(counts.genuineAccepted).toBe(counts.genuine);
    expect(statuses.get(429) ?? 0).toBe(0);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
  });
});
