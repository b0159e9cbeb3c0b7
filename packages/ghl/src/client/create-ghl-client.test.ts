import { describe, expect, it } from "vitest";
import { createMemoryTokenStore } from "../auth/token-store.js";
import { createSteppingClock } from "../test-support/fake-clock.js";
import { createFakeFetch, json } from "../test-support/fake-fetch.js";
import { createGhlClient } from "./create-ghl-client.js";

const BASE = "http://ghl.test";
const pit = { kind: "private-integration", token: "pit-secret" } as const;

function pitClient(handler: Parameters<typeof createFakeFetch>[0], extra: Record<string, unknown> = {}) {
  const clock = createSteppingClock();
  const fake = createFakeFetch(handler);
  const client = createGhlClient({
    auth: pit,
    fetch: fake.fetch,
    now: clock.now,
    sleep: clock.sleep,
    baseUrl: BASE,
    retry: { random: () => 0.5 },
    ...extra,
  });
  return { client, fake, clock };
}

describe("createGhlClient (injected fetch)", () => {
  it("sends bearer auth and the Contacts Version header, returns typed data and meta", async () => {
    const { client, fake } = pitClient(() =>
      json(
        200,
        { contact: { id: "c1", phone: "+15555550100" } },
        { "X-RateLimit-Remaining": "99", "X-RateLimit-Max": "100" },
      ),
    );
    const r = await client.contacts.get({ locationId: "loc", contactId: "c1" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.contact.id).toBe("c1");
    expect(r.meta).toMatchObject({ status: 200, attempts: 1, rateLimit: { remaining: 99, max: 100 } });
    const req = fake.requests[0]!;
    expect(req.method).toBe("GET");
    expect(req.url.pathname).toBe("/contacts/c1");
    expect(req.headers.get("authorization")).toBe("Bearer pit-secret");
    expect(req.headers.get("version")).toBe("2021-07-28");
  });

  it("times out even when the fetch ignores the abort signal (read: retried, then timeout)", async () => {
    const { client, fake } = pitClient(() => new Promise<Response>(() => {}), {
      timeoutMs: 20,
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    const r = await client.contacts.get({ locationId: "loc-1", contactId: "c1" });
    expect(!r.ok && r.error).toMatchObject({ code: "timeout", retryable: true });
    expect(fake.requests).toHaveLength(2);
  });

  it("uses Version 2021-04-15 for conversations", async () => {
    const { client, fake } = pitClient(() => json(200, { conversationId: "cv", messageId: "m" }));
    const r = await client.conversations.sendMessage({
      locationId: "loc",
      body: { type: "SMS", subType: "SMS", contactId: "c", message: "hi", status: "pending" },
    });
    expect(r.ok).toBe(true);
    expect(fake.requests[0]!.headers.get("version")).toBe("2021-04-15");
    expect(JSON.parse(fake.requests[0]!.body)).toMatchObject({ contactId: "c", message: "hi" });
  });

  it("maps a 422 into a GhlError with the joined vendor messages and does not retry", async () => {
    const { client, fake } = pitClient(() =>
      json(422, {
        statusCode: 422,
        message: ["phone must be E.164", "email invalid"],
        error: "Unprocessable Entity",
      }),
    );
    const r = await client.contacts.create({ locationId: "loc", phone: "123" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe("validation");
    expect(r.error.status).toBe(422);
    expect(r.error.vendorMessage).toBe("phone must be E.164; email invalid");
    expect(r.error.retryable).toBe(false);
    expect(fake.requests).toHaveLength(1);
    expect(Object.keys(r)).toEqual(["ok", "error"]);
  });

  it("retries 429 (honouring Retry-After) and succeeds", async () => {
    const { client, fake, clock } = pitClient((_req, i) =>
      i < 2
        ? json(429, { statusCode: 429, message: "Too many" }, { "Retry-After": "3" })
        : json(200, { contact: { id: "c" } }),
    );
    const r = await client.contacts.get({ locationId: "loc", contactId: "c" });
    expect(r.ok && r.meta.attempts).toBe(3);
    expect(fake.requests).toHaveLength(3);
    expect(clock.slept()).toBeGreaterThanOrEqual(6000);
  });

  it("retries idempotent 5xx with bounded attempts and then returns a retryable error", async () => {
    const { client, fake } = pitClient(() => json(503, { message: "unavailable" }), {
      retry: { maxAttempts: 3, random: () => 0 },
    });
    const r = await client.contacts.get({ locationId: "loc", contactId: "c" });
    expect(fake.requests).toHaveLength(3);
    expect(!r.ok && r.error).toMatchObject({
      code: "server_error",
      retryable: true,
      status: 503,
      ambiguous: false,
    });
  });

  it("never retries a non-idempotent create after a 5xx: ambiguous error instead", async () => {
    const { client, fake } = pitClient(() => json(502, { message: "bad gateway" }));
    const r = await client.contacts.create({ locationId: "loc", phone: "+15555550100" });
    expect(fake.requests).toHaveLength(1);
    expect(!r.ok && r.error).toMatchObject({ code: "ambiguous", ambiguous: true, retryable: true });
    const n = await client.notes.create({ locationId: "loc", contactId: "c", body: { body: "x" } });
    expect(fake.requests).toHaveLength(2);
    expect(!n.ok && n.error.ambiguous).toBe(true);
  });

  it("retries a create when the connection was refused (never sent) but not after a reset", async () => {
    const refused = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }),
    });
    const reset = Object.assign(new TypeError("fetch failed"), {
      cause: Object.assign(new Error("x"), { code: "ECONNRESET" }),
    });
    let calls = 0;
    const { client } = pitClient(() => {
      calls++;
      if (calls === 1) throw refused;
      if (calls === 2) throw reset;
      return json(201, { contact: { id: "c" } });
    });
    const r = await client.contacts.create({ locationId: "loc", phone: "+15555550100" });
    expect(calls).toBe(2);
    expect(!r.ok && r.error).toMatchObject({ code: "ambiguous", ambiguous: true });
    expect(!r.ok && r.error.message).toContain("ECONNRESET");
  });

  it("returns invalid_response for a 200 with a non-JSON body", async () => {
    const { client } = pitClient(
      () => new Response("<html>oops</html>", { status: 200, headers: { "content-type": "text/html" } }),
    );
    const r = await client.contacts.get({ locationId: "loc", contactId: "c" });
    expect(!r.ok && r.error.code).toBe("invalid_response");
  });

  it("PIT 401 is not refreshed and says what to do", async () => {
    const { client, fake } = pitClient(() => json(401, { statusCode: 401, message: "Invalid token" }));
    const r = await client.contacts.get({ locationId: "loc", contactId: "c" });
    expect(fake.requests).toHaveLength(1);
    expect(!r.ok && r.error).toMatchObject({
      code: "unauthorized",
      status: 401,
      vendorMessage: "Invalid token",
    });
  });

  it("encodes query parameters (phone + as %2B) for findDuplicate", async () => {
    const { client, fake } = pitClient(() => json(200, { contact: null }));
    const r = await client.contacts.findDuplicate({ locationId: "loc", number: "+15555550100" });
    expect(r.ok && r.data.contact).toBeNull();
    expect(fake.requests[0]!.url.search).toContain("number=%2B15555550100");
  });

  it("rejects bad configuration clearly", () => {
    expect(() => createGhlClient({ auth: pit, baseUrl: "not a url" })).toThrow(/baseUrl/);
    expect(() => createGhlClient({ auth: { kind: "oauth", clientId: "a", clientSecret: "b" } })).toThrow(
      /tokenStore/,
    );
    expect(() => createGhlClient({ auth: { kind: "private-integration", token: "" } })).toThrow(/token/);
    expect(() => createGhlClient({ auth: pit }).contacts.get({ locationId: "", contactId: "x" })).toThrow(
      /locationId/,
    );
  });

  it("takes the base URL from GHL_API_BASE_URL", async () => {
    const fake = createFakeFetch(() => json(200, { contact: { id: "c" } }));
    process.env.GHL_API_BASE_URL = "http://from-env.test:9999";
    try {
      const client = createGhlClient({ auth: pit, fetch: fake.fetch });
      await client.contacts.get({ locationId: "l", contactId: "c" });
    } finally {
      delete process.env.GHL_API_BASE_URL;
    }
    expect(fake.requests[0]!.url.origin).toBe("http://from-env.test:9999");
  });
});

describe("OAuth token handling (injected fetch)", () => {
  const auth = { kind: "oauth", clientId: "cid", clientSecret: "csecret" } as const;

  it("refreshes 5 minutes before expiry, saves the rotated pair before using it", async () => {
    const clock = createSteppingClock();
    const store = createMemoryTokenStore({
      loc: {
        accessToken: "old",
        refreshToken: "r1",
        expiresAt: clock.now() + 4 * 60_000,
        userType: "Location",
      },
    });
    const savedBeforeUse: boolean[] = [];
    const fake = createFakeFetch(async (req) => {
      if (req.url.pathname === "/oauth/token") {
        const form = new URLSearchParams(req.body);
        expect(req.headers.get("content-type")).toContain("application/x-www-form-urlencoded");
        expect(req.headers.get("version")).toBeNull();
        expect(form.get("grant_type")).toBe("refresh_token");
        expect(form.get("refresh_token")).toBe("r1");
        expect(form.get("user_type")).toBe("Location");
        return json(200, { access_token: "new", refresh_token: "r2", expires_in: 86399, userId: "u" });
      }
      savedBeforeUse.push(
        (await store.load("loc"))?.accessToken === req.headers.get("authorization")?.slice(7),
      );
      return json(200, { contact: { id: "c" } });
    });
    const client = createGhlClient({
      auth,
      tokenStore: store,
      fetch: fake.fetch,
      now: clock.now,
      sleep: clock.sleep,
      baseUrl: BASE,
    });
    const r = await client.contacts.get({ locationId: "loc", contactId: "c" });
    expect(r.ok).toBe(true);
    expect(fake.requests.map((q) => q.url.pathname)).toEqual(["/oauth/token", "/contacts/c"]);
    expect(fake.requests[1]!.headers.get("authorization")).toBe("Bearer new");
    expect(savedBeforeUse).toEqual([true]);
    expect(store.snapshot().loc).toMatchObject({
      accessToken: "new",
      refreshToken: "r2",
      expiresAt: clock.now() + 86_399_000,
    });
  });

  it("does not refresh a token with more than 5 minutes left", async () => {
    const clock = createSteppingClock();
    const store = createMemoryTokenStore({
      loc: {
        accessToken: "ok",
        refreshToken: "r1",
        expiresAt: clock.now() + 6 * 60_000,
        userType: "Location",
      },
    });
    const fake = createFakeFetch(() => json(200, { contact: { id: "c" } }));
    const client = createGhlClient({
      auth,
      tokenStore: store,
      fetch: fake.fetch,
      now: clock.now,
      baseUrl: BASE,
    });
    await client.contacts.get({ locationId: "loc", contactId: "c" });
    expect(fake.requests.map((q) => q.url.pathname)).toEqual(["/contacts/c"]);
  });

  it("on 401 refreshes once and retries; a second 401 is returned", async () => {
    const clock = createSteppingClock();
    const store = createMemoryTokenStore({
      loc: {
        accessToken: "revoked",
        refreshToken: "r1",
        expiresAt: clock.now() + 3_600_000,
        userType: "Location",
      },
    });
    const fake = createFakeFetch((req) => {
      if (req.url.pathname === "/oauth/token")
        return json(200, { access_token: "fresh", refresh_token: "r2", expires_in: 86399, userId: "u" });
      return req.headers.get("authorization") === "Bearer fresh"
        ? json(200, { contact: { id: "c" } })
        : json(401, { statusCode: 401, message: "Invalid token: access token is invalid" });
    });
    const client = createGhlClient({
      auth,
      tokenStore: store,
      fetch: fake.fetch,
      now: clock.now,
      baseUrl: BASE,
    });
    const r = await client.contacts.get({ locationId: "loc", contactId: "c" });
    expect(r.ok).toBe(true);
    expect(fake.requests.map((q) => q.url.pathname)).toEqual(["/contacts/c", "/oauth/token", "/contacts/c"]);
  });

  it("Invalid grant -> reinstall_required, with a message for the operator", async () => {
    const clock = createSteppingClock();
    const store = createMemoryTokenStore({
      loc: {
        accessToken: "old",
        refreshToken: "rt-secret-xyz",
        expiresAt: clock.now() - 1,
        userType: "Location",
      },
    });
    const fake = createFakeFetch(() =>
      json(400, { statusCode: 400, message: "Invalid grant: refresh token is invalid" }),
    );
    const client = createGhlClient({
      auth,
      tokenStore: store,
      fetch: fake.fetch,
      now: clock.now,
      baseUrl: BASE,
    });
    const r = await client.contacts.get({ locationId: "loc", contactId: "c" });
    expect(!r.ok && r.error.code).toBe("reinstall_required");
    expect(!r.ok && r.error.message).toMatch(/reinstall the app/);
    expect(JSON.stringify(r)).not.toContain("rt-secret-xyz");
    expect(fake.requests).toHaveLength(1);
  });

  it("no stored tokens -> not_installed without any HTTP call", async () => {
    const fake = createFakeFetch(() => json(200, {}));
    const client = createGhlClient({
      auth,
      tokenStore: createMemoryTokenStore(),
      fetch: fake.fetch,
      baseUrl: BASE,
    });
    const r = await client.contacts.get({ locationId: "loc", contactId: "c" });
    expect(!r.ok && r.error.code).toBe("not_installed");
    expect(fake.requests).toHaveLength(0);
  });

  it("mints location tokens from the agency token when configured", async () => {
    const clock = createSteppingClock();
    const store = createMemoryTokenStore({
      comp: {
        accessToken: "agency",
        refreshToken: "ra",
        expiresAt: clock.now() + 3_600_000,
        userType: "Company",
        companyId: "comp",
      },
    });
    const fake = createFakeFetch((req) => {
      if (req.url.pathname === "/oauth/locationToken") {
        expect(req.headers.get("authorization")).toBe("Bearer agency");
        expect(req.headers.get("version")).toBe("2021-07-28");
        expect(Object.fromEntries(new URLSearchParams(req.body))).toEqual({
          companyId: "comp",
          locationId: "loc",
        });
        return json(200, { access_token: "minted", expires_in: 86399, userId: "u", locationId: "loc" });
      }
      return json(200, { contact: { id: "c" } });
    });
    const client = createGhlClient({
      auth: { ...auth, companyId: "comp" },
      tokenStore: store,
      fetch: fake.fetch,
      now: clock.now,
      baseUrl: BASE,
    });
    const r = await client.contacts.get({ locationId: "loc", contactId: "c" });
    expect(r.ok).toBe(true);
    expect(fake.requests[1]!.headers.get("authorization")).toBe("Bearer minted");
    expect(store.snapshot().loc).toMatchObject({
      accessToken: "minted",
      refreshToken: null,
      userType: "Location",
    });
  });

  it("falls back to minting from the agency token when the location refresh token is rejected", async () => {
    const clock = createSteppingClock();
    const store = createMemoryTokenStore({
      comp: {
        accessToken: "agency",
        refreshToken: "ra",
        expiresAt: clock.now() + 3_600_000,
        userType: "Company",
      },
      loc: { accessToken: "old", refreshToken: "dead", expiresAt: clock.now() - 1, userType: "Location" },
    });
    const fake = createFakeFetch((req) => {
      if (req.url.pathname === "/oauth/token")
        return json(400, { statusCode: 400, message: "Invalid grant: refresh token is invalid" });
      if (req.url.pathname === "/oauth/locationToken") {
        return json(200, { access_token: "minted", refresh_token: "rm", expires_in: 86399, userId: "u" });
      }
      return json(200, { contact: { id: "c" } });
    });
    const client = createGhlClient({
      auth: { ...auth, companyId: "comp" },
      tokenStore: store,
      fetch: fake.fetch,
      now: clock.now,
      baseUrl: BASE,
    });
    const r = await client.contacts.get({ locationId: "loc", contactId: "c" });
    expect(r.ok).toBe(true);
    expect(fake.requests.map((q) => q.url.pathname)).toEqual([
      "/oauth/token",
      "/oauth/locationToken",
      "/contacts/c",
    ]);
    expect(store.snapshot().loc).toMatchObject({ accessToken: "minted", refreshToken: "rm" });
  });

  it("oauth methods on a private-integration client return wrong_auth", async () => {
    const { client, fake } = pitClient(() => json(200, {}));
    const r = await client.oauth.refresh({ locationId: "loc" });
    expect(!r.ok && r.error.code).toBe("wrong_auth");
    expect(fake.requests).toHaveLength(0);
  });

  it("exchangeCode saves the installed location's tokens", async () => {
    const clock = createSteppingClock();
    const store = createMemoryTokenStore();
    const fake = createFakeFetch((req) => {
      const form = new URLSearchParams(req.body);
      expect(form.get("grant_type")).toBe("authorization_code");
      expect(form.get("code")).toBe("the-code");
      expect(form.get("redirect_uri")).toBe("https://app.example/cb");
      return json(200, {
        access_token: "a",
        refresh_token: "r",
        expires_in: 100,
        userType: "Location",
        locationId: "loc",
        userId: "u",
      });
    });
    const client = createGhlClient({
      auth: { ...auth, redirectUri: "https://app.example/cb" },
      tokenStore: store,
      fetch: fake.fetch,
      now: clock.now,
      baseUrl: BASE,
    });
    const r = await client.oauth.exchangeCode({ code: "the-code" });
    expect(r.ok && r.data.resourceId).toBe("loc");
    expect(r.ok && "access_token" in r.data.install).toBe(false);
    expect(store.snapshot().loc).toMatchObject({
      accessToken: "a",
      refreshToken: "r",
      expiresAt: clock.now() + 100_000,
    });
  });
});
