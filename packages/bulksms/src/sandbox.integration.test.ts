/**
 * The client against @ghl-bulksms/sandbox's BulkSMS simulator (a separate, stateful implementation that
 * validates every request against specs/bulksms/openapi.yaml): send, retried 5xx with exactly one logical
 * send, status webhooks (duplicated and reordered) merged monotonically, inbound replies, listing.
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
import { type BulkSmsClient, createBulkSmsClient } from "./client.js";
import type { BulkSmsMessage } from "./messages/bulksms-message.js";
import { mergeStatus } from "./status/merge-status.js";
import type { MessageStatus } from "./status/message-status.js";
import { parseBulkSmsWebhook } from "./webhooks/parse-webhook.js";
import { verifyWebhookSecret } from "./webhooks/webhook-secret.js";

const SECRET = "sandbox-webhook-secret-0123456789";
let sim: BulkSmsSimulator;
let client: BulkSmsClient;
let receiver: Server;
let receiverUrl: string;
let inbound: BulkSmsMessage[];
let retries: number;
const statuses = new Map<string, MessageStatus>();

beforeEach(async () => {
  inbound = [];
  retries = 0;
  statuses.clear();
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (!verifyWebhookSecret(req.url ?? "", SECRET)) return void res.writeHead(401).end();
      const parsed = parseBulkSmsWebhook(new Uint8Array(Buffer.concat(chunks)), req.headers);
      if (!parsed.ok) return void res.writeHead(400).end(parsed.error);
      for (const m of parsed.data.messages) {
        if (m.type === "RECEIVED") inbound.push(m);
        else if (m.status) statuses.set(m.id, mergeStatus(statuses.get(m.id), m.status));
      }
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/bulksms`;
  sim = await startBulkSmsSimulator({
    clock: createSandboxClock({ start: Date.UTC(2026, 0, 5, 9), speed: 1e-9 }),
    seed: 7,
  });
  client = createBulkSmsClient({
    tokenId: DEFAULT_BULKSMS_CREDENTIAL.tokenId,
    tokenSecret: DEFAULT_BULKSMS_CREDENTIAL.tokenSecret,
    baseUrl: sim.url,
    defaultRegion: "GB",
    retry: { attempts: 8, baseDelayMs: 1, maxDelayMs: 5 },
    // A deterministic 5xx burst: faults are switched on before the send and off at the third backoff.
    sleep: async () => {
      retries++;
      if (retries === 3) sim.control.setFaults({ errorRate: null });
    },
  });
});

afterEach(async () => {
  await sim.close();
  receiver.closeAllConnections();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe("client against the sandbox BulkSMS simulator", () => {
  it("sends, survives 5xx bursts with one logical send, and ends DELIVERED despite duplicated/reordered reports", async () => {
    const hooks = await client.ensureWebhooks({ baseUrl: receiverUrl, secret: SECRET });
    expect(hooks.ok, JSON.stringify(hooks)).toBe(true);

    sim.control.setFaults({
      errorRate: 1,
      errorStatuses: [500, 503],
      webhookDuplicateRate: 0.5,
      webhookReorderRate: 0.5,
    });
    const sent = await client.sendMessages({
      jobKey: "sandbox-job-1",
      to: ["07911 123456", "+44 7911 123457"],
      body: "Hello – it’s the sandbox",
      userSuppliedId: "sbx-1",
    });
    expect(sent.ok, JSON.stringify(sent)).toBe(true);
    if (!sent.ok) return;
    expect(retries).toBe(3); // three 5xx answers, then success
    expect(sim.control.sentMessages()).toHaveLength(2); // exactly one logical send, whatever the retries
    sim.control.setFaults({ webhookDuplicateRate: null, webhookReorderRate: null });

    await sim.clock.advance(10_000);
    await sim.control.settle();
    await sim.clock.advance(2_000);
    await sim.control.settle();
    for (const m of sent.data.messages) expect(statuses.get(m.id)?.type).toBe("DELIVERED");

    const listed = await client.listMessages({ filter: { type: "SENT", userSuppliedId: "sbx-1" } });
    expect(listed.ok && listed.data.map((m) => m.to).sort()).toEqual(["+447911123456", "+447911123457"]);
  });

  it("receives an inbound reply by webhook and by listing, with E.164 numbers", async () => {
    expect((await client.ensureWebhooks({ baseUrl: receiverUrl, secret: SECRET })).ok).toBe(true);
    const sent = await client.sendMessages({
      jobKey: "sandbox-job-2",
      to: ["+447911123456"],
      body: "Reply?",
      from: { type: "REPLIABLE" },
    });
    expect(sent.ok).toBe(true);
    sim.control.simulateReply({ from: "447911123456", body: "Yes please" });
    await sim.control.settle();
    await sim.clock.advance(2_000);
    await sim.control.settle();
    expect(inbound.map((m) => [m.from, m.body])).toEqual([["+447911123456", "Yes please"]]);
    const sentId = sent.ok ? (sent.data.messages[0]?.id ?? "") : "";
    const related = await client.relatedReceivedMessages(sentId);
    expect(related.ok && related.data.map((m) => [m.body, m.relatedSentMessageId])).toEqual([
      ["Yes please", sentId],
    ]);
    const replies: BulkSmsMessage[] = [];
    for await (const m of client.iterateMessages({ filter: { type: "RECEIVED" } })) replies.push(m);
    expect(replies.map((m) => m.from)).toEqual(["+447911123456"]);
  });

  it("maps insufficient credits to a non-retryable insufficient_credits error", async () => {
    sim.control.setCredits(0);
    const sent = await client.sendMessages({ jobKey: "sandbox-job-3", to: ["+447911123456"], body: "x" });
    expect(sent).toMatchObject({
      ok: false,
      error: { code: "insufficient_credits", status: 403, retryable: false },
    });
  });
});
