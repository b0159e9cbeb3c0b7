// The client against a real HTTP server on 127.0.0.1 that answers like GHL.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryTokenStore } from "../auth/token-store.js";
import { createGhlClient } from "../client/create-ghl-client.js";
import { createFakeClock, createIdleClock } from "../test-support/fake-clock.js";
import {
  type GhlTestServer,
  type GhlTestServerOptions,
  startGhlTestServer,
} from "../test-support/ghl-test-server.js";

let server: GhlTestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

// Virtual time stands still while a request is on the wire and jumps to the next sleeper when the wire is
// idle, so rate windows and backoffs are exact however loaded the machine is (CI: 2 cores, every
// package's tests at once).
async function setup(serverOptions: Partial<GhlTestServerOptions> = {}) {
  const clock = createIdleClock();
  server = await startGhlTestServer({ now: clock.now, ...serverOptions });
  server.accessTokens.set("pit-1", { locationId: "loc-1", expiresAt: Number.POSITIVE_INFINITY });
  const client = createGhlClient({
    auth: { kind: "private-integration", token: "pit-1" },
    baseUrl: server.url,
    fetch: clock.fetch,
    now: clock.now,
    sleep: clock.sleep,
    retry: { baseDelayMs: 100 },
  });
  return { clock, server, client };
}

describe("rate limits against a GHL-like server", () => {
  it("a well-behaved burst of 250 calls never sees a 429 (follows 100 / 10 s)", async () => {
    const { server, client } = await setup();
    const results = await Promise.all(
      Array.from({ length: 250 }, (_, i) => client.contacts.get({ locationId: "loc-1", contactId: `c${i}` })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(server.stats.tooManyRequests).toBe(0);
    expect(client.limiter.stats().waits).toBeGreaterThan(0);
  });

  it("adapts to a stricter server: 429s are retried, every call succeeds, later calls pace themselves", async () => {
    const { server, client } = await setup({ rateMax: 10, rateIntervalMs: 1000, retryAfterSeconds: 1 });
    const first = await Promise.all(
      Array.from({ length: 30 }, (_, i) => client.contacts.get({ locationId: "loc-1", contactId: `c${i}` })),
    );
    expect(first.every((r) => r.ok)).toBe(true);
    expect(server.stats.tooManyRequests).toBeGreaterThan(0);
    const before = server.stats.tooManyRequests;
    // Now the limiter knows max=10 / 1000 ms: a second wave goes through without a 429.
    for (let i = 0; i < 25; i++) {
      const r = await client.contacts.get({ locationId: "loc-1", contactId: `d${i}` });
      expect(r.ok).toBe(true);
    }
    expect(server.stats.tooManyRequests).toBe(before);
  });

  it("returns a rate_limited error (retryable, retryAfterMs) when attempts run out", async () => {
    const { client, server } = await setup({ rateMax: 1, rateIntervalMs: 60_000, retryAfterSeconds: 2 });
    const strict = createGhlClient({
      auth: { kind: "private-integration", token: "pit-1" },
      baseUrl: server.url,
      retry: { maxAttempts: 1 },
    });
    await client.contacts.get({ locationId: "loc-1", contactId: "a" });
    const r = await strict.contacts.get({ locationId: "loc-1", contactId: "b" });
    expect(!r.ok && r.error).toMatchObject({
      code: "rate_limited",
      status: 429,
      retryable: true,
      retryAfterMs: 2000,
    });
  });
});

describe("5xx bursts, slow responses and timeouts", () => {
  it("rides out a burst of 503s on a read", async () => {
    const { server, client } = await setup();
    server.faults.push({ kind: "status", status: 503 }, { kind: "status", status: 502 });
    const r = await client.contacts.get({ locationId: "loc-1", contactId: "c1" });
    expect(r.ok && r.meta.attempts).toBe(3);
    expect(r.ok && r.meta.traceId).toMatch(/^trace-/);
  });

  it("does not repeat a create after a 500: one request, ambiguous error", async () => {
    const { server, client } = await setup();
    server.faults.push({ kind: "status", status: 500 });
    const r = await client.contacts.create({ locationId: "loc-1", phone: "+15555550100" });
    expect(server.stats.byPath.get("/contacts/")).toBe(1);
    expect(!r.ok && r.error).toMatchObject({ code: "ambiguous", ambiguous: true, status: 500 });
  });

  it("times out a slow read, retries, and reports timeout when it stays slow", async () => {
    const { server } = await setup();
    // The server holds each answer far longer than the client waits (until the client hangs up), so the
    // timeout fires however slowly a loaded machine schedules either side.
    server.faults.push({ kind: "delay", ms: 60_000 }, { kind: "delay", ms: 60_000 });
    const client = createGhlClient({
      auth: { kind: "private-integration", token: "pit-1" },
      baseUrl: server.url,
      timeoutMs: 1_000,
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    const started = Date.now();
    const r = await client.contacts.get({ locationId: "loc-1", contactId: "c1" });
    expect(Date.now() - started).toBeLessThan(20_000); // two timeouts, not two 60 s answers
    expect(!r.ok && r.error).toMatchObject({ code: "timeout", retryable: true, ambiguous: false });
    await vi.waitFor(() => expect(server?.stats.byPath.get("/contacts/c1")).toBe(2), { timeout: 5_000 });
    // A third call with no fault succeeds: the slow handlers did not wedge anything.
    expect((await client.contacts.get({ locationId: "loc-1", contactId: "c1" })).ok).toBe(true);
  });

  it("a slow create that times out is reported ambiguous and sent once", async () => {
    const { server } = await setup();
    server.faults.push({ kind: "delay", ms: 60_000 });
    const client = createGhlClient({
      auth: { kind: "private-integration", token: "pit-1" },
      baseUrl: server.url,
      timeoutMs: 1_000,
    });
    const r = await client.contacts.create({ locationId: "loc-1", phone: "+15555550100" });
    expect(!r.ok && r.error).toMatchObject({ code: "ambiguous", ambiguous: true, retryable: true });
    // The server counts a request when its body has arrived; give a loaded machine time to get there,
    // then make sure no second copy follows.
    await vi.waitFor(() => expect(server?.stats.byPath.get("/contacts/")).toBe(1), { timeout: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(server.stats.byPath.get("/contacts/")).toBe(1);
  });

  it("connection refused is a network error naming the cause", async () => {
    const { server } = await setup();
    const url = server.url;
    await server.close();
    const client = createGhlClient({
      auth: { kind: "private-integration", token: "pit-1" },
      baseUrl: url,
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    const r = await client.contacts.get({ locationId: "loc-1", contactId: "c1" });
    expect(!r.ok && r.error.code).toBe("network");
    expect(!r.ok && r.error.message).toMatch(/ECONNREFUSED/);
  });
});

describe("OAuth refresh against a GHL-like server", () => {
  async function oauthSetup(refreshDelayMs = 30) {
    const clock = createFakeClock({ speed: 1 });
    server = await startGhlTestServer({ now: clock.now, refreshDelayMs });
    server.accessTokens.set("at-0", { locationId: "loc-1", expiresAt: clock.now() + 60_000 });
    server.refreshTokens.set("rt-0", "loc-1");
    const store = createMemoryTokenStore({
      "loc-1": {
        accessToken: "at-0",
        refreshToken: "rt-0",
        expiresAt: clock.now() + 60_000,
        userType: "Location",
      },
    });
    const saves: string[] = [];
    const tokenStore = {
      load: store.load,
      async save(id: string, t: Parameters<typeof store.save>[1]) {
        saves.push(t.refreshToken ?? "");
        await store.save(id, t);
      },
    };
    const client = createGhlClient({
      auth: { kind: "oauth", clientId: "cid", clientSecret: "secret" },
      tokenStore,
      baseUrl: server.url,
      now: clock.now,
    });
    return { clock, server, client, store, saves };
  }

  it("20 concurrent calls with a token inside the refresh window: exactly one refresh, no lost token", async () => {
    const { server, client, store, saves } = await oauthSetup();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.contacts.get({ locationId: "loc-1", contactId: `c${i}` })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(server.stats.refreshRequests).toBe(1);
    expect(server.stats.rejectedRefreshes).toBe(0);
    expect(saves).toEqual(["rt-1"]);
    const stored = store.snapshot()["loc-1"]!;
    expect(stored.refreshToken).toBe("rt-1");
    expect(server.refreshTokens.has("rt-1")).toBe(true); // the stored refresh token is the live one
  });

  it("20 concurrent calls that all get 401 (token revoked server-side): exactly one refresh", async () => {
    const { clock, server, client, store } = await oauthSetup();
    await store.save("loc-1", {
      accessToken: "at-0",
      refreshToken: "rt-0",
      expiresAt: clock.now() + 3_600_000,
      userType: "Location",
    });
    server.accessTokens.delete("at-0");
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => client.contacts.get({ locationId: "loc-1", contactId: `c${i}` })),
    );
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.message)).toEqual([]);
    expect(server.stats.refreshRequests).toBe(1);
    expect(store.snapshot()["loc-1"]!.refreshToken).toBe("rt-1");
  });

  it("two clients sharing a store: the second one finds the rotated pair instead of spending the old token", async () => {
    const { clock, server, client, store } = await oauthSetup();
    const other = createGhlClient({
      auth: { kind: "oauth", clientId: "cid", clientSecret: "secret" },
      tokenStore: store,
      baseUrl: server.url,
      now: clock.now,
    });
    expect((await client.contacts.get({ locationId: "loc-1", contactId: "a" })).ok).toBe(true);
    expect((await other.contacts.get({ locationId: "loc-1", contactId: "b" })).ok).toBe(true);
    expect(server.stats.refreshRequests).toBe(1);
  });

  it("a spent refresh token ends in reinstall_required for every waiting call, with no crash", async () => {
    const { server, client } = await oauthSetup();
    server.refreshTokens.clear();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => client.contacts.get({ locationId: "loc-1", contactId: `c${i}` })),
    );
    expect(results.every((r) => !r.ok && r.error.code === "reinstall_required")).toBe(true);
    expect(server.stats.refreshRequests).toBe(1);
  });
});
