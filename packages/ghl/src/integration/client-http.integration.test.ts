// The client against the project's GHL simulator (@ghl-bulksms/sandbox) over real HTTP on 127.0.0.1:
// rate limits with X-RateLimit-* headers and 429s, 5xx bursts, slow and lost answers, and concurrent
// OAuth refreshes counted in the simulator's request log.
//
// Time: the simulator, the client's limiter and its backoff share one virtual clock that stands still
// while a request is on the wire and jumps to the next sleeper when the wire is idle (test-support/
// idle-sandbox-clock.ts). Rate windows and backoffs are exact however loaded the machine is (CI: 2 cores,
// every package's tests at once); only the timeout tests use real time, with wide margins.
import {
  type FaultConfig,
  type GhlSimulator,
  type RateLimitConfig,
  startGhlSimulator,
} from "@ghl-bulksms/sandbox";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createMemoryTokenStore, type GhlTokens } from "../auth/token-store.js";
import { createGhlClient } from "../client/create-ghl-client.js";
import { createIdleSandboxClock } from "../test-support/idle-sandbox-clock.js";

let sim: GhlSimulator | null = null;
afterEach(async () => {
  await sim?.close();
  sim = null;
});

async function setup(options: { rateLimit?: Partial<RateLimitConfig>; faults?: FaultConfig } = {}) {
  const clock = createIdleSandboxClock();
  sim = await startGhlSimulator({
    clock: clock.sandbox,
    locations: 1,
    seedContacts: 0,
    ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
  });
  const location = sim.locations[0]!;
  const contact = sim.control.createContact(location.id, { firstName: "Ada", phone: "+447700900123" });
  const client = createGhlClient({
    auth: { kind: "private-integration", token: location.token },
    baseUrl: sim.url,
    fetch: clock.fetch,
    now: clock.now,
    sleep: clock.sleep,
    retry: { baseDelayMs: 100 },
  });
  return { clock, sim, client, locationId: location.id, contactId: contact.id, token: location.token };
}

const count = (s: GhlSimulator, status: number) =>
  s.control.requestLog().filter((r) => r.status === status).length;
const requestsTo = (s: GhlSimulator, method: string, path: string) =>
  s.control.requestLog().filter((r) => r.method === method && r.path === path).length;

describe("rate limits against the GHL simulator", () => {
  it("a well-behaved burst of 250 calls never sees a 429 (follows 100 / 10 s)", async () => {
    const { sim, client, locationId, contactId } = await setup();
    const results = await Promise.all(
      Array.from({ length: 250 }, () => client.contacts.get({ locationId, contactId })),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(count(sim, 429)).toBe(0);
    expect(count(sim, 200)).toBe(250);
    expect(client.limiter.stats().waits).toBeGreaterThan(0);
  });

  it("adapts to a stricter server: 429s are retried, every call succeeds, later calls pace themselves", async () => {
    const { sim, client, locationId, contactId } = await setup({
      rateLimit: { burstMax: 10, burstIntervalMs: 1000 },
    });
    const first = await Promise.all(
      Array.from({ length: 30 }, () => client.contacts.get({ locationId, contactId })),
    );
    expect(first.filter((r) => !r.ok)).toEqual([]);
    expect(count(sim, 429)).toBeGreaterThan(0);
    const before = count(sim, 429);
    // Now the limiter knows max=10 / 1000 ms from the headers: a second wave goes through without a 429.
    for (let i = 0; i < 25; i++) expect((await client.contacts.get({ locationId, contactId })).ok).toBe(true);
    expect(count(sim, 429)).toBe(before);
  });

  it("returns a rate_limited error (retryable, retryAfterMs) when attempts run out", async () => {
    const { sim, locationId, contactId, token, clock } = await setup({
      faults: { script: [{ kind: "status", status: 429, headers: { "Retry-After": "2" } }] },
    });
    const strict = createGhlClient({
      auth: { kind: "private-integration", token },
      baseUrl: sim.url,
      fetch: clock.fetch,
      now: clock.now,
      sleep: clock.sleep,
      retry: { maxAttempts: 1 },
    });
    const r = await strict.contacts.get({ locationId, contactId });
    expect(!r.ok && r.error).toMatchObject({
      code: "rate_limited",
      status: 429,
      retryable: true,
      retryAfterMs: 2000,
    });
  });
});

describe("5xx bursts, slow responses and lost answers", () => {
  it("rides out a burst of 503/502 on a read", async () => {
    const { sim, client, locationId, contactId } = await setup({
      faults: {
        script: [
          { kind: "status", status: 503 },
          { kind: "status", status: 502 },
        ],
      },
    });
    const r = await client.contacts.get({ locationId, contactId });
    expect(r.ok && r.meta.attempts).toBe(3);
    expect(sim.control.requestLog().map((e) => e.status)).toEqual([503, 502, 200]);
  });

  it("does not repeat a create after a 500: one request, ambiguous error", async () => {
    const { sim, client, locationId } = await setup({
      faults: { script: [{ kind: "status", status: 500 }] },
    });
    const r = await client.contacts.create({ locationId, phone: "+15555550100" });
    expect(requestsTo(sim, "POST", "/contacts/")).toBe(1);
    expect(!r.ok && r.error).toMatchObject({ code: "ambiguous", ambiguous: true, status: 500 });
  });

  it("a create whose answer is lost after GHL processed it is ambiguous, sent once, and exists once", async () => {
    const { sim, client, locationId } = await setup({
      faults: { script: [{ kind: "drop-after-processing" }] },
    });
    const r = await client.contacts.create({ locationId, firstName: "Lost", phone: "+15555550101" });
    expect(!r.ok && r.error).toMatchObject({ ambiguous: true, retryable: true });
    expect(requestsTo(sim, "POST", "/contacts/")).toBe(1);
    expect(sim.control.listContacts(locationId).filter((c) => c.firstName === "Lost")).toHaveLength(1);
  });

  it("times out a stalled read, retries, and reports timeout when it stays stalled", async () => {
    const { sim, locationId, contactId, token } = await setup({
      faults: { script: [{ kind: "stall" }, { kind: "stall" }] },
    });
    // Real time here (the timeout is a real timer); the server never answers, so any margin works.
    const client = createGhlClient({
      auth: { kind: "private-integration", token },
      baseUrl: sim.url,
      timeoutMs: 1_000,
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    const r = await client.contacts.get({ locationId, contactId });
    expect(!r.ok && r.error).toMatchObject({ code: "timeout", retryable: true, ambiguous: false });
    await vi.waitFor(() => expect(count(sim, 0)).toBe(2), { timeout: 5_000 });
    // A third call with no fault succeeds: the stalled connections did not wedge anything.
    expect((await client.contacts.get({ locationId, contactId })).ok).toBe(true);
  });

  it("a stalled create that times out is reported ambiguous and sent once", async () => {
    const { sim, locationId, token } = await setup({ faults: { script: [{ kind: "stall" }] } });
    const client = createGhlClient({
      auth: { kind: "private-integration", token },
      baseUrl: sim.url,
      timeoutMs: 1_000,
    });
    const r = await client.contacts.create({ locationId, phone: "+15555550100" });
    expect(!r.ok && r.error).toMatchObject({ code: "ambiguous", ambiguous: true, retryable: true });
    await vi.waitFor(() => expect(count(sim, 0)).toBe(1), { timeout: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(sim.control.requestLog()).toHaveLength(1); // no second copy
  });

  it("connection refused is a network error naming the cause", async () => {
    const { sim, locationId, contactId, token } = await setup();
    const url = sim.url;
    await sim.close();
    const client = createGhlClient({
      auth: { kind: "private-integration", token },
      baseUrl: url,
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    const r = await client.contacts.get({ locationId, contactId });
    expect(!r.ok && r.error.code).toBe("network");
    expect(!r.ok && r.error.message).toMatch(/ECONNREFUSED/);
  });
});

describe("OAuth refresh against the GHL simulator", () => {
  // 25 ms of real latency on every answer widens the window in which a second refresh could start.
  async function oauthSetup() {
    const clock = createIdleSandboxClock();
    sim = await startGhlSimulator({
      clock: clock.sandbox,
      locations: 1,
      seedContacts: 0,
      faults: { latencyMs: 25 },
    });
    const locationId = sim.locations[0]!.id;
    const contactId = sim.control.createContact(locationId, { firstName: "Ada" }).id;
    const store = createMemoryTokenStore();
    const saves: string[] = [];
    const tokenStore = {
      load: store.load,
      async save(id: string, t: GhlTokens) {
        saves.push(t.refreshToken ?? "");
        await store.save(id, t);
      },
    };
    const options = {
      auth: { kind: "oauth" as const, clientId: sim.tokens.clientId, clientSecret: sim.tokens.clientSecret },
      baseUrl: sim.url,
      fetch: clock.fetch,
      now: clock.now,
      sleep: clock.sleep,
    };
    const client = createGhlClient({ ...options, tokenStore });
    const code = sim.control.issueAuthorizationCode({ locationId });
    const installed = await client.oauth.exchangeCode({ code });
    if (!installed.ok) throw new Error(installed.error.message);
    saves.length = 0;
    const installedPair = store.snapshot()[locationId]!;
    const refreshes = () => requestsTo(sim!, "POST", "/oauth/token") - 1; // minus the code exchange
    /** Spend a refresh token outside the client (another process, or an attacker). */
    const spend = async (refreshToken: string) =>
      fetch(`${sim!.url}/oauth/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          client_id: sim!.tokens.clientId,
          client_secret: sim!.tokens.clientSecret,
          grant_type: "refresh_token",
          refresh_token: refreshToken,
        }),
      });
    return {
      clock,
      sim,
      client,
      store,
      saves,
      locationId,
      contactId,
      installedPair,
      refreshes,
      spend,
      options,
    };
  }

  it("20 concurrent calls with a token inside the refresh window: exactly one refresh, no lost token", async () => {
    const { sim, client, store, saves, locationId, contactId, installedPair, refreshes, clock, spend } =
      await oauthSetup();
    await clock.sandbox.advance(installedPair.expiresAt - clock.now() - 60_000); // 1 min before expiry
    const results = await Promise.all(
      Array.from({ length: 20 }, () => client.contacts.get({ locationId, contactId })),
    );
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(refreshes()).toBe(1);
    expect(sim.control.requestLog().filter((r) => r.path === "/oauth/token" && r.status !== 200)).toEqual([]);
    const stored = store.snapshot()[locationId]!;
    expect(saves).toEqual([stored.refreshToken]);
    expect(stored.refreshToken).not.toBe(installedPair.refreshToken);
    // The stored refresh token is the live one (and the old one is spent).
    expect((await spend(installedPair.refreshToken ?? "")).status).toBe(400);
    expect((await spend(stored.refreshToken ?? "")).status).toBe(200);
  });

  it("20 concurrent calls that all get 401 (access token unknown to GHL): exactly one refresh", async () => {
    const { client, store, locationId, contactId, installedPair, refreshes } = await oauthSetup();
    await store.save(locationId, { ...installedPair, accessToken: "revoked-access-token" });
    const results = await Promise.all(
      Array.from({ length: 20 }, () => client.contacts.get({ locationId, contactId })),
    );
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.error.message)).toEqual([]);
    expect(refreshes()).toBe(1);
    expect(store.snapshot()[locationId]!.refreshToken).not.toBe(installedPair.refreshToken);
  });

  it("two clients sharing a store: the second one finds the rotated pair instead of spending the old token", async () => {
    const { client, store, locationId, contactId, installedPair, refreshes, clock, options } =
      await oauthSetup();
    const other = createGhlClient({ ...options, tokenStore: store });
    await clock.sandbox.advance(installedPair.expiresAt - clock.now() - 60_000);
    expect((await client.contacts.get({ locationId, contactId })).ok).toBe(true);
    expect((await other.contacts.get({ locationId, contactId })).ok).toBe(true);
    expect(refreshes()).toBe(1);
  });

  it("a spent refresh token ends in reinstall_required for every waiting call, with no crash", async () => {
    const { client, locationId, contactId, installedPair, refreshes, clock, spend } = await oauthSetup();
    expect((await spend(installedPair.refreshToken ?? "")).status).toBe(200); // someone else rotated it
    await clock.sandbox.advance(installedPair.expiresAt - clock.now() - 60_000);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => client.contacts.get({ locationId, contactId })),
    );
    expect(results.every((r) => !r.ok && r.error.code === "reinstall_required")).toBe(true);
    expect(refreshes()).toBe(2); // ours (rejected) + the out-of-band one
  });
});
