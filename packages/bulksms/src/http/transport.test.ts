import { describe, expect, it } from "vitest";
import { createBulkSmsClient } from "../client.js";
import { backoffDelay, isRetrySafe, resolveRetry } from "./retry-policy.js";

type Call = { url: string; method: string; body: string; auth: string | null };

function scripted(responses: Array<Response | Error | "hang" | "deaf">) {
  const calls: Call[] = [];
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const body =
      init?.body === undefined || init.body === null ? "" : new TextDecoder().decode(init.body as Uint8Array);
    calls.push({
      url: String(input),
      method: init?.method ?? "GET",
      body,
      auth: new Headers(init?.headers).get("authorization"),
    });
    const next = responses.shift() ?? new Response("[]", { status: 200 });
    if (next === "hang") {
      return new Promise<Response>((_, reject) => {
        init?.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError")));
      });
    }
    if (next === "deaf") return new Promise<Response>(() => {}); // ignores the abort signal
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetch, calls };
}

const json = (status: number, body: unknown) =>
  new Response(body === undefined ? null : JSON.stringify(body), { status });

function client(
  fetch: typeof globalThis.fetch,
  extra: Partial<Parameters<typeof createBulkSmsClient>[0]> = {},
) {
  return createBulkSmsClient({
    tokenId: "ID",
    tokenSecret: "SECRET",
    fetch,
    baseUrl: "https://bulksms.test/v1",
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
    sleep: async () => {},
    ...extra,
  });
}

describe("transport (injected fetch)", () => {
  it("sends Basic auth on the FIRST request", async () => {
    const { fetch, calls } = scripted([json(200, { credits: { balance: 5 } })]);
    const r = await client(fetch).getProfile();
    expect(r.ok).toBe(true);
    expect(calls[0]?.auth).toBe(`Basic ${Buffer.from("ID:SECRET").toString("base64")}`);
    expect(calls[0]?.url).toBe("https://bulksms.test/v1/profile");
  });

  it("retries network errors and 5xx on a send with identical bytes and URL", async () => {
    const { fetch, calls } = scripted([new TypeError("fetch failed"), json(503, undefined), json(201, [])]);
    const r = await client(fetch).sendMessages({ jobKey: "k", to: ["+447911123456"], body: "hi" });
    expect(r.ok).toBe(true);
    expect(calls).toHaveLength(3);
    expect(new Set(calls.map((c) => c.body)).size).toBe(1);
    expect(new Set(calls.map((c) => c.url)).size).toBe(1);
    expect(calls[0]?.url).toMatch(/deduplication-id=\d+/);
  });

  it("does not retry 400 or 403", async () => {
    for (const status of [400, 403]) {
      const { fetch, calls } = scripted([json(status, { title: "no", status })]);
      const r = await client(fetch).sendMessages({ jobKey: "k", to: ["+447911123456"], body: "hi" });
      expect(r.ok).toBe(false);
      expect(calls).toHaveLength(1);
    }
  });

  it("times out even when the fetch ignores the abort signal", async () => {
    const { fetch, calls } = scripted(["deaf", "deaf", "deaf"]);
    const r = await client(fetch, { timeoutMs: 20 }).getProfile();
    expect(r).toMatchObject({ ok: false, error: { code: "timeout", retryable: true } });
    expect(calls).toHaveLength(3);
  });

  it("turns a hanging request into a retryable timeout after the bounded attempts", async () => {
    const { fetch, calls } = scripted(["hang", "hang", "hang"]);
    const r = await client(fetch, { timeoutMs: 20 }).getProfile();
    expect(r).toMatchObject({ ok: false, error: { code: "timeout", retryable: true } });
    expect(calls).toHaveLength(3);
  });

  it("never retries an ambiguous failure of a non-idempotent call (webhook create)", async () => {
    const { fetch, calls } = scripted([
      json(503, undefined),
      json(200, { id: 1, name: "n", url: "https://x", triggerScope: "SENT" }),
    ]);
    const r = await client(fetch).createWebhook({ name: "n", url: "https://x", triggerScope: "SENT" });
    expect(r).toMatchObject({ ok: false, error: { code: "server_error", retryable: true } });
    expect(calls).toHaveLength(1);
  });

  it("maps a 2xx with a non-JSON body to invalid_response, not a crash", async () => {
    const { fetch } = scripted([new Response("<html>", { status: 200 })]);
    const r = await client(fetch).listWebhooks();
    expect(r).toMatchObject({ ok: false, error: { code: "invalid_response", retryable: false } });
  });

  it("logs retries without bodies, numbers or credentials", async () => {
    const logs: string[] = [];
    const logger = {
      warn: (obj: Record<string, unknown>, msg: string) => logs.push(`${msg} ${JSON.stringify(obj)}`),
    };
    const { fetch } = scripted([json(500, undefined), json(201, [])]);
    await client(fetch, { logger }).sendMessages({ jobKey: "k", to: ["+447911123456"], body: "secret text" });
    expect(logs.length).toBe(1);
    expect(logs.join()).not.toMatch(/447911123456|secret text|SECRET|Basic/);
  });
});

describe("retry policy", () => {
  const policy = resolveRetry({ attempts: 5, baseDelayMs: 100, maxDelayMs: 1000 });
  it("backs off exponentially with jitter inside [exp/2, exp], capped", () => {
    expect(backoffDelay(policy, 1, () => 0)).toBe(50);
    expect(backoffDelay(policy, 1, () => 1)).toBe(100);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(300);
    expect(backoffDelay(policy, 10, () => 1)).toBe(1000);
    expect(backoffDelay(policy, 1, () => 0, 2500)).toBe(2500);
  });
  it("knows which requests are safe to repeat", () => {
    const u = (p: string) => new URL(`https://h/v1${p}`);
    expect(isRetrySafe("GET", u("/messages"), "/v1")).toBe(true);
    expect(isRetrySafe("POST", u("/messages?deduplication-id=5"), "/v1")).toBe(true);
    expect(isRetrySafe("POST", u("/messages"), "/v1")).toBe(false);
    expect(isRetrySafe("POST", u("/webhooks"), "/v1")).toBe(false);
    expect(isRetrySafe("POST", u("/webhooks/3"), "/v1")).toBe(true);
    expect(isRetrySafe("POST", u("/blocked-numbers"), "/v1")).toBe(true);
    expect(isRetrySafe("POST", u("/credit/transfer"), "/v1")).toBe(false);
  });
  it("rejects silly attempt counts", () => {
    expect(() => resolveRetry({ attempts: 0 })).toThrow(/attempts/);
  });
});
