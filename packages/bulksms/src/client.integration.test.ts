// The client against the project's BulkSMS simulator (@ghl-bulksms/sandbox) over real HTTP: sends,
// retries with identical bodies and dedup ids, lost answers, empty-body 400s, insufficient credits,
// batching, ids as bare JSON numbers, message and blocked-number paging, webhook registration.
// What the client sent is recorded by a fetch wrapper; what happened is read from the simulator.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type BulkSmsSimulator,
  type BulkSmsSimulatorOptions,
  createSandboxClock,
  DEFAULT_BULKSMS_CREDENTIAL,
  startBulkSmsSimulator,
} from "@ghl-bulksms/sandbox";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type BulkSmsClient, createBulkSmsClient } from "./client.js";
import { dedupIdFor } from "./send/dedup-id.js";

interface Recorded {
  method: string;
  url: URL;
  rawUrl: string;
  headers: Headers;
  body: string;
}

let sim: BulkSmsSimulator;
let client: BulkSmsClient;
let requests: Recorded[];
const sleeps: number[] = [];
/** Applied to every JSON response body before the client sees it (to imitate vendor variants). */
let rewrite: ((url: URL, body: unknown) => unknown) | null = null;

const recordingFetch: typeof fetch = async (input, init) => {
  const rawUrl = String(input);
  requests.push({
    method: init?.method ?? "GET",
    url: new URL(rawUrl),
    rawUrl,
    headers: new Headers(init?.headers),
    body:
      typeof init?.body === "string"
        ? init.body
        : init?.body instanceof Uint8Array
          ? Buffer.from(init.body).toString("utf8")
          : "",
  });
  const res = await fetch(input, init);
  if (!rewrite || !res.headers.get("content-type")?.includes("json")) return res;
  const body = rewrite(new URL(rawUrl), await res.json());
  return new Response(JSON.stringify(body), { status: res.status, headers: res.headers });
};

function makeClient(extra: Partial<Parameters<typeof createBulkSmsClient>[0]> = {}): BulkSmsClient {
  return createBulkSmsClient({
    tokenId: DEFAULT_BULKSMS_CREDENTIAL.tokenId,
    tokenSecret: DEFAULT_BULKSMS_CREDENTIAL.tokenSecret,
    baseUrl: sim.url,
    defaultRegion: "GB",
    timeoutMs: 5_000,
    retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 },
    fetch: recordingFetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    ...extra,
  });
}

async function start(options: BulkSmsSimulatorOptions = {}): Promise<void> {
  await sim?.close();
  // A near-frozen sandbox clock: nothing moves on its own during a test.
  sim = await startBulkSmsSimulator({
    clock: createSandboxClock({ start: Date.UTC(2026, 0, 5, 9), speed: 1e-9 }),
    ...options,
  });
  client = makeClient();
}

beforeEach(async () => {
  requests = [];
  sleeps.length = 0;
  rewrite = null;
  await start();
});
afterEach(async () => {
  await sim.close();
});

const send = (c: BulkSmsClient, jobKey = "ghl-msg-1") =>
  c.sendMessages({
    jobKey,
    to: ["07911 123456", "+44 7911 123457"],
    body: "Hello “there” – bye",
    userSuppliedId: "ghl-msg-1",
  });
const numbers = (n: number) =>
  Array.from({ length: n }, (_, i) => `+4479${String(11_000_000 + i).padStart(8, "0")}`);

describe("BulkSmsClient against the sandbox BulkSMS simulator", () => {
  it("sends with Basic auth up front, canonical array body, E.164 numbers and a stable dedup id", async () => {
    const result = await send(client);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(requests).toHaveLength(1);
    const req = requests[0];
    const { tokenId, tokenSecret } = DEFAULT_BULKSMS_CREDENTIAL;
    expect(req?.headers.get("authorization")).toBe(
      `Basic ${Buffer.from(`${tokenId}:${tokenSecret}`).toString("base64")}`,
    );
    expect(req?.url.searchParams.get("deduplication-id")).toBe(String(dedupIdFor("ghl-msg-1")));
    expect(req?.url.searchParams.get("auto-unicode")).toBe("true");
    expect(JSON.parse(req?.body ?? "")).toEqual([
      {
        body: 'Hello "there" - bye',
        userSuppliedId: "ghl-msg-1",
        to: [
          { type: "INTERNATIONAL", address: "+447911123456" },
          { type: "INTERNATIONAL", address: "+447911123457" },
        ],
      },
    ]);
    // the simulator answers numbers WITHOUT "+"; the client hands them back in E.164, ids as strings
    expect(result.data.messages.map((m) => m.to)).toEqual(["+447911123456", "+447911123457"]);
    expect(result.data.messages.map((m) => m.id)).toEqual(sim.control.sentMessages().map((m) => m.id));
    expect(result.data.messages[0]?.id).toMatch(/^\d{18,19}$/);
    expect(result.data.messages[0]?.status).toEqual({ id: "ACCEPTED.null", type: "ACCEPTED", subtype: null });
  });

  it("retries a 5xx burst with the IDENTICAL body and dedup id, and sends exactly once", async () => {
    sim.control.setFaults({
      script: [
        { kind: "status", status: 503, body: "" },
        { kind: "status", status: 500, body: { title: "oops", status: 500 } },
        { kind: "status", status: 502 },
      ],
    });
    const result = await send(client);
    expect(result.ok).toBe(true);
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    expect(new Set(requests.map((r) => r.url.searchParams.get("deduplication-id"))).size).toBe(1);
    expect(sim.control.sentMessages()).toHaveLength(2); // one logical send of 2 recipients
    expect(sleeps).toHaveLength(3);
  });

  it("a retry after the server processed the request (lost answer) does not send twice", async () => {
    sim.control.setFaults({ script: [{ kind: "drop-after-processing" }] });
    // first attempt: sent, but the connection drops before the answer -> network error -> retried -> dedup
    const first = await send(client);
    expect(first.ok).toBe(true);
    expect(requests).toHaveLength(2);
    // a whole re-run of the same job (e.g. the worker crashed) hits BulkSMS's dedup memory
    const again = await send(client);
    expect(again.ok).toBe(true);
    if (!first.ok || !again.ok) return;
    expect(again.data.messages.map((m) => m.id)).toEqual(first.data.messages.map((m) => m.id));
    expect(sim.control.sentMessages()).toHaveLength(2);
  });

  it("gives up after the bounded number of attempts with a retryable server_error", async () => {
    sim.control.setFaults({
      script: [
        { kind: "status", status: 503 },
        { kind: "status", status: 503 },
        { kind: "status", status: 503 },
        { kind: "status", status: 503, headers: { "retry-after": "7" } },
      ],
    });
    const result = await send(client);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({
      code: "server_error",
      status: 503,
      retryable: true,
      retryAfterMs: 7000,
    });
    expect(requests).toHaveLength(4);
    expect(sim.control.sentMessages()).toHaveLength(0);
  });

  it("never retries a 400 (even with an empty body) or a 403 (insufficient credits)", async () => {
    sim.control.setFaults({ script: [{ kind: "status", status: 400, body: "" }] });
    const bad = await send(client);
    expect(!bad.ok && bad.error).toMatchObject({
      code: "bad_request",
      status: 400,
      retryable: false,
      title: "Bad request",
    });
    expect(requests).toHaveLength(1);

    sim.control.setCredits(1);
    const broke = await send(client, "ghl-msg-2");
    expect(!broke.ok && broke.error).toMatchObject({
      code: "insufficient_credits",
      status: 403,
      retryable: false,
    });
    expect(!broke.ok && broke.error.detail).toBeTruthy();
    expect(requests).toHaveLength(2);
    expect(sim.control.sentMessages()).toHaveLength(0);
  });

  it("times out a slow answer and retries it; the retry is deduplicated", async () => {
    // Real time: generous margins, CI runs every package's tests at once on 2 cores.
    client = makeClient({ timeoutMs: 1_000 });
    sim.control.setFaults({ script: [{ kind: "delay", ms: 1_500 }] }); // processed after the client gave up
    const result = await send(client);
    expect(result.ok).toBe(true);
    expect(requests.length).toBeGreaterThanOrEqual(2);
    expect(new Set(requests.map((r) => r.url.searchParams.get("deduplication-id"))).size).toBe(1);
    await new Promise((r) => setTimeout(r, 1_700)); // let the slow first attempt finish on the server
    expect(sim.control.sentMessages()).toHaveLength(2); // whichever attempt came first sent; the other hit dedup
  });

  it("reports a timeout as a retryable error when every attempt stalls", async () => {
    client = makeClient({ timeoutMs: 300, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    sim.control.setFaults({ script: [{ kind: "stall" }, { kind: "stall" }] });
    const result = await client.getProfile();
    expect(!result.ok && result.error).toMatchObject({ code: "timeout", retryable: true, status: 0 });
    expect(requests).toHaveLength(2);
  });

  it("splits more than 4,000 recipients into batches with their own stable dedup ids", async () => {
    sim.control.setCredits(100_000);
    const result = await client.sendMessages({ jobKey: "bulk-1", to: numbers(4003), body: "hi" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(requests).toHaveLength(2);
    expect(result.data.batches.map((b) => b.recipients)).toEqual([4000, 3]);
    const ids = requests.map((r) => r.url.searchParams.get("deduplication-id"));
    expect(ids[0]).toBe(String(dedupIdFor("bulk-1")));
    expect(ids[1]).not.toBe(ids[0]);
    expect(result.data.messages).toHaveLength(4003);
    expect(sim.control.sentMessages()).toHaveLength(4003);
  });

  it("a batch failing mid-send reports completedBatches; re-running the job resends only what is missing", async () => {
    sim.control.setCredits(4_001); // enough for the first batch of 4,000, not for the second of 2
    const to = numbers(4002);
    const first = await client.sendMessages({ jobKey: "bulk-2", to, body: "hi" });
    expect(first).toMatchObject({
      ok: false,
      error: { code: "insufficient_credits", completedBatches: 1, retryable: false },
    });
    expect(sim.control.sentMessages()).toHaveLength(4000);
    sim.control.setCredits(100); // topped up; the job runner re-runs the same job key
    const again = await client.sendMessages({ jobKey: "bulk-2", to, body: "hi" });
    expect(again.ok).toBe(true);
    const sent = sim.control.sentMessages();
    expect(sent).toHaveLength(4002); // batch 0 answered from BulkSMS's dedup memory, batch 1 sent once
    expect(new Set(sent.map((m) => m.to)).size).toBe(4002);
  });

  it("rejects invalid numbers by position before any request", async () => {
    const result = await client.sendMessages({ jobKey: "j", to: ["+447911123456", "12"], body: "x" });
    expect(!result.ok && result.error.code).toBe("invalid_number");
    expect(!result.ok && result.error.detail).toContain("1");
    expect(requests).toHaveLength(0);
  });

  it("keeps 19-digit ids exact even when the server sends them as JSON numbers", async () => {
    await start({ idsAsNumbers: true });
    const sent = await client.sendMessages({ jobKey: "num-ids", to: ["+447911123456"], body: "x" });
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    const real = sim.control.sentMessages()[0]?.id ?? "";
    expect(BigInt(real)).toBeGreaterThan(2n ** 53n); // beyond what a JS number holds exactly
    expect(sent.data.messages[0]?.id).toBe(real);
    const fetched = await client.getMessage(real);
    expect(fetched.ok && fetched.data.id).toBe(real);
  });

  it("iterates all messages with id< paging until an empty page, filter URL-encoded", async () => {
    const replies = Array.from({ length: 5 }, (_, i) =>
      sim.control.simulateReply({ from: "447911123456", body: `reply ${i}` }),
    );
    const ids = replies.map((m) => m.id);
    const seen: string[] = [];
    for await (const m of client.iterateMessages({ filter: { type: "RECEIVED" }, limit: 2 })) {
      seen.push(m.id);
      expect(m.from).toBe("+447911123456");
    }
    expect(seen).toEqual([...ids].reverse());
    const filters = requests.map((r) => r.url.searchParams.get("filter"));
    expect(filters).toEqual([
      "type=RECEIVED",
      `type=RECEIVED&id<${ids[3]}`,
      `type=RECEIVED&id<${ids[1]}`,
      `type=RECEIVED&id<${ids[0]}`,
    ]);
    expect(requests[1]?.rawUrl).toContain(`filter=type%3DRECEIVED%26id%3C${ids[3]}`);
  });

  it("incremental polling: idAfter + id< paging returns every newer message exactly once", async () => {
    const ids = Array.from(
      { length: 8 },
      () => sim.control.simulateReply({ from: "447911123456", body: "r" }).id,
    );
    const seen: string[] = [];
    for await (const m of client.iterateMessages({
      filter: { type: "RECEIVED", idAfter: ids[2] ?? "" },
      limit: 3,
    }))
      seen.push(m.id);
    expect(seen).toEqual(ids.slice(3).reverse());
  });

  it("reads the profile (credits) and a 401 maps to unauthorized", async () => {
    sim.control.setCredits(123.5);
    const profile = await client.getProfile();
    expect(profile.ok && profile.data.credits.balance).toBe(123.5);
    const wrong = createBulkSmsClient({ tokenId: "x", tokenSecret: "y", baseUrl: sim.url });
    const denied = await wrong.getProfile();
    expect(!denied.ok && denied.error).toMatchObject({ code: "unauthorized", status: 401, retryable: false });
  });

  it("adds blocked numbers in chunks of 1,000 and pages them back with min-id, in E.164", async () => {
    const added = await client.addBlockedNumbers(numbers(1001));
    expect(added).toEqual({ ok: true, data: { added: 1001, requests: 2 } });
    const listed: string[] = [];
    for await (const b of client.iterateBlockedNumbers({ limit: 600 })) listed.push(b.phoneNumber);
    expect(listed).toHaveLength(1001);
    expect(listed[0]).toBe("+447911000000");
    expect(new Set(listed).size).toBe(1001);
    const minIds = requests.filter((r) => r.method === "GET").map((r) => r.url.searchParams.get("min-id"));
    expect(minIds[0]).toBeNull();
    expect(minIds.length).toBeGreaterThanOrEqual(2);
    expect(sim.control.blockedNumbers()).toHaveLength(1001);
  });

  it("ensureWebhooks creates both scopes, then is a no-op, then updates by POST /webhooks/{id}", async () => {
    // BulkSMS test-POSTs [] to a webhook URL on create and update: give it an endpoint that answers.
    const endpoint: Server = createServer((_req, res) => res.writeHead(200).end());
    await new Promise<void>((r) => endpoint.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
    try {
      const secret = "s3cr3t-s3cr3t-s3cr3t";
      const first = await client.ensureWebhooks({ baseUrl: `${base}/bulksms`, secret });
      expect(first.ok && first.data.changes.map((c) => c.action)).toEqual(["created", "created"]);
      const listed = async () =>
        (await (
          await fetch(`${sim.url}/webhooks`, {
            headers: { authorization: requests[0]?.headers.get("authorization") ?? "" },
          })
        ).json()) as Array<{
          id: number | string;
          name: string;
          triggerScope: string;
          url: string;
        }>;
      expect((await listed()).map((w) => [w.name, w.triggerScope, w.url])).toEqual([
        ["ghl-bulksms-sent", "SENT", `${base}/bulksms?secret=${secret}`],
        ["ghl-bulksms-received", "RECEIVED", `${base}/bulksms?secret=${secret}`],
      ]);
      const second = await client.ensureWebhooks({ baseUrl: `${base}/bulksms`, secret });
      expect(second.ok && second.data.changes.map((c) => c.action)).toEqual(["unchanged", "unchanged"]);
      const before = requests.length;
      const third = await client.ensureWebhooks({ baseUrl: `${base}/v2`, secret });
      expect(third.ok && third.data.changes.map((c) => c.action)).toEqual(["updated", "updated"]);
      const hooks = await listed();
      const updates = requests.slice(before).filter((r) => r.method === "POST");
      expect(updates.map((r) => r.url.pathname)).toEqual(hooks.map((h) => `/v1/webhooks/${h.id}`));
      expect(hooks).toHaveLength(2);
      // BulkSMS's published Webhook object has no invokeOption: a hook without it still counts as matching.
      rewrite = (url, body) =>
        url.pathname.endsWith("/webhooks") && Array.isArray(body)
          ? body.map(({ invokeOption: _drop, ...hook }: Record<string, unknown>) => hook)
          : body;
      const fourth = await client.ensureWebhooks({ baseUrl: `${base}/v2`, secret });
      expect(fourth.ok && fourth.data.changes.map((c) => c.action)).toEqual(["unchanged", "unchanged"]);
      rewrite = null;
      const [h1, h2] = hooks;
      expect((await client.deleteWebhook(String(h1?.id))).ok).toBe(true);
      expect((await listed()).map((w) => w.id)).toEqual([h2?.id]);
      const missing = await client.deleteWebhook(String(h1?.id));
      expect(missing).toMatchObject({
        ok: false,
        error: { code: "not_found", status: 404, retryable: false },
      });
    } finally {
      endpoint.closeAllConnections();
      await new Promise<void>((r) => endpoint.close(() => r()));
    }
  });

  it("getMessage: 404 maps to not_found, a non-numeric id is refused locally", async () => {
    expect(await client.getMessage("123")).toMatchObject({
      ok: false,
      error: { code: "not_found", status: 404 },
    });
    expect(await client.getMessage("12;DROP")).toMatchObject({ ok: false, error: { code: "invalid_input" } });
    expect(requests).toHaveLength(1);
  });
});
