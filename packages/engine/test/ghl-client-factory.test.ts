// createGhlClientFactory: env token, stored private integration token, OAuth app, sandbox token, none.
import { afterEach, describe, expect, it } from "vitest";
import { createGhlClientFactory, type GhlClientFactoryConfig } from "../src/index.js";
import { type Harness, startHarness } from "./harness.js";

let h: Harness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

function config(
  harness: Harness,
  over: Partial<GhlClientFactoryConfig["ghl"]> = {},
  mode: "live" | "sandbox" = "live",
): GhlClientFactoryConfig {
  return { mode, ghl: { apiBaseUrl: harness.sandbox.ghl.url, locations: [], oauth: null, ...over } };
}

function tokenOf(harness: Harness): string {
  const l = harness.sandbox.ghl.locations[0];
  if (!l) throw new Error("no location");
  return l.token;
}

const RETRY = { maxAttempts: 1 };

describe("createGhlClientFactory", () => {
  it("uses the environment's private integration token first", async () => {
    h = await startHarness({});
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Env", phone: "07911 200201" });
    await h.store.tokens.save(h.locationId, { accessToken: "stored-but-ignored", tokenType: "pit" });
    const f = createGhlClientFactory({
      config: config(h, { locations: [{ locationId: h.locationId, privateToken: tokenOf(h) }] }),
      store: h.store,
      retry: RETRY,
    });
    expect(await f.authSource(h.locationId)).toBe("env-token");
    const r = await f.forLocation(h.locationId).contacts.get({ locationId: h.locationId, contactId: c.id });
    expect(r.ok).toBe(true);
    expect(f.forLocation(h.locationId)).toBe(f.forLocation(h.locationId));
  });

  it("with ghlRateBudget shared, every call is a grant in the store's shared budget of its location", async () => {
    h = await startHarness({});
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Shr", phone: "07911 200209" });
    const f = createGhlClientFactory({
      config: {
        ...config(h, { locations: [{ locationId: h.locationId, privateToken: tokenOf(h) }] }),
        cluster: { ghlRateBudget: "shared" },
      },
      store: h.store,
      now: h.sandbox.clock.now,
      retry: RETRY,
    });
    const at = h.sandbox.clock.now();
    const before = (await h.store.rateBudget.usage(h.locationId, at)).live;
    const r = await f.forLocation(h.locationId).contacts.get({ locationId: h.locationId, contactId: c.id });
    expect(r.ok).toBe(true);
    expect((await h.store.rateBudget.usage(h.locationId, at)).live).toBe(before + 1);
  });

  it("uses a stored private integration token (auth login) when the environment has none", async () => {
    h = await startHarness({});
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Sto", phone: "07911 200202" });
    const f = createGhlClientFactory({ config: config(h), store: h.store, retry: RETRY, resolveTtlMs: 0 });
    const client = f.forLocation(h.locationId);

    // nothing yet: a clear, non-retryable error result, not a throw
    expect(await f.authSource(h.locationId)).toBe("none");
    expect(await f.resolve(h.locationId)).toBeNull();
    const none = await client.contacts.get({ locationId: h.locationId, contactId: c.id });
    expect(none.ok).toBe(false);
    if (!none.ok) {
      expect(none.error.code).toBe("not_installed");
      expect(none.error.retryable).toBe(false);
      expect(none.error.message).toContain("auth login");
    }
    const pages = [];
    for await (const p of client.searchContactsIterator({ locationId: h.locationId })) pages.push(p);
    expect(pages).toMatchObject([{ ok: false, error: { code: "not_installed" } }]);

    // a wrong stored token is really sent (GHL rejects it) ...
    await h.store.tokens.save(h.locationId, {
      accessToken: "pit-wrong",
      tokenType: "pit",
      refreshToken: null,
      expiresAt: null,
      scopes: [],
    });
    expect(await f.authSource(h.locationId)).toBe("stored-token");
    const wrong = await client.contacts.get({ locationId: h.locationId, contactId: c.id });
    expect(wrong.ok).toBe(false);
    // ... and the right one works, on the same client object
    await h.store.tokens.save(h.locationId, {
      accessToken: tokenOf(h),
      tokenType: "pit",
      refreshToken: null,
      expiresAt: null,
      scopes: [],
    });
    const ok = await client.contacts.get({ locationId: h.locationId, contactId: c.id });
    expect(ok.ok).toBe(true);
    const found = [];
    for await (const p of client.searchContactsIterator({ locationId: h.locationId }))
      if (p.ok) found.push(...p.contacts);
    expect(found.map((x) => x.id)).toContain(c.id);
    expect(client.limiter).toBe(f.limiter);
  });

  it("passes the injected sleep to the clients' retry backoff (no real waiting with a test clock)", async () => {
    h = await startHarness({});
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Zz", phone: "07911 200204" });
    const slept: number[] = [];
    let calls = 0;
    let t = Date.now();
    const f = createGhlClientFactory({
      config: config(h, { locations: [{ locationId: h.locationId, privateToken: tokenOf(h) }] }),
      store: h.store,
      now: () => t,
      sleep: async (ms) => {
        slept.push(ms);
        t += ms; // a test clock: waiting moves it, no real time passes
      },
      fetch: async (request) => {
        if (calls++ === 0) return new Response("", { status: 429, headers: { "retry-after": "30" } });
        return globalThis.fetch(request);
      },
    });
    const started = Date.now();
    const r = await f.forLocation(h.locationId).contacts.get({ locationId: h.locationId, contactId: c.id });
    expect(r.ok).toBe(true);
    expect(calls).toBe(2);
    expect(slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(29_000); // Retry-After: 30
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("falls back to the OAuth app, then (sandbox mode only) to the sandbox token", async () => {
    h = await startHarness({});
    const oauth = createGhlClientFactory({
      config: config(h, { oauth: { clientId: "id", clientSecret: "secret", companyId: null } }),
      store: h.store,
    });
    expect(await oauth.authSource(h.locationId)).toBe("oauth");
    const sandbox = createGhlClientFactory({
      config: config(h, {}, "sandbox"),
      store: h.store,
      sandboxToken: tokenOf(h),
      retry: RETRY,
    });
    expect(await sandbox.authSource(h.locationId)).toBe("sandbox");
    const c = h.sandbox.ghl.control.createContact(h.locationId, { firstName: "Sand", phone: "07911 200203" });
    const r = await sandbox
      .forLocation(h.locationId)
      .contacts.get({ locationId: h.locationId, contactId: c.id });
    expect(r.ok).toBe(true);
    const live = createGhlClientFactory({ config: config(h), store: h.store });
    expect(await live.authSource(h.locationId)).toBe("none");
  });
});
