// Randomly generated requests never crash the server and always get one of the documented status codes.
import { createSignedGhlWebhook, generateGhlWebhookTestKeys } from "@ghl-bulksms/ghl/testing";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGhlVerifier } from "../src/adapters/ghl-verifier.ts";
import { buildTestServer, MemoryIngestor } from "./fakes.ts";

const keys = generateGhlWebhookTestKeys();
const BULK = "bulksms-secret-0123456789abcdef";
const WF = "workflow-secret-0123456789abcdef";
const NOW = Date.parse("2026-11-25T22:00:00.000Z");
const ingestor = new MemoryIngestor();
const server = buildTestServer({
  options: {
    bodyLimitBytes: 16 * 1024,
    overloadThreshold: 1_000_000,
    bulksmsWebhookSecret: BULK,
    workflowWebhookSecret: WF,
  },
  ingestor,
  verifyGhl: createGhlVerifier({ ed25519PublicKey: keys.publicKeys.ed25519, toleranceMs: 300_000 }),
  now: () => NOW,
});
beforeAll(() => server.ready());
afterAll(() => server.close());

const contentTypes = fc.constantFrom(
  undefined,
  "application/json",
  "text/plain",
  "application/x-www-form-urlencoded",
  "application/octet-stream",
);
const bodies = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.json({ maxDepth: 3 }),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify([v, v])),
);

function headersOf(ct: string | undefined, extra: Record<string, string> = {}) {
  return ct === undefined ? extra : { "content-type": ct, ...extra };
}

describe("fuzz", () => {
  it("GHL route: unsigned/forged random bodies are 400/401/413/415, never 2xx or 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        bodies,
        contentTypes,
        fc.option(fc.base64String({ maxLength: 100 })),
        async (body, ct, sig) => {
          const res = await server.inject({
            method: "POST",
            url: "/webhooks/ghl",
            headers: headersOf(ct, sig === null ? {} : { "x-ghl-signature": sig }),
            payload: body,
          });
          expect([400, 401, 413, 415]).toContain(res.statusCode);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("GHL route: validly signed random payloads are 200 or 400, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            type: fc.oneof(
              fc.constantFrom("ContactCreate", "ContactDelete", "INSTALL", "Whatever"),
              fc.string(),
            ),
            locationId: fc.option(fc.string()),
            id: fc.option(fc.string()),
          },
          { requiredKeys: [] },
        ),
        fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
        async (event, extra) => {
          const { timestamp: _t, webhookId: _w, ...rest } = extra;
          const w = createSignedGhlWebhook({ ...rest, ...event }, keys, { now: NOW });
          const res = await server.inject({
            method: "POST",
            url: "/webhooks/ghl",
            headers: w.headers,
            payload: w.body,
          });
          expect([200, 400]).toContain(res.statusCode);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("BulkSMS route: 200/400 for any body with the right secret, 401 without", async () => {
    await fc.assert(
      fc.asyncProperty(bodies, contentTypes, fc.boolean(), async (body, ct, rightSecret) => {
        const res = await server.inject({
          method: "POST",
          url: `/webhooks/bulksms/${rightSecret ? BULK : "x".repeat(31)}`,
          headers: headersOf(ct),
          payload: body,
        });
        if (!rightSecret) expect(res.statusCode).toBe(401);
        else expect([200, 400]).toContain(res.statusCode);
      }),
      { numRuns: 150 },
    );
  });

  it("workflow route: 200/400 for any body with the right secret", async () => {
    const workflowish = fc.record(
      {
        contact_id: fc.oneof(fc.string(), fc.integer()),
        first_name: fc.oneof(fc.string(), fc.constant(null)),
        tags: fc.oneof(fc.string(), fc.array(fc.string())),
        location: fc.oneof(fc.record({ id: fc.string() }), fc.constant(null)),
        customData: fc.record(
          {
            event: fc.constantFrom("ContactCreate", "ContactDndUpdate", "Nope"),
            dnd: fc.oneof(fc.boolean(), fc.string()),
          },
          { requiredKeys: [] },
        ),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          bodies,
          workflowish.map((v) => JSON.stringify(v)),
        ),
        async (body) => {
          const res = await server.inject({
            method: "POST",
            url: `/webhooks/ghl-workflow/${WF}`,
            headers: { "content-type": "application/json" },
            payload: body,
          });
          expect([200, 400]).toContain(res.statusCode);
        },
      ),
      { numRuns: 200 },
    );
  });
});
