// Two worker processes share one location's OAuth tokens in one store (a SQLite file, or PostgreSQL with a
// pool per process); the access token has
// expired and the sandbox's refresh tokens are single-use (a second use is "invalid_grant"). Both
// processes need a token at the same moment: exactly one refresh reaches GHL, every call of both
// processes succeeds, and the pair left in the store is the live one.
import { createGhlClient, type GhlTokens } from "@ghl-bulksms/ghl";
import { startGhlSimulator } from "@ghl-bulksms/sandbox";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openSharedStore } from "../../bench/open-shared-store.js";
import { createSharedDatabase, SHARED_DATABASE_KINDS, type SharedDatabase } from "./shared-database.js";
import { runTokenChild } from "./spawn-child.js";

const KEY_HEX = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

describe.each(SHARED_DATABASE_KINDS)("one token refresh at a time across worker processes on %s", (kind) => {
  let sim: Awaited<ReturnType<typeof startGhlSimulator>>;
  let shared: SharedDatabase | null = null;
  beforeAll(async () => {
    sim = await startGhlSimulator({ port: 0, locations: 1, seedContacts: 2 });
  });
  afterEach(async () => {
    await shared?.drop();
    shared = null;
  });
  afterAll(async () => {
    await sim.close();
  });

  it("two processes, an expired token, single-use refresh tokens: one refresh, every call works", {
    timeout: 60_000,
  }, async () => {
    const locationId = sim.locations[0]!.id;
    shared = await createSharedDatabase(kind);
    const store = await openSharedStore(shared.location, KEY_HEX);
    const auth = {
      kind: "oauth" as const,
      clientId: sim.tokens.clientId,
      clientSecret: sim.tokens.clientSecret,
    };
    const installer = createGhlClient({ auth, tokenStore: store.tokens, baseUrl: sim.url });
    const installed = await installer.oauth.exchangeCode({
      code: sim.control.issueAuthorizationCode({ locationId }),
    });
    expect(installed.ok).toBe(true);
    const pair = (await store.tokens.load<GhlTokens>(locationId))!;
    await store.tokens.save(locationId, { ...pair, expiresAt: Date.now() - 1_000 }); // expired
    const tokenPosts = () =>
      sim.control.requestLog().filter((r) => r.path === "/oauth/token" && r.method === "POST");
    const before = tokenPosts().length;

    const input = {
      ghlUrl: sim.url,
      clientId: sim.tokens.clientId,
      clientSecret: sim.tokens.clientSecret,
      locationId,
      database: shared.location,
      keyHex: KEY_HEX,
      calls: 5,
      startAt: Date.now() + 3_000,
    };
    const outs = await Promise.all([runTokenChild(input), runTokenChild(input)]);

    expect(outs.map((o) => o.failed)).toEqual([[], []]);
    expect(outs.map((o) => o.ok)).toEqual([5, 5]);
    expect(outs[0]!.refreshesSent + outs[1]!.refreshesSent).toBe(1);
    const refreshes = tokenPosts().slice(before);
    expect(refreshes.map((r) => r.status)).toEqual([200]);
    // the stored pair is the rotated, live one: a client on it works without another refresh
    const stored = (await store.tokens.load<GhlTokens>(locationId))!;
    expect(stored.refreshToken).not.toBe(pair.refreshToken);
    expect(stored.expiresAt).toBeGreaterThan(Date.now());
    const after = createGhlClient({ auth, tokenStore: store.tokens, baseUrl: sim.url });
    expect((await after.contacts.search({ locationId, pageLimit: 1 })).ok).toBe(true);
    expect(tokenPosts().length).toBe(before + 1);
    await store.close();
  });
});
