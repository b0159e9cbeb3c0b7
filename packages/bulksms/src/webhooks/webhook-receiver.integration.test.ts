/**
 * A real webhook endpoint on 127.0.0.1 built from this package's pieces (secret check, raw-body parsing),
 * hit with the payloads BulkSMS sends — and with malformed ones, which must give a clear 400 and never
 * crash the server. Also: ensureWebhooks against the BulkSMS-like server, which (like BulkSMS) test-calls
 * the URL with `[]` and refuses the webhook if that call fails.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type BulkSmsSimulator,
  createSandboxClock,
  DEFAULT_BULKSMS_CREDENTIAL,
  startBulkSmsSimulator,
} from "@ghl-bulksms/sandbox";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createBulkSmsClient } from "../client.js";
import type { BulkSmsMessage } from "../messages/bulksms-message.js";
import { parseBulkSmsWebhook } from "./parse-webhook.js";
import { verifyWebhookSecret } from "./webhook-secret.js";

const SECRET = "0123456789abcdef-secret";
let server: Server;
let url: string;
let received: BulkSmsMessage[];
let errors: string[];

beforeEach(async () => {
  received = [];
  errors = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (!verifyWebhookSecret(req.url ?? "", SECRET)) {
        res.writeHead(401).end();
        return;
      }
      const parsed = parseBulkSmsWebhook(new Uint8Array(Buffer.concat(chunks)), req.headers);
      if (!parsed.ok) {
        errors.push(parsed.error);
        res.writeHead(400, { "content-type": "text/plain" }).end(parsed.error);
        return;
      }
      received.push(...parsed.data.messages);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/bulksms`;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const post = (body: string, secret = SECRET, headers: Record<string, string> = {}) =>
  fetch(`${url}?secret=${secret}`, {
    method: "POST",
    body,
    headers: { "content-type": "application/json", ...headers },
  });

describe("webhook endpoint built on parseBulkSmsWebhook", () => {
  it("accepts a status report batch and normalises numbers", async () => {
    const body = JSON.stringify([
      {
        id: "953262833859043328",
        type: "SENT",
        to: "27821234567",
        status: { id: "DELIVERED.null", type: "DELIVERED" },
      },
      {
        id: "953262833859043329",
        type: "SENT",
        to: "27821234568",
        status: { id: "FAILED.BLOCKED", type: "FAILED", subtype: "BLOCKED" },
      },
    ]);
    const res = await post(body, SECRET, { "x-bulksms-event": "status-report" });
    expect(res.status).toBe(200);
    expect(received.map((m) => [m.id, m.to, m.status?.id])).toEqual([
      ["953262833859043328", "+27821234567", "DELIVERED.null"],
      ["953262833859043329", "+27821234568", "FAILED.BLOCKED"],
    ]);
  });

  it("refuses a wrong secret", async () => {
    expect((await post("[]", "wrong-secret-wrong-secret")).status).toBe(401);
  });

  it.each([
    ["", "empty"],
    ["{", "not valid JSON"],
    ['"hello"', "not a JSON array"],
    ["[[],[]]", "no readable message"],
    ['[{"id":"1","type":"SENT","status":"EXPLODED.null"}]', "unrecognised status"],
    ["\u0000\u0001", "not valid JSON"],
  ])("answers malformed body %j with a clear 400 and keeps serving", async (body, reason) => {
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(reason);
    expect((await post("[]")).status).toBe(200); // still alive
  });

  it("survives a large garbage body", async () => {
    const res = await post("x".repeat(200_000));
    expect(res.status).toBe(400);
  });
});

describe("ensureWebhooks with the BulkSMS test call (sandbox simulator)", () => {
  let sim: BulkSmsSimulator;
  const posts: string[] = [];
  beforeEach(async () => {
    posts.length = 0;
    sim = await startBulkSmsSimulator({ clock: createSandboxClock({ speed: 1e-9 }) });
  });
  afterEach(async () => {
    await sim.close();
  });
  const makeClient = () =>
    createBulkSmsClient({
      tokenId: DEFAULT_BULKSMS_CREDENTIAL.tokenId,
      tokenSecret: DEFAULT_BULKSMS_CREDENTIAL.tokenSecret,
      baseUrl: sim.url,
      fetch: async (input, init) => {
        if (init?.method === "POST") posts.push(String(input));
        return fetch(input, init);
      },
    });
  const hooks = async () =>
    (await (
      await fetch(`${sim.url}/webhooks`, {
        headers: {
          authorization: `Basic ${Buffer.from(`${DEFAULT_BULKSMS_CREDENTIAL.tokenId}:${DEFAULT_BULKSMS_CREDENTIAL.tokenSecret}`).toString("base64")}`,
        },
      })
    ).json()) as Array<{ triggerScope: string }>;

  it("registers both scopes when our endpoint answers the [] test call", async () => {
    const result = await makeClient().ensureWebhooks({ baseUrl: url, secret: SECRET });
    expect(result.ok).toBe(true);
    expect((await hooks()).map((w) => w.triggerScope)).toEqual(["SENT", "RECEIVED"]);
    expect(errors).toEqual([]);
  });

  it("fails with a clear bad_request when the endpoint rejects the test call (wrong secret), and is not retried", async () => {
    const result = await makeClient().ensureWebhooks({ baseUrl: url, secret: "not-the-right-secret-value" });
    expect(result).toMatchObject({ ok: false, error: { code: "bad_request", retryable: false } });
    if (!result.ok) expect(result.error.detail).toMatch(/test call|not callable|webhook/i);
    expect(await hooks()).toEqual([]);
    expect(posts).toHaveLength(1);
  });
});
