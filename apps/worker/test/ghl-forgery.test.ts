// Forged, re-serialised and deeply nested GHL deliveries, through the real verifier and HTTP server:
// forged is 401 whatever the body holds, never 429/5xx, never an error log, never stored.
import { Writable } from "node:stream";
import { createSignedGhlWebhook, generateGhlWebhookTestKeys, signGhlWebhook } from "@ghl-bulksms/ghl/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGhlVerifier } from "../src/adapters/ghl-verifier.ts";
import { createLogger } from "../src/logger.ts";
import { buildTestServer, MemoryIngestor } from "./fakes.ts";

const keys = generateGhlWebhookTestKeys();
const attacker = generateGhlWebhookTestKeys();
const NOW = Date.parse("2026-11-25T22:00:00.000Z");
const BULK = "bulksms-secret-0123456789abcdef";
const WF = "workflow-secret-0123456789abcdef";
const lines: string[] = [];
const ingestor = new MemoryIngestor();
const server = buildTestServer({
  options: {
    bodyLimitBytes: 4 * 1024 * 1024,
    bulksmsWebhookSecret: BULK,
    workflowWebhookSecret: WF,
  },
  ingestor,
  verifyGhl: createGhlVerifier({ ed25519PublicKey: keys.publicKeys.ed25519, toleranceMs: 300_000 }),
  logger: createLogger({
    level: "debug",
    destination: new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    }),
  }),
  now: () => NOW,
});
beforeAll(() => server.ready());
afterAll(() => server.close());

const nested = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("GHL webhook forgeries over HTTP", () => {
  it("a deeply nested body with a forged signature is 401, logged as a rejection, never an error", async () => {
    lines.length = 0;
    const body = `{"type":"ContactCreate","locationId":"loc1","id":"c1","x":${nested(150_000)}}`;
    for (const signature of [signGhlWebhook(body, attacker.ed25519.privateKey), "AAAA", undefined]) {
      const res = await server.inject({
        method: "POST",
        url: "/webhooks/ghl",
        headers: {
          "content-type": "application/json",
          ...(signature === undefined ? {} : { "x-ghl-signature": signature }),
        },
        payload: body,
      });
      expect(res.statusCode).toBe(401);
      expect(res.headers["retry-after"]).toBeUndefined();
    }
    expect(ingestor.ingestCalls).toBe(0);
    const logged = lines.map((l) => JSON.parse(l) as { level: number; msg: string });
    expect(logged.filter((l) => l.level >= 50)).toEqual([]); // no error log, no stack trace
    expect(logged.filter((l) => l.msg === "GHL webhook rejected")).toHaveLength(3);
  });

  it("re-formatted copies of a signed body without webhookId are refused; only the original is accepted", async () => {
    const original = JSON.stringify({
      type: "ContactDndUpdate",
      locationId: "loc1",
      id: "c1",
      dnd: true,
      timestamp: new Date(NOW).toISOString(),
    });
    const headers = {
      "content-type": "application/json",
      "x-ghl-signature": signGhlWebhook(original, keys.ed25519.privateKey),
    };
    const parsed = JSON.parse(original) as Record<string, unknown>;
    const copies = [
      JSON.stringify(parsed, null, 1),
      JSON.stringify(parsed, null, 2),
      `${original} `,
      `\n${original}`,
      JSON.stringify(Object.fromEntries(Object.entries(parsed).reverse())),
    ];
    const before = ingestor.events.size;
    const statuses = [];
    for (const payload of [original, ...copies, original]) {
      const res = await server.inject({ method: "POST", url: "/webhooks/ghl", headers, payload });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([200, 401, 401, 401, 401, 401, 200]);
    expect(ingestor.events.size - before).toBe(1); // the replayed original is a duplicate
  });

  it("a validly signed body nested deeper than the limit is 400 (permanent), not 429", async () => {
    const body = JSON.stringify({
      ...JSON.parse(
        createSignedGhlWebhook({ type: "ContactCreate", locationId: "l", id: "c" }, keys, { now: NOW }).body,
      ),
    });
    const deep = `${body.slice(0, -1)},"x":${nested(100)}}`;
    const res = await server.inject({
      method: "POST",
      url: "/webhooks/ghl",
      headers: { "x-ghl-signature": signGhlWebhook(deep, keys.ed25519.privateKey) },
      payload: deep,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: "malformed" } });
  });

  it("workflow and BulkSMS routes answer 400 to a deeply nested body (behind the right path secret)", async () => {
    const wf = `{"contact_id":"c1","location":{"id":"loc1"},"customData":{"event":"ContactCreate","x":${nested(150_000)}}}`;
    const a = await server.inject({ method: "POST", url: `/webhooks/ghl-workflow/${WF}`, payload: wf });
    expect(a.statusCode).toBe(400);
    const bulk = `[{"id":"1","type":"RECEIVED","x":${nested(150_000)}}]`;
    const b = await server.inject({ method: "POST", url: `/webhooks/bulksms/${BULK}`, payload: bulk });
    expect(b.statusCode).toBe(400);
  });
});
