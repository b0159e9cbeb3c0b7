import { describe, expect, it } from "vitest";
import type { GhlTokens, TokenStore } from "../auth/token-store.js";
import { createMemoryTokenStore } from "../auth/token-store.js";
import type { GhlLogger } from "../core/logger.js";
import { createSteppingClock } from "../test-support/fake-clock.js";
import { createFakeFetch, json } from "../test-support/fake-fetch.js";
import { createGhlClient } from "./create-ghl-client.js";

function captureLogger(): GhlLogger & { lines: string[] } {
  const lines: string[] = [];
  const log = (obj: Record<string, unknown>, msg?: string) => {
    lines.push(JSON.stringify({ ...obj, msg }));
  };
  return { lines, debug: log, info: log, warn: log, error: log };
}

describe("logging", () => {
  it("logs refreshes, retries and failures without tokens, phone numbers or bodies", async () => {
    const clock = createSteppingClock();
    const logger = captureLogger();
    const store = createMemoryTokenStore({
      loc: {
        accessToken: "AT-SECRET-0",
        refreshToken: "RT-SECRET-0",
        expiresAt: clock.now(),
        userType: "Location",
      },
    });
    let n = 0;
    const fake = createFakeFetch((req) => {
      if (req.url.pathname === "/oauth/token") {
        return json(200, {
          access_token: "AT-SECRET-1",
          refresh_token: "RT-SECRET-1",
          expires_in: 86399,
          userId: "u",
        });
      }
      n++;
      if (n === 1) return json(503, { message: "busy" });
      if (n === 2) return json(401, { message: "expired" });
      return json(200, { contact: null });
    });
    const client = createGhlClient({
      auth: { kind: "oauth", clientId: "cid", clientSecret: "CLIENT-SECRET" },
      tokenStore: store,
      fetch: fake.fetch,
      now: clock.now,
      sleep: clock.sleep,
      logger,
      baseUrl: "http://ghl.test",
    });
    const r = await client.contacts.findDuplicate({ locationId: "loc", number: "+447700900123" });
    expect(r.ok).toBe(true);
    expect(logger.lines.length).toBeGreaterThanOrEqual(3);
    const all = logger.lines.join("\n");
    for (const secret of ["AT-SECRET", "RT-SECRET", "CLIENT-SECRET", "447700900123", "Bearer"]) {
      expect(all).not.toContain(secret);
    }
    expect(all).toContain("GET /contacts/search/duplicate");
  });
});

describe("TokenStore.withLock", () => {
  it("runs every refresh inside the store's lock", async () => {
    const clock = createSteppingClock();
    const inner = createMemoryTokenStore({
      loc: { accessToken: "a0", refreshToken: "r0", expiresAt: clock.now(), userType: "Location" },
    });
    const events: string[] = [];
    const store: TokenStore = {
      load: inner.load,
      async save(id: string, t: GhlTokens) {
        events.push(`save:${t.refreshToken}`);
        await inner.save(id, t);
      },
      async withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
        events.push(`lock:${id}`);
        try {
          return await fn();
        } finally {
          events.push(`unlock:${id}`);
        }
      },
    };
    const fake = createFakeFetch((req) =>
      req.url.pathname === "/oauth/token"
        ? json(200, { access_token: "a1", refresh_token: "r1", expires_in: 86399, userId: "u" })
        : json(200, { contact: { id: "c" } }),
    );
    const client = createGhlClient({
      auth: { kind: "oauth", clientId: "c", clientSecret: "s" },
      tokenStore: store,
      fetch: fake.fetch,
      now: clock.now,
      baseUrl: "http://ghl.test",
    });
    expect((await client.contacts.get({ locationId: "loc", contactId: "c" })).ok).toBe(true);
    expect(events).toEqual(["lock:loc", "save:r1", "unlock:loc"]);
  });

  it("a failed save is reported and the call is not made with the unsaved token", async () => {
    const clock = createSteppingClock();
    const inner = createMemoryTokenStore({
      loc: { accessToken: "a0", refreshToken: "r0", expiresAt: clock.now(), userType: "Location" },
    });
    let failSave = true;
    const store: TokenStore = {
      load: inner.load,
      async save(id, t) {
        if (failSave) throw new Error("disk full");
        await inner.save(id, t);
      },
    };
    let refreshes = 0;
    const fake = createFakeFetch((req) => {
      if (req.url.pathname === "/oauth/token") {
        refreshes++;
        return json(200, {
          access_token: `a${refreshes}`,
          refresh_token: `r${refreshes}`,
          expires_in: 86399,
          userId: "u",
        });
      }
      return json(200, { contact: { id: "c" } });
    });
    const client = createGhlClient({
      auth: { kind: "oauth", clientId: "c", clientSecret: "s" },
      tokenStore: store,
      fetch: fake.fetch,
      now: clock.now,
      baseUrl: "http://ghl.test",
    });
    const first = await client.contacts.get({ locationId: "loc", contactId: "c" });
    expect(!first.ok && first.error.message).toMatch(/disk full/);
    expect(fake.requests.filter((q) => q.url.pathname !== "/oauth/token")).toHaveLength(0);
    // Next call: the rotated pair (kept in memory) is saved first, then used; no second refresh.
    failSave = false;
    const second = await client.contacts.get({ locationId: "loc", contactId: "c" });
    expect(second.ok).toBe(true);
    expect(refreshes).toBe(1);
    expect(inner.snapshot().loc?.refreshToken).toBe("r1");
  });
});
